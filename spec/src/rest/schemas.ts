/**
 * Request and response bodies and query parameters of the REST API.
 *
 * Requests come in two forms: the strict one is what a conforming publisher sends (names and
 * counts within Pusher's limits); the lenient one is what a server reads before it judges names
 * and counts against its own profile, which may allow more (spec/src/profiles.ts).
 * Success bodies: the strict one is what Pusher documents; the lenient one accepts the extensions
 * servers answer with (soketi's {"ok":true}, Reverb's {"batch":{}}; ambiguities rest-success-body
 * and terminate-response-body) but never an error body: a body with an `error` or `message`
 * member is RestErrorBody, whatever its HTTP status (soketi answers some errors with 200).
 * @module
 */
import { z } from 'zod';
import { ChannelName, PublishedEventName, SocketId } from '../identifiers.ts';
import { limits } from '../limits.ts';
import { publish } from '../registry.ts';

const { channelsPerTrigger, batchSize } = limits;

const ChannelInfo = z.object({
  user_count: z.number().int().nonnegative().optional(),
  subscription_count: z.number().int().nonnegative().optional(),
});

/** Members whose presence makes a body an error body (RestErrorBody), not a success. */
const notAnError = {
  error: z.never().optional(),
  message: z.never().optional(),
};

/**
 * One publish: `channel` or `channels`, exactly one of them (a oneOf in JSON Schema). Each form
 * forbids the other member, so the two branches never both match.
 */
function triggerRequest(names: { event: z.ZodType<string>; channel: z.ZodType<string>; maxChannels?: number }) {
  const base = {
    name: names.event,
    data: z.string(),
    socket_id: SocketId.optional(),
    info: z.string().optional(),
  };
  const channels = z.array(names.channel).min(1);
  return z.xor([
    z.object({ ...base, channel: names.channel, channels: z.never().optional() }),
    z.object({ ...base, channels: names.maxChannels === undefined ? channels : channels.max(names.maxChannels), channel: z.never().optional() }),
  ]);
}

export const TriggerRequest = publish(
  triggerRequest({ event: PublishedEventName, channel: ChannelName, maxChannels: channelsPerTrigger.pusher }),
  {
    id: 'TriggerRequest', kind: 'rest-request', strictness: 'strict',
    description: `POST /apps/{app_id}/events: one event to one channel or to 1..${channelsPerTrigger.pusher} channels (${channelsPerTrigger.title}, Pusher's value; profiles may differ), exactly one of channel and channels.`,
  },
);
export type TriggerRequest = z.infer<typeof TriggerRequest>;
export const TriggerRequestLenient = publish(
  triggerRequest({ event: z.string().min(1), channel: z.string() }),
  { id: 'TriggerRequestLenient', kind: 'rest-request', strictness: 'lenient', description: 'POST /apps/{app_id}/events as a server reads it before judging names and counts against its profile.' },
);

export const TriggerResponse = publish(
  z.object({ channels: z.record(z.string(), ChannelInfo).optional() }).strict(),
  { id: 'TriggerResponse', kind: 'rest-response', strictness: 'strict', description: '{} or, with info, the counts per channel.' },
);
export const TriggerResponseLenient = publish(
  z.looseObject({ channels: z.record(z.string(), ChannelInfo).optional(), ok: z.literal(true).optional(), ...notAnError }),
  { id: 'TriggerResponseLenient', kind: 'rest-response', strictness: 'lenient', description: 'A success body with extensions: extra members such as soketi\'s {"ok":true} pass; a body with an error or message member is an error body, not a success, whatever the HTTP status.' },
);

function batchEvent(names: { event: z.ZodType<string>; channel: z.ZodType<string> }) {
  return z.object({
    name: names.event,
    data: z.string(),
    channel: names.channel,
    socket_id: SocketId.optional(),
    info: z.string().optional(),
  });
}
export const BatchEvent = batchEvent({ event: PublishedEventName, channel: ChannelName });
export type BatchEvent = z.infer<typeof BatchEvent>;
export const BatchRequest = publish(
  z.object({ batch: z.array(BatchEvent).min(1).max(batchSize.pusher) }),
  {
    id: 'BatchRequest', kind: 'rest-request', strictness: 'strict',
    description: `POST /apps/{app_id}/batch_events: 1..${batchSize.pusher} events (${batchSize.title}, Pusher's value; profiles may differ), each to one channel.`,
  },
);
export type BatchRequest = z.infer<typeof BatchRequest>;
export const BatchRequestLenient = publish(
  z.object({ batch: z.array(batchEvent({ event: z.string().min(1), channel: z.string() })).min(1) }),
  { id: 'BatchRequestLenient', kind: 'rest-request', strictness: 'lenient', description: 'POST /apps/{app_id}/batch_events as a server reads it before judging names and the batch size against its profile.' },
);

