import { describe, expect, it } from 'vitest';
import { ambiguities, ambiguityVerdicts, isAmbiguityId } from '../src/ambiguities.ts';
import type { AmbiguityId } from '../src/ambiguities.ts';
import { areas, clause, clauseIds, clauses, clausesByArea, isClauseId, levels } from '../src/clauses/index.ts';
import type { Area, ClauseDef } from '../src/clauses/index.ts';
import { isSourceId, sources } from '../src/sources.ts';
import type { SourceRef } from '../src/sources.ts';
import { limits } from '../src/limits.ts';
import { errorCodes } from '../src/error-codes.ts';
import { profiles } from '../src/profiles.ts';
import type { ProfileDef } from '../src/profiles.ts';

/** Clause-id prefix per area. Every area uses its own name as its prefix. */
const prefixOf: Record<Area, string> = Object.fromEntries(areas.map((a) => [a, a])) as Record<Area, string>;

const entries = Object.entries(clauses) as [string, ClauseDef][];
const ambiguityEntries = Object.entries(ambiguities) as [AmbiguityId, (typeof ambiguities)[AmbiguityId]][];

function expectSourcesExist(refs: readonly SourceRef[], where: string): void {
  expect(refs.length, `${where} cites no source`).toBeGreaterThan(0);
  for (const ref of refs) {
    expect(isSourceId(ref.source), `${where} cites unknown source ${ref.source}`).toBe(true);
  }
}

describe('clause registry', () => {
  it('holds at least 130 clauses', () => {
    expect(clauseIds.length).toBeGreaterThanOrEqual(130);
    expect(entries.length).toBe(clauseIds.length);
  });

  it('uses ids of the form area.topic', () => {
    for (const [id] of entries) expect(id).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/);
  });

  it('maps every area to a distinct prefix that is the area name', () => {
    expect(new Set(Object.values(prefixOf)).size).toBe(areas.length);
    for (const area of areas) expect(prefixOf[area]).toBe(area);
  });

  it('prefixes every id with the prefix of its area', () => {
    for (const [id, def] of entries) {
      expect(areas, `${id} has unknown area ${def.area}`).toContain(def.area);
      expect(id.split('.')[0], id).toBe(prefixOf[def.area]);
    }
  });

  it('gives every clause a title, text, impact and a known level', () => {
    for (const [id, def] of entries) {
      expect(def.title.trim(), `${id} title`).not.toBe('');
      expect(def.text.trim(), `${id} text`).not.toBe('');
      expect(def.impact.trim(), `${id} impact`).not.toBe('');
      expect(levels, `${id} level`).toContain(def.level);
    }
  });

  it('states its level keyword in capitals in the text', () => {
    for (const [id, def] of entries) {
      expect(new RegExp(`\\b${def.level}\\b`).test(def.text), `${id} text lacks ${def.level}`).toBe(true);
    }
  });

  it('cites at least one known source per clause', () => {
    for (const [id, def] of entries) expectSourcesExist(def.sources, id);
  });

  it('has at least 3 clauses in every area', () => {
    const byArea = clausesByArea();
    for (const area of areas) expect(byArea[area].length, area).toBeGreaterThanOrEqual(3);
    const total = Object.values(byArea).reduce((n, list) => n + list.length, 0);
    expect(total).toBe(clauseIds.length);
  });

  it('points every clause ambiguity at a registered ambiguity that lists the clause back', () => {
    for (const [id, def] of entries) {
      if (def.ambiguity === undefined) continue;
      expect(isAmbiguityId(def.ambiguity), `${id} → ${def.ambiguity}`).toBe(true);
      expect(ambiguities[def.ambiguity].clauses, `${def.ambiguity} does not list ${id}`).toContain(id);
    }
  });

  it('looks clauses up by id', () => {
    expect(isClauseId('presence.member-added-first-connection')).toBe(true);
    expect(isClauseId('presence.no-such-clause')).toBe(false);
    expect(isClauseId('toString')).toBe(false);
    const c = clause('client-events.no-echo');
    expect(c.id).toBe('client-events.no-echo');
    expect(c.level).toBe('MUST');
    expect(c.area).toBe('client-events');
  });
});

