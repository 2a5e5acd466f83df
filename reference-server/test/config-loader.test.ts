import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { Event } from '../../spec/src/events.ts';
import { APP_PATH_PREFIX, PROTOCOL_VERSION, appPath } from '../../spec/src/protocol.ts';
import { ConfigEnv, ConfigError, loadServerConfig } from '../src/config-loader.ts';
import { runServe } from '../src/serve.ts';

const dir = mkdtempSync(join(tmpdir(), 'pc-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadServerConfig', () => {
  it('applies flags over env over file over defaults', () => {
    const path = file('layers.json', JSON.stringify({ port: 1111, host: '127.0.0.1', apps: [{ id: 'f-id', key: 'f-key', secret: 'f-secret' }] }));
    const fromFile = loadServerConfig({ configFile: path });
    expect(fromFile.port).toBe(1111);
    expect(fromFile.apps[0]).toMatchObject({ id: 'f-id', key: 'f-key' });

    const env = { [ConfigEnv.Port]: '2222', [ConfigEnv.AppKey]: 'e-key', [ConfigEnv.Faults]: 'no-pong', [ConfigEnv.CacheTtl]: '5', [ConfigEnv.WebhookUrl]: 'http://127.0.0.1:9/h' };
    const withEnv = loadServerConfig({ configFile: path, env });
    expect(withEnv.port).toBe(2222);
    expect(withEnv.apps[0]).toMatchObject({ id: 'f-id', key: 'e-key', secret: 'f-secret', cacheTtlSeconds: 5, webhooks: { url: 'http://127.0.0.1:9/h' } });
    expect(withEnv.faults).toEqual(['no-pong']);

    const withFlags = loadServerConfig({ configFile: path, env, flags: { port: 0, faults: ['client-event-echo'] } });
    expect(withFlags.port).toBe(0);
    expect(withFlags.faults).toEqual(['client-event-echo']);
  });

  it('patches the default app when the file has none', () => {
    expect(loadServerConfig({ env: { [ConfigEnv.AppSecret]: 's3cret' } }).apps[0]).toMatchObject({ id: 'app-id', key: 'app-key', secret: 's3cret' });
  });

  it.each([
    ['missing file', () => ({ configFile: join(dir, 'nope.json') }), /^config file .*nope\.json: no such file$/],
    ['not JSON', () => ({ configFile: file('bad.json', '{"port": 1,\n "apps": [}') }), /bad\.json: not valid JSON: unexpected "}" at line 2, column 11$/],
    ['not an object', () => ({ configFile: file('array.json', '[]') }), /array\.json: must be a JSON object, got an array$/],
    ['wrong shape', () => ({ configFile: file('shape.json', '{"apps":[{"id":"a","key":"k"}]}') }), /shape\.json: apps\.0\.secret: /],
    ['unknown fault', () => ({ configFile: file('fault.json', '{"faults":["client-event-ech"]}') }), /fault\.json: faults\.0: unknown fault "client-event-ech"; did you mean "client-event-echo"\?$/],
    ['bad env port', () => ({ env: { [ConfigEnv.Port]: 'http' } }), /^environment: PUSHER_PORT: "http" is not a port number/],
    ['bad flag fault', () => ({ flags: { faults: ['nonsense'] } }), /^flags: --fault: unknown fault "nonsense"$/],
  ])('reports a %s in one line naming source and path', (_what, options, pattern) => {
    const err = errorOf(() => loadServerConfig(options()));
    expect(err.message).toMatch(pattern);
    expect(err.message).not.toContain('\n');
  });
});

describe('runServe', () => {
  it('prints a banner, serves, and closes', async () => {
    let out = '';
    const handle = await runServe({ port: 0, host: '127.0.0.1', faults: ['no-pong'], env: {}, stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } });
    try {
      expect(out).toContain(`${handle.wsUrl}${APP_PATH_PREFIX}{key}`);
      expect(out).toContain('key=app-key secret=app-secret');
      expect(out).toContain('no-pong');
      expect(out).toMatch(/WARNING .*deliberately broken/);
      expect(out).toMatch(/enabledTransports: \['ws'\]/);
      const ws = new WebSocket(`${handle.wsUrl}${appPath(handle.config.apps[0]!.key)}?protocol=${PROTOCOL_VERSION}`);
      const first = await new Promise<string>((resolve, reject) => {
        ws.once('message', (m) => resolve(String(m)));
        ws.once('error', reject);
      });
      expect(JSON.parse(first).event).toBe(Event.ConnectionEstablished);
      const closed = new Promise<number>((resolve) => ws.once('close', resolve));
      await handle.close();
      // RFC 6455 going away
      expect(await closed).toBe(1001);
    } finally {
      await handle.close();
    }
  });
});
