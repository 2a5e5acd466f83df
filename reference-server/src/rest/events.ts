/**
 * Publishing: POST /events, POST /batch_events and the Vask POST /users/{id}/events.
 * Every check happens before anything is delivered, so a refused request has no effect.
 * @module
 */
import { isReservedEventName } from '../../../spec/src/events.ts';
import { ChannelPrefix, channelKind, isValidChannelName, serverToUserChannel, UserId, userIdOfServerToUserChannel } from '../../../spec/src/identifiers.ts';
import { InfoAttribute, parseInfo, RestStatus } from '../../../spec/src/rest/endpoints.ts';
// the lenient request forms: names and counts are judged below against the app's limits, not Pusher's
import { BatchRequestLenient, TriggerRequestLenient, UserEventRequestLenient } from '../../../spec/src/rest/schemas.ts';
import type { AppRuntime } from '../app-runtime.ts';
import { publishServerEvent } from '../channels/publish.ts';
import { restSubscribers, restUserCount } from '../cluster/rest-view.ts';
import { parseJsonBody, RestError } from './http.ts';

type ChannelInfo = { user_count?: number; subscription_count?: number };

export function trigger(app: AppRuntime, body: Buffer): object {
  const req = parseJsonBody(TriggerRequestLenient, body);
  const channels = [...new Set(req.channels ?? (req.channel !== undefined ? [req.channel] : []))];
  const { limits, faults } = app;
  const maxChannels = limits.channelsPerTrigger + (faults.has('channels-per-trigger-off-by-one') ? 1 : 0);
  if (channels.length > maxChannels) {
    // clause: limits.channels-per-trigger
    throw new RestError(RestStatus.BadRequest, `A publish may target at most ${limits.channelsPerTrigger} channels; got ${channels.length}`, 'limits.channels-per-trigger');
  }
  checkEvent(app, req.name, req.data);
  for (const channel of channels) checkChannel(app, channel);
  if (channels.length > 1 && channels.some((c) => channelKind(c).type === 'encrypted')) {
    // clause: encrypted.multi-channel-publish (refused: each encrypted channel needs its own ciphertext)
    if (faults.has('multi-channel-partial-delivery')) {
      for (const channel of channels.filter((c) => channelKind(c).type !== 'encrypted')) publishServerEvent(app, { channel, event: req.name, data: req.data, excludeSocketId: req.socket_id });
    }
    throw new RestError(RestStatus.BadRequest, 'A publish to several channels may not include a private-encrypted- channel', 'encrypted.multi-channel-publish');
  }
  for (const channel of channels) {
    // clause: rest.trigger-channel / rest.trigger-channels
    publishServerEvent(app, { channel, event: req.name, data: req.data, excludeSocketId: req.socket_id });
  }
  const info = parseInfo(req.info);
  // clause: rest.trigger-info
  if (info.length === 0 || faults.has('rest-info-ignored')) return {};
  return { channels: Object.fromEntries(channels.map((c) => [c, channelInfo(app, c, info)])) };
}

export function batchTrigger(app: AppRuntime, body: Buffer): object {
  const { batch } = parseJsonBody(BatchRequestLenient, body);
  const { limits, faults } = app;
  const maxBatch = limits.batchSize + (faults.has('batch-size-off-by-one') ? 1 : 0);
  if (batch.length > maxBatch) {
    // clause: limits.batch-size
    throw new RestError(RestStatus.BadRequest, `A batch may hold at most ${limits.batchSize} events; got ${batch.length}`, 'limits.batch-size');
  }
  batch.forEach((item, i) => {
    try {
      // clause: limits.payload-size (each batch item, as a single publish)
      checkEvent(app, item.name, item.data, !faults.has('batch-payload-unchecked'));
      checkChannel(app, item.channel);
    } catch (e) {
      if (e instanceof RestError) throw new RestError(e.status, `batch[${i}]: ${e.message}`, e.clause);
      throw e;
    }
  });
  for (const item of batch) {
    // clause: rest.batch-events / rest.socket-id-exclusion
    const excludeSocketId = faults.has('batch-socket-id-ignored') ? undefined : item.socket_id;
    publishServerEvent(app, { channel: item.channel, event: item.name, data: item.data, excludeSocketId });
  }
  // clause: rest.batch-info (index-aligned; {} for items without info)
  if (!batch.some((item) => parseInfo(item.info).length > 0) || faults.has('rest-info-ignored')) return {};
  return { batch: batch.map((item) => channelInfo(app, item.channel, parseInfo(item.info))) };
}