describe('ambiguity register', () => {
  it('lists only clauses that exist', () => {
    for (const [id, def] of ambiguityEntries) {
      expect(def.clauses.length, `${id} affects no clause`).toBeGreaterThan(0);
      for (const c of def.clauses) expect(isClauseId(c), `${id} lists unknown clause ${c}`).toBe(true);
    }
  });

  it('is referenced by at least one clause per ambiguity', () => {
    const referenced = new Set(entries.map(([, def]) => def.ambiguity).filter((a) => a !== undefined));
    for (const [id] of ambiguityEntries) expect(referenced.has(id), `${id} is not referenced`).toBe(true);
  });

  it('gives each ambiguity a question, a position, sources and at least two alternatives', () => {
    for (const [id, def] of ambiguityEntries) {
      expect(def.question.trim(), `${id} question`).not.toBe('');
      expect(def.position.trim(), `${id} position`).not.toBe('');
      expect(def.alternatives.length, `${id} alternatives`).toBeGreaterThanOrEqual(2);
      expectSourcesExist(def.sources, id);
    }
  });

  it('uses only pass, warn and fail as verdicts, with distinct alternative ids', () => {
    expect([...ambiguityVerdicts].sort()).toEqual(['fail', 'pass', 'warn']);
    for (const [id, def] of ambiguityEntries) {
      const altIds = def.alternatives.map((a) => a.id);
      expect(new Set(altIds).size, `${id} has duplicate alternative ids`).toBe(altIds.length);
      for (const alt of def.alternatives) {
        expect(ambiguityVerdicts, `${id}/${alt.id}`).toContain(alt.verdict);
        expect(alt.id, `${id}/${alt.id}`).toMatch(/^[a-z0-9-]+$/);
        expect(alt.description.trim(), `${id}/${alt.id} description`).not.toBe('');
      }
      expect(def.alternatives.some((a) => a.verdict === 'pass'), `${id} has no passing alternative`).toBe(true);
    }
  });

  it('covers the open questions of protocol-notes §15', () => {
    const required = [
      'error-signalling',
      'data-encoding',
      'data-encoding-error',
      'data-encoding-subscription-succeeded',
      'data-encoding-pong',
      'data-encoding-client-event',
      'over-quota-code',
      'channel-auth-failure-signal',
      'invalid-message-handling',
      'channel-name-length',
      'payload-size-limit',
      'cache-ttl',
      'presence-user-object-size',
      'client-events-public-channels',
      'client-events-encrypted-channels',
      'presence-client-event-user-id',
      'client-event-rate-limit',
      'protocol-version-rejection',
      'rest-timestamp-enforcement',
      'presence-numeric-user-id',
      'encrypted-multi-channel-publish',
      'subscription-count-throttle-boundary',
      'terminate-response-body',
      'rest-success-body',
      'cache-miss-data',
      'watchlist-wire-shape',
      'presence-user-info-conflict',
      'socket-id-format',
    ];
    for (const id of required) expect(isAmbiguityId(id), id).toBe(true);
  });
});

describe('source catalogue', () => {
  it('gives every source a title, a url and a known kind', () => {
    const kinds = ['spec', 'sdk', 'impl', 'seed', 'observed', 'kit'];
    for (const [id, def] of Object.entries(sources)) {
      expect(def.title.trim(), id).not.toBe('');
      expect(def.url.trim(), id).not.toBe('');
      expect(kinds, id).toContain(def.kind);
    }
  });

  it('links Pusher docs pages and GitHub sources to real addresses and seeds to labels', () => {
    for (const [id, def] of Object.entries(sources)) {
      if (def.kind === 'spec') expect(def.url, id).toMatch(/^https:\/\/pusher\.com\/docs\/channels\//);
      if (def.kind === 'sdk' || def.kind === 'impl' || def.kind === 'observed') {
        expect(def.url, id).toMatch(/^https:\/\/github\.com\//);
      }
      if (def.kind === 'seed') expect(def.url, id).toMatch(/^seed:/);
      if (def.kind === 'kit') expect(def.url, id).toMatch(/^kit:/);
    }
  });

  it('is cited: every source is used by a clause, an ambiguity, a profile, a limit or an error code', () => {
    const cited = new Set<string>();
    for (const [, def] of entries) for (const r of def.sources) cited.add(r.source);
    for (const [, def] of ambiguityEntries) for (const r of def.sources) cited.add(r.source);
    for (const def of Object.values(limits)) for (const s of def.sources) cited.add(s);
    for (const def of errorCodes) for (const s of def.sources) cited.add(s);
    for (const profile of Object.values(profiles) as ProfileDef[]) {
      const sourced = [...Object.values(profile.limits), ...Object.values(profile.features), ...Object.values(profile.dialect)];
      for (const v of sourced) cited.add(v.source.source);
    }
    const unused = Object.keys(sources).filter((s) => !cited.has(s));
    expect(unused).toEqual([]);
  });
});
