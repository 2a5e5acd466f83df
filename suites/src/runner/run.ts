/**
 * The conformance run: target (or embedded reference server), doctor, selection, cases with a
 * concurrency limit and a time bound each, liveness probes after failures, baseline, report.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { Report, REPORT_SCHEMA_VERSION, verdicts as allVerdicts, type CaseResult, type DoctorCheck, type TargetCrash, type Verdict, type VerdictCounts } from '../../../spec/src/report.ts';
import { featureNames, type Feature } from '../../../spec/src/features.ts';
import type { LimitKey } from '../../../spec/src/limits.ts';
import { caseMetadata, type AreaDef, type CaseDef, type Level } from '../model/case.ts';
import { HarnessError } from '../model/outcome.ts';
import { createCaseScope, DEFAULT_CASE_TIMEOUT_MS } from '../harness/context.ts';
import { DepartureLog } from '../harness/departures.ts';
import { parseReplayPath } from '../harness/replay-path.ts';
import { inboundCaps } from '../harness/inbound-caps.ts';
import { scaleMs, usableTimeScale } from '../harness/timing.ts';
import { DEFAULT_WEBHOOK_HOST, WebhookReceiver } from '../harness/webhooks.ts';
import type { NodeControl, Target } from '../harness/types.ts';
import { startEmbeddedCluster } from './embedded-cluster.ts';
import { startNodeCommands, type NodeProcesses } from './nodes.ts';
import { blockedFeatures, blockingAll, runDoctor } from './doctor.ts';
import { startEmbedded, type EmbeddedTarget } from './embedded.ts';
import { DEFAULT_READY_TIMEOUT_MS, ManagedServer } from './lifecycle.ts';
import { COMEBACK_MS, probeTarget, TargetGuard } from './liveness.ts';
import { checkOutputFile } from './output-paths.ts';
import { applyFeatureChoice } from './features-arg.ts';
import { reproduceCommand } from './repro.ts';
import { keepTranscript, type TranscriptMode } from './transcripts.ts';
import { unreachableWebhooksCheck, webhookReceiverPort } from './webhook-setup.ts';
import { fastCheckVersion, replayVersionsCheck, runtimeVersions, suiteVersion } from './package-info.ts';
import { sdkLibraryVersions } from '../cases/sdk/versions.ts';
import { concurrencyFor, DEFAULT_CONCURRENCY, loadDurations, LoopPressure, mayStart, placementOf, PRESSURE_RECHECK_MS, schedule } from './schedule.ts';
import { selectCase, type LevelGate } from './select.ts';
import { buildTarget, withoutFeatures, type TargetInput } from './target.ts';
import { applyBaseline, exitCodeFor, judge, readBaseline, runWithin, writeBaseline } from './verdict.ts';

export interface RunOptions {
  /** the server under test; absent: the embedded reference server */
  readonly target?: TargetInput;
  /** ProfileId */
  readonly profile: string;
  /** declared features: replace the profile's set */
  readonly features?: readonly string[];
  /** `--features +a,-b`: added to and removed from the profile's set (with `features` absent) */
  readonly featureChanges?: { readonly add: readonly Feature[]; readonly remove: readonly Feature[] };
  readonly limits?: Partial<Record<LimitKey, number | null>>;
  /** base64 32-byte master key for encrypted channels (default: random) */
  readonly encryptionMasterKey?: string;
  /** case id globs (`presence/*`, `rest/**`, or an area name); empty: all */
  readonly only: readonly string[];
  readonly exclude: readonly string[];
  /** must: MUST cases; should: MUST+SHOULD; may: all */
  readonly level: LevelGate;
  /** warn fails the run */
  readonly strict: boolean;
  /** baseline file: recorded failures become xfail, their passes xpass */
  readonly baseline?: string;
  readonly updateBaseline?: boolean;
  readonly seed: number;
  /** fast-check replay path (with --only one case) */
  readonly path?: string;
  /** every property runs this many times (default: each case's numRuns) */
  readonly runs?: number;
  /** multiplies every bound and timer */
  readonly timeScale: number;
  /** cases at once (default: 16 on the embedded server, 4 on an external target; runner/schedule.ts) */
  readonly concurrency?: number;
  /** fixed port of the suite's webhook receiver (default: the --webhook-url's port, else a free port) */
  readonly webhookPort?: number;
  /** address the webhook receiver binds (default 127.0.0.1; 0.0.0.0 for a target in a container) */
  readonly webhookHost?: string;
  /** the URL the target POSTs webhooks to, when it reaches the receiver through another name or port */
  readonly webhookUrl?: string;
  /** which cases keep their transcript in the report (default all) */
  readonly transcripts?: TranscriptMode;
  /** the settings file the CLI wrote beside the report: reproduce commands name it */
  readonly settingsFile?: string;
  /** named faults of the embedded reference server */
  readonly faults?: readonly string[];
  /** the case registry (default: suites/src/cases/index.ts) */
  readonly areas?: readonly AreaDef[];
  /** aborting it interrupts the run like SIGINT (the report is written, incomplete) */
  readonly signal?: AbortSignal;
  /** install a SIGINT handler for the duration of the run (default true) */
  readonly handleSigint?: boolean;
  /** the runner starts the target (with `target`), waits until it answers, restarts it after a crash */
  readonly serverCommand?: ServerCommand;
  /** inbound frame cap: this multiple of the largest frame the profile's limits allow (default 64) */
  readonly frameCapMultiple?: number;
  /** extra apps on the target (disabled, connection quota, client events off) for the app-management cases */
  readonly extraApps?: Target['extraApps'];
  /** a cluster (with `target`, whose URLs are the first node's): every case's clients and REST calls are spread over these */
  readonly nodes?: readonly { readonly ws: string; readonly http: string }[];
  /** kills and restarts the nodes (node-death cases); see suites/src/runner/nodes.ts */
  readonly nodeControl?: NodeControl;
  /** with `nodes`: one shell command per node; the runner starts them, kills one for node death, stops them at the end */
  readonly nodeCommands?: readonly string[];
  /** without `target`: the embedded reference server as this many nodes joined on this Redis */
  readonly embeddedCluster?: { readonly redis: string; readonly nodes: number };
}

