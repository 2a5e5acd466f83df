/**
 * A target of several nodes (a cluster behind no single address): `--node ws=URL,http=URL`
 * (repeatable, in node order) or `target.nodes` in the config file, and optionally one command
 * per node (`--node-cmd`, repeatable, or `cmd` of each config node). With commands the runner
 * starts every node (lifecycle.ts, one process group each) and waits until it answers; the
 * node-death case kills one (SIGKILL to its group: no goodbye to the other nodes) and restarts it.
 *
 * How the harness spreads a case over the nodes (harness/context.ts): its connections go
 * round-robin by connection index within the case (c1 → n1, c2 → n2, …, wrapping); its REST calls
 * all go to one node, rotated over the cases, so that a publish and the sync markers after it
 * keep their order. Every transcript entry names the node (`node` field, and labels c1@n2, r1@n2).
 * @module
 */
import { z } from 'zod';
import { HarnessError } from '../model/outcome.ts';
import type { NodeControl } from '../harness/types.ts';
import { DEFAULT_READY_TIMEOUT_MS, ManagedServer, type ExitInfo } from './lifecycle.ts';

const wsUrl = z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** One node as the config file gives it. */
export const NodeSpec = z.strictObject({
  ws: wsUrl,
  http: httpUrl,
  /** shell command that runs this node in the foreground (node death needs one per node) */
  cmd: z.string().min(1, 'must not be empty').optional(),
});
export type NodeSpec = z.infer<typeof NodeSpec>;

/** The nodes of one target: at least two (one node is a plain --ws/--http target). */
export const NodeList = z.array(NodeSpec).min(2, 'a cluster target needs at least 2 nodes (one node: use --ws and --http)');

/** Why a --node value is not `ws=URL,http=URL`; undefined when it is. */
export function nodeFlagProblem(value: string): string | undefined {
  const r = parseNodeFlagResult(value);
  return r.ok ? undefined : r.problem;
}

/** `ws=ws://127.0.0.1:6001,http=http://127.0.0.1:6001` → {ws, http}; throws HarnessError naming the problem. */
export function parseNodeFlag(value: string): { ws: string; http: string } {
  const r = parseNodeFlagResult(value);
  if (!r.ok) throw new HarnessError(`--node '${value}': ${r.problem}`);
  return r.node;
}

function parseNodeFlagResult(value: string): { ok: true; node: { ws: string; http: string } } | { ok: false; problem: string } {
  const parts: Record<string, string> = {};
  for (const piece of value.split(',')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) return { ok: false, problem: 'expected ws=URL,http=URL' };
    const k = piece.slice(0, eq).trim();
    if (k !== 'ws' && k !== 'http') return { ok: false, problem: `unknown part '${k}' (only ws= and http=)` };
    if (parts[k] !== undefined) return { ok: false, problem: `${k}= given twice` };
    parts[k] = piece.slice(eq + 1).trim();
  }
  if (parts.ws === undefined || parts.http === undefined) return { ok: false, problem: `missing ${parts.ws === undefined ? 'ws=' : 'http='}URL` };
  const parsed = NodeSpec.safeParse(parts);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim() };
  }
  return { ok: true, node: { ws: parsed.data.ws.replace(/\/+$/, ''), http: parsed.data.http.replace(/\/+$/, '') } };
}

export interface NodeProcesses {
  readonly control: NodeControl;
  /**
   * For the crash guard (liveness.ts), as --server-cmd's process: called when a node exits that
   * the runner did not kill itself (the node-death case's kill is no crash).
   */
  onExit(listener: (e: ExitInfo) => void): () => void;
  /** start again every node whose process is gone or that no longer answers; resolves once all answer */
  restart(): Promise<void>;
  /** stop every node (SIGTERM to its group, then SIGKILL); idempotent */
  stop(): Promise<void>;
}

export interface StartNodesOptions {
  /** one shell command per node, in node order */
  readonly commands: readonly string[];
  /** is node `i` answering (the runner's WebSocket handshake probe at that node) */
  readonly isReady: (index: number) => Promise<boolean>;
  /** bound for each node to become ready, ms (already time-scaled); default 30 s */
  readonly readyTimeoutMs?: number;
  readonly cwd?: string;
}

