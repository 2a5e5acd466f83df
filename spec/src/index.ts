/**
 * spec/: the Pusher Channels protocol as data. Everything else in this repository imports
 * protocol facts from here. No Node built-ins, so it bundles for browsers: signing and
 * encryption (node:crypto) are in ./crypto/index.ts (the package's `pusher-conformance/spec/crypto`).
 * @module
 */
export * from './events.ts';
export * from './error-codes.ts';
export * from './limits.ts';
export * from './features.ts';
export * from './identifiers.ts';
export * from './codec.ts';
export * from './protocol.ts';
export * from './registry.ts';
export * from './frames/index.ts';
export * from './rest/index.ts';
export * from './webhooks.ts';
export * from './auth-responses.ts';
export * from './clauses/index.ts';
export * from './ambiguities.ts';
export * from './sources.ts';
export * from './profiles.ts';
export * from './report.ts';
export * from './bench.ts';
