/**
 * Build the Target the cases see: URLs and credentials, the resolved profile (with limit and
 * feature overrides), the features, and how REST paths address the app.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { featureNames, type Feature } from '../../../spec/src/features.ts';
import type { LimitKey } from '../../../spec/src/limits.ts';
import { isProfileId, resolveProfile, type ResolvedProfile } from '../../../spec/src/profiles.ts';
import { HarnessError } from '../model/outcome.ts';
import type { Target } from '../harness/types.ts';

export interface TargetInput {
  readonly ws: string;
  readonly http: string;
  readonly appId: string;
  readonly key: string;
  readonly secret: string;
  readonly name?: string;
}

export interface BuildTargetOptions {
  readonly input: TargetInput;
  readonly embedded: boolean;
  readonly profile: string;
  /** declared features: replace the profile's set */
  readonly features?: readonly string[];
  /** limit overrides (the embedded server's own values first, then the user's) */
  readonly limits?: Partial<Record<LimitKey, number | null>>;
  readonly encryptionMasterKey?: string;
  readonly extraApps?: Target['extraApps'];
}

export interface BuiltTarget {
  readonly target: Target;
  readonly limits: Readonly<Record<LimitKey, number | null>>;
  /** the `{app}` REST path segment */
  readonly restApp: string;
}

/** Features that only make sense when the target provides the matching setup. */
const NEEDS_SETUP: readonly Feature[] = ['app-management'];

export function buildTarget(opts: BuildTargetOptions): BuiltTarget {
  if (!isProfileId(opts.profile)) throw new HarnessError(`unknown profile "${opts.profile}"`);
  let featureOverrides: Partial<Record<Feature, boolean>> | undefined;
  if (opts.features !== undefined) {
    for (const f of opts.features) if (!(featureNames as readonly string[]).includes(f)) throw new HarnessError(`unknown feature "${f}"; known: ${featureNames.join(', ')}`);
    featureOverrides = Object.fromEntries(featureNames.map((f) => [f, opts.features!.includes(f)]));
  }
  let profile: ResolvedProfile;
  try {
    profile = resolveProfile(opts.profile, { ...(opts.limits ? { limits: opts.limits } : {}), ...(featureOverrides ? { features: featureOverrides } : {}) });
  } catch (e) {
    throw new HarnessError((e as Error).message);
  }
  const features = new Set<Feature>(featureNames.filter((f) => profile.features[f]));
  // a profile may list app management, but a remote target only has it with the extra apps
  if (!opts.embedded && opts.features === undefined) for (const f of NEEDS_SETUP) if (!opts.extraApps) features.delete(f);

  const { input } = opts;
  const name = input.name ?? (opts.embedded ? 'reference' : safeHost(input.ws));
  const target: Target = {
    name,
    ws: input.ws.replace(/\/+$/, ''),
    http: input.http.replace(/\/+$/, ''),
    appId: input.appId,
    key: input.key,
    secret: input.secret,
    encryptionMasterKey: opts.encryptionMasterKey ?? randomBytes(32).toString('base64'),
    profile,
    features,
    ...(opts.extraApps ? { extraApps: opts.extraApps } : {}),
    embedded: opts.embedded,
  };
  return { target, limits: profile.limits, restApp: profile.dialect.restAppPath === 'key' ? input.key : input.appId };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A copy of the target without some features (the doctor found them unusable). */
export function withoutFeatures(target: Target, drop: Iterable<string>): Target {
  const features = new Set(target.features);
  for (const f of drop) features.delete(f as Feature);
  return { ...target, features };
}
