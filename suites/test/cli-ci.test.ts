/**
 * The CLI in CI: feature adjustments, exit codes of mixed and empty runs, transcripts kept only
 * for cases that did not pass, short reproduce commands through the run's settings file, machine
 * output (--json), and the JSON Schemas of the config and baseline files.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureNames } from '../../spec/src/features.ts';
import { resolveProfile } from '../../spec/src/profiles.ts';
import { Report } from '../../spec/src/report.ts';
import { parseConfig } from '../src/cli/config-file.ts';
import { UsageError } from '../src/cli/errors.ts';
import { CLI_SCHEMAS_DIR, cliSchemaFiles } from '../src/cli/json-schemas.ts';
import { resolveRunSettings, type RunFlags } from '../src/cli/options.ts';
import { RunSummaryJson } from '../src/cli/summary.ts';
import { defineArea, defineCase, type AreaDef } from '../src/model/case.ts';
import { ConformanceFailure, HarnessError } from '../src/model/outcome.ts';
import { startEmbedded, type EmbeddedTarget } from '../src/runner/embedded.ts';
import { settingsFileContents } from '../src/runner/repro.ts';
import { runConformance, type RunOptions } from '../src/runner/run.ts';
import { syntheticReport } from './fixtures/synthetic-report.ts';
import { runCli, SPAWN_TEST_MS, type CliResult } from './support/cli-process.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pc-cli-ci-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const cli = (args: readonly string[], opts: { timeout?: number; env?: Record<string, string> } = {}): Promise<CliResult> => runCli(args, { cwd: tmp, ...opts });
const flags = (f: Partial<RunFlags> = {}): RunFlags => ({ limit: [], only: [], exclude: [], fault: [], ...f });
const target = { ws: 'ws://127.0.0.1:1', http: 'http://127.0.0.1:1', appId: 'a', key: 'k', secret: 's' };

function expectUsageError(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

const base: RunOptions = { profile: 'pusher', only: [], exclude: [], level: 'may', strict: false, seed: 9, timeScale: 1, concurrency: 2, handleSigint: false };
const mk = (id: string, run: (ctx: { note(t: string): void }) => Promise<void>) => defineCase({ id, clause: 'connection.ping-pong', level: 'MUST', features: [], action: 'a', requirement: 'r', run });
const passing = mk('t/pass', async (ctx) => ctx.note('a passing exchange'));
const failing = mk('t/fail', async (ctx) => {
  ctx.note('a failing exchange');
  throw new ConformanceFailure(['x'], 'y');
});
const erroring = mk('t/error', async (ctx) => {
  ctx.note('a broken setup');
  throw new HarnessError('the setup broke');
});

describe('--features +name,-name', () => {
  it('parses a plain list as a replacement and signed entries as changes', () => {
    expect(resolveRunSettings(flags({ features: 'presence,webhooks' }), undefined, {}).options).toMatchObject({ features: ['presence', 'webhooks'] });
    const adjusted = resolveRunSettings(flags({ features: '+cluster,-webhooks' }), undefined, {}).options;
    expect(adjusted.features).toBeUndefined();
    expect(adjusted.featureChanges).toEqual({ add: ['cluster'], remove: ['webhooks'] });
    // the config file takes the same entries
    expect(resolveRunSettings(flags(), parseConfig({ features: ['-cache'] }, 'c.json'), {}).options.featureChanges).toEqual({ add: [], remove: ['cache'] });
  });

  it('refuses a mix of both forms, unknown names (with a suggestion) and a feature both added and removed', () => {
    expect(() => resolveRunSettings(flags({ features: 'presence,-webhooks' }), undefined, {})).toThrow(/mixes a plain list with \+name\/-name/);
    expect(() => resolveRunSettings(flags({ features: '+webhoks' }), undefined, {})).toThrow(/unknown feature 'webhoks' \(did you mean webhooks/);
    expect(() => resolveRunSettings(flags({ features: '+cache,-cache' }), undefined, {})).toThrow(/both adds and removes cache/);
    expect(() => resolveRunSettings(flags({ features: '+' }), undefined, {})).toThrow(UsageError);
  });

  describe('against a target', () => {
    let server: EmbeddedTarget;
    beforeAll(async () => {
      server = await startEmbedded();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("adjusts the profile's set for an external target and every feature of the embedded one", async () => {
      const areas: AreaDef[] = [defineArea('t', 'T', [passing])];
      const input = { ws: server.ws, http: server.http, appId: server.appId, key: server.key, secret: server.secret };
      const external = await runConformance({ ...base, areas, target: input, profile: 'soketi', featureChanges: { add: ['cache-info'], remove: ['presence'] } });
      const soketi = resolveProfile('soketi');
      const expected = featureNames.filter((f) => (soketi.features[f] || f === 'cache-info') && f !== 'presence' && f !== 'app-management' && f !== 'cluster' && f !== 'webhooks');
      // webhooks: declared by the profile, but no URL or port was given (see webhook-network.test.ts)
      expect(external.target.features).toEqual([...expected].sort());
      expect(soketi.features.presence).toBe(true);
      const embedded = await runConformance({ ...base, areas, featureChanges: { add: [], remove: ['webhooks', 'cache'] } });
      expect(embedded.target.features).toEqual(featureNames.filter((f) => f !== 'webhooks' && f !== 'cache' && f !== 'cluster').sort());
    }, 60_000);
  });
});

describe('exit codes', () => {
  it('a run with both failures and errors exits 2, and the summary says there are failures too', async () => {
    const report = await runConformance({ ...base, areas: [defineArea('t', 'T', [passing, failing, erroring])] });
    expect(report.summary.byVerdict).toMatchObject({ pass: 1, fail: 1, error: 1 });
    expect(report.exitCode).toBe(2);
    const { renderSummary } = await import('../src/cli/summary.ts');
    expect(renderSummary(report)).toMatch(/Result: setup or harness error \(exit 2\); 1 conformance failure as well/);
  }, 60_000);

  it('an empty selection is a usage error (2), in the runner and before anything runs in the CLI', async () => {
    const report = await runConformance({ ...base, areas: [defineArea('t', 'T', [passing])], only: ['t/pass'], exclude: ['t/*'] });
    expect(report.summary.selected).toBe(0);
    expect(report.exitCode).toBe(2);
    const [r, help] = await Promise.all([cli(['run', '--only', 'connection/*', '--exclude', 'connection/**', '--out', join(tmp, 'empty')]), cli(['run', '--help'])]);
    expectUsageError(r, /the selection is empty: no case is left by --only 'connection\/\*' --exclude 'connection\/\*\*' --level should/);
    await expect(readdir(join(tmp, 'empty'))).rejects.toThrow();
    expect(help.stdout).toMatch(/A run with both failures and errors exits 2/);
    expect(help.stdout).toMatch(/an empty selection/);
  }, SPAWN_TEST_MS);
});

describe('--transcripts', () => {
  const areas = [defineArea('t', 'T', [passing, failing])];
  it('keeps every transcript with all, those of cases that did not pass with failures, none with none', async () => {
    const kept = async (transcripts: RunOptions['transcripts']) => {
      const report = await runConformance({ ...base, areas, ...(transcripts ? { transcripts } : {}) });
      return Object.fromEntries(report.cases.map((c) => [c.id, c.transcript.some((e) => /exchange/.test(e.text))]));
    };
    expect(await kept(undefined)).toEqual({ 't/pass': true, 't/fail': true });
    expect(await kept('all')).toEqual({ 't/pass': true, 't/fail': true });
    expect(await kept('failures')).toEqual({ 't/pass': false, 't/fail': true });
    const { renderHtml } = await import('../src/reports/html.ts');
    expect(renderHtml(await runConformance({ ...base, areas, transcripts: 'failures' }))).toContain('kept for the cases that did not pass');
    expect(await kept('none')).toEqual({ 't/pass': false, 't/fail': false });
  }, 60_000);

  it('defaults to failures in the CLI and rejects other values', () => {
    expect(resolveRunSettings(flags(), undefined, {}).options.transcripts).toBe('failures');
    expect(resolveRunSettings(flags(), parseConfig({ transcripts: 'all' }, 'c.json'), {}).options.transcripts).toBe('all');
    expect(() => resolveRunSettings(flags({ transcripts: 'some' }), undefined, {})).toThrow(/--transcripts must be one of all, failures, none/);
  });
});

describe('settings file and reproduce commands', () => {
  it('writes no secret, and reads back as a config file with the secret from PUSHER_SECRET', () => {
    const extraApps = { disabled: { key: 'd' }, clientEventsOff: { key: 'o', appId: 'oa', secret: 'extra-secret' } };
    const { options } = resolveRunSettings(flags({ ...target, secret: 'top-secret', encryptionMasterKey: Buffer.alloc(32, 7).toString('base64'), features: '+cluster', webhookHost: '0.0.0.0', webhookUrl: 'http://h.example:9000/hooks', timeScale: '2' }), undefined, {});
    const contents = settingsFileContents({ ...options, extraApps });
    const text = JSON.stringify(contents);
    expect(text).not.toMatch(/secret"|top-secret|extra-secret/);
    expect(text).not.toContain(Buffer.alloc(32, 7).toString('base64'));
    expect(contents).toMatchObject({ target: { ws: target.ws, http: target.http, appId: 'a', key: 'k', extraApps: { disabled: { key: 'd' } } }, features: ['+cluster'], webhookHost: '0.0.0.0', webhookUrl: 'http://h.example:9000/hooks', timeScale: 2 });
    const back = resolveRunSettings(flags(), parseConfig(JSON.parse(text), 'target.json'), { PUSHER_SECRET: 'from-env' }).options;
    expect(back.target).toMatchObject({ ws: target.ws, secret: 'from-env' });
    expect(back).toMatchObject({ featureChanges: { add: ['cluster'], remove: [] }, webhookUrl: 'http://h.example:9000/hooks', timeScale: 2 });
  });

  it('run writes target.json beside the reports; a case reproduces with --config, --only and --seed alone', async () => {
    const out = join(tmp, 'repro');
    const r = await cli(['run', '--only', 'connection/established-fields', '--only', 'connection/pusher-ping-answered', '--out', out, '--seed', '12', '--fault', 'no-pong'], { timeout: 100_000 });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect((await readdir(out)).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md', 'target.json']);
    const settings = parseConfig(JSON.parse(await readFile(join(out, 'target.json'), 'utf8')), 'target.json');
    expect(settings).toMatchObject({ faults: ['no-pong'], profile: 'pusher' });
    expect(settings.target).toBeUndefined();
    const report = Report.parse(JSON.parse(await readFile(join(out, 'report.json'), 'utf8')));
    const failed = report.cases.find((c) => c.verdict === 'fail')!;
    // the settings file as the run's working directory sees it
    expect(failed.reproduce).toBe(`npx pusher-conformance run --config repro/target.json --only '${failed.id}' --seed 12${failed.property?.path !== undefined ? ` --path ${failed.property.path}` : ''}`);
    expect(failed.reproduce).not.toMatch(/127\.0\.0\.1|--ws/);
    // the command, as printed, fails the same case again (against the embedded server with the same fault)
    const again = await cli([...failed.reproduce.replace(/^npx pusher-conformance /, '').replace(/'/g, '').split(' '), '--out', join(tmp, 'repro-again')], { timeout: 100_000 });
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(1);
    const second = Report.parse(JSON.parse(await readFile(join(tmp, 'repro-again', 'report.json'), 'utf8')));
    expect(second.cases.filter((c) => c.verdict !== 'skipped').map((c) => [c.id, c.verdict])).toEqual([[failed.id, 'fail']]);
  }, SPAWN_TEST_MS * 2);
});

describe('machine output', () => {
  it('run --json prints the summary as JSON on stdout and the progress on stderr', async () => {
    const r = await cli(['run', '--only', 'connection/established-fields', '--out', join(tmp, 'json-run'), '--seed', '4', '--json'], { timeout: 100_000 });
    expect(r.code, r.stderr).toBe(0);
    const summary = RunSummaryJson.parse(JSON.parse(r.stdout));
    expect(summary).toMatchObject({ exitCode: 0, result: 'conformant (exit 0)', complete: true, seed: 4, target: { embedded: true } });
    expect(summary.summary.executed).toBe(1);
    expect(summary.reports).toContain(join('json-run', 'report.json'));
    expect(summary.settingsFile).toBe(join('json-run', 'target.json'));
    expect(r.stderr).toMatch(/^connection\s+\d+\/\d+\s+pass 1/m);
    expect(r.stderr).toContain('Result: conformant (exit 0)');
  }, SPAWN_TEST_MS);

  it('explain --json and compare --json print JSON; --out - is refused', async () => {
    const a = join(tmp, 'a.json');
    await writeFile(a, JSON.stringify(syntheticReport({}, 'reference')));
    const [caseJson, clauseJson, cmp, out, cmpOut] = await Promise.all([
      cli(['explain', 'connection/pusher-ping-answered', '--json']),
      cli(['explain', 'connection.ping-pong', '--json']),
      cli(['compare', a, a, '--json']),
      cli(['run', '--out', '-']),
      cli(['compare', a, '--out', '-']),
    ]);
    expect(caseJson.code, caseJson.stderr).toBe(0);
    expect(JSON.parse(caseJson.stdout)).toMatchObject({ kind: 'case', case: { id: 'connection/pusher-ping-answered', area: 'connection' }, clause: { id: 'connection.ping-pong' } });
    const cl = JSON.parse(clauseJson.stdout) as { kind: string; clause: { sources: { url: string }[]; cases: { id: string }[] } };
    expect(cl.kind).toBe('clause');
    expect(cl.clause.sources.length).toBeGreaterThan(0);
    expect(cl.clause.cases.map((c) => c.id)).toContain('connection/pusher-ping-answered');
    expect(cmp.code, cmp.stderr).toBe(0);
    const matrix = JSON.parse(cmp.stdout) as { columns: { label: string }[]; rows: { cells: (string | null)[] }[] };
    expect(matrix.columns).toHaveLength(2);
    expect(matrix.rows.length).toBeGreaterThan(0);
    expectUsageError(out, /--out - is not supported/);
    expectUsageError(cmpOut, /--out - is not supported/);
    await expect(readdir(join(tmp, '-'))).rejects.toThrow();
  }, SPAWN_TEST_MS);
});

describe('JSON Schemas of the config and baseline files', () => {
  it('are committed in suites/generated and up to date (npm run schemas:generate)', async () => {
    for (const [name, content] of Object.entries(cliSchemaFiles())) {
      const committed = await readFile(join(CLI_SCHEMAS_DIR, name), 'utf8').catch(() => '(missing)');
      expect(committed, `suites/generated/${name} is stale: run npm run schemas:generate`).toBe(content);
    }
  });

  it('accept a settings file and a baseline, and refuse what the zod schemas refuse', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const config = ajv.compile(JSON.parse(cliSchemaFiles()['config.schema.json']!));
    const baseline = ajv.compile(JSON.parse(cliSchemaFiles()['baseline.schema.json']!));
    const { options } = resolveRunSettings(flags({ ...target, features: '-webhooks', webhookUrl: 'http://h:1/w' }), undefined, {});
    expect(config(settingsFileContents(options)), JSON.stringify(config.errors)).toBe(true);
    expect(config({ profil: 'pusher' })).toBe(false);
    expect(config({ concurrency: 0 })).toBe(false);
    expect(baseline({ schema: 'pusher-conformance/baseline@1', target: 'x', cases: { 'a/b': 'fail' } })).toBe(true);
    expect(baseline({ schema: 'pusher-conformance/baseline@1', target: 'x', cases: { 'a/b': 'broken' } })).toBe(false);
  });
});
