/**
 * The ambiguity register: every question the sources leave open or answer in more than one way,
 * the position this kit takes, and the alternatives seen in the wild with the verdict each earns.
 *
 * `verdict` is what a target gets when it behaves like the alternative: `pass`, `warn` (a SHOULD
 * is missed, or only clients stricter than pusher-js break), `fail` (a MUST is broken or a real
 * client breaks). Positions follow DESIGN.md, "Positions on what the sources leave open".
 */
import type { SourceRef } from './sources.ts';

export type AmbiguityVerdict = 'pass' | 'warn' | 'fail';

export const ambiguityVerdicts = ['pass', 'warn', 'fail'] as const satisfies readonly AmbiguityVerdict[];

export interface AmbiguityAlternative {
  id: string;
  description: string;
  /** Where this behaviour was seen or documented, e.g. 'soketi 1.6', 'Reverb', 'hosted Pusher'. */
  seenIn: readonly string[];
  verdict: AmbiguityVerdict;
}

export interface AmbiguityDef {
  /** Short name for lists. */
  title: string;
  question: string;
  /** The position this kit takes, and why. */
  position: string;
  alternatives: readonly AmbiguityAlternative[];
  /** Ids of the clauses this question affects (checked against the registry by the tests). */
  clauses: readonly string[];
  sources: readonly SourceRef[];
}

