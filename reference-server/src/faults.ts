/**
 * Named faults: deliberate bugs the reference server can switch on (`serve --fault NAME`), each
 * breaking one clause. They exist so the suite can prove that every case is able to fail.
 * The default server has none.
 * @module
 */
import type { ClauseId } from '../../spec/src/clauses/index.ts';

export interface FaultDef {
  readonly clause: ClauseId;
  readonly description: string;
}

export const faults = {
  // connection
  'socket-id-malformed': { clause: 'connection.socket-id-format', description: 'socket_id in connection_established is not digits.digits' },
  'activity-timeout-zero': { clause: 'connection.activity-timeout-positive', description: 'activity_timeout is advertised as 0' },
  'handshake-data-object': { clause: 'connection.established-data-string', description: 'connection_established data is sent as an object instead of a JSON string' },
  'no-pong': { clause: 'connection.ping-pong', description: 'pusher:ping is never answered' },
  'unknown-app-accepted': { clause: 'connection.unknown-app-key', description: 'an unknown app key connects to the default app' },
  'unknown-app-wrong-code': { clause: 'connection.unknown-app-key', description: 'an unknown app key is closed with 4200 (reconnect) instead of 4001' },
  'disabled-app-accepted': { clause: 'connection.app-disabled', description: 'a disabled app accepts connections' },
  'bad-path-accepted': { clause: 'connection.path-not-found', description: 'a path other than /app/{key} is served as the default app' },
  'quota-not-enforced': { clause: 'connection.over-quota', description: 'the connection quota is not enforced' },
  'error-data-string': { clause: 'errors.error-data-object', description: 'pusher:error data is a JSON string instead of an object' },
  'invalid-json-closes': { clause: 'robustness.invalid-json', description: 'a frame that is not JSON closes the connection' },
  'no-protocol-pong': { clause: 'connection.protocol-ping', description: 'RFC 6455 ping control frames are not answered with a pong' },
  'handshake-deferred': { clause: 'connection.established-first', description: 'connection_established is sent 150 ms after the upgrade, while frames sent meanwhile are already handled and answered' },
  // subscription and channel auth
  'signature-not-checked': { clause: 'channel-auth.private-required', description: 'private, encrypted and presence subscriptions are accepted without a valid signature' },
  'other-socket-signature-accepted': { clause: 'channel-auth.wrong-socket-id', description: 'a signature made for another connected socket id is accepted' },
  'other-channel-signature-accepted': { clause: 'channel-auth.wrong-channel', description: 'a signature made for another existing channel is accepted' },
  'channel-data-not-signed': { clause: 'channel-auth.presence-tampered', description: 'presence signatures are checked without channel_data, so tampered channel_data is accepted' },
  'truncated-signature-accepted': { clause: 'channel-auth.truncated-signature', description: 'only as many hex digits as the client sent are compared' },
  'auth-key-ignored': { clause: 'channel-auth.wrong-key-prefix', description: 'the key before ":" in auth is not checked' },
  'unsubscribe-ignored': { clause: 'subscription.unsubscribe-stops-delivery', description: 'pusher:unsubscribe is ignored; events keep arriving' },
  'channel-name-unchecked': { clause: 'subscription.channel-name-invalid', description: 'channel names with invalid characters or over the length limit are accepted' },
  'subscription-succeeded-no-channel': { clause: 'subscription.public-succeeded', description: 'subscription_succeeded is sent without its channel' },
  'succeeded-data-absent': { clause: 'subscription.succeeded-data', description: 'subscription_succeeded for a non-presence channel carries no data' },
  'resubscribe-silent': { clause: 'subscription.resubscribe-confirmed', description: 'a subscribe to a channel the connection already holds gets no answer' },
  'reserved-names-accepted': { clause: 'subscription.reserved-hash-names', description: 'subscriptions to #-prefixed names other than the connection\'s own server-to-user channel are accepted' },
  'channel-data-reserialized': { clause: 'channel-auth.presence-valid', description: 'presence signatures are checked over JSON.stringify(JSON.parse(channel_data)) instead of the string received' },
  'auth-refusal-silent': { clause: 'channel-auth.failure-signalled', description: 'a subscription refused for its signature gets no answer' },
  'auth-refusal-closes': { clause: 'channel-auth.failure-keeps-connection', description: 'a subscription refused for its signature closes the connection with 4009' },
  'private-auth-name-escaped': { clause: 'channel-auth.private-valid', description: 'channel signatures are checked over the URL-escaped channel name, so valid signatures of names holding = @ , ; are refused' },
  'encrypted-auth-wrong-string': { clause: 'encrypted.auth-like-private', description: 'private-encrypted- signatures are checked over "{socket_id}:{channel}" with the private-encrypted- prefix stripped' },
  'channel-name-charset-narrow': { clause: 'subscription.channel-name-charset', description: 'channel names holding = @ , . ; are refused (only A-Za-z0-9_- accepted)' },
  'subscribe-missing-channel-closes': { clause: 'subscription.missing-channel', description: 'a pusher:subscribe whose data has no string channel closes the connection with 4200' },
  'crash-on-malformed-subscribe': { clause: 'subscription.missing-channel', description: 'a pusher:subscribe whose data has no string channel crashes the server (serve exits 1 at once; embedded, the connection is dropped)' },
  'one-channel-per-connection': { clause: 'subscription.multiple-channels', description: 'a new subscription silently replaces the connection\'s previous ones' },
  'channel-type-unanchored': { clause: 'subscription.type-by-anchored-prefix', description: 'a channel\'s type is taken from a type prefix found anywhere in its name (x-private-a needs a signature, x-cache-a gets the cache replay)' },
  // presence
  'member-added-every-connection': { clause: 'presence.member-added-first-connection', description: 'member_added is sent for every connection of a user, not only the first' },
  'member-removed-early': { clause: 'presence.member-removed-last-connection', description: 'member_removed is sent when any connection of a user leaves' },
  'member-added-to-joiner': { clause: 'presence.member-added-not-to-joiner', description: 'the joining socket receives its own member_added' },
  'presence-hash-missing-subscriber': { clause: 'presence.succeeded-includes-self', description: 'the member list sent to a subscriber leaves the subscriber out' },
  'presence-count-connections': { clause: 'presence.one-entry-per-user', description: 'count and user_count count connections instead of distinct users' },
  'presence-member-limit-off-by-one': { clause: 'limits.presence-members', description: 'one member more than the limit is admitted' },
  'presence-user-info-unchecked': { clause: 'limits.presence-user-size', description: 'user_info over the size limit is accepted' },
  'presence-channel-data-optional': { clause: 'presence.channel-data-required', description: 'a presence subscription without channel_data is accepted, as a member with a generated id' },
  'presence-channel-data-unvalidated': { clause: 'presence.channel-data-json', description: 'channel_data that is a JSON object is accepted without a user_id or with a user_info that is not an object' },
  'presence-user-id-length-off-by-one': { clause: 'limits.presence-user-id-length', description: 'a user_id one character over the length limit is accepted' },
  'presence-member-limit-too-low': { clause: 'limits.presence-members', description: 'only one member fewer than the limit is admitted' },
  'numeric-user-id-stringified': { clause: 'presence.user-id-number', description: 'a numeric user_id is reported as a string in the member list and member_added' },
  'member-added-no-user-info': { clause: 'presence.member-added-data', description: 'member_added data carries only user_id, never the member\'s user_info' },
  'member-removed-socket-id': { clause: 'presence.member-removed-data', description: 'member_removed data names the leaving socket id instead of the user_id' },
  'presence-hash-array-when-empty': { clause: 'presence.hash-is-object', description: 'the presence hash is sent as [] when no member gave user_info' },
  'presence-hash-omits-members-without-info': { clause: 'presence.succeeded-data', description: 'members whose channel_data has no user_info are left out of the presence hash (ids and count still list them)' },
  'presence-member-limit-counts-connections': { clause: 'limits.presence-members', description: 'the presence member limit counts connections, so a further connection of an existing member of a full channel is refused' },
  // client events
  'client-event-echo': { clause: 'client-events.no-echo', description: 'client events are echoed back to the sender' },
  'client-events-on-public': { clause: 'client-events.private-presence-only', description: 'client events are relayed on public channels' },
  'client-events-unsubscribed': { clause: 'client-events.sender-subscribed', description: 'client events from a connection not subscribed to the channel are relayed' },
  'client-event-rate-limit-off': { clause: 'limits.client-event-rate', description: 'the client event rate limit is not enforced' },
  'client-event-no-user-id': { clause: 'client-events.presence-user-id', description: 'client events on presence channels are relayed without user_id' },
  'client-events-cached': { clause: 'cache.client-events-not-cached', description: 'client events on cache channels replace the cached event' },
  'client-events-on-encrypted': { clause: 'client-events.encrypted-not-relayed', description: 'client events are relayed on private-encrypted channels' },
  'client-events-flag-ignored': { clause: 'client-events.enabled-flag', description: 'client events are relayed although the app disabled them' },
  'internal-event-relayed': { clause: 'robustness.pusher-internal-from-client', description: 'pusher_internal: and pusher: events sent by a client on a channel are relayed to subscribers' },
  'client-event-rate-limit-closes': { clause: 'client-events.rate-limit-keeps-connection', description: 'a client event over the rate limit closes the connection with 4301' },
  'client-event-data-altered': { clause: 'client-events.frame-shape', description: 'relayed client event data is JSON-encoded once more (a string arrives quoted)' },
  'client-event-echo-other-connections-skipped': { clause: 'client-events.delivered-to-others', description: 'client events on a presence channel skip the other connections of the sending user' },
  'client-event-user-id-passed-through': { clause: 'client-events.user-id-not-spoofable', description: 'a user_id the sender put in a client event is relayed on channels other than presence' },
  'client-event-name-unanchored': { clause: 'client-events.name-prefix', description: 'an event is relayed as a client event when client- appears anywhere in its name (" client-a", "x-client-a")' },
  'reserved-event-prefix-unanchored': { clause: 'client-events.delivered-to-others', description: 'a client event whose name holds pusher: or pusher_internal: anywhere (client-x-pusher:y) is refused as reserved' },
  // cache
  'cache-never-expires': { clause: 'cache.ttl', description: 'cached events never expire' },
  'cache-replays-first': { clause: 'cache.latest-only', description: 'the first cached event is replayed instead of the last' },
  'cache-miss-not-sent': { clause: 'cache.miss-event', description: 'no pusher:cache_miss is sent on an empty cache channel' },
  'cache-miss-webhook-every-time': { clause: 'webhooks.cache-miss-dedup', description: 'cache_miss webhooks are not de-duplicated' },
  'cache-replay-on-plain-channels': { clause: 'cache.plain-channels-no-replay', description: 'subscriptions to channels without a cache prefix get the cache replay (pusher:cache_miss when empty)' },
  // subscription count
  'subscription-count-never-sent': { clause: 'subscription-count.on-change', description: 'pusher_internal:subscription_count is never sent' },
  'subscription-count-on-presence': { clause: 'subscription-count.not-presence', description: 'subscription_count is sent on presence channels too' },
  'subscription-count-off-by-one': { clause: 'subscription-count.value', description: 'subscription_count reports one more than the number of subscribers' },
  // publishing and REST
  'data-as-object': { clause: 'subscription.data-verbatim', description: 'channel event data that holds JSON is relayed as an object instead of the string published' },
  'data-reserialized': { clause: 'subscription.data-verbatim', description: 'channel event data that holds JSON is relayed re-serialized (whitespace and escapes change)' },
  'data-double-encoded': { clause: 'subscription.data-verbatim', description: 'string data published through the REST API is JSON-encoded a second time before delivery ("sync-1" arrives as "\\"sync-1\\"")' },
  'event-frame-no-channel': { clause: 'subscription.event-frame-shape', description: 'events published through the REST API are delivered without channel' },
  'socket-id-exclusion-ignored': { clause: 'rest.socket-id-exclusion', description: 'the socket_id of a publish is not excluded' },
  'batch-socket-id-ignored': { clause: 'rest.batch-events', description: 'the socket_id of a batch entry is not excluded' },
  'event-delivered-twice': { clause: 'rest.trigger-channels', description: 'a connection subscribed to several of the target channels gets the event once per channel, and every event twice' },
  'multi-channel-partial-delivery': { clause: 'encrypted.multi-channel-publish', description: 'a publish to several channels including an encrypted one is refused with 400 but still delivered to the other channels' },
  'rest-signature-not-checked': { clause: 'request-signing.signature-invalid', description: 'auth_signature is not checked' },
  'rest-timestamp-not-checked': { clause: 'request-signing.timestamp-window', description: 'auth_timestamp is not checked against the window' },
  'rest-body-md5-not-checked': { clause: 'request-signing.body-md5-match', description: 'body_md5 is not checked against the body' },
  'payload-limit-off-by-one': { clause: 'limits.payload-size', description: 'one byte over the payload limit is accepted' },
  'event-name-limit-off-by-one': { clause: 'limits.event-name-length', description: 'one character over the event name limit is accepted' },
  'channel-name-limit-off-by-one': { clause: 'limits.channel-name-length', description: 'one character over the channel name limit is accepted' },
  'channels-per-trigger-off-by-one': { clause: 'limits.channels-per-trigger', description: 'one channel over the per-publish limit is accepted' },
  'batch-size-off-by-one': { clause: 'limits.batch-size', description: 'one event over the batch limit is accepted' },
  'payload-too-large-400': { clause: 'limits.payload-size', description: 'an over-limit payload is answered 400 instead of 413' },
  'rest-info-ignored': { clause: 'rest.trigger-info', description: 'info on publish is ignored; the response is always {}' },
  'channels-list-includes-vacated': { clause: 'rest.channels-list', description: 'GET /channels keeps listing channels after their last subscriber left' },
  'users-endpoint-duplicates': { clause: 'rest.users', description: 'GET /channels/{name}/users lists a user once per connection' },
  'error-status-200': { clause: 'rest.bad-request', description: 'a request refused with 400 is answered HTTP 200, the error in a JSON body ({"error":…,"code":400})' },
  'batch-endpoint-missing': { clause: 'rest.batch-events', description: 'POST /batch_events answers 404, as on a server without the endpoint' },
  'rest-success-body-not-json': { clause: 'rest.trigger-success-body', description: 'publish, batch and terminate_connections answer 200 with a plain-text body' },
  'rest-info-not-validated': { clause: 'rest.channel-info-inapplicable', description: 'inapplicable info attributes, info=user_count without a presence- filter, and users of a non-presence channel answer 200' },
  'filter-by-prefix-substring': { clause: 'rest.channels-filter-prefix', description: 'filter_by_prefix matches anywhere in the channel name' },
  'unknown-app-rest-default': { clause: 'rest.not-found', description: 'an unknown app id in a REST path is served as the default app' },
  'rest-query-signed-escaped': { clause: 'request-signing.extra-params-signed', description: 'the signature is checked over the URL-escaped query values' },
  'body-md5-required-on-get': { clause: 'request-signing.empty-body-no-md5', description: 'a GET of one channel or of its users without body_md5 is refused with 401 (the channel list is spared)' },
  'timestamp-window-narrow': { clause: 'request-signing.timestamp-tolerance', description: 'auth_timestamp is accepted only within 5 s of the server clock' },
  'future-timestamp-not-checked': { clause: 'request-signing.timestamp-window', description: 'only auth_timestamp values in the past are checked against the window; any future timestamp is accepted' },
  'other-app-credentials-accepted': { clause: 'request-signing.signature-invalid', description: 'a request to one app signed with the auth_key and secret of another app of the server is accepted' },
  'batch-signature-not-checked': { clause: 'request-signing.signature-invalid', description: 'POST /batch_events is served without checking auth_signature' },
  'channel-get-signature-not-checked': { clause: 'request-signing.signature-invalid', description: 'GET /channels/{name} and GET /channels/{name}/users are served without checking auth_signature (the channel list is checked)' },
  'batch-payload-unchecked': { clause: 'limits.payload-size-batch', description: 'the data size of POST /batch_events items is not checked (POST /events is)' },
  'client-event-size-chars': { clause: 'limits.client-event-size', description: 'the client event data limit is counted in UTF-16 characters instead of UTF-8 bytes' },
  'client-event-name-limit-unchecked': { clause: 'limits.event-name-length', description: 'the event name limit is checked on REST publishes only; client events of any name length are relayed' },
  'event-name-limit-bytes': { clause: 'limits.event-name-length', description: 'the REST event name limit is counted in UTF-8 bytes instead of characters' },
  'channels-list-phantom': { clause: 'rest.channels-list', description: 'GET /channels without filter_by_prefix keeps listing channels after their last subscriber left (the filtered list and GET /channels/{name} are right)' },
  // users
  'signin-signature-not-checked': { clause: 'signin.invalid-signature', description: 'pusher:signin is accepted without a valid signature' },
  'signin-second-user-accepted': { clause: 'signin.different-user-refused', description: 'a connection already signed in may sign in as a different user' },
  'server-to-user-broadcast': { clause: 'server-to-user.only-that-user', description: 'events for #server-to-user-{id} reach every connection of the app' },
  'terminate-all-users': { clause: 'terminate.only-that-user', description: 'terminate_connections closes every signed-in connection of the app' },
  'watchlist-never-sent': { clause: 'watchlist.online', description: 'watchlist events are never sent' },
  'signin-user-data-reencoded': { clause: 'signin.success-user-data', description: 'signin_success echoes JSON.stringify(JSON.parse(user_data)) instead of the string received' },
  'signin-user-id-charset-unchecked': { clause: 'signin.user-id-charset', description: 'user ids with characters outside A-Za-z0-9_-=@,.; are accepted' },
  'signin-user-data-unchecked': { clause: 'signin.user-data-id', description: 'user_data without an id, or with an empty id, is accepted (as user "")' },
  'signin-failure-closes': { clause: 'signin.failure-keeps-connection', description: 'a sign-in refused for its signature closes the connection with 4009' },
  'server-to-user-first-connection-only': { clause: 'server-to-user.delivery', description: 'events for #server-to-user-{id} reach only the first connection signed in as the user' },
  'watchlist-over-limit-refused': { clause: 'watchlist.over-limit-signin-succeeds', description: 'a sign-in whose watchlist is over the limit is refused' },
  'terminate-first-connection-only': { clause: 'terminate.closes-signed-in', description: 'terminate_connections closes only the first connection signed in as the user' },
  'terminate-close-1000': { clause: 'terminate.fatal-close-code', description: 'terminate_connections closes with 1000 (normal closure) instead of a 4000-4099 code' },
  'terminate-unknown-user-404': { clause: 'terminate.unknown-user', description: 'terminate_connections for a user with no connection answers 404' },
  // webhooks
  'webhook-unsigned': { clause: 'webhooks.signature', description: 'webhooks carry no X-Pusher-Signature' },
  'webhook-wrong-signature': { clause: 'webhooks.signature', description: 'webhooks are signed with the wrong secret' },
  'webhook-no-grace': { clause: 'webhooks.grace-delay', description: 'channel_vacated and member_removed are sent at once, even if the client is back within the grace window' },
  'webhook-time-ms-seconds': { clause: 'webhooks.envelope', description: 'time_ms is in seconds' },
  'webhook-member-added-every-connection': { clause: 'webhooks.member-added', description: 'member_added webhooks are sent for every connection of a user' },
  'webhook-occupied-private-not-sent': { clause: 'webhooks.channel-occupied', description: 'channel_occupied webhooks are not sent for channels that need a signature (private-, private-encrypted-, presence-)' },
  'cache-miss-webhook-not-sent': { clause: 'webhooks.cache-miss', description: 'cache_miss webhooks are never sent' },
  'webhook-content-type-text': { clause: 'webhooks.content-type', description: 'webhooks are sent with Content-Type: text/plain' },
  'webhook-reoccupied-announced': { clause: 'webhooks.occupied-before-vacated', description: 'a rejoin within the grace window cancels the pending channel_vacated / member_removed but still sends a second channel_occupied / member_added' },
  // robustness
  // truthful verdicts (issue 9): a UTF-8 bug no other fault plants, so that robustness/utf8-preserved has teeth of its own
  'data-astral-replaced': { clause: 'robustness.utf8-preserved', description: 'characters outside the Basic Multilingual Plane (emoji, U+10000 and above) in data published through the REST API are relayed as U+FFFD' },
  'leak-on-disconnect': { clause: 'robustness.abrupt-disconnect', description: 'an abrupt disconnect leaves the connection subscribed to its channels' },
  'wrong-types-close': { clause: 'robustness.wrong-types', description: 'a frame that is not an object with a string event closes the connection with 1000' },
  'unknown-event-relayed': { clause: 'robustness.unknown-event-not-relayed', description: 'events that are neither pusher: nor client- events, sent with a channel the sender is subscribed to, are relayed to its other subscribers' },
  'binary-frame-drop': { clause: 'robustness.binary-frames', description: 'a binary frame drops the TCP connection without a close frame' },
  'rest-malformed-body-500': { clause: 'robustness.rest-malformed-body', description: 'a REST body that is not JSON or has the wrong shape is answered 500' },
  // sdk: what the SDK lanes (suites/src/cases/sdk) catch that no other fault covers
  'signin-channel-string-signed': { clause: 'signin.valid-signature', description: 'pusher:signin signatures are checked over "{socket_id}:{user_data}" (the channel-auth string) instead of "{socket_id}::user::{user_data}"' },
  // mutation survivors (reports/mutation/TRIAGE.md): what a surviving mutant did that no fault did
  'client-event-malformed-silent': { clause: 'client-events.not-subscribed-signalled', description: 'a client event without a string channel is dropped without a pusher:error' },
  'signin-user-id-length-unchecked': { clause: 'limits.presence-user-id-length', description: 'pusher:signin accepts a user id over the user id length limit (presence subscriptions still check it)' },
  'watchlist-over-limit-silent': { clause: 'watchlist.over-limit-4302', description: 'a watchlist over the limit is truncated without the pusher:error 4302' },
  'watchlist-online-every-signin': { clause: 'watchlist.second-connection-silent', description: 'watchers get online on every sign-in of a watched user, not only on its first connection' },
  // cluster (no effect on a single node: they break only what crosses nodes)
  'cluster-events-local-only': { clause: 'cluster.events-every-node', description: 'an event published over REST reaches only the subscribers on the node that received the publish' },
  'cluster-client-events-local-only': { clause: 'cluster.client-events-every-node', description: 'client events are relayed only to subscribers on the sender\'s node' },
  'cluster-exclusion-local-only': { clause: 'cluster.socket-id-exclusion', description: 'socket_id exclusion is applied only on the node that received the publish; the other nodes deliver to the excluded socket' },
  'cluster-presence-per-node': { clause: 'cluster.presence-cluster-wide', description: 'presence membership is counted per node: member lists, counts and member_added/member_removed see only the node\'s own members' },
  'cluster-rest-local': { clause: 'cluster.rest-queries-cluster-wide', description: 'GET /channels, channel info and users answer from the receiving node\'s own subscribers only' },
  'cluster-cache-not-shared': { clause: 'cluster.cache-shared', description: 'cache channels replay only events published through the subscriber\'s own node' },
  'cluster-users-local-only': { clause: 'cluster.users-every-node', description: 'server-to-user events, terminate_connections and watchlist events reach only the node that received them' },
  'cluster-webhooks-per-node': { clause: 'cluster.webhooks-once', description: 'channel_occupied/vacated and member_added/removed webhooks are decided per node, so each node sends its own' },
  'cluster-dead-node-kept': { clause: 'cluster.dead-node-members-removed', description: 'a node that stops sending heartbeats is never dropped: its members stay listed and get no member_removed' },
} as const satisfies Record<string, FaultDef>;

export type FaultName = keyof typeof faults;
export const faultNames = Object.keys(faults) as FaultName[];
export const isFaultName = (s: string): s is FaultName => Object.hasOwn(faults, s);

/** Faults that break only what crosses nodes: observable on a cluster (suites/test/cluster.test.ts), not on one server. */
export type ClusterFaultName = Extract<FaultName, `cluster-${string}`>;
export type SingleNodeFaultName = Exclude<FaultName, ClusterFaultName>;
export const isClusterFault = (name: FaultName): name is ClusterFaultName => name.startsWith('cluster-');
export const clusterFaultNames = faultNames.filter(isClusterFault);
export const singleNodeFaultNames = faultNames.filter((f): f is SingleNodeFaultName => !isClusterFault(f));