export const BatchResponse = publish(
  z.object({ batch: z.array(ChannelInfo).optional() }).strict(),
  { id: 'BatchResponse', kind: 'rest-response', strictness: 'strict', description: '{} or, with info, counts index-aligned with the request.' },
);
export const BatchResponseLenient = publish(
  z.looseObject({ batch: z.union([z.array(ChannelInfo), z.record(z.string(), ChannelInfo)]).optional(), ok: z.literal(true).optional(), ...notAnError }),
  { id: 'BatchResponseLenient', kind: 'rest-response', strictness: 'lenient', description: 'A batch success body with extensions: soketi\'s {"ok":true}, Reverb\'s {"batch":{}} pass; a body with an error or message member is an error body, not a success.' },
);

export const ChannelsQuery = publish(
  z.object({ filter_by_prefix: z.string().optional(), info: z.string().optional() }),
  { id: 'ChannelsQuery', kind: 'rest-query', description: 'GET /apps/{app_id}/channels query: prefix filter and info=user_count (presence- filter only).' },
);
export const ChannelsResponse = publish(
  z.object({ channels: z.record(z.string(), ChannelInfo) }),
  { id: 'ChannelsResponse', kind: 'rest-response', description: 'Occupied channels, each with the requested attributes. One form for every server: the required channels member already tells an error body from a success, and extra members pass (soketi adds occupied to each channel).' },
);
export type ChannelsResponse = z.infer<typeof ChannelsResponse>;

export const ChannelQuery = publish(
  z.object({ info: z.string().optional() }),
  { id: 'ChannelQuery', kind: 'rest-query', description: 'GET /apps/{app_id}/channels/{name} query: info=user_count,subscription_count,cache.' },
);
export const CacheInfo = z.object({ data: z.string(), ttl: z.number().nonnegative() });
export const ChannelResponse = publish(
  z.object({
    occupied: z.boolean(),
    user_count: z.number().int().nonnegative().optional(),
    subscription_count: z.number().int().nonnegative().optional(),
    cache: CacheInfo.nullable().optional(),
  }),
  { id: 'ChannelResponse', kind: 'rest-response', description: 'One channel: occupied and the requested attributes. One form: the required occupied member tells an error body from a success; extra members pass.' },
);
export type ChannelResponse = z.infer<typeof ChannelResponse>;

export const UsersResponse = publish(
  z.object({ users: z.array(z.object({ id: z.string() })) }),
  { id: 'UsersResponse', kind: 'rest-response', description: 'Distinct user ids of a presence channel. One form: the required users member tells an error body from a success.' },
);
export type UsersResponse = z.infer<typeof UsersResponse>;

export const TerminateConnectionsRequest = publish(
  z.object({}).strict(),
  { id: 'TerminateConnectionsRequest', kind: 'rest-request', description: 'POST /apps/{app_id}/users/{user_id}/terminate_connections: the body is {} (the server SDKs sign "{}").' },
);
export const TerminateConnectionsResponse = publish(
  z.object({}).strict(),
  { id: 'TerminateConnectionsResponse', kind: 'rest-response', strictness: 'strict', description: 'POST /apps/{app_id}/users/{user_id}/terminate_connections answers {}.' },
);
export const TerminateConnectionsResponseLenient = publish(
  z.looseObject({ ok: z.literal(true).optional(), ...notAnError }),
  { id: 'TerminateConnectionsResponseLenient', kind: 'rest-response', strictness: 'lenient', description: 'terminate_connections success with extensions: soketi\'s and Sockudo\'s {"ok":true} pass (ambiguity terminate-response-body); a body with an error or message member is an error body.' },
);

export const UserEventRequest = publish(
  z.object({ name: PublishedEventName, data: z.string() }),
  { id: 'UserEventRequest', kind: 'rest-request', strictness: 'strict', description: 'Vask: POST /apps/{app_key}/users/{user_id}/events.' },
);
export type UserEventRequest = z.infer<typeof UserEventRequest>;
export const UserEventRequestLenient = publish(
  z.object({ name: z.string().min(1), data: z.string() }),
  { id: 'UserEventRequestLenient', kind: 'rest-request', strictness: 'lenient', description: 'Vask: POST /apps/{app_key}/users/{user_id}/events as a server reads it before judging the name against its profile.' },
);

/** Error bodies vary (Pusher sends text, soketi and Sockudo {"error", "code"}, Laravel-based servers {"message"}). */
export const RestErrorBody = publish(
  z.union([z.looseObject({ error: z.string() }), z.looseObject({ message: z.string() }), z.string()]),
  { id: 'RestErrorBody', kind: 'rest-response', description: 'Error response body: plain text, or a JSON object with an error or a message string (soketi adds "code").' },
);

export const AuthQuery = publish(
  z.object({
    auth_key: z.string().min(1),
    auth_timestamp: z.string().regex(/^[0-9]+$/),
    auth_version: z.literal('1.0'),
    body_md5: z.string().regex(/^[0-9a-f]{32}$/).optional(),
    auth_signature: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  { id: 'AuthQuery', kind: 'rest-query', description: 'Request-signing query parameters present on every REST call.' },
);