/** Bound of a killed node's exit. */
const KILL_WAIT_MS = 3000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Start every node's command one after the other (each new node joins the running ones) and wait
 * until each answers. A node that does not start stops the ones already running and throws.
 */
export async function startNodeCommands(opts: StartNodesOptions): Promise<NodeProcesses> {
  const servers: ManagedServer[] = [];
  const start = (i: number): Promise<ManagedServer> =>
    ManagedServer.start({
      command: opts.commands[i]!,
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
      isReady: () => opts.isReady(i),
      readyTimeoutMs: opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
    }).catch((e: unknown) => {
      throw new HarnessError(`node ${i + 1} (--node-cmd '${opts.commands[i]}'): ${(e as Error).message}`);
    });
  try {
    for (let i = 0; i < opts.commands.length; i++) servers.push(await start(i));
  } catch (e) {
    await Promise.allSettled(servers.map((s) => s.stop()));
    throw e;
  }
  const down = new Set<number>();
  const control: NodeControl = {
    async kill(index) {
      const server = servers[index];
      if (!server) throw new HarnessError(`no node ${index + 1}: ${servers.length} node commands were given`);
      const pid = server.pid;
      if (pid === undefined || !server.running) throw new HarnessError(`node ${index + 1} is not running`);
      down.add(index);
      try {
        // the whole group, at once: what a crashed host or an OOM kill does
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      const deadline = performance.now() + KILL_WAIT_MS;
      while (server.running && performance.now() < deadline) await sleep(25);
      if (server.running) throw new HarnessError(`node ${index + 1} (pid ${pid}) did not exit within ${KILL_WAIT_MS} ms of SIGKILL`);
    },
    async restart(index) {
      const server = servers[index];
      if (!server) throw new HarnessError(`no node ${index + 1}: ${servers.length} node commands were given`);
      await server.restart();
      down.delete(index);
    },
  };
  return {
    control,
    onExit(listener) {
      const offs = servers.map((s, i) => s.onExit((e) => !down.has(i) && listener(e)));
      return () => offs.forEach((off) => off());
    },
    async restart() {
      for (let i = 0; i < servers.length; i++) {
        const s = servers[i]!;
        if (s.running && (await opts.isReady(i).catch(() => false))) continue;
        await s.restart();
        down.delete(i);
      }
    },
    async stop() {
      await Promise.allSettled(servers.map((s) => s.stop()));
    },
  };
}

/** What `--node` / `--node-cmd` and the config's `target.nodes` resolve to. */
export interface ResolvedNodes {
  readonly nodes: { ws: string; http: string }[];
  readonly nodeCommands?: string[];
}

/**
 * Flags over the config file: `--node` values (each `ws=URL,http=URL`) replace the file's nodes,
 * `--node-cmd` values replace the file's `cmd`s. Returns undefined when no node is given, and a
 * one-line problem (a string) for a usage error.
 */
export function resolveNodes(input: { flags: readonly string[]; commands: readonly string[]; file?: readonly NodeSpec[] | undefined }): ResolvedNodes | string | undefined {
  let nodes: { ws: string; http: string }[];
  if (input.flags.length > 0) {
    nodes = [];
    for (const value of input.flags) {
      const problem = nodeFlagProblem(value);
      if (problem !== undefined) return `--node '${value}': ${problem}`;
      nodes.push(parseNodeFlag(value));
    }
  } else {
    nodes = (input.file ?? []).map((n) => ({ ws: n.ws.replace(/\/+$/, ''), http: n.http.replace(/\/+$/, '') }));
  }
  const fileCommands = input.flags.length > 0 ? [] : (input.file ?? []).map((n) => n.cmd).filter((c): c is string => c !== undefined);
  const commands = input.commands.length > 0 ? [...input.commands] : fileCommands;
  if (nodes.length === 0) return commands.length > 0 ? '--node-cmd starts the nodes you give with --node ws=URL,http=URL (one --node per node)' : undefined;
  if (nodes.length < 2) return 'a cluster target needs at least 2 --node flags (one node: use --ws and --http)';
  if (commands.some((c) => c.trim() === '')) return '--node-cmd must not be empty';
  if (commands.length > 0 && commands.length !== nodes.length) return `${commands.length} --node-cmd for ${nodes.length} nodes: give one command per node, in node order`;
  return { nodes, ...(commands.length > 0 ? { nodeCommands: commands } : {}) };
}
