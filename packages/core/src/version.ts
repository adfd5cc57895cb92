export const LOADCTL_VERSION = '0.1.0';
