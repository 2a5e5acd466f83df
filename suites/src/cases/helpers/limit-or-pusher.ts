/**
 * The limit a case judges against: the profile's value, or Pusher's documented value where the
 * profile declares none (`null`: the server documents or enforces no limit). A missing limit is
 * a departure from Pusher's value, judged at the case's own level, never a reason to skip.
 * @module
 */
import { limits, type LimitKey } from '../../../../spec/src/limits.ts';
import type { CaseContext } from '../../harness/types.ts';

export interface JudgedLimit {
  readonly value: number;
  /** false when the profile declares none and Pusher's documented value stands in */
  readonly declared: boolean;
}

export function limitOrPusher(ctx: CaseContext, key: LimitKey): JudgedLimit {
  const value = ctx.limits[key];
  if (value !== null) return { value, declared: true };
  const pusher = limits[key].pusher;
  ctx.note(`the target declares no ${limits[key].title.toLowerCase()} (limit ${key}): judged against Pusher's documented ${pusher} ${limits[key].unit}`);
  return { value: pusher, declared: false };
}