export const ambiguities = {
  // --- How errors are signalled -----------------------------------------------------------------
  'error-signalling': {
    title: 'Close code or pusher:error frame',
    question: 'How does a server signal a fatal connection error: with a WebSocket close code, with a pusher:error frame, or both?',
    position: 'From protocol 6 on the docs ask for a close frame carrying the 4xxx code. A pusher:error with the same code followed by that close also passes: it was mandatory before protocol 6 and pusher-js handles it. An error frame alone (socket left open) warns: pusher-js closes by itself when it gets it during the handshake, but other clients hang. Dropping TCP without a close code after the frame warns (pusher-js sees 1006 once connected and retries). Sending nothing, or a code from the wrong range, fails.',
    alternatives: [
      { id: 'close-code', description: 'Close frame with the 4xxx code, no frame before it.', seenIn: ['Pusher docs (protocol 6+)', 'Sockudo 5 (pong timeout)'], verdict: 'pass' },
      { id: 'frame-then-close', description: 'pusher:error carrying the code, then a close frame with the same code.', seenIn: ['soketi 1.6', 'Sockudo 5 (node-wide connection cap)'], verdict: 'pass' },
      { id: 'frame-socket-open', description: 'pusher:error carrying the code; the socket stays open and no handshake follows.', seenIn: ['Reverb (over quota)'], verdict: 'warn' },
      { id: 'frame-then-tcp-drop', description: 'pusher:error carrying the code, then the TCP connection is dropped without a close frame (1006).', seenIn: ['Reverb (unknown app, stale connection)'], verdict: 'warn' },
      { id: 'nothing', description: 'No frame and no close code; the client sees 1006 or nothing.', seenIn: ['Sockudo 5 (unknown key, per-app quota; source reading)'], verdict: 'fail' },
      { id: 'wrong-range', description: 'A close code from a range whose client action does not fit (e.g. 4200 for an unknown app).', seenIn: [], verdict: 'fail' },
    ],
    clauses: [
      'errors.fatal-close-code',
      'errors.error-frame-before-close',
      'connection.unknown-app-key',
      'connection.app-disabled',
      'connection.over-quota',
      'connection.path-not-found',
      'connection.liveness-close-4201',
    ],
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Connection closure' },
      { source: 'pusher-js/protocol', section: 'processHandshake, getCloseAction' },
      { source: 'soketi/ws-handler' },
      { source: 'reverb/server' },
      { source: 'sockudo/server' },
      { source: 'kit/positions' },
    ],
  },

  // --- data encoding ----------------------------------------------------------------------------
  'data-encoding': {
    title: 'String or object data',
    question: 'Is data a string holding JSON (double encoding) for channel events and pusher:/pusher_internal: events, or may a server send an object?',
    position: 'The spec form is a string, except for pusher:error and pusher:signin_success, which are objects. A string passes. An object where the spec has a string warns, because pusher-js decodes both while clients that follow the spec literally may not. A missing data key where a payload is required fails through the clause that needs the payload. For REST input, refusing or stringifying a non-string data passes; forwarding it as an object warns.',
    alternatives: [
      { id: 'string', description: 'data is a string; for pusher: and pusher_internal: events it holds JSON.', seenIn: ['Pusher docs', 'hosted Pusher', 'Reverb', 'Sockudo 5'], verdict: 'pass' },
      { id: 'object', description: 'data is a JSON object where the spec has a string.', seenIn: ['soketi 1.6 (REST object data forwarded as-is)'], verdict: 'warn' },
      { id: 'stringified-on-input', description: 'A non-string REST data value is JSON-encoded by the server before delivery.', seenIn: ['Sockudo 5'], verdict: 'pass' },
      { id: 'refused-on-input', description: 'A non-string REST data value is refused.', seenIn: ['Reverb (422)'], verdict: 'pass' },
    ],
    clauses: [
      'connection.established-data-string',
      'subscription.internal-data-string',
      'subscription-count.value',
      'rest.data-string',
    ],
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Double encoding' },
      { source: 'pusher-js/protocol', section: 'decodeMessage' },
      { source: 'kit/positions' },
    ],
  },
  'data-encoding-error': {
    title: 'pusher:error data encoding',
    question: 'Is the data of pusher:error an object or a string holding JSON?',
    position: 'The spec and hosted Pusher send an object, which passes. A string holding JSON warns: pusher-js decodes it, clients that read data.code directly lose the code. Data that does not decode to {message, code} fails.',
    alternatives: [
      { id: 'object', description: 'data is {message, code}.', seenIn: ['Pusher docs', 'hosted Pusher', 'soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: 'json-string', description: 'data is a string holding {message, code}.', seenIn: ['Reverb'], verdict: 'warn' },
      { id: 'plain-text', description: 'data is a plain message string with no code.', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['errors.error-data-object', 'errors.error-frame-fields'],
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'pusher:error' },
      { source: 'obs/pusher-websocket-java-205' },
      { source: 'reverb/event-handler' },
    ],
  },
  'data-encoding-subscription-succeeded': {
    title: 'Non-presence subscription_succeeded data',
    question: 'For a channel that is not a presence channel, is subscription_succeeded data "{}", absent, or an empty object?',
    position: 'Hosted Pusher sends the string "{}" (byte-exact fixtures), which passes. A missing data key or an object warns: pusher-js ignores the payload, some third-party clients do not.',
    alternatives: [
      { id: 'empty-json-string', description: 'data is the string "{}".', seenIn: ['hosted Pusher', 'Reverb', 'Sockudo 5'], verdict: 'pass' },
      { id: 'absent', description: 'No data key.', seenIn: ['soketi 1.6'], verdict: 'warn' },
      { id: 'empty-object', description: 'data is the object {}.', seenIn: [], verdict: 'warn' },
    ],
    clauses: ['subscription.succeeded-data'],
    sources: [
      { source: 'obs/erlpusher-fixtures' },
      { source: 'obs/pusher-websocket-java-fixtures' },
      { source: 'obs/dart-pusher-channels-32' },
    ],
  },
  'data-encoding-pong': {
    title: 'pusher:pong data',
    question: 'What does the data of pusher:pong look like?',
    position: 'The spec says "empty data" and no client reads it, so an absent key, {} and "{}" all pass. Not answering at all fails through connection.ping-pong.',
    alternatives: [
      { id: 'absent', description: 'No data key.', seenIn: ['Reverb', 'Sockudo 5'], verdict: 'pass' },
      { id: 'empty-object', description: 'data is {}.', seenIn: ['soketi 1.6'], verdict: 'pass' },
      { id: 'empty-json-string', description: 'data is "{}".', seenIn: ['hosted Pusher (one fixture)'], verdict: 'pass' },
      { id: 'no-pong', description: 'pusher:ping is not answered.', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['connection.pong-data', 'connection.ping-pong'],
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Ping and pong' },
      { source: 'soketi/ws-handler' },
      { source: 'reverb/event-handler' },
    ],
  },
  'data-encoding-client-event': {
    title: 'Relayed client-event data',
    question: 'Does the server relay client-event data as the sender sent it, or re-encode it?',
    position: 'The protocol lets a client send a string or an object; relaying it in the same form passes. Converting a string to an object, or refusing a string that is not JSON, warns: pusher-js always sends objects and decodes both, so only other clients notice. Hosted behaviour is unverified.',
    alternatives: [
      { id: 'as-received', description: 'data relayed in the form it arrived.', seenIn: ['soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: 'reencoded-object', description: 'data decoded and re-encoded as an object.', seenIn: ['Reverb'], verdict: 'warn' },
      { id: 'non-json-string-refused', description: 'A string that is not JSON is refused.', seenIn: ['Reverb'], verdict: 'warn' },
    ],
    clauses: ['client-events.data-form-kept'],
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Client events' },
      { source: 'reverb/client-event' },
    ],
  },
  'socket-id-format': {
    title: 'socket_id format',
    question: 'Is socket_id an opaque string or must it be digits.digits?',
    position: 'The docs call it opaque but every example and every server uses digits.digits, and pusher-http-node refuses to sign or exclude any other form. A socket_id that does not match ^\\d+\\.\\d+$ therefore fails; the number of digits is not constrained.',
    alternatives: [
      { id: 'digits-dot-digits', description: 'Two runs of digits joined by a dot, any length.', seenIn: ['hosted Pusher', 'soketi 1.6', 'Reverb', 'Sockudo 5'], verdict: 'pass' },
      { id: 'other-opaque', description: 'Any other string (UUID, hex, prefixed ids).', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['connection.socket-id-format', 'rest.socket-id-invalid'],
    sources: [
      { source: 'pusher-docs/websocket-protocol' },
      { source: 'pusher-http-node/util' },
    ],
  },

  // --- Which code for which condition -----------------------------------------------------------
  'over-quota-code': {
    title: 'Over-quota code: 4004 or 4100',
    question: 'Which code refuses a connection over the app\'s connection quota?',
    position: 'The docs, Reverb and the Soketify docs use 4004 (pusher-js stops retrying), which passes. 4100 (over capacity: retry with back-off) warns: the client keeps knocking, politely. Leaving the socket open without a handshake, or sending nothing, fails.',
    alternatives: [
      { id: '4004', description: 'Refused with 4004.', seenIn: ['Pusher docs', 'Soketify (docs)', 'Reverb (frame only)', 'Sockudo PR #345 (intent)'], verdict: 'pass' },
      { id: '4100', description: 'Refused with 4100.', seenIn: ['soketi 1.6', 'Sockudo 5 (node-wide cap)'], verdict: 'warn' },
      { id: 'nothing', description: 'No frame and no close code.', seenIn: ['Sockudo 5 (per-app quota; source reading)'], verdict: 'fail' },
    ],
    clauses: ['connection.over-quota'],
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Error codes' },
      { source: 'soketify/connection' },
      { source: 'soketi/ws-handler' },
      { source: 'sockudo/pr-345' },
    ],
  },
  'protocol-version-rejection': {
    title: 'Refusing old or missing protocol versions',
    question: 'Must a server refuse retired protocol versions (4007), a missing protocol (4008) or a malformed version (4006)?',
    position: 'No server does, and current clients always send protocol=7, so refusing is optional (MAY): both ignoring and refusing pass. Answering a Pusher protocol number with a different wire format warns, because the client then misreads every frame.',
    alternatives: [
      { id: 'ignore', description: 'protocol, client and version are ignored; protocol 7 is spoken.', seenIn: ['soketi 1.6', 'Reverb', 'Sockudo 5 (values other than 2)'], verdict: 'pass' },
      { id: 'refuse', description: 'Retired or missing versions refused with 4006/4007/4008.', seenIn: ['Pusher docs (announced)'], verdict: 'pass' },
      { id: 'switch-dialect', description: 'A protocol value selects a non-Pusher wire format.', seenIn: ['Sockudo 5 (protocol=2)'], verdict: 'warn' },
    ],
    clauses: [
      'connection.protocol-unsupported-4007',
      'connection.protocol-missing-4008',
      'connection.version-format-4006',
      'connection.protocol-no-dialect-switch',
    ],
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Protocol versions' },
      { source: 'sockudo/protocol' },
    ],
  },
  'channel-auth-failure-signal': {
    title: 'How a refused subscription is reported',
    question: 'How does a server tell the client that a channel signature was wrong?',
    position: 'The spec gives no code. Any explicit signal that keeps the connection open passes: hosted Pusher sends pusher:error with code null, Reverb and Sockudo pusher:error 4009, soketi a pusher:subscription_error frame (which pusher-js hands to the channel\'s subscription_error bindings). Silence warns. Closing the connection fails.',
    alternatives: [
      { id: 'error-code-null', description: 'pusher:error with code null and a message.', seenIn: ['hosted Pusher'], verdict: 'pass' },
      { id: 'error-4009', description: 'pusher:error with code 4009, connection kept.', seenIn: ['Reverb', 'Sockudo 5'], verdict: 'pass' },
      { id: 'subscription-error-frame', description: 'pusher:subscription_error frame with channel and {type, error, status}.', seenIn: ['soketi 1.6'], verdict: 'pass' },
      { id: 'silent', description: 'No answer at all.', seenIn: [], verdict: 'warn' },
      { id: 'close', description: 'The connection is closed (4009 or otherwise).', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['channel-auth.failure-signalled', 'channel-auth.failure-keeps-connection'],
    sources: [
      { source: 'obs/pusher-websocket-java-205' },
      { source: 'soketi/ws-handler' },
      { source: 'reverb/event-handler' },
      { source: 'sockudo/handler' },
    ],
  },
  'invalid-message-handling': {
    title: 'Invalid JSON and unknown events',
    question: 'What does a server do with a frame that is not JSON, has wrongly typed fields, or names an unknown event?',
    position: 'The spec is silent. The kit requires (MUST) that the connection stays open and usable and nothing is lost; how it is reported is a SHOULD: a pusher:error with code null or 4300-4399 passes; silence on an unparseable frame warns; codes from 4000-4299 without a close warn because their range tells clients to reconnect. Unknown events may be ignored. Closing or crashing fails.',
    alternatives: [
      { id: 'error-null-or-43xx', description: 'pusher:error with code null or 4300-4399; connection kept.', seenIn: [], verdict: 'pass' },
      { id: 'ignore-unknown-event', description: 'Unknown events ignored silently.', seenIn: ['soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: 'ignore-invalid-json', description: 'Unparseable frames ignored silently.', seenIn: ['soketi 1.6'], verdict: 'warn' },
      { id: 'error-4000', description: 'pusher:error 4000 without closing.', seenIn: ['Sockudo 5'], verdict: 'warn' },
      { id: 'error-4200', description: 'pusher:error 4200 without closing.', seenIn: ['Reverb'], verdict: 'warn' },
      { id: 'close', description: 'Connection closed, or the server crashes.', seenIn: [], verdict: 'fail' },
    ],
    clauses: [
      'robustness.invalid-json',
      'robustness.invalid-json-reported',
      'robustness.unknown-pusher-event',
      'robustness.wrong-types',
      'errors.reconnect-codes-close',
    ],
    sources: [
      { source: 'kit/positions' },
      { source: 'soketi/ws-handler' },
      { source: 'reverb/event-handler' },
      { source: 'sockudo/core' },
    ],
  },
  'client-event-rejection-signal': {
    title: 'How a refused client event is reported',
    question: 'How does a server report a client event it refuses (feature disabled, not subscribed, wrong channel type)?',
    position: 'An explicit pusher:error with code null (hosted) or 4301 passes. 4009 warns: it sits in the no-reconnect range while the connection stays open. A silent drop warns. Closing fails through client-events.rate-limit-keeps-connection and errors.recoverable-keeps-connection.',
    alternatives: [
      { id: 'error-code-null', description: 'pusher:error with code null.', seenIn: ['hosted Pusher (client events disabled)'], verdict: 'pass' },
      { id: 'error-4301', description: 'pusher:error 4301.', seenIn: ['soketi 1.6 (disabled)', 'Sockudo 5'], verdict: 'pass' },
      { id: 'error-4009', description: 'pusher:error 4009 without closing.', seenIn: ['Reverb (not a member)'], verdict: 'warn' },
      { id: 'silent-drop', description: 'Dropped without a reply.', seenIn: ['soketi 1.6 (not subscribed)'], verdict: 'warn' },
    ],
    clauses: ['client-events.disabled-signalled', 'client-events.not-subscribed-signalled'],
    sources: [
      { source: 'obs/chatify-demo-8' },
      { source: 'soketi/ws-handler' },
      { source: 'reverb/client-event' },
      { source: 'sockudo/handler' },
    ],
  },
  'presence-full-signal': {
    title: 'Full presence channel',
    question: 'How does a server refuse a user when a presence channel is full, and is the limit enforced at all?',
    position: 'The limit comes from the profile (100 for Pusher). Refusing with pusher:error 4100 or a pusher:subscription_error frame, connection kept, passes. A silent refusal, or no limit at all, warns. Closing the connection fails.',
    alternatives: [
      { id: 'error-4100', description: 'Non-fatal pusher:error 4100.', seenIn: ['Sockudo 5'], verdict: 'pass' },
      { id: 'subscription-error-frame', description: 'pusher:subscription_error {type: LimitReached, status: 4100}.', seenIn: ['soketi 1.6'], verdict: 'pass' },
      { id: 'silent', description: 'No confirmation and no error.', seenIn: [], verdict: 'warn' },
      { id: 'no-limit', description: 'Any number of members admitted.', seenIn: ['Reverb'], verdict: 'warn' },
      { id: 'close', description: 'Connection closed.', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['presence.full-channel-refused', 'limits.presence-members'],
    sources: [
      { source: 'pusher-docs/presence-channels' },
      { source: 'soketi/ws-handler' },
      { source: 'sockudo/handler' },
    ],
  },
  'signin-failure-close': {
    title: 'Failed signin: keep or close',
    question: 'After a failed signin, does the server keep the connection or close it?',
    position: 'The docs only say the answer is a pusher:error. Keeping the connection passes. Closing with 4009 warns: pusher-js will not reconnect, so a stale user token also takes public channels offline. Not answering at all warns.',
    alternatives: [
      { id: 'error-keep', description: 'pusher:error, connection kept.', seenIn: ['Pusher docs', 'Sockudo 5'], verdict: 'pass' },
      { id: 'error-close-4009', description: 'pusher:error 4009 then close 4009.', seenIn: ['soketi 1.6'], verdict: 'warn' },
      { id: 'ignored', description: 'The signin is ignored (user authentication not enabled).', seenIn: ['soketi 1.6'], verdict: 'warn' },
    ],
    clauses: ['signin.failure-keeps-connection', 'signin.answered'],
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'pusher:signin' },
      { source: 'soketi/ws-handler' },
      { source: 'sockudo/handler' },
    ],
  },

  // --- Channel names ----------------------------------------------------------------------------
  'channel-name-charset': {
    title: 'Channel name characters',
    question: 'Which characters may a channel name contain?',
    position: 'channels.md allows A-Z a-z 0-9 _ - = @ , . ; and pusher-http-node, the Soketify docs, soketi and Sockudo agree, so all of them MUST be accepted. http-api.md speaks of "alphanumeric, - or _" only; a server that enforces that narrower set fails. Accepting anything warns.',
    alternatives: [
      { id: 'channels-md-set', description: 'A-Z a-z 0-9 _ - = @ , . ; accepted, others refused.', seenIn: ['Pusher docs (channels)', 'pusher-http-node 5.3', 'Soketify (docs)', 'soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: 'alnum-dash-underscore', description: 'Only letters, digits, - and _ accepted.', seenIn: ['Pusher docs (http-api wording)'], verdict: 'fail' },
      { id: 'no-validation', description: 'Any name accepted.', seenIn: ['Reverb', 'soketi 1.6 (REST)'], verdict: 'warn' },
    ],
    clauses: ['subscription.channel-name-charset', 'subscription.channel-name-invalid'],
    sources: [
      { source: 'pusher-docs/channels' },
      { source: 'pusher-docs/http-api' },
      { source: 'pusher-http-node/util' },
    ],
  },
  'channel-name-length': {
    title: 'Channel name length: 164 or 200',
    question: 'What is the maximum channel name length?',
    position: 'A profile value. Pusher\'s docs say 164 (prefix included), the SDK, the Soketify docs and the open-source servers use 200. At the profile\'s limit a name MUST be accepted; one character more SHOULD be refused. A server without any limit warns.',
    alternatives: [
      { id: '164', description: 'Names up to 164 characters.', seenIn: ['Pusher docs'], verdict: 'pass' },
      { id: '200', description: 'Names up to 200 characters (declared in the profile).', seenIn: ['pusher-http-node 5.3', 'Soketify (docs)', 'soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: 'none', description: 'No length limit.', seenIn: ['Reverb'], verdict: 'warn' },
    ],
    clauses: ['limits.channel-name-length'],
    sources: [
      { source: 'pusher-docs/channels' },
      { source: 'pusher-http-node/util' },
      { source: 'soketify/channels' },
      { source: 'kit/profiles' },
    ],
  },
  'channel-type-prefix-matching': {
    title: 'How prefixes decide a channel\'s type',
    question: 'Is a channel\'s type decided by an anchored prefix with its hyphen, or by looser matching?',
    position: 'pusher-js picks the channel class with startsWith on the hyphenated prefix, so the server MUST do the same. Unanchored or hyphenless matching fails: it demands auth (or applies caching) on names pusher-js treats as public.',
    alternatives: [
      { id: 'anchored-with-hyphen', description: 'Prefix tested at the start of the name, hyphen included.', seenIn: ['Pusher docs', 'pusher-js 8.6'], verdict: 'pass' },
      { id: 'unanchored', description: 'Names containing private- or cache- anywhere count as that type.', seenIn: ['soketi 1.6 (private-, cache-)', 'Sockudo 5 (cache)'], verdict: 'fail' },
      { id: 'no-hyphen', description: 'private, presence, cache matched without the hyphen.', seenIn: ['Reverb'], verdict: 'fail' },
      { id: 'encrypted-as-private', description: 'private-encrypted- classified as plain private.', seenIn: ['Sockudo 5', 'Reverb'], verdict: 'warn' },
    ],
    clauses: ['subscription.type-by-anchored-prefix', 'channel-auth.cache-variants', 'client-events.encrypted-not-relayed'],
    sources: [
      { source: 'pusher-docs/channels' },
      { source: 'pusher-js/channel' },
      { source: 'soketi/utils' },
      { source: 'reverb/channels' },
      { source: 'sockudo/core' },
    ],
  },

  // --- Presence ---------------------------------------------------------------------------------
  'presence-numeric-user-id': {
    title: 'Numeric presence user_id',
    question: 'May channel_data carry user_id as a JSON number?',
    position: 'The docs\' own signature example uses user_id 10, so accepting numbers is a SHOULD and keeping them as numbers passes. Refusing them warns. Changing the type between events warns: pusher-js keys members by property name and copes, but clients that compare ids by value miss the match.',
    alternatives: [
      { id: 'accept-keep-number', description: 'Numbers accepted and reported as numbers.', seenIn: ['Pusher docs (example)', 'soketi 1.6', 'Reverb'], verdict: 'pass' },
      { id: 'refuse', description: 'Numeric user_id refused.', seenIn: ['Sockudo 5 (source reading; needs a live check)'], verdict: 'warn' },
      { id: 'inconsistent-type', description: 'Reported as a number in one event and a string in another.', seenIn: [], verdict: 'warn' },
    ],
    clauses: ['presence.user-id-number', 'presence.member-removed-data'],
    sources: [
      { source: 'pusher-docs/auth-signatures' },
      { source: 'pusher-docs/presence-channels' },
      { source: 'sockudo/handler' },
    ],
  },
  'presence-user-info-conflict': {
    title: 'One user, two user_info values',
    question: 'When two connections of one user_id join with different user_info, which one do members see?',
    position: 'The docs are silent. Any choice passes as long as the user appears once. Listing the user twice fails.',
    alternatives: [
      { id: 'first-wins', description: 'The first connection\'s user_info is kept.', seenIn: ['Reverb'], verdict: 'pass' },
      { id: 'last-wins', description: 'The most recent or last-iterated connection\'s user_info is used.', seenIn: ['soketi 1.6'], verdict: 'pass' },
      { id: 'duplicate-entries', description: 'The user is listed once per connection.', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['presence.user-info-conflict', 'presence.one-entry-per-user'],
    sources: [
      { source: 'pusher-docs/presence-channels' },
      { source: 'soketi/channels' },
      { source: 'reverb/channels' },
    ],
  },
  'presence-channel-data-from-signin': {
    title: 'Presence member taken from signin',
    question: 'May a signed-in connection join a presence channel without channel_data?',
    position: 'The docs and pusher-js 8 allow it, so it is a SHOULD and taking the member from user_data passes. Refusing warns. Admitting a member with no identity fails.',
    alternatives: [
      { id: 'from-user-data', description: 'Member id and info taken from the signin user_data.', seenIn: ['Pusher docs', 'pusher-js 8.6'], verdict: 'pass' },
      { id: 'refuse', description: 'Subscription refused for missing channel_data.', seenIn: ['Sockudo 5', 'soketi 1.6 (parse error)'], verdict: 'warn' },
      { id: 'accept-without-identity', description: 'Subscription accepted with an empty member.', seenIn: ['Reverb'], verdict: 'fail' },
    ],
    clauses: ['presence.channel-data-from-signin', 'presence.channel-data-required'],
    sources: [
      { source: 'pusher-docs/presence-channels' },
      { source: 'pusher-js/presence-channel' },
    ],
  },
  'presence-user-object-size': {
    title: 'Presence user object size',
    question: 'How large may a presence member\'s data be: 1 KB or 2 KB, of user_info or of the whole channel_data, with KB meaning 1000 or 1024 bytes?',
    position: 'A profile value, measured on the JSON of user_info. For the Pusher profile (1 KB) the kit accepts as conformant a server that admits 1000 bytes and refuses more than 1024; between the two either answer passes. A 2 KB limit passes where the profile declares it. No limit warns.',
    alternatives: [
      { id: '1kb', description: '1 KB of user_info.', seenIn: ['Pusher docs', 'Soketify (docs)'], verdict: 'pass' },
      { id: '2kb', description: '2 KB of user_info (declared in the profile).', seenIn: ['soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: 'none', description: 'No size limit.', seenIn: ['Reverb'], verdict: 'warn' },
    ],
    clauses: ['limits.presence-user-size'],
    sources: [
      { source: 'pusher-docs/presence-channels' },
      { source: 'soketify/channels' },
      { source: 'soketi/server' },
      { source: 'kit/profiles' },
    ],
  },

  // --- Client events ----------------------------------------------------------------------------
  'client-events-public-channels': {
    title: 'Client events on public channels',
    question: 'Are client events on public channels refused?',
    position: 'Pusher\'s docs and both hosted services restrict client events to private and presence channels, so relaying them elsewhere fails: anyone with the public key could write to the channel.',
    alternatives: [
      { id: 'refused', description: 'Refused (with or without an error).', seenIn: ['Pusher docs', 'Soketify (docs)', 'Vask (docs)', 'Sockudo 5'], verdict: 'pass' },
      { id: 'relayed', description: 'Relayed when the sender is subscribed.', seenIn: ['soketi 1.6', 'Reverb'], verdict: 'fail' },
    ],
    clauses: ['client-events.private-presence-only'],
    sources: [
      { source: 'pusher-docs/events' },
      { source: 'soketi/ws-handler' },
      { source: 'reverb/client-event' },
    ],
  },
  'client-events-encrypted-channels': {
    title: 'Client events on encrypted channels',
    question: 'Are client events on private-encrypted- channels refused?',
    position: 'The protocol text does not forbid them, but the encrypted-channels page says they are not supported and pusher-js refuses to send them. Refusing passes; relaying warns.',
    alternatives: [
      { id: 'refused', description: 'Refused.', seenIn: ['Soketify (docs)', 'Vask (docs)', 'pusher-js 8.6 (client side)'], verdict: 'pass' },
      { id: 'relayed', description: 'Relayed like on a private channel.', seenIn: ['Sockudo 5', 'soketi 1.6', 'Reverb'], verdict: 'warn' },
    ],
    clauses: ['client-events.encrypted-not-relayed'],
    sources: [
      { source: 'pusher-docs/encrypted-channels' },
      { source: 'pusher-js/encrypted-channel' },
      { source: 'vask/events' },
    ],
  },
  'presence-client-event-user-id': {
    title: 'user_id on presence client events',
    question: 'Does the server add the sender\'s user_id to client events relayed on presence channels?',
    position: 'The protocol says it does and apps use it as the trusted sender identity, so a missing user_id fails. Adding it only in some configurations warns.',
    alternatives: [
      { id: 'always', description: 'user_id always added from the sender\'s channel_data.', seenIn: ['Pusher docs', 'soketi 1.6'], verdict: 'pass' },
      { id: 'conditional', description: 'Added only in some modes (e.g. only when events are restricted to members).', seenIn: ['Reverb'], verdict: 'warn' },
      { id: 'missing', description: 'Not added.', seenIn: ['Sockudo 5 (source reading)'], verdict: 'fail' },
    ],
    clauses: ['client-events.presence-user-id', 'client-events.user-id-not-spoofable'],
    sources: [
      { source: 'pusher-docs/websocket-protocol', section: 'Client events' },
      { source: 'reverb/client-event' },
      { source: 'sockudo/handler' },
    ],
  },
  'client-event-rate-limit': {
    title: 'Client event rate limit',
    question: 'What is the client-event rate limit, and what happens when it is exceeded?',
    position: 'The rate is a profile value (10 per second per connection for Pusher). Rejecting the excess with pusher:error 4301 and keeping the connection passes. Having no limit by default warns. Closing the connection fails: pusher-js treats a 43xx close as final.',
    alternatives: [
      { id: '10-per-second-4301', description: '10 per second, excess refused with 4301, connection kept.', seenIn: ['Pusher docs', 'Soketify (docs)'], verdict: 'pass' },
      { id: 'unlimited-by-default', description: 'No limit unless the operator sets one.', seenIn: ['soketi 1.6', 'Reverb'], verdict: 'warn' },
      { id: 'close-on-limit', description: 'Connection closed with 4301.', seenIn: ['Sockudo 5 (terminate_on_limit)'], verdict: 'fail' },
    ],
    clauses: ['client-events.rate-limit-keeps-connection', 'client-events.rate-limit-4301', 'limits.client-event-rate'],
    sources: [
      { source: 'pusher-docs/events' },
      { source: 'soketify/events' },
      { source: 'soketi/server' },
      { source: 'sockudo/options' },
    ],
  },

  // --- Encrypted and cache channels -------------------------------------------------------------
  'encrypted-multi-channel-publish': {
    title: 'Multi-channel publish with an encrypted channel',
    question: 'Must the server refuse a REST publish to several channels when one is encrypted?',
    position: 'The rule binds server libraries, which never send such a request. The server MAY refuse it; both refusing and accepting pass.',
    alternatives: [
      { id: 'refuse-400', description: 'Refused with 400.', seenIn: ['Soketify (docs)'], verdict: 'pass' },
      { id: 'accept', description: 'Accepted and delivered to each channel.', seenIn: ['soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
    ],
    clauses: ['encrypted.multi-channel-publish'],
    sources: [
      { source: 'pusher-docs/server-library-spec' },
      { source: 'pusher-http-node/pusher' },
      { source: 'soketify/channels' },
    ],
  },
  'cache-ttl': {
    title: 'Cache TTL',
    question: 'How long does a cache channel keep its last event?',
    position: 'A profile value: "up to 30 minutes, maybe less" for Pusher, 1 hour where a profile declares it. Expiring at or before the declared TTL passes. Never expiring fails: there is no TTL to declare.',
    alternatives: [
      { id: '30-minutes', description: 'Up to 30 minutes.', seenIn: ['Pusher docs', 'Soketify (docs)'], verdict: 'pass' },
      { id: '1-hour', description: '3600 s (declared in the profile).', seenIn: ['soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: 'never', description: 'Kept until the process restarts.', seenIn: ['Reverb'], verdict: 'fail' },
    ],
    clauses: ['cache.ttl'],
    sources: [
      { source: 'pusher-docs/cache-channels' },
      { source: 'soketify/channels' },
      { source: 'kit/profiles' },
    ],
  },
  'cache-miss-data': {
    title: 'pusher:cache_miss payload',
    question: 'Does pusher:cache_miss carry data?',
    position: 'The docs do not say and clients do not read it; no data and "{}" both pass. Not sending cache_miss at all fails through cache.miss-event.',
    alternatives: [
      { id: 'absent', description: 'No data key.', seenIn: ['soketi 1.6', 'Reverb'], verdict: 'pass' },
      { id: 'empty-json-string', description: 'data "{}".', seenIn: ['Sockudo 5'], verdict: 'pass' },
      { id: 'not-sent', description: 'No cache_miss frame.', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['cache.miss-data', 'cache.miss-event'],
    sources: [
      { source: 'pusher-docs/cache-channels' },
      { source: 'soketi/ws-handler' },
      { source: 'sockudo/handler' },
    ],
  },
  'cache-channel-variants': {
    title: 'Which prefixes are cache channels',
    question: 'Are private-encrypted-cache- and presence-cache- cache channels?',
    position: 'cache-channels.md lists four prefixes; channels.md and the Soketify docs list fewer. Caching on all four passes; missing the encrypted or presence variant warns. Skipping auth on any private variant fails (channel-auth.cache-variants).',
    alternatives: [
      { id: 'all-four', description: 'cache-, private-cache-, private-encrypted-cache-, presence-cache-.', seenIn: ['Pusher docs (cache-channels)'], verdict: 'pass' },
      { id: 'no-encrypted-cache', description: 'private-encrypted-cache- treated as a plain channel.', seenIn: ['Soketify (docs)', 'Reverb'], verdict: 'warn' },
      { id: 'no-presence-cache', description: 'presence-cache- treated as plain presence.', seenIn: ['Pusher docs (channels)'], verdict: 'warn' },
      { id: 'auth-skipped', description: 'A private cache variant joinable without a valid signature.', seenIn: ['Sockudo 5 (suspected; needs a live check)'], verdict: 'fail' },
    ],
    clauses: ['cache.variants', 'channel-auth.cache-variants'],
    sources: [
      { source: 'pusher-docs/cache-channels' },
      { source: 'pusher-docs/channels' },
      { source: 'soketify/channels' },
      { source: 'reverb/channels' },
      { source: 'sockudo/handler' },
    ],
  },
  'subscription-count-throttle-boundary': {
    title: 'Subscription-count throttle: 100 or 101',
    question: 'From how many subscribers may the server throttle subscription_count to one per 5 s?',
    position: 'Pusher says "more than 100": at 100 subscribers every change is still reported, and throttling starts at 101, which passes. Throttling already at 100 warns. Never throttling passes (throttling is a MAY). Servers that do not emit the event at all are reported as unsupported, not judged here.',
    alternatives: [
      { id: 'above-100', description: 'Throttled from 101 subscribers.', seenIn: ['Pusher docs'], verdict: 'pass' },
      { id: 'from-100', description: 'Throttled from 100 subscribers.', seenIn: ['Soketify (docs)'], verdict: 'warn' },
      { id: 'never', description: 'Every change reported at any size.', seenIn: [], verdict: 'pass' },
    ],
    clauses: ['subscription-count.unthrottled-up-to-100', 'subscription-count.throttle-above-100'],
    sources: [
      { source: 'pusher-docs/events' },
      { source: 'soketify/channels' },
    ],
  },

  // --- Users ------------------------------------------------------------------------------------
  'server-to-user-endpoint': {
    title: 'Publishing to a user',
    question: 'How does a backend publish to one user: /events with #server-to-user-{id}, or a dedicated endpoint?',
    position: 'Official SDKs publish to #server-to-user-{id} through /events, so that path MUST work. A dedicated users/{id}/events endpoint is an extension and passes. Offering only the extension fails, since sendToUser breaks.',
    alternatives: [
      { id: 'events-channel', description: 'POST /events with channel #server-to-user-{id}.', seenIn: ['Pusher docs', 'pusher-http-node 5.3', 'soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: 'user-endpoint-extra', description: 'POST /apps/{app}/users/{id}/events in addition.', seenIn: ['Vask (docs)'], verdict: 'pass' },
      { id: 'user-endpoint-only', description: 'Only the dedicated endpoint works.', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['server-to-user.user-endpoint', 'server-to-user.delivery'],
    sources: [
      { source: 'pusher-docs/server-to-user-messages' },
      { source: 'pusher-http-node/pusher' },
      { source: 'vask/events' },
    ],
  },
  'watchlist-wire-shape': {
    title: 'Watchlist event shape',
    question: 'What frame carries watchlist online/offline notifications?',
    position: 'Only pusher-js defines it: pusher_internal:watchlist_events with data.events = [{name, user_ids}]. That shape passes; anything else fails because pusher-js ignores it.',
    alternatives: [
      { id: 'internal-events-array', description: 'pusher_internal:watchlist_events {events: [{name, user_ids}]}.', seenIn: ['pusher-js 8.6 (expects)'], verdict: 'pass' },
      { id: 'top-level-online-offline', description: 'Frames named online / offline with {user_ids}.', seenIn: ['Sockudo 5'], verdict: 'fail' },
    ],
    clauses: ['watchlist.wire-shape'],
    sources: [
      { source: 'pusher-js/watchlist' },
      { source: 'pusher-docs/watchlist-events' },
      { source: 'sockudo/handler' },
    ],
  },
  'terminate-response-body': {
    title: 'terminate_connections response body',
    question: 'What does terminate_connections answer: {} or {"ok":true}?',
    position: 'The docs show {}. Extra fields are a harmless extension and no SDK reads the body, so both pass. A non-JSON body warns; a non-2xx status fails.',
    alternatives: [
      { id: 'empty-object', description: '200 {}.', seenIn: ['Pusher docs', 'Reverb'], verdict: 'pass' },
      { id: 'ok-true', description: '200 {"ok":true}.', seenIn: ['soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: 'non-json', description: '2xx with an empty or non-JSON body.', seenIn: [], verdict: 'warn' },
      { id: 'non-2xx', description: 'Any status other than 2xx.', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['terminate.response'],
    sources: [
      { source: 'pusher-docs/rest-api', section: 'Terminate user connections' },
      { source: 'soketi/http-handler' },
    ],
  },

  // --- REST -------------------------------------------------------------------------------------
  'rest-app-addressing': {
    title: 'App id or key in REST paths',
    question: 'Is the app in /apps/{app}/… addressed by its id or by its key?',
    position: 'Pusher uses the id. A service that documents the key (Vask) passes when its profile declares that dialect, since SDKs just put the configured value in the path.',
    alternatives: [
      { id: 'app-id', description: '/apps/{app_id}/…', seenIn: ['Pusher docs', 'soketi 1.6', 'Reverb', 'Sockudo 5'], verdict: 'pass' },
      { id: 'app-key', description: '/apps/{app_key}/… (declared in the profile).', seenIn: ['Vask (docs)'], verdict: 'pass' },
    ],
    clauses: ['rest.app-path'],
    sources: [
      { source: 'pusher-docs/rest-api' },
      { source: 'vask/events' },
      { source: 'kit/profiles' },
    ],
  },
  'rest-success-body': {
    title: 'Publish success body',
    question: 'What does a successful publish without info answer: {}, {"ok":true}, or {"batch":{}}?',
    position: 'The docs show {}. A JSON object with extra fields is a harmless extension, so {"ok":true} and {"batch":{}} pass. A non-JSON body warns; a non-2xx status fails.',
    alternatives: [
      { id: 'empty-object', description: '200 {}.', seenIn: ['Pusher docs', 'Reverb (events)', 'Sockudo 5 (batch)'], verdict: 'pass' },
      { id: 'ok-true', description: '200 {"ok":true}.', seenIn: ['soketi 1.6', 'Sockudo 5 (events)'], verdict: 'pass' },
      { id: 'batch-object', description: '200 {"batch":{}} for batch_events.', seenIn: ['Reverb'], verdict: 'pass' },
      { id: 'non-json', description: '2xx with an empty or non-JSON body.', seenIn: [], verdict: 'warn' },
    ],
    clauses: ['rest.trigger-success-body'],
    sources: [
      { source: 'pusher-docs/rest-api' },
      { source: 'soketi/http-handler' },
      { source: 'reverb/http-controllers' },
    ],
  },
  'rest-validation-status': {
    title: 'Status for invalid REST requests',
    question: 'Which status answers a correctly signed request with an invalid body?',
    position: 'The docs say 400. 422 warns (SDKs surface it as an error all the same). Accepting the invalid request warns. A 5xx fails, because callers retry it.',
    alternatives: [
      { id: '400', description: '400 with an explanation.', seenIn: ['Pusher docs', 'soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: '422', description: '422 with a validation map.', seenIn: ['Reverb'], verdict: 'warn' },
      { id: 'accepted', description: 'The invalid request is accepted.', seenIn: [], verdict: 'warn' },
      { id: '5xx', description: 'A server error.', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['rest.bad-request', 'rest.channel-xor-channels', 'robustness.rest-malformed-body'],
    sources: [
      { source: 'pusher-docs/rest-api', section: 'Status codes' },
      { source: 'reverb/http-controllers' },
    ],
  },
  'rest-info-validation': {
    title: 'Inapplicable info attributes',
    question: 'Does the server refuse info attributes that do not apply (user_count without a presence- filter or on a non-presence channel)?',
    position: 'The docs say 400; no open-source server does it. 400 passes; ignoring the attribute or answering anyway warns.',
    alternatives: [
      { id: '400', description: 'Refused with 400.', seenIn: ['Pusher docs'], verdict: 'pass' },
      { id: 'ignored', description: 'The attribute is ignored or answered anyway.', seenIn: ['soketi 1.6', 'Reverb', 'Sockudo 5'], verdict: 'warn' },
    ],
    clauses: ['rest.channels-user-count-needs-presence', 'rest.channel-info-inapplicable'],
    sources: [
      { source: 'pusher-docs/rest-api' },
      { source: 'kit/protocol-notes' },
    ],
  },
  'rest-timestamp-enforcement': {
    title: 'REST timestamp window',
    question: 'Must the server refuse requests whose auth_timestamp is more than 600 s off?',
    position: 'Hosted Pusher does and the docs describe it, but only Sockudo among open-source servers checks it and no client breaks without it, so it is a SHOULD: enforcing passes, not enforcing warns. A window narrower than 600 s fails, because backends with small clock skew would break.',
    alternatives: [
      { id: 'enforced-600', description: 'Refused with 401 beyond 600 s.', seenIn: ['Pusher docs', 'hosted Pusher', 'Sockudo 5'], verdict: 'pass' },
      { id: 'not-enforced', description: 'Any timestamp accepted.', seenIn: ['soketi 1.6', 'Reverb'], verdict: 'warn' },
      { id: 'narrower', description: 'Refused within 600 s.', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['request-signing.timestamp-window', 'request-signing.timestamp-tolerance'],
    sources: [
      { source: 'pusher-docs/rest-api' },
      { source: 'obs/pusher-http-ruby-49' },
      { source: 'sockudo/server' },
    ],
  },
  'payload-size-limit': {
    title: 'Payload size: 10 KB or 100 KB, of what',
    question: 'How large may event data be: 10 KB or 100 KB, with KB meaning 1000 or 1024 bytes, measured on data or on the whole body?',
    position: 'A profile value, measured on the data field (rest-api.md). For the Pusher profile (10 KB) the kit requires acceptance of 10 000 bytes and refusal (413) above 10 240 bytes; sizes in between are informational, since the docs do not fix the unit. 100 KB passes where the profile declares it. Measuring the whole body warns. Having no limit warns; a silent drop fails.',
    alternatives: [
      { id: 'data-10kb', description: '10 KB of data, 413 beyond.', seenIn: ['Pusher docs', 'Soketify (docs)', 'usage guide'], verdict: 'pass' },
      { id: 'data-100kb', description: '100 KB of data (declared in the profile).', seenIn: ['soketi 1.6', 'Sockudo 5'], verdict: 'pass' },
      { id: 'whole-body', description: 'The limit applies to the whole request body or frame.', seenIn: ['Pusher docs (http-api wording)', 'Reverb (10 000-byte WebSocket frames)'], verdict: 'warn' },
      { id: 'no-limit', description: 'No REST size limit.', seenIn: ['Reverb (REST)'], verdict: 'warn' },
      { id: 'silent-drop', description: 'Accepted with 2xx but never delivered.', seenIn: [], verdict: 'fail' },
    ],
    clauses: ['limits.payload-size', 'limits.payload-size-batch', 'limits.client-event-size'],
    sources: [
      { source: 'pusher-docs/rest-api' },
      { source: 'pusher-docs/http-api' },
      { source: 'soketify/events' },
      { source: 'guide/pusher-usage' },
      { source: 'soketi/server' },
      { source: 'kit/profiles' },
    ],
  },

  // --- Webhooks ---------------------------------------------------------------------------------
  'webhook-batching': {
    title: 'Events per webhook request',
    question: 'Does each webhook request carry one event or several?',
    position: 'Both are documented (batching is an option), and receivers must iterate events, so both pass.',
    alternatives: [
      { id: 'single', description: 'One event per request.', seenIn: ['Pusher docs (default)', 'soketi 1.6 (default)'], verdict: 'pass' },
      { id: 'batched', description: 'Several events per request.', seenIn: ['Pusher docs (batch webhooks)', 'Sockudo 5 (default)'], verdict: 'pass' },
    ],
    clauses: ['webhooks.batching', 'webhooks.envelope'],
    sources: [
      { source: 'pusher-docs/webhooks' },
      { source: 'soketi/webhook-sender' },
      { source: 'sockudo/webhook' },
    ],
  },
} as const satisfies Record<string, AmbiguityDef>;

export type AmbiguityId = keyof typeof ambiguities;

export function isAmbiguityId(s: string): s is AmbiguityId {
  return Object.hasOwn(ambiguities, s);
}

export function ambiguity(id: AmbiguityId): AmbiguityDef & { id: AmbiguityId } {
  return { id, ...ambiguities[id] };
}
