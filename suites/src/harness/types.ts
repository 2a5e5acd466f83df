/**
 * The harness API every case uses. Cases import only this, spec/, fast-check and model/.
 * Every wait takes a bound (`within`, ms before time-scale) and ends in a verdict, never a hang.
 * @module
 */
import type fc from 'fast-check';
import type { z } from 'zod';
import type { Feature } from '../../../spec/src/features.ts';
import type { LimitKey } from '../../../spec/src/limits.ts';
import type { ResolvedProfile } from '../../../spec/src/profiles.ts';
import type { AnyFrame } from '../../../spec/src/frames/generic.ts';
import type { WebhookEvent } from '../../../spec/src/webhooks.ts';
import type { WaitKind } from '../../../spec/src/report.ts';
import type { InboundCaps } from './inbound-caps.ts';

/** Where and what the target is. The secret never leaves the process (reports omit it). */
export interface Target {
  /** label used in reports and comparisons */
  readonly name: string;
  /** WebSocket base URL, e.g. ws://127.0.0.1:6001 (the harness appends /app/{key}) */
  readonly ws: string;
  /** REST base URL, e.g. http://127.0.0.1:6001 */
  readonly http: string;
  readonly appId: string;
  readonly key: string;
  readonly secret: string;
  /** base64 32-byte master key used by the suite (acting as the app's server) for encrypted channels */
  readonly encryptionMasterKey: string;
  readonly profile: ResolvedProfile;
  /** features after declaration and detection */
  readonly features: ReadonlySet<Feature>;
  /** a second app on the same target (disabled app, quota tests), when the target declares one */
  readonly extraApps?: { readonly disabled?: { key: string }; readonly limitedConnections?: { key: string; max: number }; readonly clientEventsOff?: { key: string; appId: string; secret: string } };
  /** the target runs an embedded reference server (its config is known) */
  readonly embedded: boolean;
  /** how much the target may send one connection (frame cap, bytes kept); absent: the harness default */
  readonly inbound?: InboundCaps;
  /**
   * Several nodes of one deployment (a cluster): the harness spreads each case's connections and
   * REST calls over them round-robin. Absent or one entry: a single node at ws/http.
   */
  readonly nodes?: readonly TargetNode[];
  /** kill and restart a node (the runner started them); absent: node death cannot be tested */
  readonly nodeControl?: NodeControl;
}

/** One node of a cluster target. */
export interface TargetNode {
  /** n1, n2…: what the transcript labels carry (c1@n2) */
  readonly name: string;
  readonly ws: string;
  readonly http: string;
}

export interface NodeControl {
  /** end the node's process abruptly (SIGKILL): no goodbye to the other nodes */
  kill(index: number): Promise<void>;
  /** start it again at the same URLs and wait until it answers */
  restart(index: number): Promise<void>;
}

export interface Within {
  /** bound in ms before --time-scale; defaults per method */
  readonly within?: number;
}

export interface FrameMatch {
  readonly event?: string;
  readonly channel?: string;
  readonly where?: (frame: AnyFrame) => boolean;
  /** shown in failures: "member_added for u2 on presence-x" */
  readonly description?: string;
}

export type SubscribeOutcome =
  | { readonly ok: true; readonly frame: AnyFrame }
  | {
      readonly ok: false;
      /** how the refusal arrived */
      readonly via: 'error-frame' | 'subscription-error' | 'close' | 'timeout';
      readonly code?: number | null;
      readonly frame?: AnyFrame;
    };

export type ErrorSignal =
  | { readonly via: 'close'; readonly code: number; readonly reason: string }
  | { readonly via: 'error-frame'; readonly code: number | null; readonly frame: AnyFrame; readonly thenClosed?: number };

export interface Client {
  /** transcript label: c1, c2… */
  readonly label: string;
  /** socket_id from connection_established ('' if the handshake never came) */
  readonly socketId: string;
  /** the decoded connection_established data, if any */
  readonly established: { readonly socket_id: string; readonly activity_timeout: number } | undefined;
  readonly isOpen: boolean;
  /** close code and reason once closed */
  readonly closeInfo: { readonly code: number; readonly reason: string } | undefined;
  /** set when the server answered the upgrade with a plain HTTP response instead of a WebSocket */
  readonly httpRefusal: { readonly status: number; readonly body: string; readonly contentType: string } | undefined;

