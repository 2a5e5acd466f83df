import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../../spec/src/report.ts';
import { parseConfig } from '../src/cli/config-file.ts';
import { UsageError } from '../src/cli/errors.ts';
import { DEFAULT_OUT, resolveRunSettings } from '../src/cli/options.ts';
import type { RunFlags } from '../src/cli/options.ts';
import { createProgress } from '../src/cli/progress.ts';
import { syntheticCase, syntheticReport } from './fixtures/synthetic-report.ts';
import { CLI_BIN, runCli, SPAWN_TEST_MS, type CliResult } from './support/cli-process.ts';

type Result = CliResult;

/** Runs the CLI from a neutral cwd (paths resolve from the bin, not the cwd). */
const cli = (args: readonly string[], opts: { timeout?: number; env?: Record<string, string>; cwd?: string } = {}): Promise<Result> => runCli(args, { ...opts, cwd: opts.cwd ?? tmp });

/** A user error: exit 2, exactly one line on stderr, no stack trace. */
function expectUsageError(r: Result, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^pusher-conformance: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pc-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('flags, config file and progress (in process)', () => {
  const flags = (f: Partial<RunFlags> = {}): RunFlags => ({ limit: [], only: [], exclude: [], fault: [], ...f });
  const target = { ws: 'ws://h:1', http: 'http://h:1', appId: 'a', key: 'k' };

  it('applies the documented defaults for the embedded server', () => {
    const s = resolveRunSettings(flags(), undefined, {});
    expect(s.options).toMatchObject({ profile: 'pusher', level: 'should', strict: false, timeScale: 1, only: [], exclude: [] });
    // the runner picks the concurrency by target (runner/schedule.ts: 16 embedded, 4 external)
    expect(s.options.concurrency).toBeUndefined();
    expect(s.options.target).toBeUndefined();
    expect(s.formats).toEqual(['json', 'junit', 'md', 'html']);
    expect(s.out).toBe(DEFAULT_OUT);
    expect(s.seedGiven).toBe(false);
    expect(Number.isInteger(s.options.seed)).toBe(true);
  });

  it('lets flags override the file and takes the secret from PUSHER_SECRET', () => {
    const config = parseConfig({ target, profile: 'soketi', level: 'must', concurrency: 2, only: ['presence/*'], limits: { eventDataBytes: 100000 }, report: ['json'] }, 'c.json');
    const s = resolveRunSettings(flags({ profile: 'reverb', concurrency: '8', limit: ['channelNameLength=200', 'cacheTtlSeconds=none'], seed: '5' }), config, { PUSHER_SECRET: 'env-secret' });
    expect(s.options).toMatchObject({ profile: 'reverb', level: 'must', concurrency: 8, only: ['presence/*'], seed: 5 });
    expect(s.options.target).toMatchObject({ ...target, secret: 'env-secret' });
    expect(s.options.limits).toEqual({ eventDataBytes: 100000, channelNameLength: 200, cacheTtlSeconds: null });
    expect(s.formats).toEqual(['json']);
  });

  it('rejects faults with an external target, unknown limits and unknown config keys', () => {
    expect(() => resolveRunSettings(flags({ ...target, secret: 's', fault: ['client-event-echo'] }), undefined, {})).toThrow(/--fault applies only to the embedded/);
    expect(() => resolveRunSettings(flags({ limit: ['payload=1'] }), undefined, {})).toThrow(UsageError);
    expect(() => parseConfig({ profil: 'pusher' }, 'c.json')).toThrow(/^config file c\.json: \$: Unrecognized key/);
    expect(() => parseConfig({ target: { ws: 1 } }, 'c.json')).toThrow(/^config file c\.json: \$\.target\.ws: /);
  });

  it('prints one plain line per finished area when not a TTY', () => {
    let text = '';
    const progress = createProgress({ stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, tty: false, color: false });
    progress.onPlan([
      { area: 'connection', cases: 2 },
      { area: 'presence', cases: 2 },
    ]);
    progress.onCaseDone(syntheticCase('pass', { area: 'connection', id: 'connection/a' }));
    progress.onCaseDone(syntheticCase('fail', { area: 'connection', id: 'connection/b' }));
    progress.onCaseDone(syntheticCase('pass', { area: 'presence', id: 'presence/a' }));
    expect(text).toBe('connection      2/2  pass 1  fail 1\n');
    progress.stop();
    expect(text.split('\n')[1]).toBe('presence        1/2  pass 1  (incomplete)');
  });
});

describe('help and usage errors', () => {
  it('--help lists the commands', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['run', 'doctor', 'list', 'explain', 'serve', 'compare']) expect(r.stdout).toContain(cmd);
    expect(r.stdout).toContain('Exit codes');
  }, SPAWN_TEST_MS);

  it('run --help shows the target flags', async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--ws', '--app-id', '--profile', '--only', '--strict', '--baseline', '--report', '--fault']) expect(r.stdout).toContain(flag);
  }, SPAWN_TEST_MS);

  it('an unknown command exits 2 with one line', async () => {
    expectUsageError(await cli(['frobnicate']), /unknown command 'frobnicate'/);
  }, SPAWN_TEST_MS);

  it('an unknown flag exits 2 with one line', async () => {
    expectUsageError(await cli(['run', '--bogus']), /unknown option '--bogus'/);
  }, SPAWN_TEST_MS);

  it('a bad profile exits 2 and lists the valid ones', async () => {
    expectUsageError(await cli(['run', '--profile', 'nope']), /unknown profile 'nope'; valid profiles: .*pusher/);
  }, SPAWN_TEST_MS);

  it('a bad level, a non-numeric seed and half a target exit 2', async () => {
    const [level, seed, half] = await Promise.all([
      cli(['run', '--level', 'sometimes']),
      cli(['run', '--seed', 'abc']),
      cli(['run', '--ws', 'ws://127.0.0.1:6001', '--key', 'k']),
    ]);
    expectUsageError(level, /--level must be one of must, should, may/);
    expectUsageError(seed, /--seed must be an integer/);
    expectUsageError(half, /incomplete target: missing --http, --app-id, --secret/);
  }, SPAWN_TEST_MS);

  it('a bad config file names the file, the JSON path and the problem', async () => {
    const file = join(tmp, 'bad-config.json');
    await writeFile(file, JSON.stringify({ profile: 'pusher', concurrency: 'lots' }));
    const syntax = join(tmp, 'syntax-config.json');
    await writeFile(syntax, '{ "profile": "pusher", }');
    const [bad, broken, missing] = await Promise.all([
      cli(['run', '--config', file]),
      cli(['run', '--config', syntax]),
      cli(['doctor', '--config', join(tmp, 'missing.json')]),
    ]);
    expectUsageError(bad, new RegExp(`config file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\$\\.concurrency: `));
    expectUsageError(broken, /syntax-config\.json: not valid JSON at line 1/);
    expectUsageError(missing, /missing\.json: no such file/);
  }, SPAWN_TEST_MS);
});

