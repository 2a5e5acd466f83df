import type { ClauseDef } from './types.ts';

export const serverToUserClauses = {
  'server-to-user.delivery': {
    area: 'server-to-user',
    level: 'MUST',
    title: 'Delivered to every connection of the user',
    text: 'An event published to the channel #server-to-user-{user_id} MUST reach every connection currently signed in as that user id.',
    sources: [
      { source: 'pusher-docs/server-to-user-messages' },
      { source: 'pusher-http-node/pusher', note: 'sendToUser publishes to #server-to-user-{id}' },
    ],
    impact: 'pusher.user.bind() handlers never fire; notifications sent with sendToUser are lost.',
  },
  'server-to-user.only-that-user': {
    area: 'server-to-user',
    level: 'MUST',
    title: 'Never delivered to anyone else',
    text: 'The server MUST NOT deliver a #server-to-user-{user_id} event to connections that are not signed in as that user id.',
    sources: [{ source: 'pusher-docs/server-to-user-messages' }],
    impact: 'Private notifications leak to other users.',
  },
  'server-to-user.frame-shape': {
    area: 'server-to-user',
    level: 'MUST',
    title: 'Delivered frame names the user channel',
    text: 'The delivered frame MUST carry the published event name, channel set to #server-to-user-{user_id}, and the published data.',
    sources: [{ source: 'pusher-js/user', note: 'routes events of that channel to pusher.user' }],
    impact: 'pusher-js cannot route the event to pusher.user without the channel name.',
  },
  'server-to-user.without-subscription': {
    area: 'server-to-user',
    level: 'SHOULD',
    title: 'Delivered without an explicit subscription',
    text: 'The server SHOULD deliver #server-to-user events to a signed-in connection even when it has not subscribed to its #server-to-user channel.',
    sources: [
      { source: 'pusher-docs/server-to-user-messages', note: 'no subscription is required' },
      { source: 'soketi/ws-handler' },
      { source: 'sockudo/handler' },
    ],
    impact: 'Clients other than pusher-js that sign in but do not subscribe receive nothing.',
  },
  'server-to-user.own-subscription-accepted': {
    area: 'server-to-user',
    level: 'SHOULD',
    title: 'Own user channel subscription accepted',
    text: 'The server SHOULD confirm a subscription to #server-to-user-{id} (sent with an empty auth) from a connection signed in as id, and SHOULD NOT deliver its events twice.',
    sources: [{ source: 'pusher-js/user', note: 'subscribes after signin_success' }],
    impact: 'pusher-js logs a failed subscription after every signin, or shows each user event twice.',
  },
  'server-to-user.foreign-subscription-refused': {
    area: 'server-to-user',
    level: 'MUST',
    title: 'Other users\' channels refused',
    text: 'The server MUST refuse a subscription to #server-to-user-{id} from a connection that is not signed in as id.',
    sources: [
      { source: 'pusher-docs/channels', note: '# names are reserved' },
      { source: 'pusher-docs/server-to-user-messages' },
    ],
    impact: 'Any client could read another user\'s private notifications by subscribing by name.',
  },
  'server-to-user.socket-exclusion': {
    area: 'server-to-user',
    level: 'SHOULD',
    title: 'socket_id exclusion applies',
    text: 'The server SHOULD honour socket_id exclusion on #server-to-user publishes like on any other publish.',
    sources: [{ source: 'pusher-docs/excluding-event-recipients' }],
    impact: 'The tab that caused an action is notified of it anyway.',
  },
  'server-to-user.user-endpoint': {
    area: 'server-to-user',
    level: 'MAY',
    title: 'Dedicated user events endpoint',
    text: 'The server MAY also offer POST /apps/{app}/users/{user_id}/events with body {name, data} as another way to publish to a user.',
    sources: [
      { source: 'vask/events', section: 'Server-to-user events' },
      { source: 'pusher-docs/server-to-user-messages', note: 'Pusher has no such endpoint' },
    ],
    impact: 'None for official SDKs, which use /events with the #server-to-user channel.',
    ambiguity: 'server-to-user-endpoint',
  },
} as const satisfies Record<string, ClauseDef>;
