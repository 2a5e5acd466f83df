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
    .action(async (files: string[], flags: { out?: string; format: string }) => {
      const chosen = flags.format
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const f of chosen) if (!(formats as readonly string[]).includes(f)) throw new UsageError(`unknown compare format '${f}'; valid formats: ${formats.join(', ')}`);
      if (chosen.length === 0) throw new UsageError(`--format needs at least one of ${formats.join(', ')}`);
      const reports = [];
      for (const file of files) reports.push({ report: await readJsonReport(file), source: file });
      const matrix = buildMatrix(reports);
      if (flags.out === undefined) {
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
      io.stdout.write(`compared ${reports.length} reports (${matrix.rows.length} cases): ${written.join(', ')}\n`);
      exit.code = 0;
    });
}
