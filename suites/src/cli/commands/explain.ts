/**
 * `pusher-conformance explain ID`: for a case id or a clause id, the action and requirement, the
 * clause text and level, its sources, what a failure breaks in clients, and the kit's position
 * when the sources leave the question open.
 * @module
 */
import type { Command } from 'commander';
import { ambiguity, isAmbiguityId } from '../../../../spec/src/ambiguities.ts';
import { clause, clauseIds, isClauseId } from '../../../../spec/src/clauses/index.ts';
import type { ClauseId } from '../../../../spec/src/clauses/index.ts';
import { sourceOf } from '../../../../spec/src/sources.ts';
import { caseMetadata, type CaseDef } from '../../model/case.ts';
import { UsageError, closest } from '../errors.ts';
import type { CliIo, ExitBox } from '../io.ts';

function section(title: string, body: string[]): string[] {
  return body.length ? ['', title, ...body] : [];
}

export function explainCase(c: CaseDef): string[] {
  return [
    `${c.id} (case, ${c.level})`,
    `  action:       ${c.action}`,
    `  requirement:  ${c.requirement}`,
    `  features:     ${c.features.length ? c.features.join(', ') : 'none'}`,
    ...(c.numRuns !== undefined ? [`  property:     ${c.numRuns} runs by default (--runs, --seed, --path replay it)`] : []),
    `  run it:       npx pusher-conformance run --only '${c.id}'`,
  ];
}

export function explainClause(id: ClauseId, cases: readonly CaseDef[]): string[] {
  const cl = clause(id);
  const out = [`clause ${id}: ${cl.title} (${cl.level})`, `  ${cl.text}`];
  out.push(
    ...section(
      'Sources',
      cl.sources.flatMap((ref) => {
        const src = sourceOf(ref);
        const where = [ref.section ? `section "${ref.section}"` : '', ref.note ?? ''].filter(Boolean).join('; ');
        return [`  - ${src.title}${src.version ? ` [${src.version}]` : ''}${where ? `: ${where}` : ''}`, `    ${src.url}`];
      }),
    ),
  );
  out.push(...section('Impact on clients', [`  ${cl.impact}`]));
  if (cl.ambiguity !== undefined && isAmbiguityId(cl.ambiguity)) {
    const a = ambiguity(cl.ambiguity);
    out.push(
      ...section(`Open question (${a.id}): ${a.title}`, [
        `  question:  ${a.question}`,
        `  position:  ${a.position}`,
        '  alternatives seen:',
        ...a.alternatives.map((alt) => `    ${alt.verdict.padEnd(4)}  ${alt.id}: ${alt.description}${alt.seenIn.length ? ` (seen in ${alt.seenIn.join('; ')})` : ''}`),
      ]),
    );
  }
  const checking = cases.filter((c) => c.clause === id);
  out.push(...section('Cases checking this clause', checking.length ? checking.map((c) => `  ${c.id} (${c.level})`) : ['  none yet']));
  return out;
}

/** The clause as `explain --json` prints it: text, sources with URLs, impact, open question, cases. */
export function clauseJson(id: ClauseId, cases: readonly CaseDef[]) {
  const cl = clause(id);
  const open = cl.ambiguity !== undefined && isAmbiguityId(cl.ambiguity) ? ambiguity(cl.ambiguity) : undefined;
  return {
    id,
    title: cl.title,
    level: cl.level,
    text: cl.text,
    sources: cl.sources.map((ref) => {
      const src = sourceOf(ref);
      return { title: src.title, url: src.url, ...(src.version ? { version: src.version } : {}), ...(ref.section ? { section: ref.section } : {}), ...(ref.note ? { note: ref.note } : {}) };
    }),
    impact: cl.impact,
    ...(open ? { ambiguity: { id: open.id, title: open.title, question: open.question, position: open.position, alternatives: open.alternatives } } : {}),
    cases: cases.filter((c) => c.clause === id).map((c) => ({ id: c.id, level: c.level })),
  };
}

export function registerExplain(program: Command, io: CliIo, exit: ExitBox): void {
  program
    .command('explain')
    .description('explain a case or a clause: requirement, clause text, sources, impact on clients')
    .argument('<id>', 'case id (area/behaviour) or clause id (area.topic)')
    .option('--json', 'print a JSON object ({ kind: "case", case, clause } or { kind: "clause", clause })')
    .action(async (id: string, flags: { json?: boolean }) => {
      const { allCases } = await import('../../cases/index.ts');
      const entries = allCases();
      const cases = entries.map((entry) => entry.case);
      const found = entries.find((e) => e.case.id === id);
      if (flags.json && (found || isClauseId(id))) {
        const body = found
          ? { kind: 'case', case: { ...caseMetadata(found.area, found.case), ...(found.case.numRuns !== undefined ? { numRuns: found.case.numRuns } : {}), run: `npx pusher-conformance run --only '${found.case.id}'` }, clause: clauseJson(found.case.clause, cases) }
          : { kind: 'clause', clause: clauseJson(id as ClauseId, cases) };
        io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
        exit.code = 0;
        return;
      }
      let lines: string[];
      if (found) lines = [...explainCase(found.case), '', ...explainClause(found.case.clause, cases)];
      else if (isClauseId(id)) lines = explainClause(id, cases);
      else {
        // A slash means a case id was meant, a dot a clause id; suggest from that pool first.
        const caseIds = cases.map((c) => c.id);
        const pool = id.includes('/') ? [caseIds, clauseIds] : id.includes('.') ? [clauseIds, caseIds] : [[...caseIds, ...clauseIds]];
        const near = pool.map((p) => closest(id, p, 5)).find((n) => n.length > 0) ?? [];
        throw new UsageError(`unknown case or clause '${id}'${near.length ? `; did you mean: ${near.join(', ')}` : ''} (see: pusher-conformance list)`);
      }
      io.stdout.write(`${lines.join('\n')}\n`);
      exit.code = 0;
    });
}
