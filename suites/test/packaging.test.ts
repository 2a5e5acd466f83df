/**
 * The package as a consumer installs it: `npm pack` (prepack builds dist/), the tarball
 * installed offline into a temporary project (dependencies from the npm cache `npm ci` filled),
 * then the bin on plain node, the exports from Node ESM, from TypeScript (NodeNext and Bundler,
 * strict) and from an esbuild browser bundle. One pack and one install for the whole file.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** npm's own variables (set when this runs under `npm test`) would leak into the child npm */
const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

interface Exec {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: readonly string[], cwd: string, timeout: number): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd, timeout, env: { ...cleanEnv(), NO_COLOR: '1', NO_UPDATE_NOTIFIER: '1' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const npm = (args: readonly string[], cwd: string, timeout: number) => exec(process.execPath, [npmCli(), ...args], cwd, timeout);

/** npm's CLI script beside this node (so no npx or shell wrapper owns the child) */
function npmCli(): string {
  const candidates = [join(process.execPath, '..', '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), '/usr/lib/node_modules/npm/bin/npm-cli.js', '/usr/local/lib/node_modules/npm/bin/npm-cli.js'];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`npm-cli.js not found beside ${process.execPath}`);
  return found;
}

/**
 * A project depending on the tarball, with a lock file made from ours: `npm ci --offline` then
 * takes every dependency from the npm cache by integrity. (`npm install --offline <tarball>`
 * would need the registry's metadata documents, which `npm ci` does not cache.)
 */
function writeConsumerProject(dir: string, spec: string, integrity: string): void {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const full = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { [pkg.name]: spec } },
    [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: spec, integrity, license: full.license, dependencies: full.dependencies, bin: full.bin, engines: full.engines },
  };
  // the kit's runtime dependencies sit where they sit in our tree
  for (const [path, entry] of Object.entries(lock.packages)) if (path.startsWith('node_modules/') && !entry.dev) packages[path] = entry;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { [pkg.name]: spec } }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2));
}

