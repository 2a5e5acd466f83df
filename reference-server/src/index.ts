/**
 * The reference server: the executable reading of the spec and the conformance runner's embedded
 * default target.
 * @module
 */
export { startReferenceServer, createFaultSet, appSettings, type RunningServer, type StartOptions } from './server.ts';
export {
  parseConfig,
  safeParseConfig,
  defaultConfig,
  ConfigError,
  AppConfigSchema,
  ServerConfigSchema,
  LimitOverrides,
  WebhookSettings,
  DEFAULT_APP,
  type AppConfig,
  type AppConfigInput,
  type ServerConfig,
  type ServerConfigInput,
  type ConfigIssue,
} from './app-config.ts';
export { faults, faultNames, isFaultName, type FaultName, type FaultDef } from './faults.ts';
export type { FaultSet, WebhookSink } from './contracts.ts';
export { ProtocolError } from './errors.ts';
