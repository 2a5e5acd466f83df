/**
 * Metadata for every published schema: the generators (JSON Schema, AsyncAPI, OpenAPI) and the
 * docs read it; shared code reads properties here instead of switching on schema names.
 * @module
 */
import { z } from 'zod';

export type Direction = 'server-to-client' | 'client-to-server';
export type SchemaKind = 'frame' | 'data' | 'rest-request' | 'rest-response' | 'rest-query' | 'webhook' | 'auth-response' | 'report';

export interface SchemaMeta {
  /** also the JSON Schema file name and $id */
  readonly id: string;
  readonly kind: SchemaKind;
  readonly description: string;
  readonly direction?: Direction;
  /** the wire event name a frame schema describes */
  readonly event?: string;
  /** strict = what the spec says; lenient = what pusher-js accepts */
  readonly strictness?: 'strict' | 'lenient';
}

export const schemaRegistry = z.registry<SchemaMeta>();

/** Every published schema with its metadata, in registration order. */
export const publishedSchemas: { readonly schema: z.ZodType; readonly meta: SchemaMeta }[] = [];

/** Register a schema for publication and return it unchanged. */
export function publish<T extends z.ZodType>(schema: T, meta: SchemaMeta): T {
  schemaRegistry.add(schema, meta);
  publishedSchemas.push({ schema, meta });
  return schema;
}
