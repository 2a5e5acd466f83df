/**
 * The case catalogue as the site shows it: every case's metadata (suites/src/cases) with the named
 * reference-server faults that kill it (suites/test/teeth/*.ts) and their descriptions.
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { faults } from '../../../reference-server/src/faults.ts';
import { areas as caseAreas } from '../../../suites/src/cases/index.ts';
import { caseMetadata, type CaseMetadata } from '../../../suites/src/model/case.ts';
import { TEETH } from './paths.ts';

export interface KillingFault {
  name: string;
  description: string;
}

export interface CatalogueCase extends CaseMetadata {
  faults: KillingFault[];
}

export interface CatalogueArea {
  area: string;
  title: string;
  cases: CatalogueCase[];
}

/** caseId → fault names, merged over every teeth table. */
async function loadTeeth(): Promise<Map<string, string[]>> {
  const merged = new Map<string, string[]>();
  for (const file of readdirSync(TEETH).filter((f) => f.endsWith('.ts')).sort()) {
    const mod = (await import(pathToFileURL(join(TEETH, file)).href)) as { default?: Record<string, readonly string[]> };
    if (!mod.default || typeof mod.default !== 'object') throw new Error(`website: suites/test/teeth/${file} has no default export (a caseId → fault names table)`);
    for (const [id, names] of Object.entries(mod.default)) merged.set(id, [...(merged.get(id) ?? []), ...names]);
  }
  return merged;
}

export async function loadCatalogue(): Promise<CatalogueArea[]> {
  const teeth = await loadTeeth();
  const faultTable = faults as Record<string, { description: string }>;
  return caseAreas.map((a) => ({
    area: a.area,
    title: a.title,
    cases: a.cases.map((c) => ({
      ...caseMetadata(a.area, c),
      faults: [...new Set(teeth.get(c.id) ?? [])].map((name) => ({ name, description: faultTable[name]?.description ?? '(not a fault of reference-server/src/faults.ts)' })),
    })),
  }));
}
