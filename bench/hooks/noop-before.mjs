export function beforeRequest() {}
