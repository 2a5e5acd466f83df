/**
 * Output paths are checked before the doctor runs, so a run never finishes only to lose its
 * report to a bad path: the report directory is created (one level at a time: Node's recursive
 * mkdir spins forever on procfs) and proved writable with a probe file; a file to be rewritten
 * (the baseline) must be a regular file, or creatable in an existing directory. Writing the
 * reports afterwards tries every file, so one failure never loses the others.
 * @module
 */
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Report } from '../../../spec/src/report.ts';
import { reportFileNames, writeReports, type ReportFormat } from '../reports/write.ts';
import { HarnessError } from '../model/outcome.ts';

/** An output path that cannot be written: named, with the reason, before anything ran. */
export class OutputPathError extends HarnessError {
  constructor(
    readonly path: string,
    readonly what: string,
    reason: string,
  ) {
    super(`${what} ${path}: ${reason}`);
  }
}

/** deepest directory chain we create for --out (a guard, not a protocol fact) */
const MAX_NEW_LEVELS = 32;
const PROBE_NAME = '.pusher-conformance-write-probe';

const errnoReason = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a parent of it is a file, not a directory';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOENT':
      return 'this location does not accept new files (a virtual file system such as /proc or /sys?)';
    case 'EEXIST':
      return 'it exists and is not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return err.code ? `${err.code}: ${err.message}` : String(e);
  }
};

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function probeWritable(dir: string, what: string, shown: string): Promise<void> {
  const probe = join(dir, `${PROBE_NAME}-${process.pid}`);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
  } catch (e) {
    throw new OutputPathError(shown, what, `cannot write in ${dir}: ${errnoReason(e)}`);
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}

/** Create `dir` if needed and prove that files can be written in it. */
export async function prepareOutputDir(dir: string, what = 'the report directory (--out)'): Promise<void> {
  const abs = resolve(dir);
  const missing: string[] = [];
  let cursor = abs;
  for (;;) {
    let st;
    try {
      st = await statOrUndefined(cursor);
    } catch (e) {
      throw new OutputPathError(dir, what, errnoReason(e));
    }
    if (st) {
      if (!st.isDirectory()) throw new OutputPathError(dir, what, cursor === abs ? 'it exists and is not a directory' : `${cursor} is a file, not a directory`);
      break;
    }
    missing.unshift(cursor);
    if (missing.length > MAX_NEW_LEVELS) throw new OutputPathError(dir, what, `more than ${MAX_NEW_LEVELS} directories would have to be created`);
    const parent = dirname(cursor);
    if (parent === cursor) break;
    cursor = parent;
  }
  for (const level of missing) {
    try {
      await mkdir(level);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputPathError(dir, what, `cannot create ${level}: ${errnoReason(e)}`);
    }
  }
  await probeWritable(abs, what, dir);
}

/** `file` can be (re)written: a regular file, or a new one in an existing, writable directory. */
export async function checkOutputFile(file: string, what: string): Promise<void> {
  const abs = resolve(file);
  let st;
  try {
    st = await statOrUndefined(abs);
  } catch (e) {
    throw new OutputPathError(file, what, errnoReason(e));
  }
  if (st) {
    if (!st.isFile()) throw new OutputPathError(file, what, st.isDirectory() ? 'it is a directory' : 'it is not a regular file');
    try {
      const handle = await open(abs, 'r+');
      await handle.close();
    } catch (e) {
      throw new OutputPathError(file, what, `cannot write it: ${errnoReason(e)}`);
    }
    return;
  }
  const parent = dirname(abs);
  let pst;
  try {
    pst = await statOrUndefined(parent);
  } catch (e) {
    throw new OutputPathError(file, what, errnoReason(e));
  }
  if (!pst) throw new OutputPathError(file, what, `its directory ${parent} does not exist`);
  if (!pst.isDirectory()) throw new OutputPathError(file, what, `${parent} is not a directory`);
  await probeWritable(parent, what, file);
}

export interface WrittenOutputs {
  readonly files: string[];
  /** one line per file that could not be written */
  readonly failures: string[];
}

/** Write each report format on its own: a failure to write one is reported, the others are still written. */
export async function writeReportsEach(report: Report, outDir: string, formats: readonly ReportFormat[]): Promise<WrittenOutputs> {
  const files: string[] = [];
  const failures: string[] = [];
  for (const format of [...new Set(formats)]) {
    try {
      files.push(...(await writeReports(report, outDir, [format])));
    } catch (e) {
      failures.push(`could not write ${join(outDir, reportFileNames[format])}: ${errnoReason(e)}`);
    }
  }
  return { files, failures };
}
