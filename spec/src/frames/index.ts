export * from './connection.ts';
export * from './empty.ts';
export * from './subscription.ts';
export * from './presence.ts';
export * from './events.ts';
export * from './signin.ts';
export * from './encrypted.ts';
export * from './generic.ts';
