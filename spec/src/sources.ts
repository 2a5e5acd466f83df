/**
 * Catalogue of the sources the clause registry and the ambiguity register cite.
 *
 * Kinds:
 * - `spec`: Pusher's own documentation pages (markdown source in `pusher/docs` @ b34294a).
 * - `sdk`: official client and server libraries, which in practice define what a server must send.
 * - `impl`: open-source Pusher-compatible servers, read as source code (not run).
 * - `seed`: documentation of hosted services and a usage guide; no public URL, so `url` is a label.
 * - `observed`: frames sent by hosted Pusher, as shown in public issues or byte-exact test fixtures.
 * - `kit`: decisions and computations of this project.
 */

export type SourceKind = 'spec' | 'sdk' | 'impl' | 'seed' | 'observed' | 'kit';

export interface SourceDef {
  title: string;
  url: string;
  kind: SourceKind;
  /** Version or commit the facts were read at. */
  version?: string;
}

const DOCS = 'https://pusher.com/docs/channels';
const PUSHER_JS = 'https://github.com/pusher/pusher-js/blob/v8.6.0';
const PUSHER_NODE = 'https://github.com/pusher/pusher-http-node/blob/7492d8d';
const SOKETI = 'https://github.com/soketi/soketi/blob/5d18878';
const REVERB = 'https://github.com/laravel/reverb/blob/dca414f';
const SOCKUDO = 'https://github.com/sockudo/sockudo/blob/7040dc0';

const DOCS_VERSION = 'pusher/docs @ b34294a (2025-06-12)';
const JS_VERSION = 'pusher-js 8.6.0 @ f53faf9';
const NODE_VERSION = 'pusher-http-node 5.3.3 @ 7492d8d';
const SOKETI_VERSION = 'soketi @ 5d18878 (2024-03-25)';
const REVERB_VERSION = 'laravel/reverb @ dca414f';
const SOCKUDO_VERSION = 'sockudo 5.0.1 @ 7040dc0';

