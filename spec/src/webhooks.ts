/**
 * Webhooks: the envelope, every event type and the headers.
 * @module
 */
import { z } from 'zod';
import { AnyClientEventName, PresenceUserId, SocketId } from './identifiers.ts';
import { publish } from './registry.ts';

export const WebhookEventName = {
  ChannelOccupied: 'channel_occupied',
  ChannelVacated: 'channel_vacated',
  MemberAdded: 'member_added',
  MemberRemoved: 'member_removed',
  ClientEvent: 'client_event',
  CacheMiss: 'cache_miss',
  SubscriptionCount: 'subscription_count',
} as const;
export type WebhookEventName = (typeof WebhookEventName)[keyof typeof WebhookEventName];
export const webhookEventNames = Object.values(WebhookEventName);

export const WEBHOOK_CONTENT_TYPE = 'application/json';

// the docs show strings; numeric presence ids may surface as numbers
const userId = PresenceUserId;

export const ChannelOccupiedEvent = z.object({ name: z.literal(WebhookEventName.ChannelOccupied), channel: z.string() });
export const ChannelVacatedEvent = z.object({ name: z.literal(WebhookEventName.ChannelVacated), channel: z.string() });
export const MemberAddedEvent = z.object({ name: z.literal(WebhookEventName.MemberAdded), channel: z.string(), user_id: userId });
export const MemberRemovedEvent = z.object({ name: z.literal(WebhookEventName.MemberRemoved), channel: z.string(), user_id: userId });
export const ClientEventEvent = z.object({
  name: z.literal(WebhookEventName.ClientEvent),
  channel: z.string(),
  event: AnyClientEventName,
  data: z.string(),
  socket_id: SocketId,
  user_id: userId.optional(),
});
export const CacheMissEvent = z.object({ name: z.literal(WebhookEventName.CacheMiss), channel: z.string() });
export const SubscriptionCountEvent = z.object({
  name: z.literal(WebhookEventName.SubscriptionCount),
  channel: z.string(),
  subscription_count: z.number().int().nonnegative(),
});

export const WebhookEvent = publish(
  z.discriminatedUnion('name', [
    ChannelOccupiedEvent,
    ChannelVacatedEvent,
    MemberAddedEvent,
    MemberRemovedEvent,
    ClientEventEvent,
    CacheMissEvent,
    SubscriptionCountEvent,
  ]),
  { id: 'WebhookEvent', kind: 'webhook', description: 'One webhook event, discriminated by name.' },
);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

export const WebhookBody = publish(
  z.object({ time_ms: z.number().int().positive(), events: z.array(WebhookEvent).min(1) }),
  { id: 'WebhookBody', kind: 'webhook', description: 'POSTed JSON: creation time in Unix ms and one or more events.' },
);
export type WebhookBody = z.infer<typeof WebhookBody>;
