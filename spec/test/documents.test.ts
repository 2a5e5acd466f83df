import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { asyncApiDocument, openApiDocument } from '../src/documents/index.ts';
import { generatedFiles, staleGenerated } from '../scripts/generated-files.ts';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('generated documents', () => {
  it('are committed and up to date (npm run spec:generate leaves no diff)', () => {
    expect(staleGenerated(generatedFiles(version))).toEqual([]);
  });

  it('include a JSON Schema for every frame, REST body, webhook and auth response', () => {
    const ids = Object.keys(generatedFiles(version)).filter((f) => f.startsWith('json-schema/'));
    for (const id of ['ConnectionEstablishedFrame', 'SubscribeFrame', 'MemberAddedFrame', 'TriggerRequest', 'ChannelResponse', 'WebhookBody', 'PresenceAuthResponse', 'Report']) {
      expect(ids).toContain(`json-schema/${id}.json`);
    }
  });

  it('produce an AsyncAPI 3.0 document that @asyncapi/parser accepts without errors', async () => {
    const { diagnostics, document } = await new Parser().parse(JSON.stringify(asyncApiDocument(version)));
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document?.operations().length).toBeGreaterThan(20);
  }, 30_000);

  it('produce an OpenAPI 3.1 document that validates', async () => {
    const result = await new Validator().validate(openApiDocument(version) as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
