/**
 * The built site in headless Chromium: every route of the sitemap loads without a console error,
 * a failed request or a broken anchor; chosen pages really hold their content; every clause,
 * frame, endpoint, error code, limit, case and report (counted from spec/, suites/ and reports/)
 * has its page or anchor; findings, crashes, SDK tables, cluster nodes and the performance and
 * mutation pages appear where the generated data has them; screenshots of the main pages go to website/test/screenshots/.
 *
 * Needs `npm run site:build` first (CI builds before npm test) and /usr/bin/chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clauseIds, errorCodes, limitKeys } from '../../spec/src/index.ts';
import { publishedSchemas } from '../../spec/src/registry.ts';
import '../../spec/src/documents/index.ts';
import { allCases } from '../../suites/src/cases/index.ts';
import { clausePath } from '../../suites/src/reports/site-links.ts';
import { DEFAULT_SITE_URL, route } from '../scripts/site/routes.ts';

const WEBSITE = join(import.meta.dirname, '..');
const BUILD = join(WEBSITE, 'build');
const SITEMAP = join(BUILD, 'sitemap.xml');
const SHOTS = join(import.meta.dirname, 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const DOCUSAURUS = join(WEBSITE, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
/** toolchain.md: no background traffic, nothing off loopback. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps'];
const SERVER_READY_MS = 30_000;
const PAGE_MS = 20_000;
/** pages crawled at once (2 cores, shared) */
const CRAWLERS = 3;
const SETTLE_MS = 3_000;

/** What the generator wrote for the build (website/test/generator.test.ts ties it to spec/ and reports/). */
const GENERATED = join(WEBSITE, 'src', 'data', 'generated');
interface GeneratedReport {
  name: string;
  rootCauses: { id: string }[];
  sdk: { rows: unknown[] } | null;
  nodes: unknown[];
  performance: string | null;
}
function generatedReports(): GeneratedReport[] {
  const dir = join(GENERATED, 'reports');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as GeneratedReport);
}
const hasPage = (rel: string) => existsSync(join(WEBSITE, 'docs', rel));

