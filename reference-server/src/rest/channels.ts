/**
 * Channel queries: GET /channels, GET /channels/{name}, GET /channels/{name}/users.
 * @module
 */
import { ChannelPrefix, channelKind } from '../../../spec/src/identifiers.ts';
import { InfoAttribute, parseInfo, RestStatus } from '../../../spec/src/rest/endpoints.ts';
import { ChannelQuery, ChannelsQuery, type ChannelResponse, type ChannelsResponse, type UsersResponse } from '../../../spec/src/rest/schemas.ts';
import type { AppRuntime } from '../app-runtime.ts';
import { userCount } from '../channels/presence.ts';
import { remoteOnlyChannels, restMembers, restSubscribers, restUserCount } from '../cluster/rest-view.ts';
import { channelNameAllowed } from './events.ts';
import { RestError } from './http.ts';

const queryObject = (query: URLSearchParams): Record<string, string> => Object.fromEntries(query.entries());

function parseQuery<T extends typeof ChannelsQuery | typeof ChannelQuery>(schema: T, query: URLSearchParams): ReturnType<T['parse']> {
  const parsed = schema.safeParse(queryObject(query));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RestError(RestStatus.BadRequest, `Invalid query parameter ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, 'rest.bad-request');
  }
  return parsed.data as ReturnType<T['parse']>;
}

const isOccupied = (app: AppRuntime, subscribers: number): boolean =>
  subscribers > 0 || app.faults.has('channels-list-includes-vacated');

export function listChannels(app: AppRuntime, query: URLSearchParams): ChannelsResponse {
  const { filter_by_prefix: prefix, info } = parseQuery(ChannelsQuery, query);
  const attributes = parseInfo(info);
  const refusable = app.faults.has('rest-info-not-validated') ? [] : attributes;
  for (const attribute of refusable) {
    if (attribute !== InfoAttribute.UserCount) {
      throw new RestError(RestStatus.BadRequest, `info=${attribute} is not available on the channel list; only ${InfoAttribute.UserCount}`, 'rest.channel-info-inapplicable');
    }
    if (!(prefix ?? '').startsWith(ChannelPrefix.Presence)) {
      // clause: rest.channels-user-count-needs-presence
      throw new RestError(RestStatus.BadRequest, `info=${InfoAttribute.UserCount} needs filter_by_prefix starting with ${ChannelPrefix.Presence}`, 'rest.channels-user-count-needs-presence');
    }
  }
  const channels: ChannelsResponse['channels'] = {};
  for (const channel of app.channels.all()) {
    // clause: rest.channels-list / rest.channels-filter-prefix
    // channels-list-phantom: the unfiltered list walks the registry without checking occupancy
    if (!isOccupied(app, channel.subscribers.size) && !(prefix === undefined && app.faults.has('channels-list-phantom'))) continue;
    if (prefix !== undefined && !matchesPrefix(app, channel.name, prefix)) continue;
    channels[channel.name] = attributes.length > 0 && channel.isPresence ? { user_count: restUserCount(app, channel.name) } : {};
  }
  // clause: cluster.rest-queries-cluster-wide (channels only other nodes hold)
  for (const name of remoteOnlyChannels(app)) {
    if (prefix !== undefined && !matchesPrefix(app, name, prefix)) continue;
    channels[name] = attributes.length > 0 && channelKind(name).type === 'presence' ? { user_count: restUserCount(app, name) } : {};
  }
  return { channels };
}

function matchesPrefix(app: AppRuntime, name: string, prefix: string): boolean {
  return app.faults.has('filter-by-prefix-substring') ? name.includes(prefix) : name.startsWith(prefix);
}

export function channelInfo(app: AppRuntime, name: string, query: URLSearchParams): ChannelResponse {
  checkName(app, name);
  const { info } = parseQuery(ChannelQuery, query);
  const kind = channelKind(name);
  const presence = kind.type === 'presence';
  const channel = app.channels.get(name);
  // clause: rest.channel-occupied
  const subscribers = restSubscribers(app, name);
  const out: ChannelResponse = { occupied: isOccupied(app, subscribers) && (channel !== undefined || subscribers > 0) };
  const unvalidated = app.faults.has('rest-info-not-validated');
  for (const attribute of parseInfo(info)) {
    // clause: rest.channel-info-inapplicable
    if (attribute === InfoAttribute.UserCount) {
      if (!presence && unvalidated) continue;
      if (!presence) throw inapplicable(attribute, name, 'only presence channels have a user count');
      // clause: rest.channel-user-count
      out.user_count = restUserCount(app, name);
    } else if (attribute === InfoAttribute.SubscriptionCount) {
      if (presence && unvalidated) continue;
      if (presence) throw inapplicable(attribute, name, 'presence channels report user_count instead');
      if (!app.config.subscriptionCount) throw inapplicable(attribute, name, 'subscription counting is not enabled for this app');
      // clause: rest.channel-subscription-count
      out.subscription_count = subscribers;
    } else if (attribute === InfoAttribute.Cache) {
      if (!kind.cache && unvalidated) continue;
      if (!kind.cache) throw inapplicable(attribute, name, 'it is not a cache channel');
      // clause: rest.channel-info-cache
      const now = Date.now();
      const cached = app.cache.get(name, now);
      out.cache = cached ? { data: cached.data, ttl: app.cache.ttlSeconds(name, now) ?? 0 } : null;
    } else {
      throw new RestError(RestStatus.BadRequest, `Unknown info attribute ${JSON.stringify(attribute)}`, 'rest.channel-info-inapplicable');
    }
  }
  return out;
}

export function channelUsers(app: AppRuntime, name: string): UsersResponse {
  checkName(app, name);
  if (channelKind(name).type !== 'presence' && !app.faults.has('rest-info-not-validated')) {
    // clause: rest.users-non-presence
    throw new RestError(RestStatus.BadRequest, `${name} is not a presence channel`, 'rest.users-non-presence');
  }
  // clause: rest.users (each distinct user once) / cluster.rest-queries-cluster-wide
  const users = restMembers(app, name).flatMap((m) =>
    Array.from({ length: app.faults.has('users-endpoint-duplicates') ? m.localConnections : 1 }, () => ({ id: m.id })),
  );
  return { users };
}

function checkName(app: AppRuntime, name: string): void {
  if (!channelNameAllowed(app, name)) {
    throw new RestError(RestStatus.BadRequest, `Invalid channel name ${JSON.stringify(name)}`, 'rest.bad-request');
  }
}

function inapplicable(attribute: string, channel: string, why: string): RestError {
  return new RestError(RestStatus.BadRequest, `info=${attribute} does not apply to ${channel}: ${why}`, 'rest.channel-info-inapplicable');
}
