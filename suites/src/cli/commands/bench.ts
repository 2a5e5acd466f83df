/**
 * `pusher-conformance bench`: how fast a target is, through the protocol only (idle connections,
 * fan-out latency and sustained rate, client-event relay, presence join/leave), bounded in time;
 * JSON (spec/src/bench.ts) and Markdown. `bench --compare a.json b.json` prints the ratios.
 * @module
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { BenchResult, type BenchBounds } from '../../../../spec/src/bench.ts';
import { benchPhases, defaultBounds, runBench, type BenchPhase } from '../../bench/engine.ts';
import { renderBenchComparison, renderBenchMarkdown } from '../../bench/markdown.ts';
import { BenchTargetError, checkBenchTarget, type BenchTarget } from '../../bench/target.ts';
import { startEmbedded } from '../../runner/embedded.ts';
import { resolveTarget, type TargetFlags } from '../options.ts';
import { UsageError } from '../errors.ts';
import type { CliIo, ExitBox } from '../io.ts';

export const benchFileNames = { json: 'bench.json', md: 'bench.md' } as const;

interface BenchFlags extends TargetFlags {
  pid?: string;
  allowRemote?: boolean;
  maxSeconds: string;
  connections: string;
  subscribers: string;
  rates: string;
  stepSeconds: string;
  latencyCeiling: string;
  samples: string;
  presenceMembers: string;
  clientEvents: string;
  phases: string;
  out?: string;
  json?: boolean;
  compare?: string[];
}

function positive(flag: string, raw: string, integer: boolean, allowZero = false): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0) || (integer && !Number.isInteger(n))) throw new UsageError(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}, got '${raw}'`);
  return n;
}

function list(flag: string, raw: string, integer: boolean): number[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag} needs at least one value`);
  return items.map((s) => positive(flag, s, integer));
}

export function boundsFromFlags(f: BenchFlags): BenchBounds {
  return {
    maxSeconds: positive('--max-seconds', f.maxSeconds, false),
    idleConnections: positive('--connections', f.connections, true, true),
    subscriberCounts: list('--subscribers', f.subscribers, true),
    rateSteps: list('--rates', f.rates, false),
    stepSeconds: positive('--step-seconds', f.stepSeconds, false),
    latencyCeilingMs: positive('--latency-ceiling', f.latencyCeiling, false),
    latencySamples: positive('--samples', f.samples, true, true),
    presenceMembers: positive('--presence-members', f.presenceMembers, true),
    clientEventSamples: positive('--client-events', f.clientEvents, true),
  };
}

function phasesFromFlag(raw: string): BenchPhase[] {
  const chosen = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of chosen) if (!(benchPhases as readonly string[]).includes(p)) throw new UsageError(`unknown bench phase '${p}'; valid phases: ${benchPhases.join(', ')}`);
  if (chosen.length === 0) throw new UsageError(`--phases needs at least one of ${benchPhases.join(', ')}`);
  return chosen as BenchPhase[];
}

export async function readBenchResult(file: string): Promise<BenchResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`);
  }
  const parsed = BenchResult.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${file} is not a bench result: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export function registerBench(program: Command, io: CliIo, exit: ExitBox): void {
  const d = defaultBounds;
  program
    .command('bench')
    .description('measure how fast a target is (default: the embedded reference server), through the protocol only; loopback only unless --allow-remote')
    .option('--ws <url>', 'WebSocket base URL of the target, e.g. ws://127.0.0.1:6001')
    .option('--http <url>', 'REST base URL of the target, e.g. http://127.0.0.1:6001')
    .option('--app-id <id>', 'app id on the target')
    .option('--key <key>', 'app key on the target')
    .option('--secret <secret>', 'app secret (or env PUSHER_SECRET)')
    .option('--name <name>', 'label of the target in the results')
    .option('--pid <pid>', 'process id of a local target: its RSS and CPU per connection from /proc')
    .option('--allow-remote', 'allow a target that is not on this machine (a server you operate)')
    .option('--max-seconds <s>', 'time budget of the whole run', String(d.maxSeconds))
    .option('--connections <n>', 'idle connections to open', String(d.idleConnections))
    .option('--subscribers <list>', 'fan-out subscriber counts, comma separated', d.subscriberCounts.join(','))
    .option('--rates <list>', 'publish rates of the ramp (events/s), comma separated', d.rateSteps.join(','))
    .option('--step-seconds <s>', 'duration of each ramp step', String(d.stepSeconds))
    .option('--latency-ceiling <ms>', 'a step whose last-subscriber p99 is above this ends the ramp', String(d.latencyCeilingMs))
    .option('--samples <n>', 'events published one at a time before the ramp', String(d.latencySamples))
    .option('--presence-members <n>', 'presence members joining and leaving', String(d.presenceMembers))
    .option('--client-events <n>', 'client events relayed', String(d.clientEventSamples))
    .option('--phases <list>', `phases to run, comma separated: ${benchPhases.join(',')}`, benchPhases.join(','))
    .option('--out <dir>', `write ${benchFileNames.json} and ${benchFileNames.md} here (else Markdown on stdout)`)
    .option('--json', 'print the result JSON on stdout')
    .option('--compare <files...>', 'compare bench JSON files (ratios to the first) instead of measuring')
    .action(async (flags: BenchFlags) => {
      if (flags.compare !== undefined) {
        if (flags.compare.length < 2) throw new UsageError('--compare needs at least two bench JSON files');
        const results = [];
        for (const f of flags.compare) results.push(await readBenchResult(f));
        io.stdout.write(renderBenchComparison(results));
        exit.code = 0;
        return;
      }
      const bounds = boundsFromFlags(flags);
      const phases = phasesFromFlag(flags.phases);
      const pid = flags.pid !== undefined ? positive('--pid', flags.pid, true) : undefined;
      const settings = resolveTarget(flags, undefined, io.env);
      const embedded = settings === undefined ? await startEmbedded() : undefined;
      try {
        const base = settings ?? { ws: embedded!.ws, http: embedded!.http, appId: embedded!.appId, key: embedded!.key, secret: embedded!.secret };
        const target: BenchTarget = { ...base, name: flags.name ?? (embedded ? 'reference (embedded)' : new URL(base.ws).host), ...(pid !== undefined ? { pid } : {}) };
        try {
          checkBenchTarget(target, flags.allowRemote === true);
        } catch (e) {
          if (e instanceof BenchTargetError) throw new UsageError(e.message);
          throw e;
        }
        if (embedded && pid !== undefined) throw new UsageError('--pid is for a target you started; the embedded server runs inside this process');
        const log = (line: string): void => void io.stderr.write(`bench: ${line}\n`);
        const result = await runBench({ target, bounds, phases, log });
        if (result.aborted) log(`stopped early: ${result.aborted}`);
        if (flags.out !== undefined) {
          await mkdir(flags.out, { recursive: true });
          await writeFile(join(flags.out, benchFileNames.json), `${JSON.stringify(result, null, 2)}\n`);
          await writeFile(join(flags.out, benchFileNames.md), renderBenchMarkdown(result));
          log(`wrote ${join(flags.out, benchFileNames.json)}, ${join(flags.out, benchFileNames.md)}`);
        }
        if (flags.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else if (flags.out === undefined) io.stdout.write(renderBenchMarkdown(result));
        // a partial result is still written; the exit code says it is partial (3: incomplete)
        exit.code = result.complete ? 0 : 3;
      } finally {
        await embedded?.stop();
      }
    });
}
