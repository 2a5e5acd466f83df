/**
 * The CaseContext a case runs with: time-scaled waits, unique channel names and user ids,
 * clients (all closed when the case ends), REST, signing, webhooks, and fast-check runs with
 * the runner's seed, path and run budget.
 * @module
 */
import { setMaxListeners } from 'node:events';
import fc from 'fast-check';
import { ConnectQuery, PROTOCOL_VERSION, appPath } from '../../../spec/src/protocol.ts';
import type { LimitKey } from '../../../spec/src/limits.ts';
import type { CaseDef } from '../model/case.ts';
import { ConformanceFailure, HarnessError, Unsupported, type PropertyDetails } from '../model/outcome.ts';
import { HarnessClient } from './client.ts';
import { HarnessRest } from './rest.ts';
import { createSigner } from './signer.ts';
import { Transcript } from './transcript.ts';
import { WaitLog } from './timing.ts';
import { DepartureRecorder, attachDepartures } from './departures.ts';
import { commandsReplayPathOf, formatReplayPath, parseReplayPath } from './replay-path.ts';
import { CaseWebhooks, type WebhookReceiver } from './webhooks.ts';
import type { CaseContext, Target, TargetNode } from './types.ts';

/** Runs of a property when neither the case nor the call says (fast-check's default). */
export const DEFAULT_NUM_RUNS = 100;
/** Upper bound of a whole case in ms (before time-scale) when the case does not say. */
export const DEFAULT_CASE_TIMEOUT_MS = 10_000;
/** `client` query value the harness announces */
export const CLIENT_NAME = 'pusher-conformance';

export interface ContextDeps {
  readonly target: Target;
  readonly limits: Readonly<Record<LimitKey, number | null>>;
  /** the `{app}` REST path segment (id or key, per the profile's dialect) */
  readonly restApp: string;
  readonly caseDef: CaseDef;
  readonly seed: number;
  /** fast-check replay path; applied to the properties of this case */
  readonly path?: string;
  /** --runs: every property runs this many times */
  readonly runs?: number;
  readonly timeScale: number;
  /** short, alphanumeric, unique per run */
  readonly runToken: string;
  /** short, alphanumeric, unique per case within the run */
  readonly caseToken: string;
  readonly suiteVersion: string;
  readonly receiver?: WebhookReceiver;
}

export interface CaseScope {
  readonly ctx: CaseContext;
  readonly transcript: Transcript;
  /** the known departures this case's frames and exchanges showed (the runner gathers them) */
  readonly departures: DepartureRecorder;
  /** where the case's time went: quiet windows, protocol timers, bounds run out, pauses */
  readonly waits: WaitLog;
  /** abort every wait of the case (time limit) */
  abort(reason: string): void;
  /** close every client, stop webhook routing */
  dispose(): Promise<void>;
}

/** The token every channel name of a case contains; the webhook receiver routes on it. */
export const caseChannelToken = (runToken: string, caseToken: string): string => `pc${runToken}-${caseToken}-`;

/** numRuns of a property: --runs when given (every property runs that many times), else the case's own count. */
export function effectiveNumRuns(base: number, runs: number | undefined): number {
  return Math.max(1, runs ?? base);
}

const USER_ID_UNSAFE = /[^A-Za-z0-9_\-=@,.;]/g;

