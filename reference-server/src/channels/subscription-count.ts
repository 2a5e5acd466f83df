/**
 * `pusher_internal:subscription_count`: the number of subscribers, broadcast after each change
 * on apps that enable it, throttled on busy channels.
 * @module
 */
import { Event } from '../../../spec/src/events.ts';
import { WebhookEventName } from '../../../spec/src/webhooks.ts';
import type { AppRuntime } from '../app-runtime.ts';
import type { Channel } from './channel.ts';
import { broadcast } from './publish.ts';

/** Call after every subscribe and unsubscribe on `channel`. */
export function subscriptionCountChanged(app: AppRuntime, channel: Channel): void {
  if (!app.config.subscriptionCount) return;
  // clause: subscription-count.not-presence
  if (channel.isPresence && !app.faults.has('subscription-count-on-presence')) return;
  if (app.faults.has('subscription-count-never-sent')) return;
  if (channel.subscribers.size === 0) return;

  const now = Date.now();
  const intervalMs = app.limits.subscriptionCountIntervalSeconds * 1000;
  // clause: subscription-count.throttle-above-100 (above the threshold: one update per interval, plus a trailing one)
  if (clusterCount(app, channel) > app.limits.subscriptionCountThreshold && now - channel.countSentAt < intervalMs) {
    channel.countTimer ??= setTimeout(() => {
      channel.countTimer = undefined;
      sendCount(app, channel);
    }, channel.countSentAt + intervalMs - now);
    return;
  }
  sendCount(app, channel);
}

/** Subscribers of the channel on this node and, in a cluster, on every other node. */
export function clusterCount(app: AppRuntime, channel: Channel): number {
  return channel.subscribers.size + (app.cluster?.remoteSubscribers(channel.name) ?? 0);
}

function sendCount(app: AppRuntime, channel: Channel): void {
  if (channel.subscribers.size === 0) return;
  channel.countSentAt = Date.now();
  const count = clusterCount(app, channel) + (app.faults.has('subscription-count-off-by-one') ? 1 : 0);
  // clause: subscription-count.on-change
  broadcast(channel, JSON.stringify({ event: Event.SubscriptionCount, channel: channel.name, data: JSON.stringify({ subscription_count: count }) }));
  app.emit({ name: WebhookEventName.SubscriptionCount, channel: channel.name, subscription_count: count });
}
