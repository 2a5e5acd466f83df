/**
 * Findings over a synthetic report: the root causes (departures, crashes) shown once, before the
 * case lists, in report.md and report.html; FINDINGS.md generated from the report alone, grouped
 * by clause with the spec's wording, every evidence line taken from the case's own transcript.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clauses } from '../../spec/src/clauses/index.ts';
import { Report, type CaseResult } from '../../spec/src/report.ts';
import { entryLine, evidenceOf, renderFindings, rootCauses, writeFindingsFile, FINDINGS_FILE_NAME } from '../src/reports/findings.ts';
import { SYNC_EVENT } from '../src/cases/helpers/channel-sync.ts';
import { renderHtml } from '../src/reports/html.ts';
import { renderJson } from '../src/reports/json.ts';
import { renderMarkdown } from '../src/reports/markdown.ts';
import { syntheticCase, syntheticReport } from './fixtures/synthetic-report.ts';

const MUST_CLAUSE = 'connection.socket-id-format';
const SHOULD_CLAUSE = 'connection.any-message-is-activity';

/** Two failures of one clause, one warning, a departure touching two cases and a crash. */
function reportWithFindings(): Report {
  const base = syntheticReport();
  const failA = syntheticCase('fail', {
    id: 'connection/socket-id-a',
    clause: MUST_CLAUSE,
    actual: 'socket_id {"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"abc\\"}"}',
    transcript: [
      { t: 0, kind: 'ws-open', who: 'c1', text: 'ws://127.0.0.1:6001/app/key?protocol=7' },
      { t: 2, kind: 'ws-in', who: 'c1', text: '{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"abc\\"}"}' },
      { t: 9, kind: 'ws-close', who: 'c1', text: 'closed by the client: 1000' },
    ],
  });
  const failB = syntheticCase('fail', {
    id: 'connection/socket-id-b',
    clause: MUST_CLAUSE,
    actual: 'HTTP 200 {"error":"bad","code":401}',
    transcript: [
      { t: 0, kind: 'http-out', who: 'r1', text: 'POST /apps/1/events?auth_signature=x {"name":"e"}' },
      { t: 1, kind: 'http-out', who: 'r2', text: 'GET /apps/1/channels' },
      { t: 3, kind: 'http-in', who: 'r2', text: '200 {"channels":{}}' },
      { t: 4, kind: 'http-in', who: 'r1', text: '200 {"error":"bad","code":401}' },
    ],
  });
  const warn = syntheticCase('warn', { id: 'connection/query-tolerated', clause: SHOULD_CLAUSE, area: 'connection', actual: 'closed with 4001' });
  const cases = [...base.cases.filter((c) => c.verdict !== 'fail' && c.verdict !== 'warn'), failA, failB, warn];
  return Report.parse({
    ...base,
    cases,
    findings: [
      {
        id: 'error-status-200',
        title: 'REST errors are answered with HTTP 200',
        clause: 'rest.bad-request',
        explanation: 'the harness counts such an answer as a refusal',
        evidence: 'POST /apps/1/events → HTTP 200 {"error":"<bad>","code":401}',
        cases: ['connection/socket-id-b', 'presence/xfail-case'],
      },
    ],
    crashes: [{ afterCase: 'connection/error-case', frame: '{not json', who: 'c3', at: '2026-01-01T00:00:03.000Z', detectedBy: 'exit', exit: 'signal SIGSEGV', recovered: true }],
  });
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('root causes', () => {
  it('lists each departure and each crash once, with its clause, evidence and cases', () => {
    const causes = rootCauses(reportWithFindings());
    expect(causes.map((c) => c.kind)).toEqual(['departure', 'crash']);
    expect(causes[0]).toMatchObject({ clause: 'rest.bad-request', cases: ['connection/socket-id-b', 'presence/xfail-case'] });
    expect(causes[1]).toMatchObject({ clause: 'connection.error-clause', cases: ['connection/error-case'] });
    // the recorded frame, then the blamed case's last outbound entries from its transcript
    expect(causes[1]!.evidence).toEqual(['last input before the target died: c3: {not json', 'the last 1 frames and requests connection/error-case sent:', '3 ms ws-out c1: {"event":"client-x","data":"<script>alert(1)</script>"}']);
    expect(causes[1]!.title).toMatch(/exited \(signal SIGSEGV\) after case connection\/error-case/);
  });
});

describe('evidence', () => {
  it('takes the frames the actual value quotes, and an HTTP answer with its own request', () => {
    const r = reportWithFindings();
    const a = evidenceOf(r.cases.find((c) => c.id === 'connection/socket-id-a')!);
    expect(a.quoted).toBe(true);
    expect(a.entries.map((e) => e.kind)).toEqual(['ws-in']);
    const b = evidenceOf(r.cases.find((c) => c.id === 'connection/socket-id-b')!);
    expect(b.quoted).toBe(true);
    expect(b.entries.map((e) => `${e.kind} ${e.who}`)).toEqual(['http-out r1', 'http-in r1']);
  });

  it('falls back to the last inbound entries before the verdict, never the harness closing its clients or its barriers', () => {
    const c: CaseResult = syntheticCase('fail', {
      actual: 'no answer',
      transcript: [
        { t: 0, kind: 'ws-in', who: 'c1', text: 'one' },
        { t: 1, kind: 'ws-in', who: 'c1', text: 'two' },
        { t: 1.2, kind: 'http-out', who: 'r9', text: `POST /apps/1/events?auth_key=k {"name":"${SYNC_EVENT}","channel":"c","data":"sync-1"}` },
        { t: 1.4, kind: 'ws-in', who: 'c1', text: `{"event":"${SYNC_EVENT}","channel":"c","data":"sync-1"}` },
        { t: 1.6, kind: 'http-in', who: 'r9', text: '200 {}' },
        { t: 2, kind: 'note', text: 'property failed after 1 run(s)' },
        { t: 3, kind: 'ws-in', who: 'c1', text: 'after the verdict' },
        { t: 4, kind: 'ws-close', who: 'c1', text: 'closed by the client: 1000' },
      ],
    });
    const ev = evidenceOf(c);
    expect(ev.quoted).toBe(false);
    expect(ev.entries.map((e) => e.text)).toEqual(['one', 'two']);
  });
});

describe('FINDINGS.md', () => {
  it('groups failures and warnings by clause with the spec wording, root causes first', () => {
    const md = renderFindings(reportWithFindings());
    const rootAt = md.indexOf('## Root causes');
    const failAt = md.indexOf('## Failures (MUST)');
    const warnAt = md.indexOf('## Warnings (SHOULD)');
    expect(rootAt).toBeGreaterThan(0);
    expect(failAt).toBeGreaterThan(rootAt);
    expect(warnAt).toBeGreaterThan(failAt);
    // one heading for the clause of both failures, with its wording from spec/
    expect(md.split(`### \`${MUST_CLAUSE}\``).length - 1).toBe(1);
    expect(md).toContain(`> ${clauses[MUST_CLAUSE].text}`);
    expect(md).toContain(`### \`${SHOULD_CLAUSE}\` (SHOULD): ${clauses[SHOULD_CLAUSE].title}`);
    // the departure once, its evidence escaped, the crash with its frame
    expect(md.split('### REST errors are answered with HTTP 200').length - 1).toBe(1);
    expect(md).toContain('{"error":"<bad>","code":401}');
    expect(md).toContain('c3: {not json');
    // passes are not findings
    expect(md).not.toContain('connection/pass-case');
    expect(md).toContain('## Not judged (error)');
  });

  it('backs every evidence line of a case with an entry of that case\'s transcript', () => {
    const r = reportWithFindings();
    const md = renderFindings(r);
    const sections = md.split(/^#### /m).slice(1);
    expect(sections.length).toBe(4); // two failures, the unexpected pass, the warning
    for (const section of sections) {
      const id = /^`([^`]+)`/.exec(section)![1]!;
      const c = r.cases.find((x) => x.id === id)!;
      const fence = /```\n([^]*?)\n```/.exec(section);
      expect(fence, id).not.toBeNull();
      const allowed = new Set(c.transcript.map(entryLine));
      for (const line of fence![1]!.split('\n')) expect(allowed.has(line), `${id}: ${line}`).toBe(true);
    }
  });

  it('says so when nothing was found', () => {
    const md = renderFindings(syntheticReport());
    expect(md).toContain('The harness recognised no known departure and the target never stopped answering.');
  });

  it('is written beside report.json from that file alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-findings-'));
    dirs.push(dir);
    const r = reportWithFindings();
    await writeFile(join(dir, 'report.json'), renderJson(r));
    const file = await writeFindingsFile(dir);
    expect(file).toBe(join(dir, FINDINGS_FILE_NAME));
    expect(await readFile(file, 'utf8')).toBe(renderFindings(r));
    await expect(writeFindingsFile(join(dir, 'missing'))).rejects.toThrow(/no such file/);
  });
});

describe('findings in report.md and report.html', () => {
  it('Markdown: once, before the failures', () => {
    const md = renderMarkdown(reportWithFindings());
    const at = md.indexOf('### Findings (2)');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(md.indexOf('### Failures'));
    expect(md.split('REST errors are answered with HTTP 200').length - 1).toBe(1);
    expect(md).toContain('`connection/socket-id-b`, `presence/xfail-case`');
    // inside a fenced block: shown verbatim
    expect(md).toContain('```\nPOST /apps/1/events → HTTP 200 {"error":"<bad>","code":401}\n```');
    expect(renderMarkdown(syntheticReport())).not.toContain('### Findings');
  });

  it('HTML: a section before the cases, escaped, linking each case', () => {
    const html = renderHtml(reportWithFindings(), 'https://example.test/');
    const at = html.indexOf('<section id="findings">');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(html.indexOf('<section id="cases">'));
    expect(html).toContain('<a href="#case-presence/xfail-case"><code>presence/xfail-case</code></a>');
    expect(html).toContain('&#60;bad&#62;');
    expect(html).not.toContain('"<bad>"');
    expect(html).toContain('c3: {not json');
    expect(renderHtml(syntheticReport(), 'https://example.test/')).not.toContain('id="findings"');
  });
});