export function createCaseScope(deps: ContextDeps): CaseScope {
  const { target } = deps;
  const transcript = new Transcript();
  const waits = new WaitLog();
  const departures = new DepartureRecorder({ restApp: deps.restApp });
  const controller = new AbortController();
  const signal = controller.signal;
  // every pending wait of every client listens for the abort
  setMaxListeners(0, signal);
  const clients = new Set<HarnessClient>();
  /** clients opened during the current property run; closed after it */
  let runClients: Set<HarnessClient> | undefined;
  const token = caseChannelToken(deps.runToken, deps.caseToken);
  let channelCounter = 0;
  let userCounter = 0;
  let clientCounter = 0;
  const scale = (ms: number) => Math.max(0, Math.round(ms * deps.timeScale));

  const newUserId = (hint?: string): string => `${(hint ?? 'u').replace(USER_ID_UNSAFE, '_')}-${deps.runToken}${deps.caseToken}-${++userCounter}`;

  const secretFor = (key: string): string => {
    const off = target.extraApps?.clientEventsOff;
    if (off && off.key === key) return off.secret;
    return target.secret;
  };

  // a cluster target: every case's clients go to its nodes round-robin (c1 → n1, c2 → n2, …); its
  // REST calls all go to one node, chosen round-robin over the cases (case i → node i+1), so that
  // publishes and the sync markers after them keep their order (nodes do not order each other's)
  const nodes: readonly TargetNode[] = target.nodes && target.nodes.length > 0 ? target.nodes : [{ name: 'n1', ws: target.ws, http: target.http }];
  const spread = nodes.length > 1;
  const nodeFor = (pinned: number | undefined): TargetNode | undefined => {
    if (pinned !== undefined) {
      const node = nodes[pinned];
      if (!node) throw new HarnessError(`no node ${pinned + 1}: the target has ${nodes.length}`);
      return node;
    }
    return spread ? nodes[clientCounter % nodes.length] : undefined;
  };

  const wsUrl = (path: string, query: Record<string, string>, node?: TargetNode): string => {
    const base = (node?.ws ?? target.ws).replace(/\/+$/, '');
    const qs = new URLSearchParams(query).toString();
    return `${base}${path}${qs ? `?${qs}` : ''}`;
  };

  const defaultQuery = (): Record<string, string> => ({
    [ConnectQuery.Protocol]: String(PROTOCOL_VERSION),
    [ConnectQuery.Client]: CLIENT_NAME,
    [ConnectQuery.Version]: deps.suiteVersion,
  });

  const clientDeps = (key: string, path: string, query: Record<string, string>, pinned?: number) => {
    const node = nodeFor(pinned);
    return {
      label: `c${++clientCounter}${node ? `@${node.name}` : ''}`,
      url: wsUrl(path, query, node),
      key,
      secret: secretFor(key),
      transcript,
      timeScale: deps.timeScale,
      signal,
      newUserId: () => newUserId(),
      ...(target.inbound ? { inbound: target.inbound } : {}),
      departures,
      waits,
    };
  };

  const track = (c: HarnessClient): HarnessClient => {
    clients.add(c);
    runClients?.add(c);
    return c;
  };

  const webhooks = deps.receiver && target.features.has('webhooks') ? new CaseWebhooks(deps.receiver, token, { transcript, timeScale: deps.timeScale, signal, waits }) : undefined;

  const rest = new HarnessRest({ http: target.http, app: deps.restApp, key: target.key, secret: target.secret, transcript, departures, timeScale: deps.timeScale, signal, ...(spread ? { nodes, node: (parseInt(deps.caseToken, 36) + 1) % nodes.length } : {}) });

  // --path: the counterexample path, and for a model-based case the commands' replay path
  const replay = deps.path !== undefined ? parseReplayPath(deps.path) : undefined;
  const fcParams = (numRuns: number) => ({
    seed: deps.seed,
    numRuns,
    // a replay runs the recorded counterexample once and stops there, without shrinking again
    ...(replay !== undefined ? { path: replay.path, endOnFailure: true } : {}),
    // keep time for the report: shrinking stops before the case's own time limit
    plugins: [fc.interruptAfterTimeLimit(Math.round(scale(deps.caseDef.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS) * 0.7))],
  });

  async function closeRunClients(): Promise<void> {
    const open = runClients;
    runClients = new Set();
    if (open) await Promise.all([...open].map((c) => c.close().catch(() => c.terminate())));
  }

  function report(details: fc.RunDetails<unknown>, numRuns: number): void {
    if (!details.failed) return;
    const counterexample = details.counterexample !== null ? fc.stringify(details.counterexample) : undefined;
    // a replay that failed where it was told prints the replay path it was given: fast-check's
    // log of the replayed run no longer holds the shrink steps it walked
    const replayed = replay !== undefined && details.counterexamplePath === replay.path;
    const commands = replayed ? replay.commands : counterexample !== undefined ? commandsReplayPathOf(counterexample) : undefined;
    const property: PropertyDetails = {
      seed: details.seed,
      numRuns,
      ...(details.counterexamplePath !== null ? { path: formatReplayPath({ path: details.counterexamplePath, ...(commands !== undefined ? { commands } : {}) }) } : {}),
      ...(counterexample !== undefined ? { counterexample } : {}),
      shrinks: details.numShrinks,
    };
    const err = details.errorInstance;
    if (ConformanceFailure.is(err)) {
      transcript.note(`property failed after ${details.numRuns} run(s), ${details.numShrinks} shrink(s); counterexample ${property.counterexample ?? '?'}`);
      throw new ConformanceFailure(err.expected, `${err.actual} (counterexample: ${property.counterexample ?? '?'})`, property);
    }
    if (Unsupported.is(err) || HarnessError.is(err)) throw err;
    if (err instanceof Error) {
      const e = new HarnessError(`${err.message} (counterexample: ${property.counterexample ?? '?'}, seed ${property.seed}, path ${property.path ?? '-'})`);
      throw e;
    }
    if (details.counterexample === null) throw new HarnessError(`the property could not run: ${details.interrupted ? 'interrupted' : 'too many skipped values'}`);
    throw new HarnessError(`the property failed with ${String(err)} (counterexample: ${property.counterexample ?? '?'})`);
  }

  const ctx: CaseContext = {
    target,
    limits: deps.limits,
    profile: target.profile,
    seed: deps.seed,
    timeScale: deps.timeScale,
    signal,
    ms: scale,
    timed: (kind, wait) => waits.time(kind, wait),
    sleep(ms: number, kind = 'pause') {
      const started = performance.now();
      return new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new HarnessError('the case was aborted (time limit reached)'));
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          waits.record(kind, started);
          resolve();
        }, scale(ms));
        const onAbort = () => {
          clearTimeout(timer);
          reject(new HarnessError('the case was aborted (time limit reached) while sleeping'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    channelName(prefix: string, opts?: { length?: number }) {
      const base = `${prefix}${token}${++channelCounter}`;
      if (opts?.length === undefined) return base;
      if (opts.length < base.length) throw new HarnessError(`channelName: a unique name with prefix "${prefix}" needs at least ${base.length} characters, ${opts.length} asked`);
      return base + 'x'.repeat(opts.length - base.length);
    },
    userId: newUserId,
    async connect(opts = {}) {
      const key = opts.key ?? target.key;
      const c = await HarnessClient.connect(clientDeps(key, appPath(key), opts.query ?? defaultQuery(), opts.node), opts.within);
      return track(c);
    },
    async open(opts) {
      const key = opts.key ?? target.key;
      const c = await HarnessClient.open(clientDeps(key, opts.path ?? appPath(key), opts.query ?? defaultQuery(), opts.node));
      return track(c);
    },
    rest,
    nodes,
    restOn(index: number) {
      if (spread) return rest.on(index);
      if (index !== 0) throw new HarnessError(`no node ${index + 1}: the target has one`);
      return rest;
    },
    sign: createSigner({ key: target.key, secret: target.secret, encryptionMasterKey: target.encryptionMasterKey }),
    webhooks,
    note: (text) => transcript.note(text),
    unsupported(reason: string): never {
      throw new Unsupported(reason);
    },
    async property<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, opts?: { numRuns?: number }) {
      const numRuns = effectiveNumRuns(opts?.numRuns ?? deps.caseDef.numRuns ?? DEFAULT_NUM_RUNS, deps.runs);
      runClients = new Set();
      try {
        const prop = fc.asyncProperty(arbitrary, async (value) => {
          if (signal.aborted) throw new HarnessError('the case was aborted (time limit reached)');
          try {
            await predicate(value);
          } finally {
            await closeRunClients();
          }
        });
        report(await fc.check(prop, fcParams(numRuns)), numRuns);
      } finally {
        runClients = undefined;
      }
    },
    async modelRun<M extends object, R>(
      commandsFor: (replayPath: string | undefined) => fc.Arbitrary<Iterable<fc.AsyncCommand<M, R, boolean>>>,
      setup: () => Promise<{ model: M; real: R }>,
      teardown: (real: R) => Promise<void>,
      opts?: { numRuns?: number },
    ) {
      const numRuns = effectiveNumRuns(opts?.numRuns ?? deps.caseDef.numRuns ?? DEFAULT_NUM_RUNS, deps.runs);
      runClients = new Set();
      try {
        const prop = fc.asyncProperty(commandsFor(replay?.commands), async (cmds) => {
          if (signal.aborted) throw new HarnessError('the case was aborted (time limit reached)');
          const s = await setup();
          try {
            await fc.asyncModelRun(() => s, cmds);
          } finally {
            try {
              await teardown(s.real);
            } finally {
              await closeRunClients();
            }
          }
        });
        report(await fc.check(prop, fcParams(numRuns)), numRuns);
      } finally {
        runClients = undefined;
      }
    },
  };

  attachDepartures(ctx, departures);
  return {
    ctx,
    transcript,
    departures,
    waits,
    abort(reason: string) {
      if (!signal.aborted) {
        transcript.note(reason);
        controller.abort(new HarnessError(reason));
      }
    },
    async dispose() {
      webhooks?.dispose();
      await Promise.all([...clients].map((c) => c.close().catch(() => c.terminate())));
    },
  };
}
