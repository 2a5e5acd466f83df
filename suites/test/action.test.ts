/**
 * The GitHub Action's entry point (bin/pusher-conformance-action.js, what action.yml runs) with
 * GITHUB_STEP_SUMMARY and GITHUB_OUTPUT in a temporary directory: against the embedded
 * reference server (passes) and against `serve --fault no-pong` (fails), plus the summary's
 * bounds and the workflow-command escaping on their own.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../../spec/src/report.ts';
import { annotations, outputs } from '../src/action/main.ts';
import { COMMENT_LIMIT_CHARS, renderStepSummary } from '../src/action/summary.ts';
import { escapeData, escapeProperty, outputEntry, workflowCommand } from '../src/action/workflow-commands.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ACTION_BIN = join(ROOT, 'bin', 'pusher-conformance-action.js');
const CLI_BIN = join(ROOT, 'bin', 'pusher-conformance.js');
const SPAWN_MS = 150_000;

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  dir: string;
}

/** $GITHUB_OUTPUT as the runner reads it: `name<<DELIM` … `DELIM` (and plain `name=value`) */
function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`unterminated output ${heredoc[1]}`);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

const dirs: string[] = [];

function runActionBin(inputs: Record<string, string>): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-action-'));
  dirs.push(dir);
  const summaryFile = join(dir, 'summary.md');
  const outputFile = join(dir, 'output.txt');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PUSHER_SECRET: '',
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/server',
    GITHUB_RUN_ID: '42',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k}`, v])),
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [ACTION_BIN], { cwd: dir, env, timeout: SPAWN_MS, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
        stdout,
        stderr,
        summary: readFileSync(summaryFile, 'utf8'),
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        dir,
      });
    });
  });
}

/** `serve --port 0 --fault no-pong` as a child; resolves with its port once it prints it */
function startFaultyServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0', '--fault', 'no-pong'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`serve did not print its port in 60 s: ${text}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${text}`)));
  });
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('workflow commands', () => {
  it('escapes messages and properties as the runner decodes them', () => {
    expect(escapeData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
    expect(escapeProperty('area/case:1,2')).toBe('area/case%3A1%2C2');
    expect(workflowCommand('error', 'x: y, z\n', { title: 'a:b,c' })).toBe('::error title=a%3Ab%2Cc::x: y, z%0A');
  });

  it('writes multi-line outputs with a delimiter absent from the value', () => {
    const entry = outputEntry('report-md', 'line 1\nghadelimiter_x\nline 3');
    expect(parseOutputFile(entry)).toEqual({ 'report-md': 'line 1\nghadelimiter_x\nline 3' });
    expect(() => outputEntry('bad name', 'v')).toThrow();
  });
});

describe('the action against the embedded reference server', () => {
  let run: ActionRun;
  beforeAll(async () => {
    // a baseline recorded by other versions of the suite and fast-check: its seeds may replay other inputs
    const baseline = join(mkdtempSync(join(tmpdir(), 'pc-baseline-')), 'baseline.json');
    dirs.push(dirname(baseline));
    writeFileSync(baseline, JSON.stringify({ schema: 'pusher-conformance/baseline@1', target: 'reference', suite: { version: '0.0.1', fastCheck: '3.0.0' }, cases: {} }));
    run = await runActionBin({ ONLY: 'connection/*', SEED: '11', NAME: 'reference', BASELINE: baseline });
  }, SPAWN_MS);

  it('passes, sets the outputs, writes a summary and no error annotation', () => {
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect(run.code).toBe(0);
    expect(run.outputs['exit-code']).toBe('0');
    expect(Number(run.outputs.pass)).toBeGreaterThan(0);
    expect(run.outputs.fail).toBe('0');
    expect(run.outputs['report-dir']).toBe('pusher-conformance-report');
    for (const k of ['report-json', 'report-md', 'report-html', 'report-junit']) expect(existsSync(join(run.dir, run.outputs[k]!))).toBe(true);
    expect(run.stdout).not.toMatch(/^::error/m);
    expect(run.summary).toMatch(/^## pusher-conformance: reference \(profile pusher\): conformant \(exit 0\)/);
    expect(run.summary).toContain('(https://github.example/acme/server/actions/runs/42)');
    expect(run.summary).not.toContain('### Failures');
  });

  it('warns that the baseline was recorded under other versions, without failing the run', () => {
    const report = Report.parse(JSON.parse(readFileSync(join(run.dir, run.outputs['report-json']!), 'utf8')));
    expect(report.suite).toMatchObject({ node: process.versions.node, fastCheck: expect.stringMatching(/^\d+\./) as unknown as string });
    const check = report.doctor.find((d) => d.check === 'replay-versions');
    expect(check?.message).toMatch(/recorded by suite 0\.0\.1 with fast-check 3\.0\.0; this is suite \S+ with fast-check \S+, so its seeds and replay paths may not reproduce/);
    expect(check?.blocks).toBeUndefined();
    expect(run.summary).toContain('replay-versions');
  });
});

describe('the action against a faulty server (serve --fault no-pong)', () => {
  let run: ActionRun;
  let server: ChildProcess | undefined;
  beforeAll(async () => {
    const started = await startFaultyServer();
    server = started.child;
    const base = `127.0.0.1:${started.port}`;
    run = await runActionBin({ WS: `ws://${base}`, HTTP: `http://${base}`, APP_ID: 'app-id', KEY: 'app-key', SECRET: 'app-secret', ONLY: 'connection/*', SEED: '11', NAME: 'faulty' });
  }, SPAWN_MS + 60_000);
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('fails with one error annotation per failing case, failures first in the summary', () => {
    expect(run.code).toBe(1);
    expect(run.outputs['exit-code']).toBe('1');
    const report = Report.parse(JSON.parse(readFileSync(join(run.dir, run.outputs['report-json']!), 'utf8')));
    const failing = report.cases.filter((c) => c.verdict === 'fail');
    expect(failing.map((c) => c.clause)).toContain('connection.ping-pong');
    expect(run.outputs.fail).toBe(String(failing.length));
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(failing.length + report.cases.filter((c) => c.verdict === 'error' || c.verdict === 'xpass').length);
    const ping = failing.find((c) => c.clause === 'connection.ping-pong')!;
    expect(errors).toContain(workflowCommand('error', `${ping.clause} (${ping.level}): expected ${ping.expected.join(' | ')}; actual ${ping.actual}${ping.message && ping.message !== ping.actual ? `; ${ping.message}` : ''}`, { title: ping.id }));
    // the secret is never on a command line or in the summary
    expect(run.summary).not.toContain('app-secret');
    const failures = run.summary.indexOf('### Failures');
    expect(failures).toBeGreaterThan(0);
    expect(run.summary.indexOf('<details>')).toBeGreaterThan(failures);
    expect(run.summary).toContain(ping.id);
    expect(run.summary.length).toBeLessThanOrEqual(COMMENT_LIMIT_CHARS);
  });

  it('keeps a summary of thousands of failures under the comment limit, the rest counted', () => {
    const report = Report.parse(JSON.parse(readFileSync(join(run.dir, run.outputs['report-json']!), 'utf8')));
    const failing = report.cases.find((c) => c.verdict === 'fail')!;
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...failing, id: `${failing.id}-${i}`, actual: `${failing.actual} ${'x'.repeat(200)}` }));
    const big: Report = { ...report, cases: [...many, ...report.cases] };
    const { markdown, omitted } = renderStepSummary(big, { reportUrl: 'https://example/run' });
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT_CHARS);
    expect(Buffer.byteLength(markdown)).toBeLessThan(1024 * 1024);
    expect(omitted).toBeGreaterThan(0);
    expect(markdown).toContain(`${omitted} cases did not fit in this summary; see [the full report](https://example/run)`);
    expect(markdown.indexOf('### Failures')).toBeLessThan(markdown.indexOf('did not fit'));
    // annotations are capped per level, the rest counted in a notice
    const lines = annotations(big);
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(50);
    expect(lines.at(-1)).toMatch(/^::notice title=pusher-conformance::\d+ more error annotations/);
    expect(outputs(big, 1, 'out')).toMatchObject({ 'exit-code': '1', fail: String(report.summary.byVerdict.fail) });
  });
});

describe('the action with a bad input', () => {
  it('stops with one error annotation and exit 2, before running anything', async () => {
    const run = await runActionBin({ STRICT: 'maybe' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("::error title=pusher-conformance::input strict must be true or false, got 'maybe'");
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.summary).toBe('');
  }, SPAWN_MS);
});
