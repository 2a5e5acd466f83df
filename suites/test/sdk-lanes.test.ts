// The SDK lanes' own wiring: every sdk case has a lane in the SDK table, the report records the
// library versions, and the table renders each lane with the case behind it.
import { describe, expect, it } from 'vitest';
import { allCases } from '../src/cases/index.ts';
import { sdkLanes } from '../src/cases/sdk/lanes.ts';
import { sdkLibraryVersions } from '../src/cases/sdk/versions.ts';
import { sdkTable, sdkTableHtml, sdkTableMarkdown } from '../src/reports/sdk-table.ts';
import { runConformance, type RunOptions } from '../src/runner/run.ts';
import { FAST_CHECK_SEED } from '../../test-support/seed.ts';
import pkg from '../../package.json' with { type: 'json' };

const options: RunOptions = { profile: 'pusher', only: ['sdk/pusher-js-public', 'sdk/pusher-server-trigger'], exclude: [], level: 'may', strict: false, seed: FAST_CHECK_SEED, timeScale: 1, concurrency: 2, handleSigint: false };

describe('SDK lanes', () => {
  it('give every sdk case a lane, and no lane without a case', () => {
    const ids = allCases().filter((c) => c.area === 'sdk').map((c) => c.case.id).sort();
    expect(Object.keys(sdkLanes).sort()).toEqual(ids);
  });

  it('drive the libraries the kit depends on, at exact versions', () => {
    const deps = pkg.dependencies as Record<string, string>;
    const versions = sdkLibraryVersions();
    for (const [name, version] of Object.entries(versions)) expect(deps[name], name).toBe(version);
  });

  it('record the library versions and render the table from the report', async () => {
    const report = await runConformance(options);
    expect(report.suite.libraries).toEqual(sdkLibraryVersions());
    const table = sdkTable(report)!;
    expect(table.libraries.map((l) => l.name)).toEqual(['pusher-js', 'laravel-echo', 'pusher']);
    // the cases not selected show as skipped
    const cells = table.rows.flatMap((r) => Object.values(r.cells)).filter((c) => c!.verdict !== 'skipped');
    expect(table.rows.length).toBe(new Set(Object.values(sdkLanes).map((l) => l.feature)).size);
    expect(cells.map((c) => [c!.caseId, c!.verdict]).sort()).toEqual([['sdk/pusher-js-public', 'pass'], ['sdk/pusher-server-trigger', 'pass']]);
    const md = sdkTableMarkdown(report).join('\n');
    expect(md).toContain('### SDK compatibility');
    expect(md).toContain(`pusher-js ${sdkLibraryVersions()['pusher-js']}`);
    expect(md).toContain('`sdk/pusher-server-trigger`');
    expect(sdkTableHtml(report)).toContain('href="#case-sdk/pusher-js-public"');
  }, 30_000);

  it('render nothing for a report without sdk cases', async () => {
    const report = await runConformance({ ...options, only: ['connection/socket-id-format'] });
    expect(sdkTable(report)).toBeUndefined();
    expect(sdkTableMarkdown(report)).toEqual([]);
    expect(sdkTableHtml(report)).toBe('');
  }, 30_000);
});