  send(frame: Record<string, unknown>): void;
  sendRaw(data: string | Buffer, opts?: { binary?: boolean }): void;
  /** every frame received so far, in order (consumed or not) */
  frames(): readonly AnyFrame[];
  /** every inbound message, frames and non-frames alike (binary, not JSON, no string event: `error` says why) */
  inbound(): readonly { readonly t: number; readonly text: string; readonly binary: boolean; readonly frame?: AnyFrame; readonly error?: string }[];

  /**
   * The first not-yet-consumed frame matching `match` (event/channel/where), validated with
   * `schema`: a matching frame that fails the schema is a ConformanceFailure naming the issue;
   * none within the bound is a ConformanceFailure listing what did arrive. Consumes the frame.
   */
  expectFrame<S extends z.ZodType>(schema: S, match?: FrameMatch & Within): Promise<z.output<S>>;
  /** Fails if a frame matching `match` arrives (or already arrived unconsumed) within the bound. */
  expectNoFrame(match: FrameMatch & Within): Promise<void>;
  /** Waits for a matching frame without failing: undefined after the bound. Consumes it. */
  waitFor(match: FrameMatch & Within): Promise<AnyFrame | undefined>;

  /**
   * Subscribe and wait for the answer. Auth is computed with the target's secret for private,
   * encrypted and presence channels unless `auth` is given; presence needs `channelData`
   * (an object, encoded once; or `channelDataRaw`, sent and signed exactly as given).
   */
  subscribe(channel: string, opts?: { auth?: string; channelData?: Record<string, unknown>; channelDataRaw?: string } & Within): Promise<SubscribeOutcome>;
  /** subscribe() that turns a refusal into a ConformanceFailure; returns the success frame */
  subscribeOk(channel: string, opts?: { channelData?: Record<string, unknown> } & Within): Promise<AnyFrame>;
  unsubscribe(channel: string): void;
  /** send a client event */
  trigger(channel: string, event: string, data: unknown): void;
  /** pusher:signin with auth computed for `userData` unless `auth` is given; waits for signin_success or an error */
  signin(userData: Record<string, unknown>, opts?: { auth?: string; userDataRaw?: string } & Within): Promise<{ ok: true; frame: AnyFrame } | { ok: false; signal?: ErrorSignal }>;

  /** Close code, or pusher:error frame (optionally followed by a close) carrying the code. */
  expectErrorOrClose(opts?: Within): Promise<ErrorSignal>;
  expectClose(opts?: Within): Promise<{ code: number; reason: string }>;
  /** protocol-level ping; resolves with true when a pong arrives within the bound */
  wsPing(opts?: Within): Promise<boolean>;
  close(code?: number): Promise<void>;
  /** abrupt: destroy the TCP socket without a close handshake */
  terminate(): void;
}

