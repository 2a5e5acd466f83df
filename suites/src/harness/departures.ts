/**
 * Known departures the harness recognises while a case runs, so that one departure of a target
 * becomes one finding (root cause, evidence, the cases it touched) instead of a cascade of fails
 * each blaming its own clause. The harness feeds every inbound frame and every REST exchange of a
 * case to that case's DepartureRecorder; the runner gathers the recorders into a DepartureLog and
 * the report carries its findings.
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import type { ClauseId } from '../../../spec/src/clauses/index.ts';
import type { AnyFrame } from '../../../spec/src/frames/generic.ts';
import { RestPath, restPath } from '../../../spec/src/rest/endpoints.ts';
import type { Finding } from '../../../spec/src/report.ts';
import { clip } from './transcript.ts';
import type { HttpResult } from './types.ts';

/** The departures the harness knows, each under the clause it breaks. */
export const knownDepartures = {
  'data-double-encoded': {
    clause: 'subscription.data-verbatim',
    title: 'Published data is JSON-encoded a second time',
    explain: 'a string published through the REST API arrives as a JSON string holding that string; the harness recognises its own tokens through the extra layer and judges every other case on its own clause',
  },
  'error-status-200': {
    clause: 'rest.bad-request',
    title: 'REST errors are answered with HTTP 200',
    explain: 'a refused request is answered 200 with an error in the body; the harness counts such an answer as a refusal, never as an accepted request',
  },
  'endpoint-missing': {
    clause: 'rest.batch-events',
    title: 'POST /batch_events is missing (404)',
    explain: 'the batch endpoint answers 404 for the target\'s own app; cases that use a batch only as a means are unsupported, the batch cases themselves fail',
  },
} as const satisfies Record<string, { clause: ClauseId; title: string; explain: string }>;

export type DepartureId = keyof typeof knownDepartures;

export interface Observation {
  readonly departure: DepartureId;
  /** what was seen, clipped: the frame or the exchange */
  readonly evidence: string;
}

/** published data strings a case remembers to recognise them in deliveries */
const MAX_PUBLISHED = 1000;
/** JSON string layers the harness peels off a delivered data value (pusher-js peels one) */
const MAX_LAYERS = 3;
/** deliveries holding a string in a JSON string layer, kept for the recorder's settle step */
const MAX_PENDING = 256;
/** evidence is one frame or exchange; long payloads are clipped */
const EVIDENCE_CHARS = 400;

/**
 * The values a delivered `data` may stand for: itself, then each JSON layer peeled off in turn
 * (a JSON string holding JSON, as pusher-js decodes it, and once more for a double encoding).
 */
export function dataLayers(data: unknown): unknown[] {
  const out: unknown[] = [data];
  let cur = data;
  for (let i = 0; i < MAX_LAYERS && typeof cur === 'string'; i++) {
    try {
      cur = JSON.parse(cur) as unknown;
    } catch {
      break;
    }
    out.push(cur);
  }
  return out;
}

/**
 * Does a delivered `data` carry `published` (a string the case published), in any encoding
 * pusher-js tolerates or a double encoding? The string itself, its JSON value as an object, or
 * the string wrapped in one more JSON string layer.
 */
export function carries(data: unknown, published: string): boolean {
  if (data === published) return true;
  const wanted = dataLayers(published);
  return dataLayers(data).some((layer) => wanted.some((w) => isDeepStrictEqual(layer, w)));
}

/** One case's observations. */
export class DepartureRecorder {
  readonly #published = new Set<string>();
  readonly #seen = new Map<DepartureId, Observation>();
  /** deliveries holding a string in a JSON string layer, judged once the case's publishes are known */
  readonly #pending: { data: string; inner: string; evidence: string }[] = [];
  readonly #restApp: string;

  constructor(opts: { restApp: string }) {
    this.#restApp = opts.restApp;
  }

