/**
 * The report of a conformance run. JSON is the source of truth; JUnit, Markdown, HTML and the
 * comparison matrix are views of it. Validated by this schema when written and when read.
 * @module
 */
import { z } from 'zod';
import { publish } from './registry.ts';

export const REPORT_SCHEMA_VERSION = 'pusher-conformance/report@1';

export const Verdict = z.enum(['pass', 'fail', 'warn', 'info', 'unsupported', 'skipped', 'error', 'xfail', 'xpass']);
export type Verdict = z.infer<typeof Verdict>;
export const verdicts = Verdict.options;

export const LevelSchema = z.enum(['MUST', 'SHOULD', 'MAY']);

/** One line of a case transcript: a frame, an HTTP exchange, a webhook received, or a note. */
export const TranscriptEntry = z.object({
  /** ms since the case started */
  t: z.number().nonnegative(),
  kind: z.enum(['ws-out', 'ws-in', 'ws-open', 'ws-close', 'http-out', 'http-in', 'webhook', 'note']),
  /** which connection (c1, c2…) or request */
  who: z.string().optional(),
  /** a cluster target: the node (n1, n2…, see target.nodes) that connection or request used */
  node: z.string().optional(),
  text: z.string(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

export const PropertyFailure = z.object({
  seed: z.number().int(),
  path: z.string().optional(),
  numRuns: z.number().int().positive(),
  counterexample: z.string().optional(),
  shrinks: z.number().int().nonnegative().optional(),
});

/**
 * The kinds of deliberate waiting a case does: a quiet window (nothing may arrive), a protocol
 * timer (the server's own: cache TTL, throttle interval, webhook grace), a bound run out without
 * the awaited thing (timeout), and a fixed pause the harness cannot classify.
 */
export const waitKinds = ['quiet', 'timer', 'timeout', 'pause'] as const;
export const WaitKind = z.enum(waitKinds);
export type WaitKind = z.infer<typeof WaitKind>;

/** When a case ran and where its time went (absent in reports written before it was recorded). */
export const CaseTiming = z.object({
  /** ms from the start of the run to the start of the case */
  startMs: z.number().nonnegative(),
  /** ms of the case spent in each kind of wait; overlapping waits count once, for the most specific kind */
  waits: z.record(WaitKind, z.number().nonnegative()),
  /** the waits themselves, ms from the start of the case (the longest kept when there are many) */
  spans: z.array(z.object({ kind: WaitKind, at: z.number().nonnegative(), ms: z.number().nonnegative() })),
});
export type CaseTiming = z.infer<typeof CaseTiming>;

export const CaseResult = z.object({
  id: z.string(),
  area: z.string(),
  clause: z.string(),
  level: LevelSchema,
  features: z.array(z.string()),
  action: z.string(),
  requirement: z.string(),
  verdict: Verdict,
  durationMs: z.number().nonnegative(),
  timing: CaseTiming.optional(),
  /** acceptable outcomes (h2spec style) */
  expected: z.array(z.string()),
  actual: z.string(),
  /** plain explanation for error / unsupported / skipped */
  message: z.string().optional(),
  property: PropertyFailure.optional(),
  transcript: z.array(TranscriptEntry),
  /** one command that re-runs just this case against the same target */
  reproduce: z.string(),
});
export type CaseResult = z.infer<typeof CaseResult>;

export const VerdictCounts = z.record(Verdict, z.number().int().nonnegative());
export type VerdictCounts = z.infer<typeof VerdictCounts>;

export const DoctorCheck = z.object({
  check: z.string(),
  ok: z.boolean(),
  message: z.string(),
  /** features or cases this failure makes untestable */
  blocks: z.array(z.string()).optional(),
});
export type DoctorCheck = z.infer<typeof DoctorCheck>;

/**
 * The target stopped answering (or its process exited) during a run: a finding of its own,
 * blamed on the case that sent the last frame (or request) before it died.
 */
export const TargetCrash = z.object({
  /** the case whose frame was the last one sent before the target died */
  afterCase: z.string(),
  /** that frame or request, as the transcript shows it; absent when no case had sent anything */
  frame: z.string().optional(),
  /** the connection or request that sent it (c1, c2, rest…) */
  who: z.string().optional(),
  /** when the death was noticed (ISO 8601) */
  at: z.string(),
  /** how: the target's process exited (--server-cmd), or it stopped answering the liveness probe */
  detectedBy: z.enum(['exit', 'probe']),
  /** exit code or signal of the target's process, when the runner started it */
  exit: z.string().optional(),
  /** the target answered again afterwards (restarted by the runner, or back on its own) */
  recovered: z.boolean(),
});
export type TargetCrash = z.infer<typeof TargetCrash>;

/**
 * One departure the harness recognised, named once: its root cause, the clause it breaks, the
 * evidence (a frame or an exchange) and every case it touched. Those cases are judged on their
 * own clause; the clause's own cases carry the verdict for the departure.
 */
export const Finding = z.object({
  id: z.string(),
  title: z.string(),
  clause: z.string(),
  /** what the harness does about it */
  explanation: z.string(),
  evidence: z.string(),
  cases: z.array(z.string()),
});
export type Finding = z.infer<typeof Finding>;

export const Report = publish(
  z.object({
    schema: z.literal(REPORT_SCHEMA_VERSION),
    suite: z.object({
      name: z.string(),
      version: z.string(),
      /** Node.js and fast-check versions of the run: a seed replays the same inputs only under the same suite and fast-check (absent in reports written before they were recorded) */
      node: z.string().optional(),
      fastCheck: z.string().optional(),
      /** versions of the client and server libraries the sdk area drives, by npm name (absent in reports written before they were recorded) */
      libraries: z.record(z.string(), z.string()).optional(),
      caseSetHash: z.string(),
      cases: z.number().int().nonnegative(),
    }),
    startedAt: z.string(),
    finishedAt: z.string(),
    durationMs: z.number().nonnegative(),
    target: z.object({
      /** implementation label shown in comparisons, e.g. "reference", "soketi 1.6.1" */
      name: z.string(),
      ws: z.string(),
      http: z.string(),
      appId: z.string(),
      key: z.string(),
      embedded: z.boolean(),
      profile: z.string(),
      features: z.array(z.string()),
      limits: z.record(z.string(), z.number().nullable()),
      /** the URL the target was to POST webhooks to (absent: the run had no webhook receiver) */
      webhookUrl: z.string().optional(),
      /** a cluster target: its nodes, named as the transcripts' `node` (absent: one node at ws/http) */
      nodes: z.array(z.object({ name: z.string(), ws: z.string(), http: z.string() })).optional(),
    }),
    options: z.object({
      seed: z.number().int(),
      runs: z.number().int().positive().optional(),
      timeScale: z.number().positive(),
      strict: z.boolean(),
      level: LevelSchema,
      only: z.array(z.string()),
      exclude: z.array(z.string()),
      concurrency: z.number().int().positive(),
      baseline: z.string().optional(),
      /** which cases kept their transcript: all, failures (those that did not pass), none (absent: all) */
      transcripts: z.enum(['all', 'failures', 'none']).optional(),
    }),
    doctor: z.array(DoctorCheck),
    summary: z.object({
      total: z.number().int().nonnegative(),
      selected: z.number().int().nonnegative(),
      executed: z.number().int().nonnegative(),
      byVerdict: VerdictCounts,
      byArea: z.record(z.string(), VerdictCounts),
      byLevel: z.record(LevelSchema, VerdictCounts),
    }),
    /** false when fewer cases ran than were selected (crash, interrupt, target died) */
    complete: z.boolean(),
    incompleteReason: z.string().optional(),
    /** every time the target died during the run (absent: it never did) */
    crashes: z.array(TargetCrash).optional(),
    /** known departures, each named once with the cases it touched (absent: none recognised) */
    findings: z.array(Finding).optional(),
    /** gate result: 0 conformant, 1 failures, 2 setup/harness error, 3 incomplete */
    exitCode: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
    cases: z.array(CaseResult),
  }),
  { id: 'Report', kind: 'report', description: 'A pusher-conformance run: target, options, doctor checks, per-case verdicts with transcripts.' },
);
export type Report = z.infer<typeof Report>;
