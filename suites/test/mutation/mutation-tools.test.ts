// The mutation run's own machinery: which mutants the ignorers set aside, and how the summary
// counts and names survivors.
import { describe, expect, it } from 'vitest';
// @ts-expect-error @babel/core ships no types; StrykerJS's instrumenter parses with it
import { parseSync, traverse } from '@babel/core';
import { strykerPlugins } from './stryker-ignorers.mjs';
import { summarise, survivorId, triagedIds } from '../../scripts/mutation-summary.ts';

interface Path {
  node: { type: string; start: number; end: number };
  toString(): string;
}

/** source text of every node the named ignorer sets aside (its subtree is then skipped) */
function ignored(name: string, code: string): string[] {
  const plugin = strykerPlugins.find((p) => p.name === name)!;
  const ast = parseSync(code, { filename: 'x.ts', presets: ['@babel/preset-typescript'], configFile: false, babelrc: false });
  const out: string[] = [];
  traverse(ast, {
    enter(path: Path & { skip(): void }) {
      if (plugin.value.shouldIgnore(path) !== undefined) {
        out.push(code.slice(path.node.start, path.node.end));
        path.skip();
      }
    },
  });
  return out;
}

describe('fault-branches ignorer', () => {
  it('sets aside fault switches, the code only a fault reaches, and a fault offset of 0', () => {
    const code = [
      "if (!subscribed && !faults.has('a')) refuse();",
      "if (other !== conn && app.faults.has('b')) skip();",
      "const n = limit + (faults.has('c') ? 1 : 0);",
      "const s = app?.faults.has('d') ? bad() : good();",
    ].join('\n');
    expect(ignored('fault-branches', code)).toEqual(["!faults.has('a')", "other !== conn && app.faults.has('b')", 'skip();', "limit + (faults.has('c') ? 1 : 0)", "app?.faults.has('d')", 'bad()']);
  });

  it('keeps protocol conditions that merely sit next to a fault switch', () => {
    expect(ignored('fault-branches', "if (x.length > max && !faults.has('e')) refuse(); if (channels.has('f')) g();")).toEqual(["!faults.has('e')"]);
  });
});

describe('error-messages ignorer', () => {
  it('sets aside the text of errors and close reasons, not other strings', () => {
    const code = "throw new RestError(400, `bad ${x}`, 'rest.bad-request'); conn.close(4009, 'bye'); send({ event: 'e' }); rejected('no', 'c');";
    expect(ignored('error-messages', code)).toEqual(['`bad ${x}`', "'rest.bad-request'", "'bye'", "'no'", "'c'"]);
  });
});

describe('mutation summary', () => {
  const mutant = (status: 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'Ignored', line: number) => ({
    id: String(line),
    mutatorName: 'ConditionalExpression',
    replacement: 'false',
    location: { start: { line, column: 7 }, end: { line, column: 20 } },
    status,
    coveredBy: status === 'Survived' ? ['a', 'b'] : [],
  });

  it('scores killed and timed-out mutants over every scored one, ignored ones aside', () => {
    const s = summarise('f.ts', [mutant('Killed', 1), mutant('Timeout', 2), mutant('Survived', 3), mutant('NoCoverage', 4), mutant('Ignored', 5)], '2026-01-01T00:00:00Z', 40, 4);
    expect(s).toMatchObject({ mutants: 5, killed: 1, timeout: 1, survived: 1, noCoverage: 1, ignored: 1, score: 50, secondsPerMutant: 10 });
    expect(s.survivors).toEqual([
      { id: 'f.ts:3:7-3:20 ConditionalExpression "false"', status: 'Survived', coveredBy: 2 },
      { id: 'f.ts:4:7-4:20 ConditionalExpression "false"', status: 'NoCoverage', coveredBy: 0 },
    ]);
  });

  it('names a survivor by its range and replacement, and reads the ids TRIAGE.md answers', () => {
    const id = survivorId('f.ts', { ...mutant('Survived', 9), replacement: 'x'.repeat(50) });
    expect(id).toBe(`f.ts:9:7-9:20 ConditionalExpression "${'x'.repeat(40)}…"`);
    expect([...triagedIds(`# T\n- \`${id}\` — equivalent: because\n- not a triage line\n`)]).toEqual([id]);
  });
});
