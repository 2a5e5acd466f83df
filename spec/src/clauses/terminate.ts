import type { ClauseDef } from './types.ts';

export const terminateClauses = {
  'terminate.closes-signed-in': {
    area: 'terminate',
    level: 'MUST',
    title: 'Closes every signed-in connection of the user',
    text: 'POST /apps/{app_id}/users/{user_id}/terminate_connections MUST close every connection signed in as that user id, on every node of the server.',
    sources: [
      { source: 'pusher-docs/terminating-user-connections' },
      { source: 'pusher-docs/rest-api', section: 'Terminate user connections' },
      { source: 'pusher-http-node/pusher', note: 'terminateUserConnections' },
    ],
    impact: 'Banned or logged-out users keep receiving events.',
  },
  'terminate.only-that-user': {
    area: 'terminate',
    level: 'MUST',
    title: 'Other users untouched',
    text: 'The server MUST NOT close connections of other users when terminating one user.',
    sources: [{ source: 'pusher-docs/terminating-user-connections' }],
    impact: 'Innocent users are disconnected.',
  },
  'terminate.presence-only-untouched': {
    area: 'terminate',
    level: 'MUST',
    title: 'Presence-only connections untouched',
    text: 'The server MUST NOT close a connection that is only a presence member with that user_id but has not signed in as that user.',
    sources: [
      { source: 'pusher-docs/terminating-user-connections', note: 'only connections that completed signin' },
      { source: 'reverb/http-controllers', note: 'disconnects by presence user_id' },
    ],
    impact: 'The effect of terminate becomes dependent on which presence channels the user had joined.',
  },
  'terminate.response': {
    area: 'terminate',
    level: 'MUST',
    title: 'Terminate answers 200 with a JSON object',
    text: 'The server MUST answer a valid terminate request with status 200 and a JSON object body ({} in Pusher\'s documentation).',
    sources: [
      { source: 'pusher-docs/rest-api', section: 'Terminate user connections' },
      { source: 'soketi/http-handler', note: '{"ok":true}' },
    ],
    impact: 'pusher-http-node rejects the promise on non-2xx; backends treat the termination as failed and retry.',
    ambiguity: 'terminate-response-body',
  },
  'terminate.unknown-user': {
    area: 'terminate',
    level: 'SHOULD',
    title: 'Unknown user is not an error',
    text: 'The server SHOULD answer 200 when the user id has no connections.',
    sources: [{ source: 'pusher-docs/rest-api', section: 'Terminate user connections' }],
    impact: 'Logout flows that always call terminate would report spurious errors.',
  },
  'terminate.fatal-close-code': {
    area: 'terminate',
    level: 'SHOULD',
    title: 'Terminated clients do not reconnect',
    text: 'The server SHOULD close terminated connections with a code from 4000 to 4099 (4009 is common), so that clients do not reconnect by themselves.',
    sources: [
      { source: 'pusher-js/protocol', section: 'getCloseAction' },
      { source: 'soketi/ws-handler', note: '4009 "You got disconnected by the app."' },
      { source: 'sockudo/handler' },
    ],
    impact: 'After a 1000/1006 close pusher-js reconnects and signs in again at once, undoing the termination.',
  },
  'terminate.presence-cleanup': {
    area: 'terminate',
    level: 'MUST',
    title: 'Terminated connections leave their channels',
    text: 'The server MUST treat terminated connections as closed: remaining presence members get member_removed when the user has no other connection left.',
    sources: [
      { source: 'pusher-docs/terminating-user-connections' },
      { source: 'pusher-docs/presence-channels' },
    ],
    impact: 'A terminated user stays visible in every roster.',
  },
} as const satisfies Record<string, ClauseDef>;
