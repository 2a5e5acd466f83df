/**
 * The REST API on node:http: match the path with the spec's templates, find the app, check the
 * signature, then hand over to the endpoint.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthParam, matchRestPath, RestPath, RestStatus } from '../../../spec/src/rest/endpoints.ts';
import type { AppRuntime } from '../app-runtime.ts';
import { terminateUser } from '../users.ts';
import { channelInfo, channelUsers, listChannels } from './channels.ts';
import { batchTrigger, trigger, userEvent } from './events.ts';
import { RestError, sendJson, sendText } from './http.ts';
import { BodyBudget, readBoundedBody } from './body.ts';
import { parseRequestTarget } from '../request-target.ts';
import { limits as limitCatalogue, type LimitKey } from '../../../spec/src/limits.ts';
import { checkRestSignature } from './signing.ts';

const METHOD_NOT_ALLOWED = 405;
/** Longest excerpt of a malformed request target quoted back. */
const TARGET_EXCERPT = 80;
/** JSON escaping at worst: one character as `\u0000`. */
const ESCAPED = 6;
/** Field names, socket_id, info and punctuation of one event in a body. */
const EVENT_ENVELOPE_BYTES = 1024;
/** A body that has not fully arrived this long after the headers is refused (408). */
export const DEFAULT_BODY_DEADLINE_MS = 10_000;
/** Without a server-wide budget (a router used on its own), nothing but the per-request cap bounds a body. */
const unbudgeted = new BodyBudget(Number.POSITIVE_INFINITY);

const methods: Record<RestPath, 'GET' | 'POST'> = {
  [RestPath.Events]: 'POST',
  [RestPath.BatchEvents]: 'POST',
  [RestPath.Channels]: 'GET',
  [RestPath.Channel]: 'GET',
  [RestPath.ChannelUsers]: 'GET',
  [RestPath.TerminateUserConnections]: 'POST',
  [RestPath.UserEvents]: 'POST',
};

export interface RestContext {
  /** the app addressed in a path: by id, or by key (Vask dialect; both are always accepted) */
  findApp(idOrKey: string): AppRuntime | undefined;
  /** the first configured app: the target of the unknown-app-rest-default fault */
  readonly defaultApp: AppRuntime;
  /** bytes the server's requests may buffer while their bodies arrive; default: no shared bound */
  readonly bodyBudget?: BodyBudget;
  /** ms a body may take to arrive; default DEFAULT_BODY_DEADLINE_MS */
  readonly bodyDeadlineMs?: number;
  /** a cluster node: resolves once what the request published has left for the other nodes */
  settled?(): Promise<void>;
  /** a cluster node: resolves once every other node has answered (its earlier changes are known) */
  barrier?(): Promise<void>;
}

export async function handleRest(ctx: RestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    // clause: cluster.rest-queries-cluster-wide (a request is served once the other nodes caught up)
    await ctx.barrier?.();
    const answer = await route(ctx, req);
    await ctx.settled?.();
    if (typeof answer === 'string') sendText(res, RestStatus.Ok, answer);
    else sendJson(res, answer);
  } catch (e) {
    // clause: robustness.rest-malformed-body (a body the endpoint cannot use is the client's error: 4xx)
    // clause: rest.bad-request (the error-status-200 fault: refusals answered 200, the error in the body)
    if (e instanceof RestError && e.status === RestStatus.BadRequest && ctx.defaultApp.faults.has('error-status-200')) {
      sendJson(res, { error: e.message, code: e.status }, RestStatus.Ok);
      return;
    }
    if (e instanceof RestError && !(e.clause === 'rest.bad-request' && ctx.defaultApp.faults.has('rest-malformed-body-500'))) {
      sendText(res, e.status, e.message, e.headers);
      return;
    }
    sendText(res, 500, `Internal error: ${(e as Error).message}`);
  }
}

