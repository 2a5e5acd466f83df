import type { ClauseDef } from './types.ts';

export const watchlistClauses = {
  'watchlist.online': {
    area: 'watchlist',
    level: 'MUST',
    title: 'online when a watched user signs in',
    text: 'When a user in a signed-in connection\'s watchlist signs in on their first connection, the server MUST send that connection a watchlist event named online listing the user id.',
    sources: [
      { source: 'pusher-docs/watchlist-events' },
      { source: 'pusher-js/watchlist' },
    ],
    impact: 'pusher.user.watchlist online handlers never fire; friend lists never show anyone coming online.',
  },
  'watchlist.offline': {
    area: 'watchlist',
    level: 'MUST',
    title: 'offline when a watched user leaves',
    text: 'When the last signed-in connection of a watched user closes, the server MUST send the watchers a watchlist event named offline listing the user id.',
    sources: [{ source: 'pusher-docs/watchlist-events' }],
    impact: 'Users stay shown as online forever.',
  },
  'watchlist.initial-state': {
    area: 'watchlist',
    level: 'SHOULD',
    title: 'Current state after signin',
    text: 'After a signin with a watchlist, the server SHOULD send an online event listing the watched users who are already online.',
    sources: [
      { source: 'pusher-docs/watchlist-events', note: 'defines online status' },
      { source: 'kit/positions', note: 'the timing of the first report is our reading' },
    ],
    impact: 'A fresh page cannot tell who is online until each watched user reconnects.',
  },
  'watchlist.wire-shape': {
    area: 'watchlist',
    level: 'MUST',
    title: 'pusher_internal:watchlist_events shape',
    text: 'Watchlist notifications MUST be sent as pusher_internal:watchlist_events whose data holds events, an array of {name: "online" | "offline", user_ids: string[]}.',
    sources: [
      { source: 'pusher-js/watchlist', note: 'iterates data.events and emits by name' },
      { source: 'pusher-js/user' },
      { source: 'sockudo/handler', note: 'sends top-level online/offline events instead' },
    ],
    impact: 'pusher-js ignores any other shape, so watchlist handlers never run.',
    ambiguity: 'watchlist-wire-shape',
  },
  'watchlist.second-connection-silent': {
    area: 'watchlist',
    level: 'SHOULD',
    title: 'No repeated online for extra connections',
    text: 'The server SHOULD NOT send online again when a watched user who is already online opens another connection.',
    sources: [{ source: 'pusher-docs/watchlist-events', note: 'online means signed in on at least one connection' }],
    impact: 'Duplicate notifications ("X is online") for each tab the user opens.',
  },
  'watchlist.only-watchers': {
    area: 'watchlist',
    level: 'MUST',
    title: 'Only watchers are told',
    text: 'The server MUST send watchlist events about a user only to connections whose signin watchlist contains that user.',
    sources: [{ source: 'pusher-docs/watchlist-events' }],
    impact: 'Online status leaks to users who were never allowed to see it.',
  },
  'watchlist.over-limit-signin-succeeds': {
    area: 'watchlist',
    level: 'MUST',
    title: 'Oversized watchlist does not fail signin',
    text: 'When a watchlist has more ids than the limit (100 by default), the server MUST still complete the signin and keep the first ids up to the limit.',
    sources: [{ source: 'pusher-docs/user-authentication', note: 'the first 100 are used' }],
    impact: 'A long friend list would lock the user out of signin altogether.',
  },
  'watchlist.over-limit-4302': {
    area: 'watchlist',
    level: 'SHOULD',
    title: 'Oversized watchlist reported with 4302',
    text: 'When it truncates a watchlist the server SHOULD also send a pusher:error with code 4302 and keep the connection open.',
    sources: [{ source: 'pusher-docs/websocket-protocol', section: 'Error codes' }],
    impact: 'Without the error the app cannot know that part of the list is ignored.',
  },
} as const satisfies Record<string, ClauseDef>;