export interface ServerCommand {
  /** shell command line that runs the target in the foreground */
  readonly command: string;
  /** http(s) URL that answers once the target is ready (default: a WebSocket handshake at the target) */
  readonly readyUrl?: string;
  /** bound for the target to become ready, ms before time-scale (default 30 s) */
  readonly readyTimeoutMs?: number;
  readonly cwd?: string;
}

export interface RunEvents {
  onPlan?(plan: { area: string; cases: number }[]): void;
  onCaseStart?(id: string): void;
  onCaseDone?(result: CaseResult): void;
  onDoctor?(checks: DoctorCheck[]): void;
}

const SUITE_NAME = 'pusher-conformance';

/** the kit's version, as found in its package.json (checkout or built package) */
export { suiteVersion };

/** sha256 of the sorted `id clause level` lines: changes whenever the case set does */
export function caseSetHash(cases: readonly CaseDef[]): string {
  const lines = cases.map((c) => `${c.id} ${c.clause} ${c.level}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

const emptyCounts = (): VerdictCounts => Object.fromEntries(allVerdicts.map((v) => [v, 0])) as VerdictCounts;
const LEVEL_UPPER: Record<LevelGate, Level> = { must: 'MUST', should: 'SHOULD', may: 'MAY' };

async function defaultAreas(): Promise<readonly AreaDef[]> {
  const mod = await import('../cases/index.ts');
  return mod.areas;
}

/** the crash as it reads in a report line */
const crashLine = (crash: TargetCrash): string => `the target ${crash.detectedBy === 'exit' ? `exited (${crash.exit ?? '?'})` : 'stopped answering'} after this case's ${crash.frame !== undefined ? `frame ${crash.who ? `from ${crash.who} ` : ''}${crash.frame}` : 'input'}${crash.recovered ? '; it came back and the run went on' : ''}`;

/**
 * The verdict of the case a crash is blamed on. A hostile case exists to find exactly this, so it
 * fails whatever it saw; any other case keeps its own verdict, and the crash (a finding of its
 * own, in the report's `crashes`) is named in its message.
 */
function crashVerdict(result: CaseResult, crash: TargetCrash, hostile: boolean, baseline: (v: Verdict) => Verdict): CaseResult {
  if (hostile) return { ...result, verdict: baseline('fail'), actual: `${crashLine(crash)} (before: ${result.actual})` };
  return { ...result, message: `${result.message ? `${result.message}; ` : ''}${crashLine(crash)}` };
}

/** Start the target's command and wait until it answers (bounded). */
async function startTargetCommand(cmd: ServerCommand, probe: () => Promise<boolean>, timeScale: number): Promise<ManagedServer> {
  return ManagedServer.start({
    command: cmd.command,
    ...(cmd.cwd !== undefined ? { cwd: cmd.cwd } : {}),
    ...(cmd.readyUrl !== undefined ? { readyUrl: cmd.readyUrl } : {}),
    isReady: probe,
    readyTimeoutMs: scaleMs(cmd.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS, timeScale),
  });
}

/**
 * The suite's webhook receiver on --webhook-host (default 127.0.0.1) and --webhook-port (default
 * the --webhook-url's port, else a free one); a port in use is a setup error naming it.
 */
async function startReceiver(options: Pick<RunOptions, 'webhookPort' | 'webhookHost' | 'webhookUrl'>): Promise<WebhookReceiver> {
  const port = webhookReceiverPort(options);
  const host = options.webhookHost ?? DEFAULT_WEBHOOK_HOST;
  try {
    return await WebhookReceiver.start(port, host, options.webhookUrl);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = (e as Error).message;
    // the receiver reports a taken port in its own words, without the errno
    if (code === 'EADDRINUSE' || /in use/.test(message)) throw new HarnessError(`the webhook port ${port} is already in use (--webhook-port): free it or choose another`);
    if (code === 'EACCES' || /EACCES/.test(message)) throw new HarnessError(`the webhook port ${port} needs privileges this process lacks (--webhook-port): choose one above 1023`);
    if (code === 'EADDRNOTAVAIL' || /EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN/.test(message)) throw new HarnessError(`the webhook receiver cannot listen on ${host} (--webhook-host): not an address of this machine; use 0.0.0.0 to listen on every interface`);
    throw new HarnessError(`could not start the webhook receiver on ${host}:${port}: ${message}`);
  }
}

/**
 * Run the suite and return the report (validated with spec/src/report.ts).
 * @example
 * const report = await runConformance({ profile: 'pusher', only: ['connection/*'], exclude: [], level: 'should', strict: false, seed: 42, timeScale: 1, concurrency: 4 });
 * process.exitCode = report.exitCode;
 */
export async function runConformance(options: RunOptions, events: RunEvents = {}): Promise<Report> {
  const started = Date.now();
  /** the run's clock for case start times (report timing, timeline) */
  const runT0 = performance.now();
  const startedAt = new Date(started).toISOString();
  const areas = options.areas ?? (await defaultAreas());
  const allCases = areas.flatMap((a) => a.cases.map((c) => ({ area: a.area, def: c })));
  const timeScale = usableTimeScale(options.timeScale);

  let interrupted = false;
  const running = new Set<{ abort(reason: string): void }>();
  // one departure, one finding: every case's recognised departures, named once in the report
  const departureLog = new DepartureLog();
  const interrupt = () => {
    interrupted = true;
    for (const r of running) r.abort('the run was interrupted');
  };
  const onSigint = () => interrupt();
  if (options.handleSigint !== false) process.once('SIGINT', onSigint);
  options.signal?.addEventListener('abort', interrupt, { once: true });

  let receiver: WebhookReceiver | undefined;
  let embedded: EmbeddedTarget | undefined;
  let server: ManagedServer | undefined;
  let guard: TargetGuard | undefined;
  let nodeProcesses: NodeProcesses | undefined;
  try {
    // inputs and outputs first: a bad baseline or an unwritable path is known before the doctor
    if (options.path !== undefined && parseReplayPath(options.path) === undefined) throw new HarnessError(`--path '${options.path}' is not a replay path (copy it from the report's reproduce command)`);
    const baseline = options.baseline ? await readBaseline(options.baseline) : undefined;
    if (options.updateBaseline && options.baseline) await checkOutputFile(options.baseline, 'the baseline to update (--update-baseline)');

    // the nodes of a cluster target, when the runner starts them (--node-cmd)
    if (options.nodeCommands && options.nodeCommands.length > 0) nodeProcesses = await startClusterNodes(options, timeScale);

    // target
    const prepared = await prepareTarget(nodeProcesses ? { ...options, nodeControl: nodeProcesses.control } : options);
    ({ receiver, embedded } = prepared);
    const built = prepared.built;
    const { limits, restApp } = built;
    let target: Target = { ...built.target, inbound: inboundCaps(limits, options.frameCapMultiple) };
    // a cluster is alive when every node answers: a crash of any node is a crash of the target
    const probe = target.nodes ? () => probeEveryNode(target, timeScale) : () => probeTarget(target, timeScale);
    if (options.serverCommand) server = await startTargetCommand(options.serverCommand, probe, timeScale);
    // with node commands the guard restarts the nodes that died, as --server-cmd restarts the target
    const restarter = server ?? nodeProcesses;
    guard = new TargetGuard({ probe, comebackMs: scaleMs(COMEBACK_MS, timeScale), ...(restarter ? { server: restarter } : {}) });
    const concurrency = concurrencyFor(options.concurrency, target.embedded);

    // doctor
    const webhooksUnreachable = prepared.webhooksUnreachable;
    const doctor = [...(await runDoctor({ target, restApp, timeScale, ...(receiver ? { receiver } : {}), suiteVersion })), ...(webhooksUnreachable ? [webhooksUnreachable] : [])];
    const versions = baseline && options.baseline ? replayVersionsCheck(baseline.suite, `the baseline ${options.baseline}`) : undefined;
    if (versions) doctor.push(versions);
    events.onDoctor?.(doctor);
    const blockAll = blockingAll(doctor);
    const blockFeature = blockedFeatures(doctor);
    if (blockFeature.size > 0) target = withoutFeatures(target, blockFeature.keys());

    // plan
    const runToken = randomBytes(3).toString('hex');
    const results = new Map<string, CaseResult>();
    const rawVerdicts: Record<string, Verdict> = {};
    const executed = new Set<string>();
    const toRun: { area: string; def: CaseDef; index: number }[] = [];
    let selected = 0;
    /** selected cases the doctor made untestable (a feature's setup check failed) */
    let blockedByDoctor = 0;

    const baseResult = caseMetadata;
    const finish = (r: CaseResult, raw: Verdict) => {
      rawVerdicts[r.id] = raw;
      results.set(r.id, r);
      events.onCaseDone?.(r);
    };
    const notRun = (area: string, c: CaseDef, verdict: Verdict, message: string): CaseResult => ({
      ...baseResult(area, c),
      verdict,
      durationMs: 0,
      expected: [c.requirement],
      actual: 'not run',
      message,
      transcript: [],
      reproduce: reproduceCommand(options, target, c.id, undefined),
    });

    events.onPlan?.(areas.map((a) => ({ area: a.area, cases: a.cases.length })));

    const pending: { area: string; c: CaseDef; verdict: Verdict; message: string }[] = [];
    allCases.forEach(({ area, def }, index) => {
      const sel = selectCase(def, { only: options.only, exclude: options.exclude, level: options.level, features: built.target.features });
      if (!sel.run && sel.verdict === 'skipped') {
        pending.push({ area, c: def, verdict: 'skipped', message: sel.message });
        return;
      }
      selected++;
      if (blockAll) {
        pending.push({ area, c: def, verdict: 'error', message: `setup problem found by the doctor (${blockAll.check}): ${blockAll.message}` });
        return;
      }
      const blocking = def.features.map((f) => blockFeature.get(f)).find((x) => x !== undefined);
      if (blocking) {
        blockedByDoctor++;
        pending.push({ area, c: def, verdict: 'error', message: `setup problem found by the doctor (${blocking.check}): ${blocking.message}` });
        return;
      }
      if (!sel.run) {
        // a webhook case against a target that was given nowhere to send webhooks: say how to give it one
        const message = sel.verdict === 'unsupported' && webhooksUnreachable && def.features.includes('webhooks') ? webhooksUnreachable.message : sel.message;
        pending.push({ area, c: def, verdict: sel.verdict, message });
        return;
      }
      toRun.push({ area, def, index });
    });
    for (const p of pending) finish(notRun(p.area, p.c, p.verdict, p.message), p.verdict);

    // execution
    const watch = guard;
    /** cases re-run once because the target died under them while another case was to blame */
    const rerun = new Set<string>();
    const queue: { area: string; def: CaseDef; index: number }[] = [];

    const runOne = async (item: { area: string; def: CaseDef; index: number }) => {
      const { area, def, index } = item;
      await watch.settled();
      if (watch.down) {
        finish(notRun(area, def, 'error', `the target stopped answering after case ${watch.down.afterCase} (its input may have brought it down)`), 'error');
        return;
      }
      if (interrupted) {
        finish(notRun(area, def, 'skipped', 'not run: the run was interrupted'), 'skipped');
        return;
      }
      events.onCaseStart?.(def.id);
      executed.add(def.id);
      const scope = createCaseScope({
        target,
        limits,
        restApp,
        caseDef: def,
        seed: options.seed,
        ...(options.path !== undefined ? { path: options.path } : {}),
        ...(options.runs !== undefined ? { runs: options.runs } : {}),
        timeScale,
        runToken,
        caseToken: index.toString(36),
        suiteVersion,
        ...(receiver ? { receiver } : {}),
      });
      running.add(scope);
      const epoch = watch.epoch;
      watch.caseStarted(def.id, scope.transcript);
      const t0 = performance.now();
      const bound = scaleMs(def.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS, timeScale);
      const outcome = await runWithin(() => def.run(scope.ctx), bound);
      if (outcome.kind === 'timeout') {
        scope.waits.record('timeout', t0);
        scope.abort(`the case did not finish within ${bound} ms`);
      }
      const durationMs = Math.round(performance.now() - t0);
      const timing = scope.waits.timing(t0 - runT0);
      await scope.dispose().catch(() => {});
      departureLog.add(def.id, scope.departures);
      running.delete(scope);
      watch.caseFinished(def.id);
      let judged = judge(def, outcome);
      if (interrupted && judged.verdict === 'error') judged = { ...judged, message: `interrupted: ${judged.message ?? ''}` };
      const raw = judged.verdict;
      const verdict = applyBaseline(raw, baseline?.cases[def.id]);
      const result: CaseResult = {
        ...baseResult(area, def),
        verdict,
        durationMs,
        timing,
        expected: judged.expected,
        actual: judged.actual,
        ...(judged.message !== undefined ? { message: judged.message } : {}),
        ...(judged.property ? { property: { ...judged.property, numRuns: Math.max(1, judged.property.numRuns) } } : {}),
        transcript: scope.transcript.entries(),
        reproduce: reproduceCommand(options, target, def.id, judged.property?.path),
      };
      // after a hostile case, and after any case that did not pass: is the target still there?
      if ((def.hostile || raw === 'fail' || raw === 'error') && !interrupted) await watch.check(def.id);
      await watch.settled();
      if (watch.epoch !== epoch) {
        const crash = watch.blamedOn(def.id);
        if (crash) {
          finish(crashVerdict(result, crash, def.hostile === true, (v) => applyBaseline(v, baseline?.cases[def.id])), def.hostile ? 'fail' : raw);
          return;
        }
        // the target died under this case, by another case's input: judge it again on a live target
        if (!watch.down && !rerun.has(def.id)) {
          rerun.add(def.id);
          executed.delete(def.id);
          queue.push(item);
          return;
        }
        if (raw === 'fail' || raw === 'error') {
          const blamedOn = watch.crashes.at(-1)?.afterCase ?? '?';
          finish({ ...result, verdict: 'error', message: `the target crashed during this case (blamed on ${blamedOn}); not judged` }, 'error');
          return;
        }
      }
      finish(result, raw);
    };

    const active = new Set<Promise<void>>();
    // solo cases first, then the rest longest first by measured duration, hostile cases last (runner/schedule.ts)
    queue.push(...schedule(toRun, { table: loadDurations(), embedded: target.embedded }));
    // the default concurrency goes past the external default only while the thread keeps up; one asked for is kept
    const width = { cap: concurrency, floor: options.concurrency === undefined ? Math.min(concurrency, DEFAULT_CONCURRENCY.external) : concurrency };
    const pressure = width.floor < width.cap ? new LoopPressure() : undefined;
    try {
      while (queue.length > 0 || active.size > 0) {
        if (queue.length === 0) {
          await Promise.race(active);
          continue;
        }
        const next = queue[0]!;
        if (placementOf(next.def, target) !== 'pool') {
          await Promise.all(active);
          queue.shift();
          await runOne(next);
          continue;
        }
        if (!mayStart(active.size, width, pressure)) {
          // at the cap: the next case to finish; saturated below it: that, or another look shortly
          await Promise.race(active.size >= width.cap ? [...active] : [...active, new Promise<void>((r) => setTimeout(r, PRESSURE_RECHECK_MS))]);
          continue;
        }
        queue.shift();
        const p: Promise<void> = runOne(next).finally(() => active.delete(p));
        active.add(p);
      }
      await Promise.all(active);
    } finally {
      pressure?.dispose();
    }

    // report
    const transcripts = options.transcripts ?? 'all';
    const cases = allCases.map(({ def }) => results.get(def.id)!).map((r) => (keepTranscript(r.verdict, transcripts) ? r : { ...r, transcript: [] }));
    const byVerdict = emptyCounts();
    const byArea: Record<string, VerdictCounts> = {};
    const byLevel = { MUST: emptyCounts(), SHOULD: emptyCounts(), MAY: emptyCounts() };
    for (const r of cases) {
      byVerdict[r.verdict]++;
      (byArea[r.area] ??= emptyCounts())[r.verdict]++;
      byLevel[r.level][r.verdict]++;
    }
    let incompleteReason: string | undefined;
    const crashes: TargetCrash[] = [...watch.crashes];
    if (interrupted) incompleteReason = `the run was interrupted after ${executed.size} of ${selected} selected cases`;
    else if (watch.down) incompleteReason = `the target stopped answering after case ${watch.down.afterCase} (its input may have brought it down)${server ? ' and could not be restarted' : ''}; the cases after it were not run`;
    else if (blockAll) incompleteReason = `the doctor found a setup problem, so no case was run: ${blockAll.message}`;
    else if (selected === 0) incompleteReason = 'the selection matched no case';
    else if (executed.size === 0) incompleteReason = 'no selected case could be executed (every one was unsupported or blocked)';
    const complete = incompleteReason === undefined;
    // an empty selection is a usage error (2): a gate that tested nothing must not pass, and it
    // is no incomplete run (3) that a retry could finish
    // likewise when nothing ran because the doctor blocked what was selected: a setup error, not an interrupted run
    const exitCode = selected === 0 || (!interrupted && !watch.down && executed.size === 0 && blockedByDoctor > 0) ? 2 : exitCodeFor(cases.map((c) => c.verdict), { strict: options.strict, complete, doctorBlocked: blockAll !== undefined, crashes: crashes.length });

    if (options.updateBaseline && options.baseline) {
      const recorded: Record<string, Verdict> = {};
      for (const [id, v] of Object.entries(rawVerdicts)) if (v !== 'skipped') recorded[id] = v;
      await writeBaseline(options.baseline, target.name, recorded, { version: suiteVersion, fastCheck: fastCheckVersion });
    }

    const finished = Date.now();
    const report: Report = {
      schema: REPORT_SCHEMA_VERSION,
      suite: { name: SUITE_NAME, ...runtimeVersions(), libraries: sdkLibraryVersions(), caseSetHash: caseSetHash(allCases.map((c) => c.def)), cases: allCases.length },
      startedAt,
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - started,
      target: {
        name: target.name,
        ws: target.ws,
        http: target.http,
        appId: target.appId,
        key: target.key,
        embedded: target.embedded,
        profile: target.profile.id,
        features: [...target.features].sort(),
        limits: { ...limits },
        ...(receiver ? { webhookUrl: receiver.url } : {}),
        ...(target.nodes ? { nodes: target.nodes.map((n) => ({ name: n.name, ws: n.ws, http: n.http })) } : {}),
      },
      options: {
        seed: options.seed,
        ...(options.runs !== undefined ? { runs: options.runs } : {}),
        timeScale,
        strict: options.strict,
        level: LEVEL_UPPER[options.level],
        only: [...options.only],
        exclude: [...options.exclude],
        concurrency,
        ...(options.baseline !== undefined ? { baseline: options.baseline } : {}),
        transcripts,
      },
      doctor,
      summary: { total: allCases.length, selected, executed: executed.size, byVerdict, byArea, byLevel },
      complete,
      ...(incompleteReason !== undefined ? { incompleteReason } : {}),
      ...(crashes.length > 0 ? { crashes } : {}),
      ...departureLog.reportField(),
      exitCode,
      cases,
    };
    return Report.parse(report);
  } finally {
    process.off('SIGINT', onSigint);
    options.signal?.removeEventListener('abort', interrupt);
    guard?.dispose();
    await server?.stop().catch(() => {});
    await nodeProcesses?.stop().catch(() => {});
    await embedded?.stop().catch(() => {});
    await receiver?.close().catch(() => {});
  }
}

/** Every node of a cluster target answers a WebSocket handshake. */
async function probeEveryNode(target: Target, timeScale: number): Promise<boolean> {
  const answers = await Promise.all((target.nodes ?? []).map((n) => probeTarget({ ...target, ws: n.ws }, timeScale)));
  return answers.every(Boolean);
}

/** Start one command per node of an external cluster target (suites/src/runner/nodes.ts), each ready before the next. */
async function startClusterNodes(options: RunOptions, timeScale: number): Promise<NodeProcesses> {
  const nodes = options.nodes ?? [];
  const commands = options.nodeCommands ?? [];
  if (!options.target || nodes.length < 2) throw new HarnessError('node commands start the nodes of a cluster target: give the target and at least 2 nodes');
  if (commands.length !== nodes.length) throw new HarnessError(`${commands.length} node command(s) for ${nodes.length} nodes: give one per node, in node order`);
  const { key, secret } = options.target;
  // the probe reads only the URL and the credentials of the node it dials
  const probeNode = (i: number) => probeTarget({ ws: nodes[i]!.ws.replace(/\/+$/, ''), key, secret } as Target, timeScale);
  return startNodeCommands({ commands, isReady: probeNode, readyTimeoutMs: scaleMs(DEFAULT_READY_TIMEOUT_MS, timeScale) });
}

type TargetOptions = Pick<
  RunOptions,
  'target' | 'profile' | 'features' | 'featureChanges' | 'limits' | 'webhookPort' | 'webhookHost' | 'webhookUrl' | 'faults' | 'encryptionMasterKey' | 'extraApps' | 'nodes' | 'nodeControl' | 'embeddedCluster'
>;

interface PreparedTarget {
  readonly built: ReturnType<typeof buildTarget>;
  readonly receiver?: WebhookReceiver;
  readonly embedded?: EmbeddedTarget;
  /** the target has webhooks but was told no URL or port to send them to: its webhook cases are unsupported */
  readonly webhooksUnreachable?: DoctorCheck;
}

/**
 * The target of a run: the given server, or the embedded reference server started for it; plus
 * the suite's webhook receiver when the target has webhooks. The caller stops both.
 */
async function prepareTarget(options: TargetOptions): Promise<PreparedTarget> {
  if (options.target) {
    if ((options.faults ?? []).length > 0) throw new HarnessError('faults apply only to the embedded reference server');
    const build = (features: readonly string[] | undefined) =>
      buildTarget({
        input: options.target!,
        embedded: false,
        profile: options.profile,
        ...(features ? { features } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
        ...(options.encryptionMasterKey ? { encryptionMasterKey: options.encryptionMasterKey } : {}),
        ...(options.extraApps ? { extraApps: options.extraApps } : {}),
        ...(options.nodes ? { nodes: options.nodes } : {}),
        ...(options.nodeControl ? { nodeControl: options.nodeControl } : {}),
      });
    // +name/-name adjust the set this target has without a declaration (profile, extra apps, nodes)
    const built = options.featureChanges ? build(applyFeatureChoice(build(undefined).target.features, { mode: 'adjust', ...options.featureChanges })) : build(options.features);
    if (!built.target.features.has('webhooks')) return { built };
    const unreachable = unreachableWebhooksCheck(options);
    if (unreachable) return { built: { ...built, target: withoutFeatures(built.target, ['webhooks']) }, webhooksUnreachable: unreachable };
    return { built, receiver: await startReceiver(options) };
  }
  const receiver = await startReceiver(options);
  const cluster = options.embeddedCluster
    ? await startEmbeddedCluster({ ...options.embeddedCluster, webhookUrl: receiver.url, ...(options.faults ? { faults: options.faults } : {}) }).catch(async (e: unknown) => {
        await receiver.close().catch(() => {});
        throw e;
      })
    : undefined;
  const embedded = cluster
    ? { ...cluster.first, stop: () => cluster.stop() }
    : await startEmbedded({ webhookUrl: receiver.url, ...(options.faults ? { faults: options.faults } : {}) }).catch(async (e: unknown) => {
        await receiver.close().catch(() => {});
        throw e;
      });
  const built = buildTarget({
    input: { ws: embedded.ws, http: embedded.http, appId: embedded.appId, key: embedded.key, secret: embedded.secret },
    embedded: true,
    profile: options.profile,
    // the reference server implements every feature
    features: options.featureChanges ? applyFeatureChoice(featureNames, { mode: 'adjust', ...options.featureChanges }) : (options.features ?? featureNames),
    limits: { ...embedded.limits, ...options.limits },
    encryptionMasterKey: embedded.encryptionMasterKey,
    extraApps: embedded.extraApps,
    ...(cluster ? { nodes: cluster.nodes, nodeControl: cluster.control } : {}),
  });
  return { built, receiver, embedded };
}

/** `doctor` alone: the same target setup, the checks, and an exit code (0 ok, 2 blocked). */
export async function runDoctorOnly(options: TargetOptions & Pick<RunOptions, 'timeScale' | 'serverCommand'>): Promise<{ checks: DoctorCheck[]; exitCode: 0 | 2; webhooks?: { url: string; listening: string } }> {
  const timeScale = usableTimeScale(options.timeScale);
  let receiver: WebhookReceiver | undefined;
  let embedded: EmbeddedTarget | undefined;
  let server: ManagedServer | undefined;
  try {
    const prepared = await prepareTarget(options);
    ({ receiver, embedded } = prepared);
    const built = prepared.built;
    if (options.serverCommand) server = await startTargetCommand(options.serverCommand, () => probeTarget(built.target, timeScale), timeScale);
    const checks = [...(await runDoctor({ target: built.target, restApp: built.restApp, timeScale, ...(receiver ? { receiver } : {}), suiteVersion })), ...(prepared.webhooksUnreachable ? [prepared.webhooksUnreachable] : [])];
    return { checks, exitCode: checks.some((c) => !c.ok && (c.blocks ?? []).length > 0) ? 2 : 0, ...(receiver ? { webhooks: { url: receiver.url, listening: receiver.listening } } : {}) };
  } finally {
    await server?.stop().catch(() => {});
    await embedded?.stop().catch(() => {});
    await receiver?.close().catch(() => {});
  }
}
