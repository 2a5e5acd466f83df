/**
 * The case model: one typed object per behaviour, grouped in one file per protocol area
 * (h2spec style). A case drives the target through the harness and either returns (pass),
 * returns an observation (for MAY cases: info), or throws one of the outcomes in outcome.ts.
 * @module
 */
import type { ClauseId } from '../../../spec/src/clauses/index.ts';
import type { Feature } from '../../../spec/src/features.ts';
import type { CaseContext } from '../harness/types.ts';

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
  /** cases that must not run concurrently with others (e.g. they exhaust a connection quota) */
  readonly exclusive?: boolean;
  /**
   * the case sends input meant to break the target (malformed frames, floods): it runs after
   * every other case, alone, and the target's liveness is checked right after it, so a crash is
   * pinned on the input that caused it and costs no other area its results
   */
  readonly hostile?: boolean;
  run(ctx: CaseContext): Promise<void | string>;
}

export interface AreaDef {
  readonly area: string;
  readonly title: string;
  readonly cases: readonly CaseDef[];
}

export const defineCase = (def: CaseDef): CaseDef => def;

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
