/**
 * The `--features` value (and the config file's `features`): a plain list replaces the profile's
 * feature set; `+name` / `-name` entries adjust it. Mixing the two forms is a usage error, since
 * it is unclear which set the signed entries adjust. Names are checked against spec/src/features.ts.
 * @module
 */
import { featureNames, type Feature } from '../../../spec/src/features.ts';

/** What the user asked for: a replacement set, or additions and removals to the profile's set. */
export type FeatureChoice =
  | { readonly mode: 'replace'; readonly features: readonly Feature[] }
  | { readonly mode: 'adjust'; readonly add: readonly Feature[]; readonly remove: readonly Feature[] };

/** A bad `--features` value; the message is one plain line. */
export class FeaturesArgError extends Error {
  override readonly name = 'FeaturesArgError';
}

const isFeature = (s: string): s is Feature => (featureNames as readonly string[]).includes(s);

/**
 * `entries` are the comma-separated items (already split and trimmed); `suggest` gives the
 * " (did you mean …?)" tail for an unknown name.
 */
export function parseFeatureChoice(entries: readonly string[], suggest: (name: string, candidates: readonly string[]) => string = () => ''): FeatureChoice {
  const signed = entries.filter((e) => e.startsWith('+') || e.startsWith('-'));
  if (signed.length > 0 && signed.length < entries.length) {
    throw new FeaturesArgError(`--features mixes a plain list with +name/-name adjustments ('${entries.join(',')}'): give either the whole feature set (a,b) or changes to the profile's set (+a,-b)`);
  }
  const check = (name: string): Feature => {
    if (name === '') throw new FeaturesArgError(`--features has an empty name in '${entries.join(',')}'`);
    if (!isFeature(name)) throw new FeaturesArgError(`unknown feature '${name}'${suggest(name, featureNames)}; valid features: ${featureNames.join(', ')}`);
    return name;
  };
  if (signed.length === 0) return { mode: 'replace', features: [...new Set(entries.map(check))] };
  const add = new Set<Feature>();
  const remove = new Set<Feature>();
  for (const e of entries) (e.startsWith('+') ? add : remove).add(check(e.slice(1).trim()));
  const both = [...add].filter((f) => remove.has(f));
  if (both.length > 0) throw new FeaturesArgError(`--features both adds and removes ${both.join(', ')}`);
  return { mode: 'adjust', add: [...add], remove: [...remove] };
}

/** The feature list a choice gives, starting from `base` (the profile's set for this target). */
export function applyFeatureChoice(base: Iterable<string>, choice: FeatureChoice): Feature[] {
  if (choice.mode === 'replace') return [...choice.features];
  const out = new Set<Feature>([...base].filter(isFeature));
  for (const f of choice.add) out.add(f);
  for (const f of choice.remove) out.delete(f);
  return featureNames.filter((f) => out.has(f));
}

/** The choice written back as a `--features` value (for the settings file of a run). */
export function featureChoiceEntries(choice: FeatureChoice): string[] {
  return choice.mode === 'replace' ? [...choice.features] : [...choice.add.map((f) => `+${f}`), ...choice.remove.map((f) => `-${f}`)];
}
