import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROFILE,
  dialectValues,
  isProfileId,
  profileIds,
  profiles,
  resolveProfile,
  type DialectKey,
  type ProfileDef,
  type ProfileId,
  type Sourced,
} from '../src/profiles.ts';
import { limitKeys, limits, type LimitKey } from '../src/limits.ts';
import { featureNames } from '../src/features.ts';
import { ErrorCode } from '../src/error-codes.ts';
import { isSourceId } from '../src/sources.ts';
import { ambiguities, isAmbiguityId } from '../src/ambiguities.ts';

const entries = Object.entries(profiles) as [ProfileId, ProfileDef][];
const dialectKeys: DialectKey[] = ['restAppPath', 'overQuotaCode', 'errorSignalling', 'restSuccessBody', 'channelAuthFailure', 'kilobyte'];

/** Every Sourced value of a profile, labelled. */
function sourcedValues(def: ProfileDef): [string, Sourced<unknown>][] {
  return [
    ...Object.entries(def.limits).map(([k, s]) => [`limits.${k}`, s] as [string, Sourced<unknown>]),
    ...Object.entries(def.features).map(([k, s]) => [`features.${k}`, s] as [string, Sourced<unknown>]),
    ...Object.entries(def.dialect).map(([k, s]) => [`dialect.${k}`, s] as [string, Sourced<unknown>]),
  ];
}

describe('profiles: shape', () => {
  it('has the six documented profiles and pusher as default', () => {
    expect([...profileIds].sort()).toEqual(['pusher', 'reverb', 'sockudo', 'soketi', 'soketify', 'vask']);
    expect(DEFAULT_PROFILE).toBe('pusher');
    expect(isProfileId('soketi')).toBe(true);
    expect(isProfileId('toString')).toBe(false);
    expect(isProfileId('nope')).toBe(false);
  });

  it.each(entries)('%s has exactly every LimitKey, Feature and dialect switch', (_id, def) => {
    expect(Object.keys(def.limits).sort()).toEqual([...limitKeys].sort());
    expect(Object.keys(def.features).sort()).toEqual([...featureNames].sort());
    expect(Object.keys(def.dialect).sort()).toEqual([...dialectKeys].sort());
    expect(def.title.length).toBeGreaterThan(0);
    expect(def.description.length).toBeGreaterThan(0);
  });

  it.each(entries)('%s: values have the right kind', (_id, def) => {
    for (const [k, s] of Object.entries(def.limits)) {
      expect(s.value === null || (Number.isFinite(s.value) && s.value >= 0), `limits.${k}`).toBe(true);
    }
    for (const [k, s] of Object.entries(def.features)) expect(typeof s.value, `features.${k}`).toBe('boolean');
    expect([ErrorCode.OverConnectionQuota, ErrorCode.OverCapacity]).toContain(def.dialect.overQuotaCode.value);
    for (const k of Object.keys(dialectValues) as (keyof typeof dialectValues)[]) {
      expect(dialectValues[k] as readonly unknown[], `dialect.${k}`).toContain(def.dialect[k].value);
    }
  });

  it.each(entries)('%s: every value cites a source that exists in the catalogue', (_id, def) => {
    for (const [label, s] of sourcedValues(def)) {
      expect(isSourceId(s.source.source), `${label}: ${s.source.source}`).toBe(true);
      if (s.source.section !== undefined) expect(s.source.section.length, label).toBeGreaterThan(0);
      if (s.note !== undefined) expect(s.note.length, label).toBeGreaterThan(0);
    }
  });

  it('pusher limits equal the limit catalogue', () => {
    for (const k of limitKeys) expect(profiles.pusher.limits[k].value, k).toBe(limits[k].pusher);
  });

  // `cluster` is a property of a deployment (several nodes given), not of what a server documents
  it('pusher expects every feature except the Vask-only endpoint and cluster; app-management and cache-ttl are on', () => {
    for (const f of featureNames) expect(profiles.pusher.features[f].value, f).toBe(f !== 'user-events-endpoint' && f !== 'cluster');
  });
});

