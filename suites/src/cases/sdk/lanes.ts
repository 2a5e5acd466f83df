/**
 * The SDK compatibility table's rows and columns: which library and which of its features each
 * SDK case stands for. Case ids are stable, so reports of earlier runs render with it too.
 * @module
 */
import type { SdkLibrary } from './versions.ts';

export interface SdkLane {
  readonly library: SdkLibrary;
  /** the feature in the library's own terms */
  readonly feature: string;
}

/** case id → lane, in the order the table lists them */
export const sdkLanes: Readonly<Record<string, SdkLane>> = {
  'sdk/pusher-js-connect-idle': { library: 'pusher-js', feature: 'connect, idle with pings' },
  'sdk/pusher-js-unknown-key': { library: 'pusher-js', feature: 'close code: unknown app key' },
  'sdk/pusher-js-disabled-app': { library: 'pusher-js', feature: 'close code: disabled app' },
  'sdk/pusher-js-over-quota': { library: 'pusher-js', feature: 'close code: over quota' },
  'sdk/pusher-js-terminated': { library: 'pusher-js', feature: 'close code: terminate_connections' },
  'sdk/pusher-js-resubscribe': { library: 'pusher-js', feature: 'reconnect and resubscribe' },
  'sdk/pusher-js-public': { library: 'pusher-js', feature: 'public channel events' },
  'sdk/pusher-js-private': { library: 'pusher-js', feature: 'private channel (authorizer)' },
  'sdk/pusher-js-auth-refusal-surfaced': { library: 'pusher-js', feature: 'auth refusal surfaced' },
  'sdk/pusher-js-presence-members': { library: 'pusher-js', feature: 'presence members (count, each, me)' },
  'sdk/pusher-js-presence-events': { library: 'pusher-js', feature: 'presence member_added / member_removed' },
  'sdk/pusher-js-encrypted': { library: 'pusher-js', feature: 'encrypted channel decryption' },
  'sdk/pusher-js-client-events': { library: 'pusher-js', feature: 'client events (trigger)' },
  'sdk/pusher-js-client-event-refused': { library: 'pusher-js', feature: 'client events refused' },
  'sdk/pusher-js-cache': { library: 'pusher-js', feature: 'cache channel (cache_miss, replay)' },
  'sdk/pusher-js-user-events': { library: 'pusher-js', feature: 'user sign-in, user.bind' },
  'sdk/pusher-js-watchlist': { library: 'pusher-js', feature: 'watchlist online / offline' },
  'sdk/laravel-echo-channel-listen': { library: 'laravel-echo', feature: 'channel().listen' },
  'sdk/laravel-echo-private-whisper': { library: 'laravel-echo', feature: 'private().listen, whisper / listenForWhisper' },
  'sdk/laravel-echo-presence': { library: 'laravel-echo', feature: 'join().here / joining / leaving' },
  'sdk/laravel-echo-encrypted': { library: 'laravel-echo', feature: 'encryptedPrivate().listen' },
  'sdk/pusher-server-trigger': { library: 'pusher', feature: 'trigger (one and several channels)' },
  'sdk/pusher-server-trigger-info': { library: 'pusher', feature: 'trigger with info' },
  'sdk/pusher-server-socket-exclusion': { library: 'pusher', feature: 'trigger with socket_id' },
  'sdk/pusher-server-trigger-batch': { library: 'pusher', feature: 'triggerBatch' },
  'sdk/pusher-server-channel-queries': { library: 'pusher', feature: 'get channels / channel / users' },
  'sdk/pusher-server-send-to-user': { library: 'pusher', feature: 'sendToUser' },
  'sdk/pusher-server-terminate': { library: 'pusher', feature: 'terminateUserConnections' },
  'sdk/pusher-server-authorize-channel': { library: 'pusher', feature: 'authorizeChannel output accepted' },
  'sdk/pusher-server-authenticate-user': { library: 'pusher', feature: 'authenticateUser output accepted' },
  'sdk/pusher-server-webhook-valid': { library: 'pusher', feature: 'webhook(…).isValid()' },
};