export interface HttpResult {
  readonly status: number;
  readonly text: string;
  /** parsed JSON body, or undefined when not JSON */
  readonly json: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SignOptions {
  /** sign with this key/secret instead of the target's */
  readonly key?: string;
  readonly secret?: string;
  readonly timestamp?: number;
  /** params to add or override after computing auth params (e.g. a wrong body_md5) */
  readonly override?: Readonly<Record<string, string>>;
  /** drop these params after signing */
  readonly omit?: readonly string[];
  /** replace auth_signature */
  readonly signature?: string;
  /** send unsigned */
  readonly unsigned?: boolean;
}

export interface RestClient {
  trigger(body: Record<string, unknown>, sign?: SignOptions): Promise<HttpResult>;
  batch(batch: readonly Record<string, unknown>[], sign?: SignOptions): Promise<HttpResult>;
  channels(query?: Record<string, string>, sign?: SignOptions): Promise<HttpResult>;
  channel(name: string, query?: Record<string, string>, sign?: SignOptions): Promise<HttpResult>;
  users(channel: string, sign?: SignOptions): Promise<HttpResult>;
  terminate(userId: string, sign?: SignOptions): Promise<HttpResult>;
  /** Vask dialect: POST /apps/{app}/users/{user_id}/events */
  userEvent(userId: string, body: Record<string, unknown>, sign?: SignOptions): Promise<HttpResult>;
  /** any request; `path` is the full path; the body is sent byte-exact */
  request(req: { method: string; path: string; query?: Record<string, string>; body?: string | Buffer; contentType?: string } & { sign?: SignOptions }): Promise<HttpResult>;
  /** REST path for an endpoint with this target's app addressing (id or key per dialect) */
  path(endpoint: 'events' | 'batch_events' | 'channels', channel?: string): string;
}

export interface ReceivedWebhook {
  readonly event: WebhookEvent;
  /** ms since the case started */
  readonly at: number;
  readonly body: unknown;
  readonly raw: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface Webhooks {
  /** URL the target must be configured to POST to */
  readonly url: string;
  /** first webhook event (on this case's channels) matching `where` */
  expect(where: (e: WebhookEvent) => boolean, opts?: Within & { description?: string }): Promise<ReceivedWebhook>;
  expectNone(where: (e: WebhookEvent) => boolean, opts?: Within & { description?: string }): Promise<void>;
  /** everything received for this case's channels so far */
  received(): readonly ReceivedWebhook[];
}

export interface Signer {
  channel(socketId: string, channel: string, channelData?: string): string;
  presence(socketId: string, channel: string, data: Record<string, unknown>): { auth: string; channel_data: string };
  user(socketId: string, userData: Record<string, unknown>): { auth: string; user_data: string };
  /** base64 shared secret of an encrypted channel, as the app's auth endpoint returns it */
  sharedSecret(channel: string): string;
  /** `data` string of an encrypted event, as a server SDK writes it */
  encrypt(channel: string, plaintext: string): string;
}

export interface CaseContext {
  readonly target: Target;
  readonly limits: Readonly<Record<LimitKey, number | null>>;
  readonly profile: ResolvedProfile;
  /** runner options the case may read */
  readonly seed: number;
  readonly timeScale: number;
  /** scale a duration by --time-scale */
  ms(ms: number): number;
  /**
   * resolves after `ms` (scaled). `kind` says what the pause is for the report's timing: a quiet
   * window (nothing may arrive), a protocol timer of the server waited out, or (default) a pause.
   * A quiet window has a better basis than a sleep where the protocol allows: a barrier event
   * the server must order after the one that must not arrive (cases/helpers/channel-sync.ts).
   */
  sleep(ms: number, kind?: 'quiet' | 'timer' | 'pause'): Promise<void>;
  /** the time until `wait` settles counts as a wait of `kind` in the report (e.g. a protocol timer waited out) */
  timed<T>(kind: WaitKind, wait: Promise<T>): Promise<T>;
  /** aborted when the case times out; long loops check it */
  readonly signal: AbortSignal;
  /** a fresh channel name with this prefix ('' for public), unique to this case and run */
  channelName(prefix: string, opts?: { length?: number }): string;
  /** a fresh user id unique to this case */
  userId(hint?: string): string;
  /**
   * Connect and wait for pusher:connection_established (a HarnessError "could not connect: …"
   * otherwise). `query` replaces the default query (protocol=7, client, version).
   */
  connect(opts?: { key?: string; query?: Record<string, string>; node?: number } & Within): Promise<Client>;
  /**
   * Open a socket to an arbitrary path/query without waiting for the handshake; resolves once
   * the upgrade succeeded or was refused (see Client.httpRefusal, Client.closeInfo).
   */
  open(opts: { path?: string; query?: Record<string, string>; key?: string; node?: number }): Promise<Client>;
  readonly rest: RestClient;
  /** the target's nodes (one entry for a single server); `connect({ node })` and `restOn(node)` pin one */
  readonly nodes: readonly TargetNode[];
  /** REST calls to one node only */
  restOn(node: number): RestClient;
  readonly sign: Signer;
  /** present when the target has webhooks configured to the suite's receiver */
  readonly webhooks: Webhooks | undefined;
  /** add a line to the transcript */
  note(text: string): void;
  /** throw Unsupported */
  unsupported(reason: string): never;
  /**
   * Run a fast-check property with the runner's seed/path and --runs; a failing run is
   * reported with seed, path and the shrunk counterexample. The predicate fails by throwing
   * (check(), expectFrame…).
   */
  property<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, opts?: { numRuns?: number }): Promise<void>;
  /**
   * Model-based run over fc.commands with the runner's seed/path. `commandsFor` builds the
   * commands arbitrary with fc.commands' `replayPath` constraint set to its argument: a `--path`
   * replay of a model-based failure needs it (see harness/replay-path.ts).
   */
  modelRun<M extends object, R>(
    commandsFor: (replayPath: string | undefined) => fc.Arbitrary<Iterable<fc.AsyncCommand<M, R, boolean>>>,
    setup: () => Promise<{ model: M; real: R }>,
    teardown: (real: R) => Promise<void>,
    opts?: { numRuns?: number },
  ): Promise<void>;
}
