/**
 * Teeth of the SDK lanes: for each case, the reference-server faults that make it fail
 * (verified by running). signin-channel-string-signed was added for the SDK lanes.
 */
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'sdk/pusher-js-connect-idle': ['no-pong'],
  'sdk/pusher-js-unknown-key': ['unknown-app-wrong-code', 'unknown-app-accepted'],
  'sdk/pusher-js-disabled-app': ['disabled-app-accepted'],
  'sdk/pusher-js-over-quota': ['quota-not-enforced'],
  'sdk/pusher-js-terminated': ['terminate-close-1000'],
  'sdk/pusher-js-resubscribe': ['leak-on-disconnect', 'event-delivered-twice'],
  'sdk/pusher-js-public': ['data-double-encoded', 'event-frame-no-channel'],
  'sdk/pusher-js-private': ['signature-not-checked'],
  'sdk/pusher-js-auth-refusal-surfaced': ['auth-refusal-silent'],
  'sdk/pusher-js-presence-members': ['presence-hash-missing-subscriber', 'presence-count-connections'],
  'sdk/pusher-js-presence-events': ['member-removed-early', 'member-added-every-connection'],
  'sdk/pusher-js-encrypted': ['encrypted-auth-wrong-string'],
  'sdk/pusher-js-client-events': ['client-event-echo'],
  'sdk/pusher-js-client-event-refused': ['client-events-flag-ignored'],
  'sdk/pusher-js-cache': ['cache-miss-not-sent', 'cache-replays-first'],
  'sdk/pusher-js-user-events': ['server-to-user-first-connection-only'],
  'sdk/pusher-js-watchlist': ['watchlist-never-sent'],
  'sdk/laravel-echo-channel-listen': ['data-double-encoded'],
  'sdk/laravel-echo-private-whisper': ['client-event-echo'],
  'sdk/laravel-echo-presence': ['presence-hash-missing-subscriber', 'member-removed-socket-id'],
  'sdk/laravel-echo-encrypted': ['encrypted-auth-wrong-string'],
  'sdk/pusher-server-trigger': ['rest-success-body-not-json', 'event-delivered-twice'],
  'sdk/pusher-server-trigger-info': ['rest-info-ignored'],
  'sdk/pusher-server-socket-exclusion': ['socket-id-exclusion-ignored'],
  'sdk/pusher-server-trigger-batch': ['batch-socket-id-ignored', 'batch-endpoint-missing'],
  'sdk/pusher-server-channel-queries': ['users-endpoint-duplicates'],
  'sdk/pusher-server-send-to-user': ['server-to-user-broadcast'],
  'sdk/pusher-server-terminate': ['terminate-first-connection-only', 'terminate-all-users'],
  'sdk/pusher-server-authorize-channel': ['private-auth-name-escaped', 'encrypted-auth-wrong-string'],
  'sdk/pusher-server-authenticate-user': ['signin-channel-string-signed'],
  'sdk/pusher-server-webhook-valid': ['webhook-wrong-signature', 'webhook-unsigned'],
} satisfies Record<string, FaultName[]>;
