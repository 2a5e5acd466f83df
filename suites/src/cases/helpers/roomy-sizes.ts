/**
 * Sizes for what a case does not test: a case that publishes a payload as a means (not to probe
 * the payload limit) keeps it well inside every profile's limit, so a server with a smaller
 * documented limit than Pusher's fails only the limits cases, never this one.
 * @module
 */
import { limits } from '../../../../spec/src/limits.ts';
import { profiles } from '../../../../spec/src/profiles.ts';
import type { CaseContext } from '../../harness/types.ts';

/** the share of the smallest limit a case may use: room for the frame around the data */
const ROOM = 0.5;

/**
 * The smallest payload limit any profile documents or the target declares, with a documented
 * "10 KB" read in the profile's smaller kilobyte (Reverb's 10 000-byte frame), halved.
 */
export function roomyPayloadBytes(ctx: CaseContext): number {
  const declared = Object.values(profiles).flatMap((p) => {
    const v = p.limits.eventDataBytes.value;
    return v === null ? [] : [v];
  });
  const kilobytes = Object.values(profiles).map((p) => p.dialect.kilobyte.value);
  const smallestKb = Math.min(...kilobytes);
  const candidates = [...declared, ctx.limits.eventDataBytes ?? limits.eventDataBytes.pusher, (limits.eventDataBytes.pusher / 1024) * smallestKb];
  return Math.floor(Math.min(...candidates) * ROOM);
}
