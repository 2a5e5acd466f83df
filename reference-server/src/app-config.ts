/**
 * The reference server's configuration: apps and server settings as zod schemas. Loading from
 * files, environment and flags is config-loader.ts's job; this module owns the shape.
 * @module
 */
import { z } from 'zod';
import { capacityLimits, limitKeys, type LimitKey } from '../../spec/src/limits.ts';
import { webhookEventNames, type WebhookEventName } from '../../spec/src/webhooks.ts';
import { DEFAULT_PROFILE, profileCapacity, profileIds, resolveProfile, type ProfileId } from '../../spec/src/profiles.ts';
import { faultNames, type FaultName } from './faults.ts';

const DEFAULT_ACTIVITY_TIMEOUT_SECONDS = 120;
const DEFAULT_PONG_TIMEOUT_SECONDS = 30;
/** Headers and body of a request: seconds, not Node's 300 s, so stalled requests free their memory. */
const DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
/** Timers past 2^31-1 ms overflow. */
const MAX_REQUEST_TIMEOUT_SECONDS = 3600;
/** 64 MiB of bodies in flight: about a hundred requests at the largest legal size (pusher profile). */
const DEFAULT_REST_BUFFER_BYTES = 64 * 1024 * 1024;

const nonEmpty = z.string().min(1);

/** Per-app overrides of the profile's limits. */
export const LimitOverrides = z.partialRecord(z.enum(limitKeys as [LimitKey, ...LimitKey[]]), z.number().nonnegative());

export const WebhookSettings = z
  .object({
    /** where webhooks go; none: the app sends no webhooks */
    url: z.url().optional(),
    eventTypes: z.array(z.enum(webhookEventNames as [WebhookEventName, ...WebhookEventName[]])).default([...webhookEventNames]),
    batching: z.boolean().default(false),
    /** delay of channel_vacated / member_removed; default: the profile's webhookGraceSeconds */
    graceSeconds: z.number().nonnegative().optional(),
  })
  .strict();

export const AppConfigSchema = z
  .object({
    id: nonEmpty,
    key: nonEmpty,
    secret: nonEmpty,
    enabled: z.boolean().default(true),
    clientEvents: z.boolean().default(true),
    userAuthentication: z
      .object({
        /** authorized connections: sign in or subscribe to an authorized channel within the timeout */
        required: z.boolean().default(false),
        /** default: the profile's userAuthenticationTimeoutSeconds */
        timeoutSeconds: z.number().positive().optional(),
      })
      .strict()
      .prefault({}),
    subscriptionCount: z.boolean().default(true),
    /** concurrent connections; null: unlimited */
    maxConnections: z.number().int().nonnegative().nullable().default(null),
    /** channels one connection may hold at once (4100 past it); default: the profile's, else spec capacityLimits; null: unlimited */
    maxSubscriptionsPerConnection: z.number().int().positive().nullable().optional(),
    profile: z.enum(profileIds as [ProfileId, ...ProfileId[]]).default(DEFAULT_PROFILE),
    limits: LimitOverrides.default({}),
    /** overrides the profile's cacheTtlSeconds */
    cacheTtlSeconds: z.number().positive().optional(),
    activityTimeoutSeconds: z.number().int().positive().default(DEFAULT_ACTIVITY_TIMEOUT_SECONDS),
    pongTimeoutSeconds: z.number().positive().default(DEFAULT_PONG_TIMEOUT_SECONDS),
    /** base64 of 32 bytes; the server never uses it (encrypted channels are end-to-end) */
    encryptionMasterKey: z.string().optional(),
    webhooks: WebhookSettings.prefault({}),
  })
  .strict()
  .transform((app) => ({
    ...app,
    webhooks: { ...app.webhooks, graceSeconds: app.webhooks.graceSeconds ?? resolveProfile(app.profile).limits.webhookGraceSeconds ?? 0 },
  }));
export type AppConfig = z.output<typeof AppConfigSchema>;
export type AppConfigInput = z.input<typeof AppConfigSchema>;

export const DEFAULT_APP = { id: 'app-id', key: 'app-key', secret: 'app-secret', clientEvents: true } as const satisfies AppConfigInput;

export const ServerConfigSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(6001),
    apps: z.array(AppConfigSchema).min(1).prefault([DEFAULT_APP]),
    faults: z.array(z.enum(faultNames as [FaultName, ...FaultName[]], { error: (issue) => `unknown fault ${JSON.stringify(issue.input)} (the catalogue is reference-server/src/faults.ts)` })).default([]),
    /** open WebSocket connections of the whole server, all apps (close 4100 past it); null: unlimited */
    maxConnections: z.number().int().positive().nullable().default(capacityLimits.connectionsPerServer.reference),
    /** seconds a request's headers, and then its body, may take to arrive */
    requestTimeoutSeconds: z.number().positive().max(MAX_REQUEST_TIMEOUT_SECONDS).default(DEFAULT_REQUEST_TIMEOUT_SECONDS),
    /** bytes all REST requests together may buffer while their bodies arrive (503 past it) */
    restBufferBytes: z.number().int().positive().default(DEFAULT_REST_BUFFER_BYTES),
    /** redis://host:port: join the other nodes on that Redis (reference-server/src/cluster/); absent: one node */
    cluster: z.string().regex(/^rediss?:\/\/[^/]/, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379').optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = { id: new Map<string, number>(), key: new Map<string, number>() };
    config.apps.forEach((app, i) => {
      for (const field of ['id', 'key'] as const) {
        const first = seen[field].get(app[field]);
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['apps', i, field], message: `duplicate app ${field} ${JSON.stringify(app[field])} (also apps.${first}.${field})` });
        } else seen[field].set(app[field], i);
      }
    });
  });
export type ServerConfig = z.output<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

/** Channels one connection of the app may hold: its config, else its profile's documented cap, else the spec's reference default; Infinity: none. */
export function subscriptionCap(app: AppConfig): number {
  const configured = app.maxSubscriptionsPerConnection;
  if (configured !== undefined) return configured ?? Number.POSITIVE_INFINITY;
  return profileCapacity[app.profile].subscriptionsPerConnection.value ?? capacityLimits.subscriptionsPerConnection.reference;
}

/** One problem in a configuration: where, and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
  }
}

export function safeParseConfig(input: unknown): { ok: true; config: ServerConfig } | { ok: false; issues: ConfigIssue[] } {
  const parsed = ServerConfigSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({ path: issue.path.length > 0 ? issue.path.join('.') : '(root)', message: issue.message })),
  };
}

/** Parse and default a configuration; throws ConfigError listing every issue with its path. */
export function parseConfig(input: unknown): ServerConfig {
  const result = safeParseConfig(input);
  if (!result.ok) throw new ConfigError(result.issues);
  return result.config;
}

/** The configuration with every default: one app (app-id / app-key / app-secret), no faults. */
export function defaultConfig(): ServerConfig {
  return parseConfig({});
}