let work = '';
let consumer = '';
let installed = '';
let tarball = { files: 0, size: 0, unpackedSize: 0, name: '' };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pc-pack-'));
  const packed = await npm(['pack', '--json', '--pack-destination', work], ROOT, 300_000);
  if (packed.code !== 0) throw new Error(`npm pack exited ${packed.code}: ${packed.stdout.slice(-2000)}${packed.stderr.slice(-2000)}`);
  // prepack's build output comes before the JSON on stdout
  const info = (JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[\n'))) as { filename: string; integrity: string; entryCount: number; size: number; unpackedSize: number; files: { path: string }[] }[])[0]!;
  tarball = { files: info.entryCount, size: info.size, unpackedSize: info.unpackedSize, name: info.filename };
  process.stdout.write(`packaging: ${info.filename}: ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} kB packed, ${(info.unpackedSize / 1024 / 1024).toFixed(2)} MB unpacked\n`);
  const paths = info.files.map((f) => f.path);
  // no tests, no committed reports, no raw sources
  expect(paths.filter((p) => /(^|\/)test\/|\.test\.|^reports\/|^website\/|^(spec|suites|reference-server)\/src\//.test(p))).toEqual([]);

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeConsumerProject(consumer, `file:../${info.filename}`, info.integrity);
  const inst = await npm(['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], consumer, 120_000);
  if (inst.code !== 0) throw new Error(`npm ci --offline exited ${inst.code}: ${inst.stderr.slice(-2000)}`);
  installed = join(consumer, 'node_modules', pkg.name);
}, 450_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// the bin as npm linked it (node_modules/.bin/pusher-conformance), run by plain node
const cli = (args: readonly string[], timeout = 60_000) => exec(process.execPath, [join(consumer, 'node_modules', '.bin', 'pusher-conformance'), ...args], consumer, timeout);

describe('the packed tarball', () => {
  it('is small and installs without tsx (a dev dependency)', () => {
    expect(tarball.files).toBeGreaterThan(50);
    expect(tarball.size).toBeLessThan(2 * 1024 * 1024);
    expect(existsSync(join(consumer, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(installed, 'suites', 'src'))).toBe(false);
  });

  it('runs its bin on plain node: --version, list --json, run against the embedded server', async () => {
    const version = await cli(['--version']);
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(pkg.version);

    const list = await cli(['list', '--json']);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { id: string }[];
    expect(rows.some((r) => r.id.startsWith('connection/'))).toBe(true);

    const out = join(work, 'report');
    const run = await cli(['run', '--only', 'connection/*', '--seed', '7', '--report', 'json,md', '--out', out], 150_000);
    expect(run.stderr).not.toMatch(/unexpected error|ERR_/);
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { suite: { version: string; node?: string; fastCheck?: string }; summary: { executed: number } };
    expect(report.summary.executed).toBeGreaterThan(0);
    expect(report.suite).toMatchObject({ version: pkg.version, node: process.versions.node, fastCheck: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown as string });
  }, 240_000);

  it('runs the GitHub Action entry point from the installed package', async () => {
    const summary = join(work, 'summary.md');
    const output = join(work, 'output.txt');
    writeFileSync(summary, '');
    writeFileSync(output, '');
    const r = await new Promise<Exec>((resolve) => {
      execFile(process.execPath, [join(installed, 'bin', 'pusher-conformance-action.js')], { cwd: consumer, timeout: 150_000, env: { ...cleanEnv(), NO_COLOR: '1', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, INPUT_ONLY: 'connection/*', INPUT_SEED: '7', INPUT_REPORT_DIR: 'action-report' } }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
    expect(r.stderr).not.toMatch(/unexpected error|ERR_/);
    expect(r.code).toBe(0);
    expect(readFileSync(summary, 'utf8')).toMatch(/^## pusher-conformance: .*conformant \(exit 0\)/);
    expect(readFileSync(output, 'utf8')).toMatch(/^exit-code<<(\S+)\n0\n\1$/m);
    expect(existsSync(join(consumer, 'action-report', 'report.json'))).toBe(true);
  }, 180_000);

  it('exports the spec and the generated files to a plain Node ESM script', async () => {
    writeFileSync(
      join(consumer, 'check.mjs'),
      `import { PingFrame, ErrorFrame, clauseIds } from 'pusher-conformance/spec';
import { signChannel } from 'pusher-conformance/spec/crypto';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const ping = PingFrame.safeParse({ event: 'pusher:ping', data: {} });
const bad = ErrorFrame.safeParse({ event: 'pusher:error', data: { code: 'nope' } });
const schema = require('pusher-conformance/schemas/PingFrame.json');
const docs = ['asyncapi.json', 'openapi.json', 'data/clauses.json', 'data/profiles.json', 'data/error-codes.json', 'data/limits.json', 'data/vectors.json', 'config.schema.json', 'baseline.schema.json'].map((f) => typeof require('pusher-conformance/' + f));
const { runSuite } = await import('pusher-conformance');
const report = await runSuite({ only: ['connection/*'], seed: 3 });
console.log(JSON.stringify({ ping: ping.success, bad: bad.success, clauses: clauseIds.length, sign: typeof signChannel, schema: typeof schema.$schema, docs, run: [report.exitCode, report.summary.executed > 0], version: require('pusher-conformance/package.json').version }));
`,
    );
    const r = await exec(process.execPath, ['check.mjs'], consumer, 90_000);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ ping: true, bad: false, clauses: expect.any(Number) as unknown as number, sign: 'function', schema: 'string', docs: Array(9).fill('object'), run: [0, true], version: pkg.version });
    expect((JSON.parse(r.stdout) as { clauses: number }).clauses).toBeGreaterThan(50);
  }, 120_000);

  // a type error here (the @ts-expect-error lines) proves the types are real, not `any`
  const consumerTs = `import { runSuite, type Report } from 'pusher-conformance';
import { PingFrame, type Verdict } from 'pusher-conformance/spec';
import { signChannel } from 'pusher-conformance/spec/crypto';
const v: Verdict = 'pass';
// @ts-expect-error not a verdict
const w: Verdict = 'passed';
const parsed = PingFrame.safeParse({ event: 'pusher:ping', data: {} });
const ok: boolean = parsed.success;
export async function gate(): Promise<number> {
  const report: Report = await runSuite({ only: ['connection/*'] });
  // @ts-expect-error exitCode is a number
  const s: string = report.exitCode;
  return report.exitCode + (ok ? 0 : 1) + v.length + w.length + s.length + signChannel.length;
}
`;

  for (const [name, compilerOptions] of [
    ['NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['Bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
  ] as const) {
    it(`type-checks for a strict TypeScript consumer with moduleResolution ${name}`, async () => {
      const dir = join(consumer, `ts-${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'index.ts'), consumerTs);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { ...compilerOptions, target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] },
          files: ['index.ts'],
        }),
      );
      const r = await exec(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], dir, 120_000);
      expect(r.stdout + r.stderr).toBe('');
      expect(r.code).toBe(0);
    }, 120_000);
  }

  it('bundles pusher-conformance/spec for the browser with esbuild', async () => {
    writeFileSync(join(consumer, 'browser.js'), `import { SubscribeFrame } from 'pusher-conformance/spec';\nconsole.log(SubscribeFrame.safeParse({ event: 'pusher:subscribe', data: { channel: 'a' } }).success);\n`);
    const result = await build({ absWorkingDir: consumer, entryPoints: ['browser.js'], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith('node:'))).toEqual([]);
    const bytes = result.outputFiles[0]!.contents.byteLength;
    process.stdout.write(`packaging: browser bundle of pusher-conformance/spec: ${(bytes / 1024).toFixed(0)} kB\n`);
    expect(bytes).toBeGreaterThan(1000);
  }, 60_000);
});
