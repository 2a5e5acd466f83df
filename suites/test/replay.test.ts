/**
 * `--path` replays a model-based failure: the reproduction a failed `presence/membership-model`
 * prints re-runs the shrunk history (fc.commands' replay path included) and fails the same way,
 * once, without searching or shrinking again.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Report } from '../../spec/src/report.ts';
import { formatReplayPath, parseReplayPath, commandsReplayPathOf } from '../src/harness/replay-path.ts';
import { runCli, SPAWN_TEST_MS } from './support/cli-process.ts';

const CASE = 'presence/membership-model';
/** member_removed as soon as any connection of a user leaves: the model's histories catch it */
const FAULT = 'member-removed-early';
/** a seed whose shrunk counterexample keeps generated commands (a replay path that matters) */
const SEED = '1';

/** Splits a reproduce command the way sh would: words, single-quoted words, "$VAR" words. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|"([^"]*)"|(\S+)/g;
  for (const m of command.matchAll(re)) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] ?? m[3]!));
  return words;
}

async function caseOf(dir: string) {
  const report = Report.parse(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')));
  const c = report.cases.find((x) => x.id === CASE);
  if (!c) throw new Error(`${CASE} missing from ${dir}/report.json`);
  return c;
}

describe('replay paths', () => {
  it('round-trips the counterexample path and the commands replay path', () => {
    expect(parseReplayPath('0:1:1:0@B:A')).toEqual({ path: '0:1:1:0', commands: 'B:A' });
    expect(parseReplayPath('3:1')).toEqual({ path: '3:1' });
    expect(formatReplayPath({ path: '0:1', commands: 'AAB+/:qA' })).toBe('0:1@AAB+/:qA');
    for (const bad of ['', 'x', '1:2@', '1:2@B', '1;2', '1:2@B:A@C:D']) expect(parseReplayPath(bad), bad).toBeUndefined();
    expect(commandsReplayPathOf('[a,b /*replayPath="B:A"*/]')).toBe('B:A');
    expect(commandsReplayPathOf('[a /*replayPath="B:A"*/, b /*replayPath="C:A"*/]')).toBeUndefined();
  });

  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it(
    'the printed reproduction of a failed model-based case fails the same way, in one run',
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'pc-replay-'));
      dirs.push(root);
      const first = await runCli(['run', '--fault', FAULT, '--only', CASE, '--seed', SEED, '--out', join(root, 'first'), '--report', 'json'], { cwd: root });
      expect(first.code, first.stderr).toBe(1);
      const found = await caseOf(join(root, 'first'));
      expect(found.verdict).toBe('fail');
      expect(found.property?.shrinks).toBeGreaterThan(0);
      expect(found.property?.path).toMatch(/@/);

      const words = shellWords(found.reproduce);
      expect(words.slice(0, 3)).toEqual(['npx', 'pusher-conformance', 'run']);
      expect(words).toContain('--path');
      const again = await runCli([...words.slice(2), '--out', join(root, 'replay'), '--report', 'json'], { cwd: root });
      expect(again.code, again.stderr).toBe(1);
      const replayed = await caseOf(join(root, 'replay'));
      expect(replayed.verdict).toBe('fail');
      expect(replayed.expected).toEqual(found.expected);
      expect(replayed.property?.counterexample?.replace(/\/\*replayPath="[^"]*"\*\//, '')).toBe(found.property?.counterexample?.replace(/\/\*replayPath="[^"]*"\*\//, ''));
      // the replay prints the same path again, so it can be replayed once more
      expect(replayed.property?.path).toBe(found.property?.path);
      // one run of the recorded history: no search, no shrinking
      expect(replayed.property?.shrinks).toBe(0);
      expect(replayed.durationMs).toBeLessThan(found.durationMs);
    },
    SPAWN_TEST_MS,
  );

  it(
    'a --path that is not a replay path is a usage error',
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'pc-replay-'));
      dirs.push(root);
      const res = await runCli(['run', '--only', CASE, '--seed', SEED, '--path', 'not-a-path', '--out', join(root, 'x'), '--report', 'json'], { cwd: root });
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/not a replay path/);
    },
    SPAWN_TEST_MS,
  );
});