/** Vask dialect: {name, data} to every connection signed in as the user. */
export function userEvent(app: AppRuntime, userId: string, body: Buffer): object {
  const req = parseJsonBody(UserEventRequestLenient, body);
  if (!UserId.safeParse(userId).success) {
    throw new RestError(RestStatus.BadRequest, `Invalid user id ${JSON.stringify(userId)}`, 'server-to-user.user-endpoint');
  }
  checkEvent(app, req.name, req.data);
  // clause: server-to-user.user-endpoint
  publishServerEvent(app, { channel: serverToUserChannel(userId), event: req.name, data: req.data });
  return {};
}

function checkEvent(app: AppRuntime, name: string, data: string, checkSize = true): void {
  const { limits, faults } = app;
  if (isReservedEventName(name)) {
    // clause: rest.event-name-reserved
    throw new RestError(RestStatus.BadRequest, `Event name ${JSON.stringify(name)} uses a reserved prefix`, 'rest.event-name-reserved');
  }
  const maxName = limits.eventNameLength + (faults.has('event-name-limit-off-by-one') ? 1 : 0);
  // clause: limits.event-name-length (characters, not UTF-8 bytes)
  const nameLength = faults.has('event-name-limit-bytes') ? Buffer.byteLength(name) : name.length;
  if (nameLength > maxName) {
    throw new RestError(RestStatus.BadRequest, `Event name is ${nameLength} characters; the limit is ${limits.eventNameLength}`, 'limits.event-name-length');
  }
  const bytes = Buffer.byteLength(data);
  const maxBytes = limits.eventDataBytes + (faults.has('payload-limit-off-by-one') ? 1 : 0);
  if (checkSize && bytes > maxBytes) {
    // clause: limits.payload-size
    const status = faults.has('payload-too-large-400') ? RestStatus.BadRequest : RestStatus.PayloadTooLarge;
    throw new RestError(status, `Event data is ${bytes} bytes; the limit is ${limits.eventDataBytes}`, 'limits.payload-size');
  }
}

/** A channel name a publish may target, as in subscribe; #server-to-user-{id} included. */
export function channelNameAllowed(app: AppRuntime, name: string): boolean {
  const { limits, faults } = app;
  const max = limits.channelNameLength + (faults.has('channel-name-limit-off-by-one') ? 1 : 0);
  const userId = userIdOfServerToUserChannel(name);
  if (userId !== undefined) return name.length <= max && UserId.safeParse(userId).success;
  return isValidChannelName(name, max);
}

function checkChannel(app: AppRuntime, name: string): void {
  if (!channelNameAllowed(app, name)) {
    // clause: limits.channel-name-length / subscription.channel-name-invalid
    throw new RestError(RestStatus.BadRequest, `Invalid channel name ${JSON.stringify(name)}: 1 to ${app.limits.channelNameLength} characters of A-Za-z0-9_-=@,.; (or ${ChannelPrefix.ServerToUser}{id})`, 'limits.channel-name-length');
  }
}

/** The requested attributes that apply to a channel (publish info never fails on them). */
function channelInfo(app: AppRuntime, name: string, info: readonly string[]): ChannelInfo {
  const out: ChannelInfo = {};
  const presence = channelKind(name).type === 'presence';
  if (info.includes(InfoAttribute.UserCount) && presence) out.user_count = restUserCount(app, name);
  if (info.includes(InfoAttribute.SubscriptionCount) && !presence && app.config.subscriptionCount) {
    out.subscription_count = restSubscribers(app, name);
  }
  return out;
}
