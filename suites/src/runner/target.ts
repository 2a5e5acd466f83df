/**
 * Build the Target the cases see: URLs and credentials, the resolved profile (with limit and
 * feature overrides), the features, and how REST paths address the app.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { featureNames, type Feature } from '../../../spec/src/features.ts';
import type { LimitKey } from '../../../spec/src/limits.ts';
import { isProfileId, resolveProfile, type ResolvedProfile } from '../../../spec/src/profiles.ts';
import { HarnessError } from '../model/outcome.ts';
import type { NodeControl, Target, TargetNode } from '../harness/types.ts';

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
  /** several nodes of one deployment (--node): the first is also input.ws/http */
  readonly nodes?: readonly Omit<TargetNode, 'name'>[];
  readonly nodeControl?: NodeControl;
}

export interface BuiltTarget {
  readonly target: Target;
  readonly limits: Readonly<Record<LimitKey, number | null>>;
  /** the `{app}` REST path segment */
  readonly restApp: string;
}

const credential = z.string().min(1, 'must not be empty');

/**
 * Other apps of the target that some cases need (config file `target.extraApps`): a disabled app,
 * an app with a small connection quota, and an app with client events off (its id and secret
 * also serve the cases that confuse credentials across apps).
 */
export const ExtraApps = z.strictObject({
  disabled: z.strictObject({ key: credential }).optional(),
  limitedConnections: z.strictObject({ key: credential, max: z.number().int().min(1, 'must be at least 1') }).optional(),
  clientEventsOff: z.strictObject({ key: credential, appId: credential, secret: credential }).optional(),
});
export type ExtraApps = z.infer<typeof ExtraApps> & Target['extraApps'];

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
  // a profile may list app management, but a remote target only has it with the extra apps; the
  // extra apps of a disabled app or a connection quota are the evidence that it has it
  if (!opts.embedded && opts.features === undefined) {
    const managed = opts.extraApps?.disabled !== undefined || opts.extraApps?.limitedConnections !== undefined;
    for (const f of NEEDS_SETUP) {
      if (managed) features.add(f);
      else features.delete(f);
    }
  }

  // clause-free setup: the cluster feature is a property of the run (several nodes), not of a profile
  const clusterNodes = (opts.nodes ?? []).map((n, i) => ({ name: `n${i + 1}`, ws: n.ws.replace(/\/+$/, ''), http: n.http.replace(/\/+$/, '') }));
  if (clusterNodes.length >= 2) features.add('cluster');
  else features.delete('cluster');

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
    ...(clusterNodes.length >= 2 ? { nodes: clusterNodes } : {}),
    ...(clusterNodes.length >= 2 && opts.nodeControl ? { nodeControl: opts.nodeControl } : {}),
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
