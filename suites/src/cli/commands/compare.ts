/**
 * `pusher-conformance compare REPORT.json…`: the comparison matrix (cases × implementations)
 * as Markdown and HTML; Markdown on stdout when no --out is given.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildMatrix, renderCompareHtml, renderCompareMarkdown } from '../../reports/compare.ts';
import { readJsonReport } from '../../reports/json.ts';
import { UsageError } from '../errors.ts';
import type { CliIo, ExitBox } from '../io.ts';

const formats = ['md', 'html'] as const;
type CompareFormat = (typeof formats)[number];

export const compareFileNames: Readonly<Record<CompareFormat, string>> = { md: 'comparison.md', html: 'comparison.html' };

export function registerCompare(program: Command, io: CliIo, exit: ExitBox): void {
  program
    .command('compare')
    .description('comparison matrix of several report.json files (rows: cases, columns: implementations)')
    .argument('<reports...>', 'report.json files (one per implementation)')
    .option('--out <dir>', 'write comparison.md / comparison.html here instead of printing Markdown')
    .option('--format <formats>', 'formats written with --out, comma separated: md,html', 'md,html')
    .option('--json', 'print the matrix as JSON on stdout (columns, rows with one verdict per column, null where a report lacks the case)')
    .action(async (files: string[], flags: { out?: string; format: string; json?: boolean }) => {
      if (flags.out !== undefined && flags.out.trim() === '-') throw new UsageError('--out - is not supported: --out takes a directory; without --out the Markdown matrix goes to stdout (--json for JSON)');
      const chosen = flags.format
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const f of chosen) if (!(formats as readonly string[]).includes(f)) throw new UsageError(`unknown compare format '${f}'; valid formats: ${formats.join(', ')}`);
      if (chosen.length === 0) throw new UsageError(`--format needs at least one of ${formats.join(', ')}`);
      const reports = [];
      for (const file of files) reports.push({ report: await readJsonReport(file), source: file });
      const matrix = buildMatrix(reports);
      if (flags.json) io.stdout.write(`${JSON.stringify(matrix, (_k, v: unknown) => (v === undefined ? null : v), 2)}\n`);
      if (flags.out === undefined) {
        if (flags.json) {
          exit.code = 0;
          return;
        }
        io.stdout.write(renderCompareMarkdown(matrix));
        exit.code = 0;
        return;
      }
      await mkdir(flags.out, { recursive: true });
      const written: string[] = [];
      for (const f of new Set(chosen as CompareFormat[])) {
        const file = join(flags.out, compareFileNames[f]);
        await writeFile(file, f === 'md' ? renderCompareMarkdown(matrix) : renderCompareHtml(matrix));
        written.push(file);
      }
      // with --json, stdout carries the JSON alone
      (flags.json ? io.stderr : io.stdout).write(`compared ${reports.length} reports (${matrix.rows.length} cases): ${written.join(', ')}\n`);
      exit.code = 0;
    });
}
