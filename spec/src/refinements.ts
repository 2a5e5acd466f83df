/**
 * Rules zod checks with a function (`.refine`). JSON Schema cannot run a function, so the
 * generated documents would drop such a rule without a word. Every refinement of a published
 * schema is therefore made here, declaring how the documents carry it: the same rule in JSON
 * Schema keywords, or a `$comment` (and description) saying that only the kit's zod schemas
 * check it. spec/test/schema-validators.test.ts fails on any refinement made otherwise.
 * @module
 */
import type { z } from 'zod';

/** Start of the `$comment` of a rule that the JSON Schema documents cannot state. */
export const ZOD_ONLY_COMMENT = 'zod-only:';

/** json-schema: keywords state it; content-schema: the second, decoded layer (contentSchema) states it; zod-only: nothing can. */
export type RefinementCarrier = 'json-schema' | 'content-schema' | 'zod-only';
export interface RefinementInfo {
  readonly message: string;
  readonly carrier: RefinementCarrier;
}

const declared = new WeakMap<object, RefinementInfo>();

function lastCheck(schema: z.ZodType): object | undefined {
  const checks = (schema as unknown as { _zod: { def: { checks?: object[] } } })._zod.def.checks;
  return checks?.[checks.length - 1];
}

function refineDeclared<T extends z.ZodType>(schema: T, check: (value: z.output<T>) => boolean, message: string, info: RefinementInfo, meta?: Record<string, unknown>): T {
  const refined = (schema as z.ZodType).refine(check as (value: unknown) => boolean, message);
  const added = lastCheck(refined);
  if (added) declared.set(added, info);
  return (meta ? refined.meta(meta) : refined) as unknown as T;
}

/** A refinement whose rule the JSON Schema keywords `jsonSchema` state exactly (same verdicts). */
export function refineExpressed<T extends z.ZodType>(schema: T, check: (value: z.output<T>) => boolean, message: string, jsonSchema: Record<string, unknown>): T {
  return refineDeclared(schema, check, message, { message, carrier: 'json-schema' }, jsonSchema);
}

/**
 * A refinement on a JSON-in-a-string field that the decoded layer states: the generator links the
 * field to the decoded schema (contentSchema), which a validator applies to the parsed string.
 */
export function refineByContentSchema<T extends z.ZodType>(schema: T, check: (value: z.output<T>) => boolean, message: string): T {
  return refineDeclared(schema, check, message, { message, carrier: 'content-schema' });
}

/** A refinement JSON Schema cannot state: the documents say so in `$comment` and the description. */
export function refineZodOnly<T extends z.ZodType>(schema: T, check: (value: z.output<T>) => boolean, message: string, description: string): T {
  return refineDeclared(schema, check, message, { message, carrier: 'zod-only' }, {
    $comment: `${ZOD_ONLY_COMMENT} ${message}`,
    description: `${description} (checked by the kit's zod schemas only: ${message})`,
  });
}

/** The refinements (custom checks) of one zod node, each with how the documents carry it, if declared. */
export function refinementsOf(schema: z.ZodType): { readonly message: string; readonly carrier: RefinementCarrier | undefined }[] {
  const checks = (schema as unknown as { _zod: { def: { checks?: { _zod: { def: { check: string; error?: unknown } } }[] } } })._zod.def.checks ?? [];
  return checks
    .filter((c) => c._zod.def.check === 'custom')
    .map((c) => {
      const info = declared.get(c);
      return { message: info?.message ?? 'an undeclared .refine()', carrier: info?.carrier };
    });
}