export const sources = {
  // --- Pusher documentation -------------------------------------------------------------------
  'pusher-docs/websocket-protocol': {
    title: 'Pusher Channels Protocol (WebSocket protocol 7)',
    url: `${DOCS}/library_auth_reference/pusher-websockets-protocol`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/auth-signatures': {
    title: 'Auth signatures',
    url: `${DOCS}/library_auth_reference/auth-signatures`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/rest-api': {
    title: 'HTTP API reference',
    url: `${DOCS}/library_auth_reference/rest-api`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/rest-api-deprecated': {
    title: 'Deprecated HTTP API endpoints',
    url: `${DOCS}/library_auth_reference/rest-api-deprecated`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/server-library-spec': {
    title: 'Server library reference specification',
    url: `${DOCS}/library_auth_reference/server-library-reference-specification`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/webhooks': {
    title: 'Webhooks',
    url: `${DOCS}/server_api/webhooks`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/http-api': {
    title: 'Server API: HTTP API overview',
    url: `${DOCS}/server_api/http-api`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/authenticating-users': {
    title: 'Authenticating users (server)',
    url: `${DOCS}/server_api/authenticating-users`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/authorizing-users': {
    title: 'Authorizing users (server)',
    url: `${DOCS}/server_api/authorizing-users`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/server-to-user-messages': {
    title: 'Sending events to authenticated users',
    url: `${DOCS}/server_api/server-to-user-messages`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/terminating-user-connections': {
    title: 'Terminating user connections',
    url: `${DOCS}/server_api/terminating-user-connections`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/excluding-event-recipients': {
    title: 'Excluding event recipients',
    url: `${DOCS}/server_api/excluding-event-recipients`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/channels': {
    title: 'Channels',
    url: `${DOCS}/using_channels/channels`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/events': {
    title: 'Events',
    url: `${DOCS}/using_channels/events`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/presence-channels': {
    title: 'Presence channels',
    url: `${DOCS}/using_channels/presence-channels`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/encrypted-channels': {
    title: 'Encrypted channels',
    url: `${DOCS}/using_channels/encrypted-channels`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/cache-channels': {
    title: 'Cache channels',
    url: `${DOCS}/using_channels/cache-channels`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/connection': {
    title: 'Connection',
    url: `${DOCS}/using_channels/connection`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/user-authentication': {
    title: 'User authentication',
    url: `${DOCS}/using_channels/user-authentication`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/watchlist-events': {
    title: 'Watchlist events',
    url: `${DOCS}/using_channels/watchlist-events`,
    kind: 'spec',
    version: DOCS_VERSION,
  },
  'pusher-docs/authorized-connections': {
    title: 'Authorized connections',
    url: `${DOCS}/using_channels/authorized-connections`,
    kind: 'spec',
    version: DOCS_VERSION,
  },

  // --- Official SDKs ----------------------------------------------------------------------------
  'pusher-js/protocol': {
    title: 'pusher-js: protocol.ts (decodeMessage, processHandshake, getCloseAction)',
    url: `${PUSHER_JS}/src/core/connection/protocol/protocol.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/connection': {
    title: 'pusher-js: connection.ts',
    url: `${PUSHER_JS}/src/core/connection/connection.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/connection-manager': {
    title: 'pusher-js: connection_manager.ts',
    url: `${PUSHER_JS}/src/core/connection/connection_manager.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/channel': {
    title: 'pusher-js: channels/channel.ts',
    url: `${PUSHER_JS}/src/core/channels/channel.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/presence-channel': {
    title: 'pusher-js: channels/presence_channel.ts',
    url: `${PUSHER_JS}/src/core/channels/presence_channel.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/members': {
    title: 'pusher-js: channels/members.ts',
    url: `${PUSHER_JS}/src/core/channels/members.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/encrypted-channel': {
    title: 'pusher-js: channels/encrypted_channel.ts',
    url: `${PUSHER_JS}/src/core/channels/encrypted_channel.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/user': {
    title: 'pusher-js: user.ts (signin, #server-to-user channel)',
    url: `${PUSHER_JS}/src/core/user.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/watchlist': {
    title: 'pusher-js: watchlist.ts',
    url: `${PUSHER_JS}/src/core/watchlist.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/defaults': {
    title: 'pusher-js: defaults.ts (activity and pong timeouts)',
    url: `${PUSHER_JS}/src/core/defaults.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/url-schemes': {
    title: 'pusher-js: transports/url_schemes.ts (connection URL)',
    url: `${PUSHER_JS}/src/core/transports/url_schemes.ts`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-js/unit-tests': {
    title: 'pusher-js: unit tests of the core',
    url: `${PUSHER_JS}/spec/javascripts/unit/core`,
    kind: 'sdk',
    version: JS_VERSION,
  },
  'pusher-http-node/pusher': {
    title: 'pusher-http-node: lib/pusher.js (trigger, sendToUser, terminateUserConnections)',
    url: `${PUSHER_NODE}/lib/pusher.js`,
    kind: 'sdk',
    version: NODE_VERSION,
  },
  'pusher-http-node/auth': {
    title: 'pusher-http-node: lib/auth.js (channel and user signatures)',
    url: `${PUSHER_NODE}/lib/auth.js`,
    kind: 'sdk',
    version: NODE_VERSION,
  },
  'pusher-http-node/token': {
    title: 'pusher-http-node: lib/token.js (HMAC signing)',
    url: `${PUSHER_NODE}/lib/token.js`,
    kind: 'sdk',
    version: NODE_VERSION,
  },
  'pusher-http-node/requests': {
    title: 'pusher-http-node: lib/requests.js (REST request signing)',
    url: `${PUSHER_NODE}/lib/requests.js`,
    kind: 'sdk',
    version: NODE_VERSION,
  },
  'pusher-http-node/events': {
    title: 'pusher-http-node: lib/events.js (trigger and batch bodies, encryption)',
    url: `${PUSHER_NODE}/lib/events.js`,
    kind: 'sdk',
    version: NODE_VERSION,
  },
  'pusher-http-node/webhook': {
    title: 'pusher-http-node: lib/webhook.js (webhook validation)',
    url: `${PUSHER_NODE}/lib/webhook.js`,
    kind: 'sdk',
    version: NODE_VERSION,
  },
  'pusher-http-node/util': {
    title: 'pusher-http-node: lib/util.js (socket_id and channel validation)',
    url: `${PUSHER_NODE}/lib/util.js`,
    kind: 'sdk',
    version: NODE_VERSION,
  },
  'pusher-http-node/tests': {
    title: 'pusher-http-node: integration tests (signature and webhook vectors)',
    url: `${PUSHER_NODE}/tests/integration`,
    kind: 'sdk',
    version: NODE_VERSION,
  },

  // --- Open-source servers ----------------------------------------------------------------------
  'soketi/ws-handler': {
    title: 'soketi: src/ws-handler.ts',
    url: `${SOKETI}/src/ws-handler.ts`,
    kind: 'impl',
    version: SOKETI_VERSION,
  },
  'soketi/http-handler': {
    title: 'soketi: src/http-handler.ts',
    url: `${SOKETI}/src/http-handler.ts`,
    kind: 'impl',
    version: SOKETI_VERSION,
  },
  'soketi/server': {
    title: 'soketi: src/server.ts (defaults)',
    url: `${SOKETI}/src/server.ts`,
    kind: 'impl',
    version: SOKETI_VERSION,
  },
  'soketi/app': {
    title: 'soketi: src/app.ts (per-app settings)',
    url: `${SOKETI}/src/app.ts`,
    kind: 'impl',
    version: SOKETI_VERSION,
  },
  'soketi/utils': {
    title: 'soketi: src/utils.ts (channel prefix patterns)',
    url: `${SOKETI}/src/utils.ts`,
    kind: 'impl',
    version: SOKETI_VERSION,
  },
  'soketi/channels': {
    title: 'soketi: src/channels/*.ts',
    url: `${SOKETI}/src/channels`,
    kind: 'impl',
    version: SOKETI_VERSION,
  },
  'soketi/webhook-sender': {
    title: 'soketi: src/webhook-sender.ts',
    url: `${SOKETI}/src/webhook-sender.ts`,
    kind: 'impl',
    version: SOKETI_VERSION,
  },
  'reverb/server': {
    title: 'Reverb: src/Protocols/Pusher/Server.php',
    url: `${REVERB}/src/Protocols/Pusher/Server.php`,
    kind: 'impl',
    version: REVERB_VERSION,
  },
  'reverb/event-handler': {
    title: 'Reverb: src/Protocols/Pusher/EventHandler.php',
    url: `${REVERB}/src/Protocols/Pusher/EventHandler.php`,
    kind: 'impl',
    version: REVERB_VERSION,
  },
  'reverb/client-event': {
    title: 'Reverb: src/Protocols/Pusher/ClientEvent.php',
    url: `${REVERB}/src/Protocols/Pusher/ClientEvent.php`,
    kind: 'impl',
    version: REVERB_VERSION,
  },
  'reverb/channels': {
    title: 'Reverb: src/Protocols/Pusher/Channels/*',
    url: `${REVERB}/src/Protocols/Pusher/Channels`,
    kind: 'impl',
    version: REVERB_VERSION,
  },
  'reverb/http-controllers': {
    title: 'Reverb: src/Protocols/Pusher/Http/Controllers/*',
    url: `${REVERB}/src/Protocols/Pusher/Http/Controllers`,
    kind: 'impl',
    version: REVERB_VERSION,
  },
  'reverb/ping-jobs': {
    title: 'Reverb: src/Jobs/{PingInactiveConnections,PruneStaleConnections}.php',
    url: `${REVERB}/src/Jobs`,
    kind: 'impl',
    version: REVERB_VERSION,
  },
  'reverb/config': {
    title: 'Reverb: config/reverb.php',
    url: `${REVERB}/config/reverb.php`,
    kind: 'impl',
    version: REVERB_VERSION,
  },
  'sockudo/protocol': {
    title: 'Sockudo: crates/sockudo-protocol/src/{messages,constants,protocol_version}.rs',
    url: `${SOCKUDO}/crates/sockudo-protocol/src`,
    kind: 'impl',
    version: SOCKUDO_VERSION,
  },
  'sockudo/core': {
    title: 'Sockudo: crates/sockudo-core/src/{error,auth,channel,utils}.rs',
    url: `${SOCKUDO}/crates/sockudo-core/src`,
    kind: 'impl',
    version: SOCKUDO_VERSION,
  },
  'sockudo/options': {
    title: 'Sockudo: crates/sockudo-core/src/options/*',
    url: `${SOCKUDO}/crates/sockudo-core/src/options`,
    kind: 'impl',
    version: SOCKUDO_VERSION,
  },
  'sockudo/handler': {
    title: 'Sockudo: crates/sockudo-adapter/src/handler/* and channel_manager.rs',
    url: `${SOCKUDO}/crates/sockudo-adapter/src`,
    kind: 'impl',
    version: SOCKUDO_VERSION,
  },
  'sockudo/server': {
    title: 'Sockudo: crates/sockudo-server/src/{ws_handler.rs,bootstrap/router.rs,http_handler/*}',
    url: `${SOCKUDO}/crates/sockudo-server/src`,
    kind: 'impl',
    version: SOCKUDO_VERSION,
  },
  'sockudo/webhook': {
    title: 'Sockudo: crates/sockudo-webhook/src/*',
    url: `${SOCKUDO}/crates/sockudo-webhook/src`,
    kind: 'impl',
    version: SOCKUDO_VERSION,
  },
  'sockudo/pr-345': {
    title: 'Sockudo PR #345: intended 4004 for the per-app connection quota',
    url: 'https://github.com/sockudo/sockudo/pull/345',
    kind: 'impl',
  },

  // --- Seed documents (no public URL) -----------------------------------------------------------
  'soketify/events': {
    title: 'Soketify docs: Events',
    url: 'seed:soketify/events',
    kind: 'seed',
  },
  'soketify/channels': {
    title: 'Soketify docs: Channels',
    url: 'seed:soketify/channels',
    kind: 'seed',
  },
  'soketify/connection': {
    title: 'Soketify docs: Connection',
    url: 'seed:soketify/connection',
    kind: 'seed',
  },
  'vask/events': {
    title: 'Vask docs: Events',
    url: 'seed:vask/events',
    kind: 'seed',
  },
  'guide/pusher-usage': {
    title: 'Third-party Pusher usage guide (skilldb)',
    url: 'seed:guide/pusher-usage',
    kind: 'seed',
  },

  // --- Observed hosted-Pusher behaviour ---------------------------------------------------------
  'obs/pusher-websocket-java-205': {
    title: 'Hosted Pusher pusher:error with code null for a bad subscription signature',
    url: 'https://github.com/pusher/pusher-websocket-java/issues/205',
    kind: 'observed',
  },
  'obs/chatify-demo-8': {
    title: 'Hosted Pusher pusher:error with code null when client events are disabled',
    url: 'https://github.com/munafio/chatify-demo/issues/8',
    kind: 'observed',
  },
  'obs/dart-pusher-channels-32': {
    title: 'Log of a soketi subscription_succeeded frame without a data key',
    url: 'https://github.com/kerimamansaryyev/dart_pusher_channels/issues/32',
    kind: 'observed',
  },
  'obs/pusher-http-ruby-49': {
    title: 'Hosted Pusher 401 "Timestamp expired ... not within 600s of server time"',
    url: 'https://github.com/pusher/pusher-http-ruby/issues/49',
    kind: 'observed',
  },
  'obs/pusher-websocket-swift-fixtures': {
    title: 'pusher-websocket-swift test fixtures (connection_established with activity_timeout 120)',
    url: 'https://github.com/pusher/pusher-websocket-swift',
    kind: 'observed',
  },
  'obs/pusher-websocket-java-fixtures': {
    title: 'pusher-websocket-java test fixtures (subscription_succeeded with data "{}")',
    url: 'https://github.com/pusher/pusher-websocket-java',
    kind: 'observed',
  },
  'obs/erlpusher-fixtures': {
    title: 'erlpusher client: byte-exact hosted frames',
    url: 'https://github.com/spylik/erlpusher',
    kind: 'observed',
  },

  // --- This kit ---------------------------------------------------------------------------------
  'kit/positions': {
    title: 'pusher-conformance design: positions on what the sources leave open',
    url: 'kit:DESIGN.md#positions-on-what-the-sources-leave-open',
    kind: 'kit',
  },
  'kit/protocol-notes': {
    title: 'pusher-conformance research notes on the protocol and its implementations',
    url: 'kit:reference/protocol-notes.md',
    kind: 'kit',
  },
  'kit/vectors': {
    title: 'pusher-conformance known-answer vectors (signatures, body_md5, secretbox)',
    url: 'kit:reference/protocol-notes.md#appendix-a',
    kind: 'kit',
  },
  'kit/profiles': {
    title: 'pusher-conformance target profiles (limits and dialects per server)',
    url: 'kit:spec/src/profiles',
    kind: 'kit',
  },
  'kit/soketi-peer': {
    title: 'pusher-conformance soketi peer runner: how our soketi 1.6.1 target is installed and configured',
    url: 'kit:peers/soketi/start.sh',
    kind: 'kit',
  },
  'kit/reference-server': {
    title: 'pusher-conformance embedded reference server: the default target and its test configuration',
    url: 'kit:reference-server/',
    kind: 'kit',
  },
} as const satisfies Record<string, SourceDef>;

export type SourceId = keyof typeof sources;

/** A citation: which source, optionally where in it and why. */
export interface SourceRef {
  source: SourceId;
  section?: string;
  note?: string;
}

export function isSourceId(s: string): s is SourceId {
  return Object.hasOwn(sources, s);
}

/** The catalogue entry for a citation. */
export function sourceOf(ref: SourceRef): SourceDef {
  return sources[ref.source];
}
