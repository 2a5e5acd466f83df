/**
 * The versions of the client and server libraries the SDK lanes drive, as installed with the
 * kit (exact versions in package.json): the report records them next to the verdicts.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The libraries of the SDK lanes, by npm name. */
export const SDK_LIBRARIES = ['pusher-js', 'laravel-echo', 'pusher'] as const;
export type SdkLibrary = (typeof SDK_LIBRARIES)[number];

const require = createRequire(import.meta.url);

/** version from the package.json above the package's entry point (laravel-echo exports no ./package.json) */
function installedVersion(name: string): string {
  try {
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 6; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // no package.json at this level: go up
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return 'not installed';
}

let cached: Record<SdkLibrary, string> | undefined;

/** { 'pusher-js': '8.6.0', 'laravel-echo': '2.5.0', pusher: '5.3.4' } */
export function sdkLibraryVersions(): Record<SdkLibrary, string> {
  cached ??= Object.fromEntries(SDK_LIBRARIES.map((n) => [n, installedVersion(n)])) as Record<SdkLibrary, string>;
  return { ...cached };
}
