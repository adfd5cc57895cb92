export function afterResponse() {}
