/**
 * The kit's own package.json and the versions a report records. The sources run from the
 * checkout (suites/src/runner/) and from the built package (dist/suites/src/runner/), so the
 * package file is found by walking up to the nearest package.json named pusher-conformance.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'pusher-conformance';

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
}

/** the nearest package.json named pusher-conformance above `from` (a file URL or path), or undefined */
export function findPackageJson(from: string | URL = import.meta.url): { path: string; json: PackageJson } | undefined {
  let dir = dirname(typeof from === 'string' && !from.startsWith('file:') ? from : fileURLToPath(from));
  // bounded by the file system's depth: dirname of the root is the root
  for (;;) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      try {
        const json = JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
        if (json.name === PACKAGE_NAME) return { path, json };
      } catch {
        // an unreadable package.json on the way up is not ours
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** the kit's version (0.0.0 when its package.json cannot be found) */
export const suiteVersion: string = findPackageJson()?.json.version ?? '0.0.0';

/** fast-check's version as resolved from here: seeds and replay paths are meaningful only under it */
export const fastCheckVersion: string = (() => {
  try {
    return (createRequire(import.meta.url)('fast-check/package.json') as PackageJson).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
})();

/** the versions that decide what a seed replays: written into report.json and baselines */
export const runtimeVersions = (): { version: string; node: string; fastCheck: string } => ({ version: suiteVersion, node: process.versions.node, fastCheck: fastCheckVersion });

/**
 * A warning (a doctor check that blocks nothing) when seeds and replay paths recorded under
 * other versions are replayed: fast-check draws other inputs from the same seed across its
 * versions, and the suite's cases change between its own. `recorded` absent: written before
 * versions were recorded, so unknown, also warned.
 */
export function replayVersionsCheck(recorded: { version: string; fastCheck: string } | undefined, source: string): { check: string; ok: boolean; message: string } | undefined {
  if (recorded && recorded.version === suiteVersion && recorded.fastCheck === fastCheckVersion) return undefined;
  const was = recorded ? `suite ${recorded.version} with fast-check ${recorded.fastCheck}` : 'a version of the suite that did not record its versions';
  return {
    check: 'replay-versions',
    ok: false,
    message: `warning: ${source} was recorded by ${was}; this is suite ${suiteVersion} with fast-check ${fastCheckVersion}, so its seeds and replay paths may not reproduce the same inputs (record it again with --update-baseline)`,
  };
}
