/**
 * Joining and leaving channels, with the occupancy webhooks and the subscription count.
 * @module
 */
import { WebhookEventName } from '../../../spec/src/webhooks.ts';
import type { AppRuntime } from '../app-runtime.ts';
import type { Connection } from '../connection.ts';
import type { Channel } from './channel.ts';
import { leavePresence } from './presence.ts';
import { subscriptionCountChanged } from './subscription-count.ts';

/** Make `conn` a subscriber; the first subscriber occupies the channel. */
export function addSubscriber(app: AppRuntime, channel: Channel, conn: Connection): void {
  const first = channel.subscribers.size === 0;
  channel.subscribers.add(conn);
  conn.subscriptions.add(channel.name);
  app.cluster?.shareChanged(channel);
  // clause: cluster.webhooks-once (in a cluster the occupancy of the whole cluster decides)
  if (first && app.cluster) app.cluster.occupancy(channel.name, true);
  else if (first) {
    // clause: webhooks.grace-delay (back within the grace window: neither vacated nor occupied)
    if (!app.cancelPending({ name: WebhookEventName.ChannelVacated, channel: channel.name })) {
      // clause: webhooks.channel-occupied
      app.emit({ name: WebhookEventName.ChannelOccupied, channel: channel.name });
    }
  }
}

/** Remove `conn` from one channel, as an unsubscribe does; the last one vacates it. */
export function removeSubscriber(app: AppRuntime, channel: Channel, conn: Connection): void {
  if (!channel.subscribers.delete(conn)) return;
  conn.subscriptions.delete(channel.name);
  if (channel.isPresence) leavePresence(app, channel, conn);
  app.cluster?.shareChanged(channel);
  if (channel.subscribers.size > 0) {
    subscriptionCountChanged(app, channel);
    return;
  }
  // clause: webhooks.channel-vacated
  if (app.cluster) app.cluster.occupancy(channel.name, false);
  else app.emit({ name: WebhookEventName.ChannelVacated, channel: channel.name });
  // clause: rest.channels-list
  if (!app.faults.has('channels-list-includes-vacated') && !app.faults.has('channels-list-phantom')) app.channels.release(channel);
}

/** A closed connection leaves every channel it had joined. */
export function leaveAll(app: AppRuntime, conn: Connection): void {
  // clause: connection.close-releases-state
  if (app.faults.has('leak-on-disconnect')) return;
  for (const name of [...conn.subscriptions]) {
    const channel = app.channels.get(name);
    if (channel) removeSubscriber(app, channel, conn);
  }
}
