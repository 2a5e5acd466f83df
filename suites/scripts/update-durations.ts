/**
 * npm run durations:update -- [REPORT.json…] — refreshes suites/generated/durations.json (the
 * runner's scheduling table, suites/src/runner/schedule.ts) from the case durations of reports of
 * the embedded reference server (reports/reference/report.json by default). Later reports win;
 * cases no longer in the registry drop out. Nothing in the table is written by hand.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { areas } from '../src/cases/index.ts';
import { readJsonReport, ReportFileError } from '../src/reports/json.ts';
import { DURATIONS_URL, durationsFromReport, loadDurations } from '../src/runner/schedule.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(files: readonly string[]): Promise<number> {
  const known = new Set(areas.flatMap((a) => a.cases.map((c) => c.id)));
  let table = loadDurations();
  for (const file of files.length > 0 ? files : [join(ROOT, 'reports', 'reference', 'report.json')]) {
    try {
      const report = await readJsonReport(resolve(file));
      if (!report.target.embedded) {
        process.stderr.write(`durations:update: ${file} is not a run of the embedded reference server; skipped\n`);
        continue;
      }
      table = durationsFromReport(report, table, known);
    } catch (e) {
      if (!(e instanceof ReportFileError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
      process.stderr.write(`durations:update: ${(e as Error).message}\n`);
      return 2;
    }
  }
  writeFileSync(DURATIONS_URL, `${JSON.stringify(table, null, 2)}\n`);
  process.stdout.write(`wrote ${fileURLToPath(DURATIONS_URL)} (${Object.keys(table).length} cases)\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