describe('profiles: alternatives', () => {
  it.each(entries)('%s: every alternative names an existing ambiguity and one of its alternative ids', (_id, def) => {
    for (const [amb, alt] of Object.entries(def.alternatives)) {
      expect(isAmbiguityId(amb), amb).toBe(true);
      if (!isAmbiguityId(amb)) continue;
      const ids = ambiguities[amb].alternatives.map((a) => a.id as string);
      expect(ids, `${amb}`).toContain(alt);
    }
  });

  it.each(entries)('%s: never names an alternative whose verdict is fail (a profile never excuses a MUST)', (_id, def) => {
    for (const [amb, alt] of Object.entries(def.alternatives)) {
      if (!isAmbiguityId(amb)) continue;
      const found = ambiguities[amb].alternatives.find((a) => a.id === alt);
      expect(found?.verdict, `${amb}=${String(alt)}`).not.toBe('fail');
    }
  });

  it('dialect and alternatives agree where both speak', () => {
    for (const [id, def] of entries) {
      const alt = def.alternatives;
      if (alt['rest-app-addressing']) {
        expect(alt['rest-app-addressing'], id).toBe(def.dialect.restAppPath.value === 'key' ? 'app-key' : 'app-id');
      }
      if (alt['rest-success-body'] === 'ok-true' || alt['rest-success-body'] === 'empty-object') {
        expect(alt['rest-success-body'], id).toBe(def.dialect.restSuccessBody.value);
      }
      if (alt['over-quota-code']) expect(Number(alt['over-quota-code']), id).toBe(def.dialect.overQuotaCode.value);
      if (alt['channel-name-length'] && alt['channel-name-length'] !== 'none') {
        expect(Number(alt['channel-name-length']), id).toBe(def.limits.channelNameLength.value);
      }
      if (alt['channel-auth-failure-signal'] === 'subscription-error-frame') {
        expect(def.dialect.channelAuthFailure.value, id).toBe('subscription-error-frame');
      }
    }
  });
});

describe('profiles: differences the notes record', () => {
  const limit = (id: ProfileId, k: LimitKey) => profiles[id].limits[k].value;

  it('payload: 10 KB for pusher, soketify and vask; 100 KB for soketi and sockudo; no REST limit for reverb', () => {
    expect(limit('pusher', 'eventDataBytes')).toBe(10 * 1024);
    expect(limit('soketify', 'eventDataBytes')).toBe(10 * 1024);
    expect(limit('vask', 'eventDataBytes')).toBe(10 * 1024);
    expect(limit('soketi', 'eventDataBytes')).toBe(100 * 1024);
    expect(limit('sockudo', 'eventDataBytes')).toBe(100 * 1024);
    expect(limit('reverb', 'eventDataBytes')).toBeNull();
    expect(profiles.reverb.dialect.kilobyte.value).toBe(1000);
  });

  it('soketify documents Pusher\'s numbers where soketi, its engine, differs', () => {
    expect(limit('soketify', 'userInfoBytes')).toBe(1024);
    expect(limit('soketi', 'userInfoBytes')).toBe(2048);
    expect(limit('soketify', 'userIdLength')).toBe(128);
    expect(limit('soketi', 'userIdLength')).toBeNull();
    expect(limit('soketify', 'cacheTtlSeconds')).toBe(1800);
    expect(limit('soketi', 'cacheTtlSeconds')).toBe(3600);
    expect(limit('soketify', 'clientEventsPerSecond')).toBe(10);
    expect(limit('soketi', 'clientEventsPerSecond')).toBeNull();
    expect(limit('soketify', 'webhookGraceSeconds')).toBe(3);
    expect(limit('soketi', 'webhookGraceSeconds')).toBe(0);
    expect(profiles.soketify.dialect.overQuotaCode.value).toBe(ErrorCode.OverConnectionQuota);
    expect(profiles.soketi.dialect.overQuotaCode.value).toBe(ErrorCode.OverCapacity);
    expect(limit('soketify', 'channelNameLength')).toBe(200);
    expect(limit('pusher', 'channelNameLength')).toBe(164);
  });

  it('vask addresses the app by key, has the per-user endpoint, emits subscription_count', () => {
    expect(profiles.vask.dialect.restAppPath.value).toBe('key');
    for (const id of profileIds.filter((p) => p !== 'vask')) {
      expect(profiles[id].dialect.restAppPath.value, id).toBe('id');
      expect(profiles[id].features['user-events-endpoint'].value, id).toBe(false);
    }
    expect(profiles.vask.features['user-events-endpoint'].value).toBe(true);
    expect(profiles.vask.features['subscription-count'].value).toBe(true);
    expect(profiles.soketi.features['subscription-count'].value).toBe(false);
    expect(profiles.vask.alternatives['client-events-encrypted-channels']).toBe('refused');
  });

  it('soketi is described as our peer runs it', () => {
    const f = profiles.soketi.features;
    expect(f['client-events'].value).toBe(true);
    expect(f['user-auth'].value).toBe(false);
    expect(f.watchlist.value).toBe(false);
    expect(f['cache-ttl'].value).toBe(true);
    expect(f['app-management'].value).toBe(false);
    expect(profiles.soketi.features['cache-ttl'].source.source).toBe('kit/soketi-peer');
    expect(profiles.soketi.dialect.restSuccessBody.value).toBe('ok-true');
    expect(profiles.soketi.dialect.channelAuthFailure.value).toBe('subscription-error-frame');
    // a known bug is not a profile value: public-channel client events stay a failure
    expect(profiles.soketi.alternatives).not.toHaveProperty('client-events-public-channels');
  });

  it('reverb has no webhooks, sign-in, watchlist or limits', () => {
    const r = profiles.reverb;
    for (const f of ['webhooks', 'user-auth', 'watchlist', 'server-to-user', 'subscription-count'] as const) {
      expect(r.features[f].value, f).toBe(false);
    }
    for (const k of ['eventNameLength', 'channelNameLength', 'channelsPerTrigger', 'batchSize', 'presenceMembers', 'cacheTtlSeconds', 'timestampWindowSeconds'] as const) {
      expect(r.limits[k].value, k).toBeNull();
    }
  });

  it('sockudo: activity 120, 2 KB members, timestamps checked, no subscription_count broadcast', () => {
    expect(limit('sockudo', 'activityTimeoutSeconds')).toBe(120);
    expect(limit('soketi', 'activityTimeoutSeconds')).toBe(30);
    expect(limit('sockudo', 'userInfoBytes')).toBe(2048);
    expect(limit('sockudo', 'timestampWindowSeconds')).toBe(600);
    expect(profiles.sockudo.features['subscription-count'].value).toBe(false);
  });
});

