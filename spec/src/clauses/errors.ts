import type { ClauseDef } from './types.ts';

export const errorsClauses = {
  'errors.code-ranges': {
    area: 'errors',
    level: 'MUST',
    title: 'Error codes respect their range',
    text: 'Any 4000-4399 code the server sends MUST belong to the range whose client action fits the situation: 4000-4099 do not reconnect, 4100-4199 reconnect after back-off, 4200-4299 reconnect now, 4300-4399 other errors.',
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Error codes' },
      { source: 'pusher-js/protocol', section: 'getCloseAction' },
      { source: 'pusher-js/connection-manager', note: 'acts on refused, backoff, retry and tls_only' },
    ],
    impact: 'pusher-js decides whether and when to reconnect from the range alone: a fatal code on a transient problem strands the client, a retry code on a fatal problem makes it hammer the server.',
  },
  'errors.fatal-close-code': {
    area: 'errors',
    level: 'MUST',
    title: 'Fatal errors close with the code',
    text: 'For a fatal connection error the server MUST close the WebSocket with a close frame whose code is the 4xxx error code; it MUST NOT drop the TCP connection without a close code or leave the socket open.',
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Connection closure', note: 'protocol 6 and later signal with the close code' },
      { source: 'kit/positions', note: 'a pusher:error carrying the code followed by a close is accepted as an alternative' },
    ],
    impact: 'pusher-js reads the close code to decide what to do; a bare TCP drop shows up as 1006, which it treats as a network blip and retries forever.',
    ambiguity: 'error-signalling',
  },
  'errors.error-frame-before-close': {
    area: 'errors',
    level: 'MAY',
    title: 'Optional pusher:error before a close',
    text: 'Before closing for a fatal error the server MAY send a pusher:error frame carrying the same code and a message.',
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Connection closure', note: 'required only before protocol 6' },
      { source: 'pusher-js/protocol', section: 'processHandshake', note: 'accepts pusher:error in place of connection_established' },
      { source: 'soketi/ws-handler' },
    ],
    impact: 'None known; pusher-js surfaces the message to the application\'s error handler.',
    ambiguity: 'error-signalling',
  },
  'errors.error-frame-fields': {
    area: 'errors',
    level: 'MUST',
    title: 'pusher:error carries message and code',
    text: 'The data of every pusher:error MUST decode to an object with a string message and a code that is either an integer from 4000 to 4399 or null.',
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'pusher:error' },
      { source: 'obs/pusher-websocket-java-205', note: 'hosted Pusher sends code null' },
    ],
    impact: 'pusher-js hands data.code and data.message to the error callback; application code (and the Soketify docs\' examples) switch on err.error.data.code.',
  },
  'errors.error-data-object': {
    area: 'errors',
    level: 'SHOULD',
    title: 'pusher:error data is an object',
    text: 'The server SHOULD send the data of pusher:error as a JSON object, not as a string holding JSON.',
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'pusher:error' },
      { source: 'obs/pusher-websocket-java-205' },
      { source: 'reverb/event-handler', note: 'sends it as a string' },
    ],
    impact: 'pusher-js decodes both forms; clients that read data.code straight from the frame, as the spec allows, lose the code when data is a string.',
    ambiguity: 'data-encoding-error',
  },
  'errors.recoverable-keeps-connection': {
    area: 'errors',
    level: 'MUST',
    title: 'Recoverable errors leave the connection open',
    text: 'For an error that concerns a single message or subscription (bad signature, rejected client event, rate limit), the server MUST keep the connection open after the pusher:error.',
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Error codes', note: '4301 is sent while the connection stays' },
      { source: 'obs/pusher-websocket-java-205', note: 'connection stays after a bad signature' },
    ],
    impact: 'Closing drops every other subscription of the page; with a 43xx close code pusher-js also refuses to reconnect.',
  },
  'errors.no-close-with-4300-range': {
    area: 'errors',
    level: 'SHOULD',
    title: 'No 4300-4399 close for transient conditions',
    text: 'The server SHOULD NOT use a 4300-4399 code as a WebSocket close code for a condition the client can recover from.',
    sources: [
      { source: 'pusher-js/protocol', section: 'getCloseAction', note: 'every close code ≥ 4300 maps to refused' },
      { source: 'sockudo/options', note: 'terminate_on_limit closes with 4301' },
    ],
    impact: 'pusher-js stops reconnecting after such a close, so a client that briefly exceeded a rate limit stays offline until the page reloads.',
  },
  'errors.reconnect-codes-close': {
    area: 'errors',
    level: 'SHOULD',
    title: 'Reconnect-range codes only with a close',
    text: 'The server SHOULD use codes from 4000 to 4299 only when it closes the connection, not in a pusher:error that leaves the connection open.',
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Error codes', note: 'these ranges describe what to do after a close' },
      { source: 'reverb/event-handler', note: 'sends 4200 for invalid messages without closing' },
      { source: 'sockudo/core', note: 'sends 4000 for invalid JSON without closing' },
    ],
    impact: 'A client that acts on the range of a pusher:error code would reconnect or give up on a healthy connection.',
    ambiguity: 'invalid-message-handling',
  },
  'errors.error-channel-field': {
    area: 'errors',
    level: 'MAY',
    title: 'pusher:error may name the channel',
    text: 'A pusher:error about a subscription or a client event MAY carry a top-level channel field naming the channel concerned.',
    sources: [
      { source: 'soketi/ws-handler', note: 'sets channel on client-event errors' },
      { source: 'sockudo/protocol', note: 'channel is optional' },
    ],
    impact: 'None known; it helps applications tie an error to a channel.',
  },
  'errors.close-reason': {
    area: 'errors',
    level: 'SHOULD',
    title: 'Close frames carry a reason',
    text: 'When it closes a connection with a 4xxx code the server SHOULD include a short human-readable reason in the close frame.',
    sources: [{ source: 'pusher-docs/websocket-protocol', section: 'Connection closure', note: 'close code and reason' }],
    impact: 'pusher-js passes the reason to the error event; without it operators see a bare number.',
  },
} as const satisfies Record<string, ClauseDef>;
