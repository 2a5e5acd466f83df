/**
 * The clause registry: every normative statement the kit checks, keyed by a stable id
 * `area.topic[-detail]`. Cases, the reference server, the CLI and the website import from here.
 */
import { cacheClauses } from './cache.ts';
import { channelAuthClauses } from './channel-auth.ts';
import { clientEventsClauses } from './client-events.ts';
import { clusterClauses } from './cluster.ts';
import { connectionClauses } from './connection.ts';
import { encryptedClauses } from './encrypted.ts';
import { errorsClauses } from './errors.ts';
import { limitsClauses } from './limits.ts';
import { presenceClauses } from './presence.ts';
import { requestSigningClauses } from './request-signing.ts';
import { restClauses } from './rest.ts';
import { robustnessClauses } from './robustness.ts';
import { serverToUserClauses } from './server-to-user.ts';
import { signinClauses } from './signin.ts';
import { subscriptionCountClauses } from './subscription-count.ts';
import { subscriptionClauses } from './subscription.ts';
import { terminateClauses } from './terminate.ts';
import type { Area, ClauseDef } from './types.ts';
import { areas } from './types.ts';
import { watchlistClauses } from './watchlist.ts';
import { webhooksClauses } from './webhooks.ts';

export type { Area, ClauseDef, Level } from './types.ts';
export { areas, levels } from './types.ts';

export const clauses = {
  ...connectionClauses,
  ...errorsClauses,
  ...subscriptionClauses,
  ...channelAuthClauses,
  ...presenceClauses,
  ...clientEventsClauses,
  ...encryptedClauses,
  ...cacheClauses,
  ...subscriptionCountClauses,
  ...signinClauses,
  ...serverToUserClauses,
  ...watchlistClauses,
  ...terminateClauses,
  ...restClauses,
  ...requestSigningClauses,
  ...webhooksClauses,
  ...limitsClauses,
  ...robustnessClauses,
  ...clusterClauses,
} as const satisfies Record<string, ClauseDef>;

export type ClauseId = keyof typeof clauses;

/** A clause with its id attached. */
export type Clause = ClauseDef & { id: ClauseId };

/** Every clause id, in registry order (area by area). */
export const clauseIds = Object.keys(clauses) as ClauseId[];

export function isClauseId(s: string): s is ClauseId {
  return Object.hasOwn(clauses, s);
}

/** Looks a clause up by id. */
export function clause(id: ClauseId): Clause {
  const def: ClauseDef = clauses[id];
  return { id, ...def };
}

/** The area a clause id belongs to: the part before the dot. */
export function areaOf(id: ClauseId): Area {
  return clauses[id].area;
}

/** Clauses grouped by area, every area present, in the order of `areas`. */
export function clausesByArea(): Record<Area, Clause[]> {
  const out = Object.fromEntries(areas.map((a) => [a, [] as Clause[]])) as Record<Area, Clause[]>;
  for (const id of clauseIds) out[clauses[id].area].push(clause(id));
  return out;
}