describe('list and explain', () => {
  let listJson: Result;
  let cases: { id: string; clause: string; level: string; features: string[] }[] = [];
  beforeAll(async () => {
    listJson = await cli(['list', '--json']);
    cases = listJson.code === 0 ? (JSON.parse(listJson.stdout) as typeof cases) : [];
  }, SPAWN_TEST_MS);

  it('list --json prints every case', () => {
    expect(listJson.code, listJson.stderr).toBe(0);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect(c.id).toMatch(/^[a-z-]+\/[a-z0-9-]+/);
      expect(['MUST', 'SHOULD', 'MAY']).toContain(c.level);
      expect(Array.isArray(c.features)).toBe(true);
    }
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  }, SPAWN_TEST_MS);

  it('list prints a table', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^ID\s+CLAUSE\s+LEVEL\s+FEATURES$/);
    expect(r.stdout).toMatch(/\d+ cases\n$/);
  }, SPAWN_TEST_MS);

  it('explain prints the clause of a case', async () => {
    const c = cases[0]!;
    const r = await cli(['explain', c.id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`clause ${c.clause}`);
    expect(r.stdout).toContain('requirement:');
    expect(r.stdout).toContain('Sources');
    expect(r.stdout).toContain('Impact on clients');
  }, SPAWN_TEST_MS);

  it('explain accepts a clause id', async () => {
    const r = await cli(['explain', cases[0]!.clause]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Cases checking this clause');
    expect(r.stdout).toContain(cases[0]!.id);
  }, SPAWN_TEST_MS);

  it('explain of an unknown id suggests close ids and exits 2', async () => {
    const c = cases[0]!;
    const typo = `${c.id.slice(0, -1)}x`;
    const r = await cli(['explain', typo]);
    expectUsageError(r, /unknown case or clause/);
    expect(r.stderr).toContain('did you mean');
  }, SPAWN_TEST_MS);
});

