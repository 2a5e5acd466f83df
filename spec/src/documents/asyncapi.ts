/**
 * The AsyncAPI 3.0 document of the WebSocket protocol, generated from the frame schemas.
 * Operations are written from the Pusher server's side: it `send`s server-to-client frames
 * and `receive`s client-to-server ones.
 * @module
 */
import { publishedSchemas } from '../registry.ts';
import { PROTOCOL_VERSION, APP_PATH_PREFIX, ConnectQuery } from '../protocol.ts';
import { embeddable, jsonSchemas } from './json-schema.ts';

type JsonObject = Record<string, unknown>;

const CHANNEL = 'appConnection';

export function asyncApiDocument(version: string): JsonObject {
  const schemas = jsonSchemas('draft-07', (id) => `#/components/schemas/${id}`);
  const frames = publishedSchemas.filter((p) => p.meta.kind === 'frame' && p.meta.id !== 'AnyFrame');
  const messages: Record<string, JsonObject> = {};
  const operations: Record<string, JsonObject> = {};
  for (const { meta } of frames) {
    messages[meta.id] = {
      name: meta.event ?? meta.id,
      title: meta.id,
      summary: meta.description,
      contentType: 'application/json',
      payload: { $ref: `#/components/schemas/${meta.id}` },
      ...(meta.strictness ? { tags: [{ name: meta.strictness }] } : {}),
    };
    const actions: ('send' | 'receive')[] =
      meta.direction === 'server-to-client' ? ['send'] : meta.direction === 'client-to-server' ? ['receive'] : ['send', 'receive'];
    for (const action of actions) {
      operations[`${action}${meta.id}`] = {
        action,
        channel: { $ref: `#/channels/${CHANNEL}` },
        summary: meta.description,
        messages: [{ $ref: `#/channels/${CHANNEL}/messages/${meta.id}` }],
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Pusher Channels WebSocket protocol',
      version,
      description:
        `Protocol ${PROTOCOL_VERSION} of Pusher Channels as read by pusher-conformance. Generated from spec/; do not edit. ` +
        'Frames are JSON text frames; fields marked contentMediaType application/json carry JSON inside a string. ' +
        'Strict messages are what the spec says; lenient ones are what pusher-js accepts.',
      license: { name: 'MIT' },
    },
    servers: {
      local: { host: '127.0.0.1:6001', protocol: 'ws', description: 'The reference server (`pusher-conformance serve`).' },
    },
    defaultContentType: 'application/json',
    channels: {
      [CHANNEL]: {
        address: `${APP_PATH_PREFIX}{key}`,
        title: 'One WebSocket connection to an app',
        description:
          `Query parameters: ${Object.values(ConnectQuery).join(', ')}. ` +
          'A server that ends the connection for a protocol reason closes it with a code of #/components/schemas/CloseCode. ' +
          'Strict messages state Pusher\'s name limits; lenient ones are what a receiver reads before judging names against its own profile.',
        parameters: { key: { description: 'The app key.' } },
        messages: Object.fromEntries(Object.keys(messages).map((id) => [id, { $ref: `#/components/messages/${id}` }])),
      },
    },
    operations,
    components: {
      messages,
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, embeddable(s)])),
    },
  };
}
