/**
 * The case registry: every area, in the order reports list them. One import per
 * `<area>.cases.ts` file, sorted.
 * @module
 */
import type { AreaDef, CaseDef } from '../model/case.ts';
import cache from './cache.cases.ts';
import channelAuth from './channel-auth.cases.ts';
import clientEvents from './client-events.cases.ts';
import cluster from './cluster.cases.ts';
import connection from './connection.cases.ts';
import echoExclusion from './echo-exclusion.cases.ts';
import encrypted from './encrypted.cases.ts';
import limits from './limits.cases.ts';
import presence from './presence.cases.ts';
import requestSigning from './request-signing.cases.ts';
import rest from './rest.cases.ts';
import robustness from './robustness.cases.ts';
import sdk from './sdk/sdk.cases.ts';
import subscription from './subscription.cases.ts';
import subscriptionCount from './subscription-count.cases.ts';
import users from './users.cases.ts';
import webhooks from './webhooks.cases.ts';

export const areas: AreaDef[] = [cache, channelAuth, clientEvents, connection, echoExclusion, encrypted, limits, presence, requestSigning, rest, robustness, subscription, subscriptionCount, users, webhooks, sdk, cluster];

/** Every case with its area, in registry order. */
export function allCases(): { area: string; case: CaseDef }[] {
  return areas.flatMap((a) => a.cases.map((c) => ({ area: a.area, case: c })));
}

export function findCase(id: string): { area: string; case: CaseDef } | undefined {
  return allCases().find((c) => c.case.id === id);
}