describe('compare', () => {
  it('prints the Markdown matrix of several reports', async () => {
    const a = join(tmp, 'a.json');
    const b = join(tmp, 'b.json');
    await writeFile(a, JSON.stringify(syntheticReport({}, 'reference')));
    await writeFile(b, JSON.stringify(syntheticReport({}, 'other')));
    const r = await cli(['compare', a, b]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\| case \| clause \| level \| reference \| other \|$/m);
    const out = join(tmp, 'cmp');
    const w = await cli(['compare', a, b, '--out', out]);
    expect(w.code, w.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['comparison.html', 'comparison.md']);
  }, SPAWN_TEST_MS);

  it('rejects an invalid report with the file and the JSON path', async () => {
    const bad = join(tmp, 'bad-report.json');
    await writeFile(bad, JSON.stringify({ ...syntheticReport(), exitCode: 7 }));
    expectUsageError(await cli(['compare', bad]), /bad-report\.json: \$\.exitCode: /);
  }, SPAWN_TEST_MS);
});

describe('run against the embedded reference server', () => {
  it('runs the connection cases, writes the four reports and the settings file, and exits 0', async () => {
    const out = join(tmp, 'run-out');
    const r = await cli(['run', '--only', 'connection/*', '--out', out, '--seed', '7', '--name', 'reference'], { timeout: 120_000 });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md', 'target.json']);
    const report = Report.parse(JSON.parse(await readFile(join(out, 'report.json'), 'utf8')));
    expect(report.target.name).toBe('reference');
    expect(report.options.seed).toBe(7);
    expect(report.cases.filter((c) => c.area === 'connection' && c.verdict === 'pass').length).toBeGreaterThan(0);
    expect(XMLValidator.validate(await readFile(join(out, 'junit.xml'), 'utf8'))).toBe(true);
    expect(r.stdout).toMatch(/^connection\s+\d+\/\d+\s+pass \d+/m);
    expect(r.stdout).toContain('Result: conformant (exit 0)');
  }, 150_000);
});

describe('doctor', () => {
  it('exits 2 with a plain message when the target is unreachable, quickly', async () => {
    // "quickly" relative to a bare start-up, so a loaded machine does not make it flaky
    const baseline = await cli(['--version']);
    const r = await cli(['doctor', '--ws', 'ws://127.0.0.1:1', '--http', 'http://127.0.0.1:1', '--app-id', 'a', '--key', 'k', '--secret', 's'], { timeout: 60_000 });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(2);
    expect(r.stdout).toContain('✗');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at /);
    expect(r.ms).toBeLessThan(baseline.ms * 2 + 10_000);
  }, SPAWN_TEST_MS);
});

describe('serve', () => {
  it('prints the banner and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0'], { cwd: tmp, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner within 60 s; stderr: ${stderr}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (/WebSocket\s+ws:\/\/127\.0\.0\.1:\d+/.test(stdout)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', () => reject(new Error(`exited before the banner; stderr: ${stderr}`)));
      });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/WebSocket\s+ws:\/\/127\.0\.0\.1:(?!0\b)\d+/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, SPAWN_TEST_MS);
});
