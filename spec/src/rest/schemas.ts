/** Request and response bodies and query parameters of the REST API. */
import { z } from 'zod';
import { SocketId } from '../identifiers.ts';
import { publish } from '../registry.ts';

const ChannelInfo = z.object({
  user_count: z.number().int().nonnegative().optional(),
  subscription_count: z.number().int().nonnegative().optional(),
});

export const TriggerRequest = publish(
  z
    .object({
      name: z.string().min(1),
      data: z.string(),
      channels: z.array(z.string()).min(1).optional(),
      channel: z.string().optional(),
      socket_id: SocketId.optional(),
      info: z.string().optional(),
    })
    .refine((b) => (b.channels === undefined) !== (b.channel === undefined), 'exactly one of channel and channels'),
  { id: 'TriggerRequest', kind: 'rest-request', description: 'POST /apps/{app_id}/events: one event to one or more channels.' },
);
export type TriggerRequest = z.infer<typeof TriggerRequest>;

export const TriggerResponse = publish(
  z.object({ channels: z.record(z.string(), ChannelInfo).optional() }).strict(),
  { id: 'TriggerResponse', kind: 'rest-response', strictness: 'strict', description: '{} or, with info, the counts per channel.' },
);
export const TriggerResponseLenient = publish(
  z.looseObject({ channels: z.record(z.string(), ChannelInfo).optional() }),
  { id: 'TriggerResponseLenient', kind: 'rest-response', strictness: 'lenient', description: 'Any JSON object (soketi answers {"ok":true}).' },
);

export const BatchEvent = z.object({
  name: z.string().min(1),
  data: z.string(),
  channel: z.string(),
  socket_id: SocketId.optional(),
  info: z.string().optional(),
});
export type BatchEvent = z.infer<typeof BatchEvent>;
export const BatchRequest = publish(
  z.object({ batch: z.array(BatchEvent).min(1) }),
  { id: 'BatchRequest', kind: 'rest-request', description: 'POST /apps/{app_id}/batch_events: several events, each to one channel.' },
);
export type BatchRequest = z.infer<typeof BatchRequest>;

export const BatchResponse = publish(
  z.object({ batch: z.array(ChannelInfo).optional() }).strict(),
  { id: 'BatchResponse', kind: 'rest-response', strictness: 'strict', description: '{} or, with info, counts index-aligned with the request.' },
);

export const ChannelsQuery = publish(
  z.object({ filter_by_prefix: z.string().optional(), info: z.string().optional() }),
  { id: 'ChannelsQuery', kind: 'rest-query', description: 'GET /apps/{app_id}/channels query: prefix filter and info=user_count (presence- filter only).' },
);
export const ChannelsResponse = publish(
  z.object({ channels: z.record(z.string(), ChannelInfo) }),
  { id: 'ChannelsResponse', kind: 'rest-response', description: 'Occupied channels, each with the requested attributes.' },
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
  { id: 'ChannelResponse', kind: 'rest-response', description: 'One channel: occupied and the requested attributes.' },
);
export type ChannelResponse = z.infer<typeof ChannelResponse>;

export const UsersResponse = publish(
  z.object({ users: z.array(z.object({ id: z.string() })) }),
  { id: 'UsersResponse', kind: 'rest-response', description: 'Distinct user ids of a presence channel.' },
);
export type UsersResponse = z.infer<typeof UsersResponse>;

export const TerminateConnectionsResponse = publish(
  z.object({}).strict(),
  { id: 'TerminateConnectionsResponse', kind: 'rest-response', strictness: 'strict', description: 'POST /apps/{app_id}/users/{user_id}/terminate_connections answers {}.' },
);

export const UserEventRequest = publish(
  z.object({ name: z.string().min(1), data: z.string() }),
  { id: 'UserEventRequest', kind: 'rest-request', description: 'Vask: POST /apps/{app_key}/users/{user_id}/events.' },
);
export type UserEventRequest = z.infer<typeof UserEventRequest>;

/** Error bodies vary (Pusher sends text, soketi and Sockudo JSON); any of these is accepted. */
export const RestErrorBody = publish(
  z.union([z.looseObject({ error: z.string().optional(), message: z.string().optional() }), z.string()]),
  { id: 'RestErrorBody', kind: 'rest-response', description: 'Error response body: plain text or a JSON object with error/message.' },
);

export const AuthQuery = publish(
  z.object({
    auth_key: z.string().min(1),
    auth_timestamp: z.string().regex(/^\d+$/),
    auth_version: z.literal('1.0'),
    body_md5: z.string().regex(/^[0-9a-f]{32}$/).optional(),
    auth_signature: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  { id: 'AuthQuery', kind: 'rest-query', description: 'Request-signing query parameters present on every REST call.' },
);