  /** every REST exchange of the case, after the answer */
  http(req: { method: string; path: string; body?: string | Buffer }, res: HttpResult): void {
    const body = req.body === undefined ? '' : typeof req.body === 'string' ? req.body : req.body.toString('utf8');
    const events = restPath(RestPath.Events, { app: this.#restApp });
    const batch = restPath(RestPath.BatchEvents, { app: this.#restApp });
    if (req.method === 'POST' && (req.path === events || req.path === batch)) this.#remember(body);
    const exchange = `${req.method} ${req.path} ${clip(body, 120)} → HTTP ${res.status} ${clip(res.text, 200)}`;
    if (res.status >= 200 && res.status < 300 && typeof res.json === 'object' && res.json !== null && 'error' in res.json) this.#record('error-status-200', exchange);
    if (req.method === 'POST' && req.path === batch && res.status === 404) this.#record('endpoint-missing', exchange);
  }

  /** every frame a client of the case received */
  frame(frame: AnyFrame, who: string): void {
    const data = frame.data;
    if (typeof data !== 'string' || this.#published.has(data) || this.#seen.has('data-double-encoded')) return;
    let inner: unknown;
    try {
      inner = JSON.parse(data) as unknown;
    } catch {
      return;
    }
    if (typeof inner !== 'string') return;
    const evidence = `published data ${clip(JSON.stringify(inner), 120)}; ${who} received ${JSON.stringify(frame)}`;
    // judged when the case asks (#settle): a delivery often arrives before its publish's HTTP answer
    if (this.#pending.length < MAX_PENDING) this.#pending.push({ data, inner, evidence });
  }

  /** has the case seen a departure of `clause`? */
  departureOf(clause: ClauseId): Observation | undefined {
    this.#settle();
    return [...this.#seen.values()].find((o) => knownDepartures[o.departure].clause === clause);
  }

  observations(): Observation[] {
    this.#settle();
    return [...this.#seen.values()];
  }

  #remember(body: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      return;
    }
    const items = typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { batch?: unknown }).batch) ? (parsed as { batch: unknown[] }).batch : [parsed];
    for (const item of items) {
      const data = typeof item === 'object' && item !== null ? (item as { data?: unknown }).data : undefined;
      if (typeof data === 'string' && this.#published.size < MAX_PUBLISHED) this.#published.add(data);
    }
  }

  /**
   * Deliveries holding a string in a JSON string layer, judged when the case asks (by then its
   * publishes are answered, even those delivered before their answer): one holding a published
   * string is the departure, unless the delivery is itself a string the case published.
   */
  #settle(): void {
    if (this.#seen.has('data-double-encoded')) return;
    const early = this.#pending.find((p) => this.#published.has(p.inner) && !this.#published.has(p.data));
    if (early) this.#record('data-double-encoded', early.evidence);
  }

  #record(departure: DepartureId, evidence: string): void {
    if (!this.#seen.has(departure)) this.#seen.set(departure, { departure, evidence: clip(evidence, EVIDENCE_CHARS) });
  }
}

const recorders = new WeakMap<object, DepartureRecorder>();

/** The harness ties a case's recorder to its context (context.ts). */
export function attachDepartures(ctx: object, recorder: DepartureRecorder): void {
  recorders.set(ctx, recorder);
}

/** The recorder of a case context, if the harness attached one. */
export function departuresOf(ctx: object): DepartureRecorder | undefined {
  return recorders.get(ctx);
}

/** Every case's observations of a run, turned into one finding per departure. */
export class DepartureLog {
  readonly #byDeparture = new Map<DepartureId, { evidence: string; cases: string[] }>();

  add(caseId: string, recorder: DepartureRecorder): void {
    for (const o of recorder.observations()) {
      const entry = this.#byDeparture.get(o.departure);
      if (entry) {
        if (!entry.cases.includes(caseId)) entry.cases.push(caseId);
      } else this.#byDeparture.set(o.departure, { evidence: o.evidence, cases: [caseId] });
    }
  }

  findings(): Finding[] {
    return [...this.#byDeparture].map(([id, { evidence, cases }]) => ({
      id,
      title: knownDepartures[id].title,
      clause: knownDepartures[id].clause,
      explanation: knownDepartures[id].explain,
      evidence,
      cases: [...cases].sort(),
    }));
  }

  /** the report's optional field: present only when something was found */
  reportField(): { findings?: Finding[] } {
    const f = this.findings();
    return f.length > 0 ? { findings: f } : {};
  }
}
