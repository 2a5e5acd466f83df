/**
 * The case model: one typed object per behaviour, grouped in one file per protocol area
 * (h2spec style). A case drives the target through the harness and either returns (pass),
 * returns an observation (for MAY cases: info), or throws one of the outcomes in outcome.ts.
 * @module
 */
import type { ClauseId } from '../../../spec/src/clauses/index.ts';
import type { Feature } from '../../../spec/src/features.ts';
import type { CaseContext } from '../harness/types.ts';
import { departuresOf, knownDepartures } from '../harness/departures.ts';
import { ConformanceFailure, Unsupported } from './outcome.ts';

export type Level = 'MUST' | 'SHOULD' | 'MAY';

export interface CaseDef {
  /** stable slug `area/behaviour`; never reused */
  readonly id: string;
  readonly clause: ClauseId;
  readonly level: Level;
  /** capabilities the case needs; absent → `unsupported` */
  readonly features: readonly Feature[];
  /** what the tester does (tester's voice: "Sends…", "Subscribes…") */
  readonly action: string;
  /** what the server must do (server's voice, RFC 2119 keyword in capitals) */
  readonly requirement: string;
  /** property cases: default number of runs (scaled by --runs) */
  readonly numRuns?: number;
  /** upper bound for the whole case before time-scale; default 10 s */
  readonly timeoutMs?: number;
  /**
   * cases that must not run concurrently with others (e.g. they exhaust a connection quota);
   * 'external': alone only against a target whose capacity the suite does not know (the case
   * opens many connections), beside others on the embedded server (see runner/schedule.ts)
   */
  readonly exclusive?: boolean | 'external';
  /**
   * the case sends input meant to break the target (malformed frames, floods): it runs after
   * every other case, alone, and the target's liveness is checked right after it, so a crash is
   * pinned on the input that caused it and costs no other area its results
   */
  readonly hostile?: boolean;
  /**
   * clauses other than its own the case knowingly relies on (e.g. a batch publish as a means): a
   * failure while the harness saw a departure of one of them is `unsupported`, with the departure
   * as its evidence, never a fail of the case's own clause
   */
  readonly dependsOn?: readonly ClauseId[];
  run(ctx: CaseContext): Promise<void | string>;
}

export interface AreaDef {
  readonly area: string;
  readonly title: string;
  readonly cases: readonly CaseDef[];
}

export function defineCase(def: CaseDef): CaseDef {
  const relied = def.dependsOn;
  if (relied === undefined || relied.length === 0) return def;
  return {
    ...def,
    async run(ctx) {
      try {
        return await def.run(ctx);
      } catch (e) {
        if (!ConformanceFailure.is(e)) throw e;
        const recorder = departuresOf(ctx);
        for (const clause of relied) {
          const seen = recorder?.departureOf(clause);
          if (seen === undefined) continue;
          ctx.note(`failure set aside: ${e.message.slice(0, 300)}`);
          throw new Unsupported(`relies on ${clause}, from which the target departs (${knownDepartures[seen.departure].title}: ${seen.evidence}); that clause's own cases judge it`);
        }
        throw e;
      }
    },
  };
}

export function defineArea(area: string, title: string, cases: readonly CaseDef[]): AreaDef {
  for (const c of cases) {
    if (!c.id.startsWith(`${area}/`)) throw new Error(`case ${c.id} is not in area ${area}`);
  }
  return { area, title, cases };
}

/** A case's metadata as reports and listings show it (everything but `run`). */
export interface CaseMetadata {
  readonly id: string;
  readonly area: string;
  readonly clause: string;
  readonly level: Level;
  readonly features: string[];
  readonly action: string;
  readonly requirement: string;
}

export function caseMetadata(area: string, c: CaseDef): CaseMetadata {
  return { id: c.id, area, clause: c.clause, level: c.level, features: [...c.features], action: c.action, requirement: c.requirement };
}
