/**
 * JUnit XML: one testsuite per area, one testcase per case (name = case id, classname = area).
 * Mapping: fail → failure, error → error, unsupported / skipped → skipped (message says which),
 * warn → failure under --strict, otherwise a passing case with a system-out note, xfail →
 * skipped "expected failure (baseline)", xpass → failure "unexpectedly passed; update the
 * baseline". Failure bodies carry clause, level, requirement, expected/actual and the
 * reproduce command.
 * @module
 */
import { createRequire } from 'node:module';
import type { Builder, TestCase } from 'junit-report-builder';
import type { CaseResult, Report } from '../../../spec/src/report.ts';
import { casesByArea, expectedText, gateLine, propertyText, targetLine } from './format.ts';

// The package is CommonJS with `module.exports = builder`, while its typings declare an ES default
// export; requiring it gives the value the typings describe.
const junit = createRequire(import.meta.url)('junit-report-builder') as Builder;

// Characters XML 1.0 cannot carry at all, and lone surrogates.
const ILLEGAL_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text that xmlbuilder accepts in attributes and CDATA: illegal characters become \uXXXX. */
export function xmlSafe(s: string): string {
  return s
    .replace(ILLEGAL_XML, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/]]>/g, ']] >');
}

const TRANSCRIPT_LIMIT = 200;

function transcriptText(c: CaseResult): string {
  if (c.transcript.length === 0) return '';
  const shown = c.transcript.slice(-TRANSCRIPT_LIMIT);
  const lines = shown.map((e) => `${e.t.toFixed(0).padStart(6)} ms  ${e.kind.padEnd(9)} ${(e.who ?? '').padEnd(4)} ${e.text}`);
  const cut = c.transcript.length - shown.length;
  return ['transcript:', ...(cut > 0 ? [`  … ${cut} earlier entries omitted`] : []), ...lines].join('\n');
}

/** The body every failure/error carries. */
export function failureBody(c: CaseResult): string {
  const lines = [
    `case:        ${c.id}`,
    `clause:      ${c.clause} (${c.level})`,
    `requirement: ${c.requirement}`,
    `action:      ${c.action}`,
    `expected:    ${expectedText(c)}`,
    `actual:      ${c.actual}`,
  ];
  if (c.message) lines.push(`message:     ${c.message}`);
  const prop = propertyText(c);
  if (prop) lines.push(`property:    ${prop}`);
  if (c.property?.counterexample) lines.push(`counterexample: ${c.property.counterexample}`);
  lines.push(`reproduce:   ${c.reproduce}`);
  return lines.join('\n');
}

/** Sets the message attribute of the <skipped> element, which the builder's API cannot. */
function skippedWithMessage(tc: TestCase, message: string): void {
  tc.skipped();
  const build = tc.build.bind(tc);
  tc.build = (parent) => {
    const el = build(parent);
    for (const child of el.children as unknown as { name?: string; att?: (k: string, v: string) => unknown }[]) {
      if (child.name === 'skipped' && child.att) child.att('message', xmlSafe(message));
    }
    return el;
  };
}

function addCase(tc: TestCase, c: CaseResult, strict: boolean): void {
  tc.className(c.area).name(c.id).time(c.durationMs / 1000);
  tc.property('clause', c.clause).property('level', c.level).property('verdict', c.verdict);
  const summary = xmlSafe(`${c.clause} (${c.level}): expected ${expectedText(c)}; got ${c.actual}`);
  const body = xmlSafe(failureBody(c));
  const transcript = xmlSafe(transcriptText(c));
  switch (c.verdict) {
    case 'pass':
      break;
    case 'info':
      tc.standardOutput(xmlSafe(`info (MAY / observation): ${c.actual}${c.message ? `\n${c.message}` : ''}`));
      break;
    case 'fail':
      tc.failure(summary, 'fail').stacktrace(body);
      if (transcript) tc.standardOutput(transcript);
      break;
    case 'error':
      tc.error(xmlSafe(`harness or setup error: ${c.message ?? c.actual}`), 'error', body);
      if (transcript) tc.standardOutput(transcript);
      break;
    case 'warn':
      if (strict) {
        tc.failure(xmlSafe(`SHOULD not met (--strict): ${summary}`), 'warn').stacktrace(body);
        if (transcript) tc.standardOutput(transcript);
      } else {
        tc.standardOutput(xmlSafe(`warn: SHOULD not met (fails only under --strict)\n${failureBody(c)}${transcript ? `\n${transcriptText(c)}` : ''}`));
      }
      break;
    case 'unsupported':
      skippedWithMessage(tc, `unsupported: ${c.message ?? `needs ${c.features.join(', ') || 'a feature the target lacks'}`}`);
      break;
    case 'skipped':
      skippedWithMessage(tc, `skipped: ${c.message ?? 'not selected'}`);
      break;
    case 'xfail':
      skippedWithMessage(tc, 'expected failure (baseline)');
      tc.standardOutput(body);
      break;
    case 'xpass':
      tc.failure('unexpectedly passed; update the baseline', 'xpass').stacktrace(body);
      break;
  }
}

export function renderJunit(report: Report): string {
  const builder = junit.newBuilder();
  builder.name(xmlSafe(`pusher-conformance: ${targetLine(report)}: ${gateLine(report)}`));
  for (const [area, cases] of casesByArea(report)) {
    const suite = builder.testSuite().name(xmlSafe(area)).timestamp(report.startedAt);
    suite.property('target', xmlSafe(report.target.name)).property('profile', xmlSafe(report.target.profile)).property('seed', String(report.options.seed));
    suite.time(cases.reduce((s, c) => s + c.durationMs, 0) / 1000);
    for (const c of cases) addCase(suite.testCase(), c, report.options.strict);
  }
  return builder.build();
}
