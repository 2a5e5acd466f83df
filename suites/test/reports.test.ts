import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { Report, verdicts } from '../../spec/src/report.ts';
import { buildMatrix, renderCompareHtml, renderCompareMarkdown } from '../src/reports/compare.ts';
import { renderHtml } from '../src/reports/html.ts';
import { ReportFileError, parseReport, readJsonReport, renderJson, writeJsonReport } from '../src/reports/json.ts';
import { renderJunit, xmlSafe } from '../src/reports/junit.ts';
import { renderMarkdown } from '../src/reports/markdown.ts';
import { reportFileNames, writeReports } from '../src/reports/write.ts';
import { syntheticCase, syntheticReport } from './fixtures/synthetic-report.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pc-reports-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

interface XmlCase {
  '@_name': string;
  '@_classname': string;
  failure?: { '@_message'?: string; '#text'?: string } | string;
  error?: { '@_message'?: string };
  skipped?: { '@_message'?: string } | string;
  'system-out'?: string;
}
interface XmlSuite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  testcase: XmlCase[];
}

function parseJunit(xml: string): XmlSuite[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => name === 'testsuite' || name === 'testcase', parseAttributeValue: false });
  const doc = parser.parse(xml) as { testsuites: { testsuite: XmlSuite[] } };
  return doc.testsuites.testsuite;
}

describe('synthetic report', () => {
  it('covers every verdict and validates against the Report schema', () => {
    const r = syntheticReport();
    expect(new Set(r.cases.map((c) => c.verdict))).toEqual(new Set(verdicts));
    expect(Report.safeParse(r).success).toBe(true);
  });
});

describe('json report', () => {
  it('round-trips through the schema', async () => {
    const r = syntheticReport();
    const file = join(await tempDir(), 'nested', 'report.json');
    await writeJsonReport(r, file);
    expect(await readJsonReport(file)).toEqual(r);
    expect(JSON.parse(renderJson(r))).toEqual(r);
  });

  it('names the file, the JSON path and the problem for an invalid report', async () => {
    const dir = await tempDir();
    const bad = structuredClone(syntheticReport()) as unknown as { cases: { verdict: string }[] };
    bad.cases[3]!.verdict = 'maybe';
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(bad));
    const err = await readJsonReport(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportFileError);
    expect((err as ReportFileError).message).toContain(file);
    expect((err as ReportFileError).jsonPath).toBe('$.cases[3].verdict');
  });

  it('reports JSON syntax errors with a line and column, and missing files plainly', async () => {
    const dir = await tempDir();
    const file = join(dir, 'broken.json');
    await writeFile(file, '{\n  "schema": "x",\n  oops\n}');
    await expect(readJsonReport(file)).rejects.toThrow(/broken\.json: not valid JSON at line 3/);
    await expect(readJsonReport(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: no such file/);
    expect(() => parseReport({ schema: 'nope' }, 'x.json')).toThrow(/^x\.json: \$\.schema: /);
  });
});

