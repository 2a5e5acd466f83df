/**
 * The REST API: endpoints, path templates, info attributes and status codes.
 * `{app}` is the app id in Pusher's dialect and the app key in Vask's (see profiles).
 * @module
 */

export const RestPath = {
  Events: '/apps/{app}/events',
  BatchEvents: '/apps/{app}/batch_events',
  Channels: '/apps/{app}/channels',
  Channel: '/apps/{app}/channels/{channel_name}',
  ChannelUsers: '/apps/{app}/channels/{channel_name}/users',
  TerminateUserConnections: '/apps/{app}/users/{user_id}/terminate_connections',
  /** Vask dialect: server-to-user events by path instead of a #server-to-user- channel */
  UserEvents: '/apps/{app}/users/{user_id}/events',
} as const;
export type RestPath = (typeof RestPath)[keyof typeof RestPath];

/** Fill a path template; every value is URL-encoded as one path segment. */
export function restPath(template: RestPath, params: { app: string; channel_name?: string; user_id?: string }): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = (params as Record<string, string | undefined>)[name];
    if (value === undefined) throw new Error(`restPath: missing ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}

/** Match a request path against the templates; returns the endpoint and its decoded params. */
export function matchRestPath(path: string): { endpoint: RestPath; params: Record<string, string> } | undefined {
  for (const template of Object.values(RestPath)) {
    const names: string[] = [];
    const re = new RegExp('^' + template.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)')) + '$');
    const m = re.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
    } catch {
      return undefined;
    }
    return { endpoint: template, params };
  }
  return undefined;
}

/** `info` attributes of publish and channel queries. */
export const InfoAttribute = {
  UserCount: 'user_count',
  SubscriptionCount: 'subscription_count',
  Cache: 'cache',
} as const;
export type InfoAttribute = (typeof InfoAttribute)[keyof typeof InfoAttribute];

/** Parse an `info` query value ("user_count,subscription_count"). */
export const parseInfo = (info: string | undefined): string[] =>
  (info ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Documented REST status codes. */
export const RestStatus = {
  Ok: 200,
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  PayloadTooLarge: 413,
} as const;
export type RestStatus = (typeof RestStatus)[keyof typeof RestStatus];

/** Query parameters of request signing. */
export const AuthParam = {
  Key: 'auth_key',
  Timestamp: 'auth_timestamp',
  Version: 'auth_version',
  BodyMd5: 'body_md5',
  Signature: 'auth_signature',
} as const;
