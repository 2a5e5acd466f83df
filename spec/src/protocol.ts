/** Protocol-wide constants of WebSocket protocol 7. */
export const PROTOCOL_VERSION = 7;
/** versions below this are no longer supported by Pusher */
export const MIN_SUPPORTED_PROTOCOL = 4;
/** the WebSocket path: /app/{key} */
export const APP_PATH_PREFIX = '/app/';
export const appPath = (key: string): string => `${APP_PATH_PREFIX}${encodeURIComponent(key)}`;
/** query parameters a client sends on connect */
export const ConnectQuery = { Protocol: 'protocol', Client: 'client', Version: 'version' } as const;
