import type { AmbiguityId } from '../ambiguities.ts';
import type { SourceRef } from '../sources.ts';

export type Level = 'MUST' | 'SHOULD' | 'MAY';

export const levels = ['MUST', 'SHOULD', 'MAY'] as const satisfies readonly Level[];

/** Protocol areas, in the order the website and reports list them. A clause id starts with its area. */
export const areas = [
  'connection',
  'errors',
  'subscription',
  'channel-auth',
  'presence',
  'client-events',
  'encrypted',
  'cache',
  'subscription-count',
  'signin',
  'server-to-user',
  'watchlist',
  'terminate',
  'rest',
  'request-signing',
  'webhooks',
  'limits',
  'robustness',
  'cluster',
] as const;

export type Area = (typeof areas)[number];

export interface ClauseDef {
  area: Area;
  level: Level;
  /** Short name, a few words. */
  title: string;
  /** One or two sentences in the server's voice, with the RFC 2119 keyword of `level` in capitals. */
  text: string;
  sources: readonly SourceRef[];
  /** What breaks in real clients (pusher-js, laravel-echo, server SDKs) when a server violates it. */
  impact: string;
  /** The open question this clause depends on, when the sources disagree. */
  ambiguity?: AmbiguityId;
}
