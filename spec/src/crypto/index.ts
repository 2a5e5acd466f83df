export * from './hmac.ts';
export * from './channel-auth.ts';
export * from './user-auth.ts';
export * from './rest-signing.ts';
export * from './webhook-signing.ts';
export * from './encryption.ts';
export * from './vectors.ts';
