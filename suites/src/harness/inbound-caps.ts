/**
 * How much a target may send the harness: the largest inbound WebSocket message (ws `maxPayload`)
 * and the bytes one connection may make the harness keep. Both derive from the target's limits,
 * so a legitimate frame always fits and a flood ends the connection instead of the runner.
 * @module
 */
import { limits as limitCatalogue, type LimitKey } from '../../../spec/src/limits.ts';

export interface InboundCaps {
  /** the largest inbound message accepted; a bigger one closes the connection (1009) */
  readonly maxFrameBytes: number;
  /** bytes of inbound messages one connection keeps; past it the connection is closed as a flood */
  readonly maxRetainedBytes: number;
}

/** default multiple of the largest legitimate frame the profile's limits allow */
export const DEFAULT_FRAME_CAP_MULTIPLE = 64;
/** no cap below this, whatever the limits say */
export const MIN_FRAME_CAP_BYTES = 1024 * 1024;
/** a connection keeps at most this many frames' worth of the cap */
export const RETAINED_FRAMES_OF_CAP = 8;

const valueOf = (limits: Partial<Record<LimitKey, number | null>>, key: LimitKey): number => {
  const v = limits[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : limitCatalogue[key].pusher;
};

/**
 * The largest legitimate server frame is an event carrying a full payload, or the presence
 * member list of a full channel (ids and user_info of every member); `multiple` times that.
 */
export function inboundCaps(limits: Partial<Record<LimitKey, number | null>>, multiple: number = DEFAULT_FRAME_CAP_MULTIPLE): InboundCaps {
  const event = valueOf(limits, 'eventDataBytes');
  const members = valueOf(limits, 'presenceMembers') * (valueOf(limits, 'userInfoBytes') + valueOf(limits, 'userIdLength'));
  const largest = Math.max(event, members);
  const maxFrameBytes = Math.max(MIN_FRAME_CAP_BYTES, Math.round(largest * multiple));
  return { maxFrameBytes, maxRetainedBytes: maxFrameBytes * RETAINED_FRAMES_OF_CAP };
}

/** the harness default when the runner gives no caps (the pusher profile's values) */
export const DEFAULT_INBOUND_CAPS: InboundCaps = inboundCaps({}, DEFAULT_FRAME_CAP_MULTIPLE);
