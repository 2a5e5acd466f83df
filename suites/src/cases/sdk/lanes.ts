/**
 * The SDK compatibility table's rows and columns: which library and which of its features each
 * SDK case stands for. Case ids are stable, so reports of earlier runs render with it too.
 * @module
 */
import type { SdkLibrary } from './versions.ts';

export interface SdkLane {
  readonly library: SdkLibrary;
  /** the row: a feature several libraries may share */
  readonly feature: string;
  /** what the case uses, in the library's own terms */
  readonly api: string;
}

/** case id → lane, in the order the table lists its rows */
export const sdkLanes: Readonly<Record<string, SdkLane>> = {
  'sdk/pusher-js-connect-idle': { library: 'pusher-js', feature: 'connection, idle with pings', api: 'connection.state' },
  'sdk/pusher-js-unknown-key': { library: 'pusher-js', feature: 'close code: unknown app key', api: 'connection error, no reconnect' },
  'sdk/pusher-js-disabled-app': { library: 'pusher-js', feature: 'close code: disabled app', api: 'connection error, no reconnect' },
  'sdk/pusher-js-over-quota': { library: 'pusher-js', feature: 'close code: over quota', api: 'reconnect as the code promises' },
  'sdk/pusher-js-terminated': { library: 'pusher-js', feature: 'terminate user connections', api: 'no reconnect after terminate' },
  'sdk/pusher-server-terminate': { library: 'pusher', feature: 'terminate user connections', api: 'terminateUserConnections' },
  'sdk/pusher-js-resubscribe': { library: 'pusher-js', feature: 'reconnect and resubscribe', api: 'automatic resubscription' },
  'sdk/pusher-js-public': { library: 'pusher-js', feature: 'public channel events', api: 'subscribe().bind' },
  'sdk/laravel-echo-channel-listen': { library: 'laravel-echo', feature: 'public channel events', api: 'channel().listen' },
  'sdk/pusher-server-trigger': { library: 'pusher', feature: 'public channel events', api: 'trigger (one and several channels)' },
  'sdk/pusher-js-private': { library: 'pusher-js', feature: 'private channels', api: 'channelAuthorization handler' },
  'sdk/pusher-server-authorize-channel': { library: 'pusher', feature: 'private channels', api: 'authorizeChannel output' },
  'sdk/pusher-js-auth-refusal-surfaced': { library: 'pusher-js', feature: 'auth refusal surfaced', api: 'subscription_error / error' },
  'sdk/pusher-js-presence-members': { library: 'pusher-js', feature: 'presence members', api: 'members.count / each / me' },
  'sdk/laravel-echo-presence': { library: 'laravel-echo', feature: 'presence members', api: 'join().here / joining / leaving' },
  'sdk/pusher-server-channel-queries': { library: 'pusher', feature: 'presence members', api: 'get channels / channel / users' },
  'sdk/pusher-js-presence-events': { library: 'pusher-js', feature: 'presence joins and leaves', api: 'pusher:member_added / member_removed' },
  'sdk/pusher-js-encrypted': { library: 'pusher-js', feature: 'encrypted channels', api: 'private-encrypted- bind' },
  'sdk/laravel-echo-encrypted': { library: 'laravel-echo', feature: 'encrypted channels', api: 'encryptedPrivate().listen' },
  'sdk/pusher-js-client-events': { library: 'pusher-js', feature: 'client events', api: 'channel.trigger' },
  'sdk/laravel-echo-private-whisper': { library: 'laravel-echo', feature: 'client events', api: 'private().listen, whisper / listenForWhisper' },
  'sdk/pusher-js-client-event-refused': { library: 'pusher-js', feature: 'client events refused', api: 'trigger on an app without client events' },
  'sdk/pusher-js-cache': { library: 'pusher-js', feature: 'cache channels', api: 'pusher:cache_miss, replay' },
  'sdk/pusher-js-user-events': { library: 'pusher-js', feature: 'server-to-user events', api: 'signin(), user.bind' },
  'sdk/pusher-server-send-to-user': { library: 'pusher', feature: 'server-to-user events', api: 'sendToUser' },
  'sdk/pusher-server-authenticate-user': { library: 'pusher', feature: 'user sign-in', api: 'authenticateUser output' },
  'sdk/pusher-js-watchlist': { library: 'pusher-js', feature: 'watchlist', api: 'user.watchlist online / offline' },
  'sdk/pusher-server-trigger-info': { library: 'pusher', feature: 'publish with info', api: 'trigger(…, { info })' },
  'sdk/pusher-server-socket-exclusion': { library: 'pusher', feature: 'publish excluding a socket', api: 'trigger(…, { socket_id })' },
  'sdk/pusher-server-trigger-batch': { library: 'pusher', feature: 'batch publish', api: 'triggerBatch' },
  'sdk/pusher-server-webhook-valid': { library: 'pusher', feature: 'webhooks', api: 'webhook(…).isValid()' },
};
