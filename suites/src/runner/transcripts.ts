/**
 * `--transcripts all|failures|none`: which cases keep their transcript in the report. A passing
 * case's transcript is rarely read and makes up most of a report's size, so the CLI keeps only
 * the transcripts of cases that did not pass by default.
 * @module
 */
import type { Verdict } from '../../../spec/src/report.ts';

export const transcriptModes = ['all', 'failures', 'none'] as const;
export type TranscriptMode = (typeof transcriptModes)[number];

export const isTranscriptMode = (s: string): s is TranscriptMode => (transcriptModes as readonly string[]).includes(s);

/** the CLI's default */
export const DEFAULT_TRANSCRIPTS: TranscriptMode = 'failures';

/** Whether a case with this verdict keeps its transcript under `mode` ("failures": every verdict but pass). */
export function keepTranscript(verdict: Verdict, mode: TranscriptMode): boolean {
  if (mode === 'all') return true;
  if (mode === 'none') return false;
  return verdict !== 'pass';
}