describe('junit report', () => {
  const r = syntheticReport();
  const xml = renderJunit(r);
  const suites = parseJunit(xml);
  const byId = new Map(suites.flatMap((s) => s.testcase).map((c) => [c['@_name'], c]));

  it('is valid XML', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('has one testsuite per area with the right counts', () => {
    expect(suites.map((s) => s['@_name']).sort()).toEqual(['connection', 'presence', 'webhooks']);
    const get = (n: string) => suites.find((s) => s['@_name'] === n)!;
    // connection: pass, fail, error
    expect(get('connection')).toMatchObject({ '@_tests': '3', '@_failures': '1', '@_errors': '1', '@_skipped': '0' });
    // presence: warn (passing, not strict), info, xfail (skipped)
    expect(get('presence')).toMatchObject({ '@_tests': '3', '@_failures': '0', '@_errors': '0', '@_skipped': '1' });
    // webhooks: unsupported, skipped (both skipped), xpass (failure)
    expect(get('webhooks')).toMatchObject({ '@_tests': '3', '@_failures': '1', '@_errors': '0', '@_skipped': '2' });
    for (const s of suites) for (const c of s.testcase) expect(c['@_classname']).toBe(s['@_name']);
  });

  it('maps verdicts to failure, error and skipped with messages', () => {
    const fail = byId.get('connection/fail-case')!;
    const failure = fail.failure as { '@_message': string; '#text': string };
    expect(failure['@_message']).toContain('connection.fail-clause (MUST)');
    expect(failure['#text']).toContain('requirement: The server MUST do the fail thing');
    expect(failure['#text']).toContain("reproduce:   npx pusher-conformance run --only 'connection/fail-case'");
    expect(failure['#text']).toContain('expected:    close 4009 | pusher:error 4009 then close');
    expect(byId.get('connection/error-case')!.error).toBeDefined();
    expect((byId.get('webhooks/unsupported-case')!.skipped as { '@_message': string })['@_message']).toMatch(/^unsupported: /);
    expect((byId.get('webhooks/skipped-case')!.skipped as { '@_message': string })['@_message']).toMatch(/^skipped: /);
    expect((byId.get('presence/xfail-case')!.skipped as { '@_message': string })['@_message']).toBe('expected failure (baseline)');
    expect((byId.get('webhooks/xpass-case')!.failure as { '@_message': string })['@_message']).toBe('unexpectedly passed; update the baseline');
    const warn = byId.get('presence/warn-case')!;
    expect(warn.failure).toBeUndefined();
    expect(warn['system-out']).toContain('warn: SHOULD not met');
  });

  it('turns warn into a failure under --strict', () => {
    const strict = syntheticReport({ options: { ...r.options, strict: true } });
    const presence = parseJunit(renderJunit(strict)).find((s) => s['@_name'] === 'presence')!;
    expect(presence['@_failures']).toBe('1');
  });

  it('makes arbitrary transcript text safe for XML', () => {
    expect(xmlSafe('a\u0000b]]>c\uD800')).toBe('a\\u0000b]] >c\\ud800');
    const nasty = syntheticReport({ cases: [syntheticCase('fail', { actual: ']]>]]>\u0007', transcript: [{ t: 0, kind: 'ws-in', text: ']]>x]]>\u001f' }] })] });
    expect(XMLValidator.validate(renderJunit(nasty))).toBe(true);
  });
});

describe('markdown report', () => {
  const r = syntheticReport();
  const md = renderMarkdown(r);

  it('has a title with target, profile and gate', () => {
    expect(md.split('\n')[0]).toBe('## pusher-conformance: synthetic (profile pusher): not conformant (exit 1)');
  });

  it('has the totals table per area and per level', () => {
    expect(md).toContain('### Totals by area');
    expect(md).toMatch(/^\| area \| ✓ pass \| ✗ fail \|/m);
    expect(md).toMatch(/^\| connection \| 1 \| 1 \|/m);
    expect(md).toMatch(/^\| \*\*total\*\* \|/m);
    expect(md).toContain('### Totals by level');
    expect(md).toMatch(/^\| MUST \|/m);
  });

  it('details every failing, erroring, unexpectedly passing and warning case', () => {
    for (const id of ['connection/fail-case', 'connection/error-case', 'webhooks/xpass-case', 'presence/warn-case']) expect(md).toContain(`\`${id}\``);
    expect(md).toContain('### Failures (1)');
    expect(md).toContain('- **requirement:** The server MUST do the fail thing');
    expect(md).toContain('- **actual:** actual for fail &lt;b&gt;&amp;&lt;/b&gt;');
    expect(md).toContain("npx pusher-conformance run --only 'connection/fail-case' --seed 42");
    expect(md).toContain('- **property:** seed 42, path 3:1, 100 runs, 4 shrinks');
  });

  it('collapses the unsupported list', () => {
    expect(md).toMatch(/<details>\n<summary>Unsupported \(1\)<\/summary>\n\n- `webhooks\/unsupported-case`/);
    expect(md).not.toContain('alert(1)');
  });
});

describe('html report', () => {
  const r = syntheticReport();
  const html = renderHtml(r);

  it('is one self-contained file without external assets', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import/);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('escapes transcripts and report text', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toContain('<b>&</b>');
  });

  it('puts the summary first and failures before passes', () => {
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="cases"'));
    const order = ['connection/fail-case', 'connection/error-case', 'webhooks/xpass-case', 'presence/warn-case', 'connection/pass-case'].map((id) => html.indexOf(`id="case-${id}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('shows clause, requirement, property, transcript and reproduce command for a case', () => {
    const start = html.indexOf('id="case-connection/fail-case"');
    const block = html.slice(start, html.indexOf('<div class="case"', start + 1));
    expect(block).toContain('connection.fail-clause');
    expect(block).toContain('The server MUST do the fail thing');
    expect(block).toContain('seed 42, path 3:1');
    expect(block).toContain('<table class="transcript">');
    expect(block).toContain('npx pusher-conformance run --only &#39;connection/fail-case&#39; --seed 42');
    expect(block).toContain('<details open>');
  });
});

describe('comparison matrix', () => {
  const a = syntheticReport({}, 'reference');
  const b = syntheticReport({ cases: [...syntheticReport().cases.slice(0, 5), syntheticCase('pass', { id: 'rest/only-in-b', area: 'rest' })] }, 'soketi');
  const c = syntheticReport({}, 'reference');
  const m = buildMatrix([
    { report: a, source: 'a.json' },
    { report: b, source: 'b.json' },
    { report: c, source: 'c.json' },
  ]);

  it('has every case of every report as a row and one column per report', () => {
    const ids = new Set([...a.cases, ...b.cases].map((x) => x.id));
    expect(new Set(m.rows.map((r) => r.id))).toEqual(ids);
    expect(m.columns.map((x) => x.label)).toEqual(['reference', 'soketi', 'reference (2)']);
    const onlyB = m.rows.find((r) => r.id === 'rest/only-in-b')!;
    expect(onlyB.cells).toEqual([undefined, 'pass', undefined]);
  });

  it('renders Markdown with every case × report and a totals row', () => {
    const md = renderCompareMarkdown(m);
    for (const id of m.rows.map((r) => r.id)) expect(md).toContain(`| \`${id}\` |`);
    expect(md).toMatch(/^\| case \| clause \| level \| reference \| soketi \| reference \(2\) \|$/m);
    expect(md).toMatch(/^\| `connection\/fail-case` \| `connection\.fail-clause` \| MUST \| ✗ \| ✗ \| ✗ \|$/m);
    expect(md).toMatch(/^\| \*\*totals\*\* \|/m);
  });

  it('renders self-contained HTML with every cell', () => {
    const html = renderCompareHtml(m);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html.match(/<tr class="row"/g)).toHaveLength(m.rows.length);
    expect(html.match(/<td class="c /g)).toHaveLength(m.rows.length * m.columns.length);
  });
});

describe('writeReports', () => {
  it('writes the four files under fixed names', async () => {
    const dir = join(await tempDir(), 'out');
    const written = await writeReports(syntheticReport(), dir, ['json', 'junit', 'md', 'html']);
    expect(written).toHaveLength(4);
    expect((await readdir(dir)).sort()).toEqual(Object.values(reportFileNames).sort());
    expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'))).toMatchObject({ schema: 'pusher-conformance/report@1' });
  });
});
