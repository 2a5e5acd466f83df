/**
 * The JSON report: the source of truth every other view is rendered from. Validated against
 * the Report schema of spec/ when written and when read; a bad file gives one precise line.
 * @module
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { Report } from '../../../spec/src/report.ts';

/** A report file that cannot be used, with the file, the JSON path and the problem. */
export class ReportFileError extends Error {
  override readonly name = 'ReportFileError';
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly jsonPath?: string,
  ) {
    super(jsonPath === undefined ? `${file}: ${problem}` : `${file}: ${jsonPath}: ${problem}`);
  }
}

/** `$.cases[3].verdict` */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** The first issue of a zod error as a JSON path and a message. */
export function describeIssue(error: z.ZodError): { path: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { path: '$', message: 'invalid' };
  return { path: formatJsonPath(issue.path), message: issue.message };
}

/** Turns a JSON.parse message into "line L, column C: …" when it carries a position. */
export function describeJsonSyntaxError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const m = /position (\d+)/.exec(message);
  if (!m) return `not valid JSON: ${message}`;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${message.replace(/\s*\(line \d+ column \d+\)$/, '')}`;
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(Report.parse(report), null, 2)}\n`;
}

/** Validates a parsed value as a Report; `source` names the file in errors. */
export function parseReport(value: unknown, source: string): Report {
  const result = Report.safeParse(value);
  if (result.success) return result.data;
  const { path, message } = describeIssue(result.error);
  const extra = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : '';
  throw new ReportFileError(source, `${message}${extra}`, path);
}

export async function readJsonReport(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ReportFileError(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a report file' : `cannot read (${code ?? String(e)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ReportFileError(file, describeJsonSyntaxError(text, e));
  }
  return parseReport(value, file);
}

export async function writeJsonReport(report: Report, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderJson(report));
}
