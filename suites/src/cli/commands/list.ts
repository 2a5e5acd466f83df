/**
 * `pusher-conformance list [--json]`: every case with id, clause, level and features.
 * @module
 */
import type { Command } from 'commander';
import { caseMetadata, type CaseMetadata } from '../../model/case.ts';
import type { CliIo, ExitBox } from '../io.ts';

export type ListedCase = CaseMetadata;

export function renderTable(rows: readonly ListedCase[]): string {
  const head = { id: 'ID', clause: 'CLAUSE', level: 'LEVEL', features: 'FEATURES' };
  const w = {
    id: Math.max(head.id.length, ...rows.map((r) => r.id.length)),
    clause: Math.max(head.clause.length, ...rows.map((r) => r.clause.length)),
    level: Math.max(head.level.length, ...rows.map((r) => r.level.length)),
  };
  const line = (id: string, clause: string, level: string, features: string) => `${id.padEnd(w.id)}  ${clause.padEnd(w.clause)}  ${level.padEnd(w.level)}  ${features}`.trimEnd();
  return [line(head.id, head.clause, head.level, head.features), ...rows.map((r) => line(r.id, r.clause, r.level, r.features.join(',') || '-')), `${rows.length} cases`, ''].join('\n');
}

export function registerList(program: Command, io: CliIo, exit: ExitBox): void {
  program
    .command('list')
    .description('list every case with id, clause, level and features')
    .option('--json', 'print a JSON array instead of a table')
    .action(async (flags: { json?: boolean }) => {
      const { allCases } = await import('../../cases/index.ts');
      const rows = allCases().map((entry) => caseMetadata(entry.area, entry.case));
      io.stdout.write(flags.json ? `${JSON.stringify(rows, null, 2)}\n` : renderTable(rows));
      exit.code = 0;
    });
}