const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing && process.env.CI !== 'true') {
  process.stderr.write(`\n*** website/test/browser.test.ts SKIPPED: ${CHROMIUM} is absent (apt-get install -y chromium). With CI=true this fails. ***\n\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + SERVER_READY_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docusaurus serve exited with ${child.exitCode}: ${log()}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`docusaurus serve did not answer ${url} within ${SERVER_READY_MS} ms: ${log()}`);
}

interface Visit {
  path: string;
  ids: Set<string>;
  /** internal links with a fragment: [path, fragment] */
  anchoredLinks: [string, string][];
  problems: string[];
}

describe.skipIf(chromiumMissing && process.env.CI !== 'true')('the built site in Chromium', () => {
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let base = '';
  const visits = new Map<string, Visit>();
  let routes: string[] = [];

  beforeAll(async () => {
    if (chromiumMissing) throw new Error(`${CHROMIUM} is absent and CI=true: install it (apt-get install -y chromium)`);
    if (!existsSync(SITEMAP)) throw new Error('website/build is missing (no website/build/sitemap.xml): run `npm run site:build` first (it needs `npm ci --prefix website`)');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    let out = '';
    server = spawn(process.execPath, [DOCUSAURUS, 'serve', '--dir', 'build', '--host', '127.0.0.1', '--port', String(port), '--no-open'], {
      cwd: WEBSITE,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => void (out = (out + b.toString()).slice(-4000));
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    await waitForHttp(`${base}/`, server, () => out);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    const xml = readFileSync(SITEMAP, 'utf8');
    routes = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server?.pid !== undefined && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      process.kill(server.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null && server.signalCode === null) process.kill(server.pid, 'SIGKILL');
    }
  });

  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !u.protocol.startsWith('data')) problems.push(`request off loopback: ${r.url()}`);
    });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => r.abort());
    await page.goto(`${base}${path}`, { waitUntil: 'load', timeout: PAGE_MS });
    return { page, problems };
  }

  it('visits every route of the sitemap with no console error, failed request or missing anchor', async () => {
    expect(routes.length).toBeGreaterThan(10);
    const queue = [...routes];
    await Promise.all(
      Array.from({ length: CRAWLERS }, async () => {
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
          const { page, problems } = await open(path);
          // late requests (favicon, lazy chunks) count too
          await page.waitForLoadState('networkidle', { timeout: SETTLE_MS }).catch(() => undefined);
          const found = await page.evaluate(() => ({
            ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
            links: [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
          }));
          const anchoredLinks: [string, string][] = [];
          for (const href of found.links) {
            const u = new URL(href);
            if (u.origin === base && u.hash.length > 1) anchoredLinks.push([u.pathname, decodeURIComponent(u.hash.slice(1))]);
          }
          visits.set(path, { path, ids: new Set(found.ids), anchoredLinks, problems });
          await page.close();
        }
      }),
    );
    const problems = [...visits.values()].flatMap((v) => v.problems.map((p) => `${v.path}: ${p}`));
    expect(problems).toEqual([]);
    const missing: string[] = [];
    for (const v of visits.values()) {
      for (const [path, hash] of v.anchoredLinks) {
        const target = visits.get(path.replace(/\/$/, '') || '/') ?? visits.get(path);
        if (!target) missing.push(`${v.path} links to ${path}#${hash}: page not in the sitemap`);
        else if (!target.ids.has(hash)) missing.push(`${v.path} links to ${path}#${hash}: no such anchor`);
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  }, 600_000);

  it('has a page or an anchor for every clause, frame, endpoint, error code, limit, case and report', () => {
    const anchorAt = (pathAndHash: string) => {
      const [path, hash] = pathAndHash.split('#') as [string, string | undefined];
      const v = visits.get(path);
      return v !== undefined && (hash === undefined || v.ids.has(hash));
    };
    const frames = publishedSchemas.filter((s) => s.meta.kind === 'frame').map((s) => s.meta.id);
    const openapi = JSON.parse(readFileSync(join(WEBSITE, '..', 'spec', 'generated', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, { operationId: string }>> };
    const operations = Object.values(openapi.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    const reports = readdirSync(join(WEBSITE, '..', 'reports'), { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(join(WEBSITE, '..', 'reports', e.name, 'report.json'))).map((e) => e.name);
    const expected: Record<string, string[]> = {
      clauses: clauseIds.map((id) => clausePath(id)!),
      frames: frames.map((id) => (id.endsWith('Lenient') && frames.includes(id.slice(0, -'Lenient'.length)) ? `${route.frame(id.slice(0, -'Lenient'.length))}#lenient` : route.frame(id))),
      schemas: publishedSchemas.map((s) => route.schema(s.meta.id)),
      endpoints: operations.map((op) => route.endpoint(op)),
      'error codes': errorCodes.map((d) => route.errorCode(d.code)),
      limits: limitKeys.map((k) => route.limit(k)),
      cases: allCases().map((c) => route.case(c.area, c.case.id)),
      reports: reports.map((r) => route.report(r)),
      'generated pages': [...(hasPage('results/performance.mdx') ? [route.performance] : []), ...(hasPage('reference/mutation.mdx') ? [route.mutation] : [])],
    };
    const absent = Object.entries(expected).flatMap(([kind, list]) => list.filter((p) => !anchorAt(p)).map((p) => `${kind}: ${p}`));
    expect(absent).toEqual([]);
    const counts = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v.length]));
    process.stdout.write(`site covers ${JSON.stringify(counts)}; ${visits.size} routes\n`);
    for (const [k, n] of Object.entries(counts)) if (k !== 'reports' && k !== 'generated pages') expect(n, k).toBeGreaterThan(0);
  });

  it('shows a clause with its level and linked sources', async () => {
    const id = clauseIds[0]!;
    const { page, problems } = await open(clausePath(id)!);
    const h = page.locator(`[id="${id}"]`);
    await expect(h.count()).resolves.toBe(1);
    const section = await page.evaluate((cid) => {
      const out: string[] = [];
      let el = document.getElementById(cid)?.nextElementSibling;
      while (el && el.tagName !== 'H2') {
        out.push(el.outerHTML);
        el = el.nextElementSibling;
      }
      return out.join('\n');
    }, id);
    expect(section).toMatch(/<strong>(MUST|SHOULD|MAY)<\/strong>/);
    expect(section).toMatch(/Sources:\s*<\/strong>.*<a [^>]*href="https?:\/\//s);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders a frame field table and an endpoint with its status codes', async () => {
    const frame = publishedSchemas.find((s) => s.meta.kind === 'frame' && s.meta.strictness !== 'lenient')!.meta;
    const { page } = await open(route.frame(frame.id));
    const head = await page.locator('[id="fields"] ~ table').first().locator('th').allTextContents();
    expect(head).toEqual(['field', 'type', 'required', 'notes']);
    const cells = await page.locator('[id="fields"] ~ table').first().locator('td code').allTextContents();
    expect(cells).toContain('event');
    await page.close();

    const openapi = JSON.parse(readFileSync(join(WEBSITE, '..', 'spec', 'generated', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
    const op = Object.values(Object.values(openapi.paths)[0]!)[0]!;
    const rest = await open(route.rest);
    const statuses = await rest.page.evaluate((oid) => {
      let el = document.getElementById(oid)?.nextElementSibling;
      const found: string[] = [];
      while (el && el.tagName !== 'H2') {
        if (el.tagName === 'TABLE' && el.previousElementSibling?.textContent?.includes('Status codes')) found.push(...[...el.querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent ?? ''));
        el = el.nextElementSibling;
      }
      return found;
    }, op.operationId);
    expect(statuses).toEqual(Object.keys(op.responses));
    await rest.page.close();
  });

  it('links a comparison cell to the case on the implementation page', async () => {
    const { page, problems } = await open(route.comparison);
    const cell = page.locator('a.verdict[href*="/results/"]').first();
    const row = page.locator('tr[data-case]').first();
    await expect(row.isHidden()).resolves.toBe(true);
    await page.getByRole('button', { name: 'expand all' }).click();
    await expect(cell.isVisible()).resolves.toBe(true);
    const href = (await cell.getAttribute('href'))!;
    const [path, caseId] = href.split('#') as [string, string];
    expect(caseId).toMatch(/^[a-z-]+\/[a-z0-9-]+$/);
    await cell.click();
    await page.waitForURL((u) => u.pathname === path && decodeURIComponent(u.hash) === `#${caseId}`, { timeout: PAGE_MS });
    await page.locator(`[id="${caseId}"]`).waitFor({ state: 'visible', timeout: PAGE_MS });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows each report\'s findings and crashes first, its SDK table and its nodes when it has them, and links the performance page', { timeout: 120_000 }, async () => {
    const all = generatedReports();
    expect(all.length).toBeGreaterThan(0);
    for (const r of all) {
      const { page, problems } = await open(route.report(r.name));
      await page.locator('.report').waitFor({ timeout: PAGE_MS });
      const seen = await page.evaluate(() => {
        const report = document.querySelector('.report')!;
        const causes = report.querySelector('#root-causes');
        const firstTable = report.querySelector('table');
        return {
          causes: causes !== null,
          causesFirst: causes !== null && firstTable !== null && (causes.compareDocumentPosition(firstTable) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
          causeBlocks: report.querySelectorAll('.root-cause').length,
          sdkRows: report.querySelectorAll('table.sdk-table tbody tr').length,
          nodesRow: [...report.querySelectorAll('th')].some((th) => th.textContent === 'nodes'),
          perf: [...report.querySelectorAll('a')].some((a) => new URL(a.href).pathname === '/results/performance'),
        };
      });
      expect(seen, r.name).toEqual({
        causes: r.rootCauses.length > 0,
        causesFirst: r.rootCauses.length > 0,
        causeBlocks: r.rootCauses.length,
        sdkRows: r.sdk?.rows.length ?? 0,
        nodesRow: r.nodes.length > 0,
        perf: r.performance !== null,
      });
      expect(problems).toEqual([]);
      await page.close();
    }
    const comparison = JSON.parse(readFileSync(join(GENERATED, 'comparison.json'), 'utf8')) as { sdk: { rows: unknown[] } | null };
    const { page } = await open(route.comparison);
    await expect(page.locator('table.sdk-table tbody tr').count()).resolves.toBe(comparison.sdk?.rows.length ?? 0);
    await page.close();
  });

  it('finds member_added with the local search', { timeout: 60_000 }, async () => {
    const { page, problems } = await open('/');
    const input = page.locator('input.navbar__search-input');
    await input.click();
    await input.fill('member_added');
    const options = page.locator('[role="listbox"] [role="option"]');
    await options.first().waitFor({ state: 'visible', timeout: PAGE_MS });
    const texts = await options.allInnerTexts();
    expect(texts.some((t) => t.includes('member_added'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('writes full-page screenshots of the home, a clause page, a frame page, a report page and the matrix', async () => {
    mkdirSync(SHOTS, { recursive: true });
    // the report with the most to show: findings, crashes or an SDK table first, soketi next
    const rich = generatedReports().find((r) => r.rootCauses.length > 0 || r.sdk !== null);
    const reportName = rich?.name ?? (existsSync(join(WEBSITE, '..', 'reports', 'soketi', 'report.json')) ? 'soketi' : 'reference');
    const frame = publishedSchemas.find((s) => s.meta.kind === 'frame' && s.meta.event?.includes('member_added'))?.meta.id ?? publishedSchemas.find((s) => s.meta.kind === 'frame')!.meta.id;
    const shots: [string, string][] = [
      ['home', '/'],
      ['clause', clausePath(clauseIds.find((id) => id.startsWith('presence.')) ?? clauseIds[0]!)!.split('#')[0]!],
      ['frame', route.frame(frame)],
      ['report', route.report(reportName)],
      ['matrix', route.comparison],
      ...(hasPage('results/performance.mdx') ? [['performance', route.performance] as [string, string]] : []),
      ...(hasPage('reference/mutation.mdx') ? [['mutation', route.mutation] as [string, string]] : []),
    ];
    for (const [name, path] of shots) {
      const { page } = await open(path);
      if (name === 'matrix') await page.getByRole('button', { name: 'expand all' }).click();
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, timeout: 60_000 });
      await page.close();
      expect(existsSync(join(SHOTS, `${name}.png`))).toBe(true);
    }
    expect(DEFAULT_SITE_URL).toBe('https://pusher-conformance.dev');
  }, 180_000);
});
