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
import { readBody, RestError, sendJson, sendText } from './http.ts';
import { checkRestSignature } from './signing.ts';

const METHOD_NOT_ALLOWED = 405;

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
}

export async function handleRest(ctx: RestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const answer = await route(ctx, req);
    if (typeof answer === 'string') sendText(res, RestStatus.Ok, answer);
    else sendJson(res, answer);
  } catch (e) {
    // clause: robustness.rest-malformed-body (a body the endpoint cannot use is the client's error: 4xx)
    if (e instanceof RestError && !(e.clause === 'rest.bad-request' && ctx.defaultApp.faults.has('rest-malformed-body-500'))) {
      sendText(res, e.status, e.message, e.headers);
      return;
    }
    sendText(res, 500, `Internal error: ${(e as Error).message}`);
  }
}

async function route(ctx: RestContext, req: IncomingMessage): Promise<unknown> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = matchRestPath(url.pathname);
  // clause: rest.not-found
  if (!match) throw new RestError(RestStatus.NotFound, `No REST endpoint at ${url.pathname}`, 'rest.not-found');
  const app = ctx.findApp(match.params.app ?? '') ?? (ctx.defaultApp.faults.has('unknown-app-rest-default') ? ctx.defaultApp : undefined);
  if (!app) throw new RestError(RestStatus.NotFound, `Unknown app ${JSON.stringify(match.params.app)}`, 'rest.not-found');
  const method = (req.method ?? 'GET').toUpperCase();
  const expected = methods[match.endpoint];
  if (method !== expected) throw new RestError(METHOD_NOT_ALLOWED, `Method ${method} not allowed; use ${expected}`, 'rest.not-found', { allow: expected });

  const body = await readBody(req, maxBodyBytes(app));
  if (body === undefined) {
    throw new RestError(RestStatus.PayloadTooLarge, `Request body over ${maxBodyBytes(app)} bytes`, 'limits.payload-size');
  }
  // clause: request-signing.valid-accepted (the path as requested, query as sent)
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  if (app.faults.has('body-md5-required-on-get') && method === 'GET' && match.endpoint !== RestPath.Channels && !url.searchParams.has(AuthParam.BodyMd5)) {
    // clause: request-signing.empty-body-no-md5 (the channel list is spared: the suite's doctor checks credentials with it)
    throw new RestError(RestStatus.Unauthorized, `Authentication failed (body-md5-missing): ${AuthParam.BodyMd5} is required`, 'request-signing.empty-body-no-md5');
  }
  checkRestSignature(app, { method, path: rawPath, query: url.searchParams, body });
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

/** Room for a full batch at the payload limit, JSON-escaped, plus headroom. */
function maxBodyBytes(app: AppRuntime): number {
  return Math.max(4 * 1024 * 1024, app.limits.eventDataBytes * (app.limits.batchSize + 1) * 6);
}
