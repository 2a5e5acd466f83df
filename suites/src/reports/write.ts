/**
 * Writes the chosen report views of one run into a directory, under fixed file names.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../../../spec/src/report.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

export const reportFormats = ['json', 'junit', 'md', 'html'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const isReportFormat = (s: string): s is ReportFormat => (reportFormats as readonly string[]).includes(s);

export const reportFileNames: Readonly<Record<ReportFormat, string>> = {
  json: 'report.json',
  junit: 'junit.xml',
  md: 'report.md',
  html: 'report.html',
};

const renderers: Readonly<Record<ReportFormat, (r: Report) => string>> = {
  json: renderJson,
  junit: renderJunit,
  md: renderMarkdown,
  html: renderHtml,
};

/** Renders every format first (so a bad report writes nothing), then writes; returns the paths. */
export async function writeReports(report: Report, outDir: string, formats: readonly ReportFormat[]): Promise<string[]> {
  const rendered = [...new Set(formats)].map((f) => [join(outDir, reportFileNames[f]), renderers[f](report)] as const);
  await mkdir(outDir, { recursive: true });
  for (const [file, text] of rendered) await writeFile(file, text);
  return rendered.map(([file]) => file);
}
