import { DEAD_NODE_CLEANUP_MS } from '../cluster.ts';
import type { ClauseDef } from './types.ts';

/**
 * What a deployment of several nodes behind one address must keep: a client cannot choose its
 * node, so every behaviour of the single-node clauses must hold whichever nodes the connections
 * and REST calls reach.
 */
export const clusterClauses = {
  'cluster.events-every-node': {
    area: 'cluster',
    level: 'MUST',
    title: 'Published events reach every node',
    text: 'An event published through the REST API on any node MUST be delivered exactly once to every subscriber of the channel, whichever node that subscriber is connected to.',
    sources: [
      { source: 'pusher-docs/events', note: 'an event is sent to every subscriber of the channel' },
      { source: 'kit/soketi-peer', note: 'soketi joins nodes through its Redis adapter for this' },
    ],
    impact: 'Users behind a load balancer see a random subset of the updates: those that happened to land on their node.',
  },
  'cluster.client-events-every-node': {
    area: 'cluster',
    level: 'MUST',
    title: 'Client events reach every node',
    text: 'A client event sent on one node MUST be relayed exactly once to every other subscriber of the channel on every node, and never back to its sender.',
    sources: [{ source: 'pusher-docs/events', section: 'Triggering client events' }],
    impact: 'Typing indicators and cursors work only between users who share a node.',
  },
  'cluster.socket-id-exclusion': {
    area: 'cluster',
    level: 'MUST',
    title: 'socket_id exclusion on any node',
    text: 'A publish with a socket_id MUST NOT be delivered to that connection even when the publish reaches another node than the excluded connection.',
    sources: [{ source: 'pusher-docs/excluding-event-recipients' }],
    impact: 'The sender of an action receives its own echo and applies it twice (duplicate chat messages).',
  },
  'cluster.presence-cluster-wide': {
    area: 'cluster',
    level: 'MUST',
    title: 'Presence membership is cluster-wide',
    text: 'A presence channel MUST list every user subscribed on any node, once; member_added MUST be sent once per user however many nodes its connections are on, and member_removed only when its last connection on any node leaves.',
    sources: [
      { source: 'pusher-docs/presence-channels' },
      { source: 'pusher-js/members', note: 'the client keeps one entry per user_id and trusts the events' },
    ],
    impact: 'Users appear twice, vanish while still online, or are never seen by users on another node.',
  },
  'cluster.rest-queries-cluster-wide': {
    area: 'cluster',
    level: 'MUST',
    title: 'REST queries answer for the whole cluster',
    text: 'GET /channels, GET /channels/{name} (occupied, user_count, subscription_count) and GET /channels/{name}/users MUST give the same answer from every node, counting the subscribers and members of all nodes.',
    sources: [{ source: 'pusher-docs/rest-api', section: 'Channels' }],
    impact: 'Dashboards and backends that poll the API see a fraction of the traffic and make wrong decisions (for example stop a stream that still has viewers).',
  },
  'cluster.cache-shared': {
    area: 'cluster',
    level: 'MUST',
    title: 'Cache channels replay across nodes',
    text: 'A subscriber to a cache channel MUST get the last event published to it within the TTL whichever node received the publish, and MUST get pusher:cache_miss from no node while such an event exists.',
    sources: [{ source: 'pusher-docs/cache-channels' }],
    impact: 'New viewers on another node start with empty state although the current state exists.',
  },
  'cluster.users-every-node': {
    area: 'cluster',
    level: 'MUST',
    title: 'User features reach every node',
    text: 'Server-to-user events and terminate_connections MUST reach the user\'s connections on every node, and watchlist online/offline events MUST follow the user\'s connections on all nodes (online on the first anywhere, offline after the last anywhere).',
    sources: [
      { source: 'pusher-docs/server-to-user-messages' },
      { source: 'pusher-docs/terminating-user-connections' },
      { source: 'pusher-docs/watchlist-events' },
    ],
    impact: 'A banned user keeps the connection that sits on another node; friends lists flap online and offline as the user moves between nodes.',
  },
  'cluster.webhooks-once': {
    area: 'cluster',
    level: 'MUST',
    title: 'Occupancy and member webhooks once per cluster',
    text: 'channel_occupied and channel_vacated MUST be sent once per change of the channel\'s occupancy across the whole cluster, and member_added / member_removed once per change of the user\'s presence across the cluster, not once per node.',
    sources: [
      { source: 'pusher-docs/webhooks', section: 'Channel existence events' },
      { source: 'pusher-docs/webhooks', section: 'Presence events' },
    ],
    impact: 'A backend that counts live rooms or online users from webhooks sees rooms vacated that still have users and users that left twice.',
  },
  'cluster.dead-node-members-removed': {
    area: 'cluster',
    level: 'SHOULD',
    title: 'A dead node\'s members are removed',
    text: `When a node dies without closing its connections, the surviving nodes SHOULD, within ${DEAD_NODE_CLEANUP_MS / 1000} seconds, send member_removed for every user whose last connection was on it and drop its subscribers and members from member lists and REST answers.`,
    sources: [
      { source: 'pusher-docs/presence-channels', note: 'member_removed when a user leaves; a dead node\'s users have left' },
      { source: 'kit/positions', note: 'the bound is the kit\'s position; no source gives a number' },
    ],
    impact: 'Ghost users stay online forever after a node crash or a deploy that kills nodes.',
  },
} as const satisfies Record<string, ClauseDef>;
