export * from './json-schema.ts';
export * from './asyncapi.ts';
export * from './openapi.ts';