describe('resolveProfile', () => {
  it('resolves to plain values', () => {
    const r = resolveProfile('pusher');
    expect(r.id).toBe('pusher');
    for (const k of limitKeys) expect(r.limits[k]).toBe(limits[k].pusher);
    expect(r.features.presence).toBe(true);
    expect(r.dialect).toEqual({
      restAppPath: 'id',
      overQuotaCode: ErrorCode.OverConnectionQuota,
      errorSignalling: 'close-code',
      restSuccessBody: 'empty-object',
      channelAuthFailure: 'pusher-error',
      kilobyte: 1024,
    });
    expect(r.alternatives['rest-app-addressing']).toBe('app-id');
    expect(r.overridden).toEqual([]);
  });

  it('applies overrides of limits, features and dialect, and records them', () => {
    const r = resolveProfile('soketi', {
      limits: { cacheTtlSeconds: 3, clientEventsPerSecond: 10, userIdLength: null },
      features: { 'user-auth': true, webhooks: true },
      dialect: { overQuotaCode: ErrorCode.OverConnectionQuota, kilobyte: 1000 },
    });
    expect(r.limits.cacheTtlSeconds).toBe(3);
    expect(r.limits.clientEventsPerSecond).toBe(10);
    expect(r.limits.userIdLength).toBeNull();
    expect(r.limits.eventDataBytes).toBe(100 * 1024);
    expect(r.features['user-auth']).toBe(true);
    expect(r.features.webhooks).toBe(true);
    expect(r.features.watchlist).toBe(false);
    expect(r.dialect.overQuotaCode).toBe(ErrorCode.OverConnectionQuota);
    expect(r.dialect.kilobyte).toBe(1000);
    expect(r.dialect.restSuccessBody).toBe('ok-true');
    expect([...r.overridden].sort()).toEqual(
      ['dialect.kilobyte', 'dialect.overQuotaCode', 'features.user-auth', 'features.webhooks', 'limits.cacheTtlSeconds', 'limits.clientEventsPerSecond', 'limits.userIdLength'].sort(),
    );
  });

  it('ignores undefined override entries and does not mutate the profile', () => {
    const r = resolveProfile('pusher', { limits: { batchSize: undefined }, features: { webhooks: false } });
    expect(r.limits.batchSize).toBe(10);
    expect(r.overridden).toEqual(['features.webhooks']);
    r.limits.batchSize = 99;
    expect(profiles.pusher.limits.batchSize.value).toBe(10);
    expect(profiles.pusher.features.webhooks.value).toBe(true);
    expect(resolveProfile('pusher').limits.batchSize).toBe(10);
  });

  it('rejects unknown profile ids with a clear error', () => {
    expect(() => resolveProfile('nope' as ProfileId)).toThrow(/Unknown profile "nope".*pusher, soketi, soketify, vask, reverb, sockudo/);
    expect(() => resolveProfile('constructor' as ProfileId)).toThrow(/Unknown profile/);
  });

  it('rejects unknown keys and ill-typed values', () => {
    expect(() => resolveProfile('pusher', { limits: { nope: 1 } as never })).toThrow(/Unknown limit override "nope"/);
    expect(() => resolveProfile('pusher', { features: { nope: true } as never })).toThrow(/Unknown feature override "nope"/);
    expect(() => resolveProfile('pusher', { dialect: { nope: 1 } as never })).toThrow(/Unknown dialect override "nope"/);
    expect(() => resolveProfile('pusher', { limits: { batchSize: -1 } })).toThrow(/Invalid limit override batchSize/);
    expect(() => resolveProfile('pusher', { limits: { batchSize: '10' as never } })).toThrow(/Invalid limit override/);
    expect(() => resolveProfile('pusher', { features: { webhooks: 'yes' as never } })).toThrow(/Invalid feature override/);
    expect(() => resolveProfile('pusher', { dialect: { restAppPath: 'slug' as never } })).toThrow(/Invalid dialect override restAppPath=slug/);
    expect(() => resolveProfile('pusher', { dialect: { kilobyte: 1023 as never } })).toThrow(/Invalid dialect override kilobyte/);
    expect(() => resolveProfile('pusher', { dialect: { overQuotaCode: 1006 } })).toThrow(/overQuotaCode/);
  });
});
