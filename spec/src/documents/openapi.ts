/**
 * The OpenAPI 3.1 document of the REST API and webhooks, generated from the REST schemas.
 * @module
 */
import { RestPath, RestStatus, AuthParam } from '../rest/endpoints.ts';
import { WebhookHeader } from '../crypto/webhook-signing.ts';
import { WEBHOOK_CONTENT_TYPE } from '../webhooks.ts';
import { embeddable, jsonSchemas } from './json-schema.ts';

type JsonObject = Record<string, unknown>;
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ 'application/json': { schema: ref(id) } });

const errors: Record<number, string> = {
  [RestStatus.BadRequest]: 'Invalid request or over a limit (channels per publish, batch size, names).',
  [RestStatus.Unauthorized]: 'Signature, key or timestamp rejected.',
  [RestStatus.Forbidden]: 'App disabled or over quota.',
  [RestStatus.NotFound]: 'Unknown app.',
  [RestStatus.PayloadTooLarge]: 'Event data over the payload limit.',
};

function responses(ok: string, statuses: number[]): JsonObject {
  const out: JsonObject = { [RestStatus.Ok]: { description: 'Success', content: json(ok) } };
  for (const s of statuses) out[s] = { $ref: `#/components/responses/E${s}` };
  return out;
}

const signed = [AuthParam.Key, AuthParam.Timestamp, AuthParam.Version, AuthParam.BodyMd5, AuthParam.Signature].map((p) => ({ $ref: `#/components/parameters/${p}` }));
const appParam = { name: 'app', in: 'path', required: true, description: 'App id (Pusher) or app key (Vask dialect).', schema: { type: 'string' } };
const channelParam = { name: 'channel_name', in: 'path', required: true, schema: { type: 'string' } };
const userParam = { name: 'user_id', in: 'path', required: true, schema: { type: 'string' } };
const infoParam = (desc: string) => ({ name: 'info', in: 'query', required: false, description: desc, schema: { type: 'string' } });

export function openApiDocument(version: string): JsonObject {
  const schemas = jsonSchemas('draft-2020-12', (id) => `#/components/schemas/${id}`);
  const all = [RestStatus.BadRequest, RestStatus.Unauthorized, RestStatus.Forbidden, RestStatus.NotFound];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pusher Channels HTTP API',
      version,
      description: 'The REST API and webhooks of Pusher Channels as read by pusher-conformance. Generated from spec/; do not edit. Every request is signed with auth_* query parameters (HMAC-SHA256 over method, path and sorted query).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: 'http://127.0.0.1:6001', description: 'The reference server' }],
    paths: {
      [RestPath.Events]: {
        post: { operationId: 'triggerEvent', summary: 'Publish one event to one or more channels', parameters: [appParam, ...signed], requestBody: { required: true, content: json('TriggerRequest') }, responses: responses('TriggerResponse', [...all, RestStatus.PayloadTooLarge]) },
      },
      [RestPath.BatchEvents]: {
        post: { operationId: 'triggerBatch', summary: 'Publish several events', parameters: [appParam, ...signed], requestBody: { required: true, content: json('BatchRequest') }, responses: responses('BatchResponse', [...all, RestStatus.PayloadTooLarge]) },
      },
      [RestPath.Channels]: {
        get: { operationId: 'listChannels', summary: 'Occupied channels', parameters: [appParam, { name: 'filter_by_prefix', in: 'query', required: false, schema: { type: 'string' } }, infoParam('user_count (only with a presence- prefix filter)'), ...signed], responses: responses('ChannelsResponse', all) },
      },
      [RestPath.Channel]: {
        get: { operationId: 'getChannel', summary: 'One channel', parameters: [appParam, channelParam, infoParam('user_count, subscription_count, cache'), ...signed], responses: responses('ChannelResponse', all) },
      },
      [RestPath.ChannelUsers]: {
        get: { operationId: 'getChannelUsers', summary: 'Users of a presence channel', parameters: [appParam, channelParam, ...signed], responses: responses('UsersResponse', all) },
      },
      [RestPath.TerminateUserConnections]: {
        post: { operationId: 'terminateUserConnections', summary: "Close a signed-in user's connections", parameters: [appParam, userParam, ...signed], requestBody: { required: false, content: json('TerminateConnectionsRequest') }, responses: responses('TerminateConnectionsResponse', all) },
      },
      [RestPath.UserEvents]: {
        post: { operationId: 'sendToUser', summary: 'Vask dialect: an event to every connection of a signed-in user', parameters: [appParam, userParam, ...signed], requestBody: { required: true, content: json('UserEventRequest') }, responses: responses('TriggerResponse', [...all, RestStatus.PayloadTooLarge]) },
      },
    },
    webhooks: {
      channelEvents: {
        post: {
          summary: 'Webhook POSTed by the server to the app',
          parameters: [
            { name: WebhookHeader.Key, in: 'header', required: true, schema: { type: 'string' } },
            { name: WebhookHeader.Signature, in: 'header', required: true, description: 'Lowercase hex HMAC-SHA256 of the raw body with the app secret.', schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: { [WEBHOOK_CONTENT_TYPE]: { schema: ref('WebhookBody') } } },
          responses: { [RestStatus.Ok]: { description: 'Accepted; any other status is retried with back-off.' } },
        },
      },
    },
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, embeddable(s)])),
      parameters: {
        [AuthParam.Key]: { name: AuthParam.Key, in: 'query', required: true, schema: { type: 'string' } },
        [AuthParam.Timestamp]: { name: AuthParam.Timestamp, in: 'query', required: true, description: 'Unix seconds; rejected outside the window (600 s).', schema: { type: 'string', pattern: '^[0-9]+$' } },
        [AuthParam.Version]: { name: AuthParam.Version, in: 'query', required: true, schema: { type: 'string', const: '1.0' } },
        [AuthParam.BodyMd5]: { name: AuthParam.BodyMd5, in: 'query', required: false, description: 'Lowercase hex MD5 of the body; required when the body is not empty.', schema: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
        [AuthParam.Signature]: { name: AuthParam.Signature, in: 'query', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
      },
      responses: Object.fromEntries(
        Object.entries(errors).map(([status, description]) => [`E${status}`, { description, content: { 'application/json': { schema: ref('RestErrorBody') }, 'text/plain': { schema: { type: 'string' } } } }]),
      ),
    },
  };
}
