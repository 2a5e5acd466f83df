/**
 * npm run report:findings -- DIR… — writes DIR/FINDINGS.md from DIR/report.json for each
 * directory (reports/soketi by default): root causes, failures and warnings grouped by clause,
 * each with the transcript entries that back it. Nothing in the file is written by hand.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReportFileError } from '../src/reports/json.ts';
import { writeFindingsFile } from '../src/reports/findings.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(dirs: readonly string[]): Promise<number> {
  for (const dir of dirs.length > 0 ? dirs : [join(ROOT, 'reports', 'soketi')]) {
    try {
      process.stdout.write(`wrote ${await writeFindingsFile(resolve(dir))}\n`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!(e instanceof ReportFileError) && code === undefined) throw e;
      process.stderr.write(`report:findings: ${(e as Error).message}\n`);
      return 2;
    }
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