async function route(ctx: RestContext, req: IncomingMessage): Promise<unknown> {
  const url = parseRequestTarget(req.url);
  // clause: rest.bad-request (a target that is not /path?query names no endpoint)
  if (!url) throw new RestError(RestStatus.BadRequest, `Malformed request target ${JSON.stringify((req.url ?? '').slice(0, TARGET_EXCERPT))}: expected /apps/{app_id}/…`, 'rest.bad-request');
  const match = matchRestPath(url.pathname);
  // clause: rest.not-found
  if (!match) throw new RestError(RestStatus.NotFound, `No REST endpoint at ${url.pathname}`, 'rest.not-found');
  const app = ctx.findApp(match.params.app ?? '') ?? (ctx.defaultApp.faults.has('unknown-app-rest-default') ? ctx.defaultApp : undefined);
  if (!app) throw new RestError(RestStatus.NotFound, `Unknown app ${JSON.stringify(match.params.app)}`, 'rest.not-found');
  // clause: rest.batch-events (the batch-endpoint-missing fault: a server without the endpoint)
  if (match.endpoint === RestPath.BatchEvents && app.faults.has('batch-endpoint-missing')) throw new RestError(RestStatus.NotFound, `No REST endpoint at ${url.pathname}`, 'rest.not-found');
  const method = (req.method ?? 'GET').toUpperCase();
  const expected = methods[match.endpoint];
  if (method !== expected) throw new RestError(METHOD_NOT_ALLOWED, `Method ${method} not allowed; use ${expected}`, 'rest.not-found', { allow: expected });

  // clause: request-signing.valid-accepted (the path as requested, query as sent)
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  if (app.faults.has('body-md5-required-on-get') && method === 'GET' && match.endpoint !== RestPath.Channels && !url.searchParams.has(AuthParam.BodyMd5)) {
    // clause: request-signing.empty-body-no-md5 (the channel list is spared: the suite's doctor checks credentials with it)
    throw new RestError(RestStatus.Unauthorized, `Authentication failed (body-md5-missing): ${AuthParam.BodyMd5} is required`, 'request-signing.empty-body-no-md5');
  }
  // clause: request-signing.signature-invalid (every endpoint; the two faults leave one unchecked)
  const unchecked =
    (match.endpoint === RestPath.BatchEvents && app.faults.has('batch-signature-not-checked')) ||
    ((match.endpoint === RestPath.Channel || match.endpoint === RestPath.ChannelUsers) && app.faults.has('channel-get-signature-not-checked'));
  const otherAppSecret = (key: string): string | undefined => {
    const other = ctx.findApp(key);
    return other !== undefined && other.config.key === key ? other.config.secret : undefined;
  };
  // key, timestamp and the signature over the query (body_md5 included) before a byte of body is
  // buffered; then body_md5 against the body received
  if (!unchecked) checkRestSignature(app, { method, path: rawPath, query: url.searchParams, body: undefined }, otherAppSecret);
  const body = await readBoundedBody(req, { maxBytes: maxBodyBytes(app), deadlineMs: ctx.bodyDeadlineMs ?? DEFAULT_BODY_DEADLINE_MS, budget: ctx.bodyBudget ?? unbudgeted });
  if (!unchecked) checkRestSignature(app, { method, path: rawPath, query: url.searchParams, body }, otherAppSecret);
  // clause: rest.forbidden
  if (!app.config.enabled) throw new RestError(RestStatus.Forbidden, `App ${app.id} is disabled`, 'rest.forbidden');

  const { params } = match;
  switch (match.endpoint) {
    case RestPath.Events:
      return successBody(app, trigger(app, body));
    case RestPath.BatchEvents:
      return successBody(app, batchTrigger(app, body));
    case RestPath.Channels:
      return listChannels(app, url.searchParams);
    case RestPath.Channel:
      return channelInfo(app, params.channel_name ?? '', url.searchParams);
    case RestPath.ChannelUsers:
      return channelUsers(app, params.channel_name ?? '');
    case RestPath.TerminateUserConnections:
      // clause: terminate.response / terminate.unknown-user (200 even without connections)
      if (app.faults.has('terminate-unknown-user-404') && !app.users.has(params.user_id ?? '')) {
        throw new RestError(RestStatus.NotFound, `No connection is signed in as ${JSON.stringify(params.user_id)}`, 'terminate.unknown-user');
      }
      terminateUser(app, params.user_id ?? '');
      return successBody(app, {});
    case RestPath.UserEvents:
      return userEvent(app, params.user_id ?? '', body);
  }
}

/** A publish or terminate answer; the rest-success-body-not-json fault turns it into plain text. */
function successBody(app: AppRuntime, answer: object): object | string {
  // clause: rest.trigger-success-body / terminate.response (a JSON object)
  return app.faults.has('rest-success-body-not-json') ? 'OK' : answer;
}

/**
 * The largest legal request body of the app's limits: a full batch, or one event to the most
 * channels, every string at its limit and JSON-escaped at worst (`\u0000`: 6 bytes a character).
 * A limit the profile leaves open (Infinity) falls back to Pusher's value for the estimate.
 */
export function maxBodyBytes(app: AppRuntime): number {
  const finite = (k: LimitKey): number => (Number.isFinite(app.limits[k]) ? app.limits[k] : limitCatalogue[k].pusher);
  // the payload-limit-off-by-one fault and user events carry a few bytes more: the envelope covers them
  const event = ESCAPED * (finite('eventDataBytes') + finite('eventNameLength') + finite('channelNameLength')) + EVENT_ENVELOPE_BYTES;
  const batch = finite('batchSize') * event;
  const fanOut = event + finite('channelsPerTrigger') * (ESCAPED * finite('channelNameLength') + 3);
  return Math.max(batch, fanOut);
}
