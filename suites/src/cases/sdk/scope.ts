/**
 * What every SDK case runs with: the transcript tap, pusher-js clients (Node build) whose
 * authorizers sign with the suite's credentials, laravel-echo on top of them, and the `pusher`
 * server SDK, all pointed at the tap. `sdkCase` wraps a case so that every client, timer and
 * socket is closed when it ends, whatever the outcome.
 * @module
 */
import Echo from 'laravel-echo';
import PusherServer from 'pusher';
import PusherModule from 'pusher-js';
import type { ChannelAuthorizationCallback, UserAuthenticationCallback } from 'pusher-js';
import { ChannelPrefix } from '../../../../spec/src/identifiers.ts';
import { defineCase, type CaseDef } from '../../model/case.ts';
import { ConformanceFailure, HarnessError } from '../../model/outcome.ts';
import type { CaseContext } from '../../harness/types.ts';
import { SdkTap } from './tap.ts';

// the Node build exports the class itself (toolchain.md, Pitfalls)
export const Pusher = PusherModule as unknown as typeof PusherModule.default;
export type PusherClient = InstanceType<typeof Pusher>;
type PusherOptions = ConstructorParameters<typeof Pusher>[1];

// pusher-js logs through a process-wide hook; the transcript (the tap) shows what matters
Pusher.logToConsole = false;
Pusher.log = () => {};

/**
 * pusher-js runs application callbacks (and its own decoding of what the server sent) inside the
 * socket's handlers: a frame it cannot handle throws there, which in Node is an uncaught
 * exception. Every socket pusher-js opens gets handlers that catch it and hand it to the scope
 * whose tap the socket goes to (by port), so the case reports what the application would see
 * instead of the process dying.
 */
const scopesByPort = new Map<number, SdkScope>();
/** faye-websocket's readyState CLOSING (CLOSED is 3) */
const FAYE_CLOSING = 2;
{
  const runtime = Pusher.Runtime as unknown as { createWebSocket(url: string): object };
  const create = runtime.createWebSocket.bind(runtime);
  runtime.createWebSocket = (url: string) => {
    const socket = create(url);
    const port = Number(new URL(url).port);
    // only the sockets of SDK cases (through a tap); an application's own pusher-js is left alone
    if (!scopesByPort.has(port)) return socket;
    for (const name of ['onopen', 'onmessage', 'onclose', 'onerror']) {
      let handler: unknown;
      Object.defineProperty(socket, name, {
        configurable: true,
        get: () => handler,
        set: (fn: unknown) => {
          handler =
            typeof fn === 'function'
              ? (event: unknown) => {
                  try {
                    return (fn as (e: unknown) => unknown)(event);
                  } catch (e) {
                    // the case may have ended meanwhile: then nobody is left to tell
                    scopesByPort.get(port)?.threw(e);
                  }
                }
              : fn;
        },
      });
    }
    // faye-websocket arms a 30 s timer on every close() and clears only the last one when the
    // socket closes, so a close() on a closing or closed socket leaks a timer that holds the
    // process open: such calls have nothing left to do
    const s = socket as { readyState: number; close(...args: unknown[]): void };
    const close = s.close.bind(s);
    s.close = (...args: unknown[]) => {
      if (s.readyState < FAYE_CLOSING) close(...args);
    };
    return socket;
  };
}

/** Default bound of an SDK wait in ms, before time-scale. */
export const SDK_WAIT_MS = 3000;

/** who the pusher-js client is when it joins presence channels and signs in */
export interface Identity {
  readonly userId?: string;
  readonly userInfo?: Record<string, unknown>;
  readonly watchlist?: readonly string[];
}

export interface PusherJsOptions {
  /** app key (default: the target's) */
  readonly key?: string;
  readonly identity?: Identity;
  /** pusher-js `activityTimeout` / `pongTimeout`, ms before time-scale */
  readonly activityTimeoutMs?: number;
  readonly pongTimeoutMs?: number;
  /** replace the suite's authorizer (e.g. to sign with a wrong secret) */
  readonly authorize?: (socketId: string, channel: string) => { auth: string; channel_data?: string; shared_secret?: string };
}

/** A pusher-js presence channel as applications use it. */
export interface PresenceLike {
  readonly members: { readonly count: number; readonly me: { id: string; info: unknown } | null; each(cb: (m: { id: string; info: unknown }) => void): void };
}

/** the `{app}` segment of the target's REST paths (id or key, per the profile's dialect) */
function restApp(ctx: CaseContext): string {
  const segment = ctx.rest.path('channels').split('/')[2];
  if (segment === undefined) throw new HarnessError(`cannot read the app segment of ${ctx.rest.path('channels')}`);
  return decodeURIComponent(segment);
}

export class SdkScope {
  readonly ctx: CaseContext;
  readonly tap: SdkTap;
  readonly #clients: PusherClient[] = [];
  readonly #echos: Echo<'pusher'>[] = [];
  #server: PusherServer | undefined;
  /** what pusher-js (or an application callback) threw while handling a frame */
  readonly exceptions: string[] = [];

  private constructor(ctx: CaseContext, tap: SdkTap) {
    this.ctx = ctx;
    this.tap = tap;
    scopesByPort.set(tap.port, this);
  }

  threw(e: unknown): void {
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    this.exceptions.push(text);
    this.ctx.note(`pusher-js threw while handling a frame: ${text}`);
  }

  static async open(ctx: CaseContext): Promise<SdkScope> {
    return new SdkScope(ctx, await SdkTap.start(ctx));
  }

  /** A pusher-js client through the tap; it starts connecting at once. */
  pusherJs(opts: PusherJsOptions = {}): PusherClient {
    const { ctx } = this;
    const identity = opts.identity ?? {};
    const userId = identity.userId ?? ctx.userId();
    const authorize =
      opts.authorize ??
      ((socketId: string, channel: string) => {
        if (channel.startsWith(ChannelPrefix.Presence)) return ctx.sign.presence(socketId, channel, { user_id: userId, user_info: identity.userInfo ?? {} });
        const auth = ctx.sign.channel(socketId, channel);
        return channel.startsWith(ChannelPrefix.Encrypted) ? { auth, shared_secret: ctx.sign.sharedSecret(channel) } : { auth };
      });
    const options = {
      cluster: 'conformance',
      wsHost: this.tap.host,
      wsPort: this.tap.port,
      wssPort: this.tap.port,
      forceTLS: false,
      enabledTransports: ['ws'],
      disableStats: true,
      ...(opts.activityTimeoutMs !== undefined ? { activityTimeout: ctx.ms(opts.activityTimeoutMs) } : {}),
      ...(opts.pongTimeoutMs !== undefined ? { pongTimeout: ctx.ms(opts.pongTimeoutMs) } : {}),
      channelAuthorization: {
        customHandler: ({ socketId, channelName }: { socketId: string; channelName: string }, cb: ChannelAuthorizationCallback) => cb(null, authorize(socketId, channelName)),
      },
      userAuthentication: {
        customHandler: ({ socketId }: { socketId: string }, cb: UserAuthenticationCallback) => {
          const signed = ctx.sign.user(socketId, { id: userId, user_info: identity.userInfo ?? {}, ...(identity.watchlist ? { watchlist: [...identity.watchlist] } : {}) });
          cb(null, signed);
        },
      },
    } as unknown as PusherOptions;
    const client = new Pusher(opts.key ?? ctx.target.key, options);
    this.#clients.push(client);
    return client;
  }

  /** A pusher-js client in state `connected`; a client that never gets there is a harness error (the target did not take a connection). */
  async connected(opts: PusherJsOptions = {}): Promise<PusherClient> {
    const client = this.pusherJs(opts);
    const state = await this.waitUntil('pusher-js state connected', (done) => {
      if (client.connection.state === 'connected') return done('connected');
      const states = (s: { current: string }) => {
        if (s.current === 'connected' || s.current === 'failed' || s.current === 'disconnected') done(s.current);
      };
      client.connection.bind('state_change', states);
      return () => client.connection.unbind('state_change', states);
    });
    if (state !== 'connected') throw new HarnessError(`pusher-js could not connect to the target (state ${state ?? 'connecting'} after ${this.ctx.ms(SDK_WAIT_MS)} ms)`);
    return client;
  }

  /** laravel-echo with the pusher-js connector, on `client` */
  echo(client: PusherClient): Echo<'pusher'> {
    const echo = new Echo({ broadcaster: 'pusher', key: this.ctx.target.key, client, cluster: 'conformance' } as unknown as ConstructorParameters<typeof Echo<'pusher'>>[0]);
    this.#echos.push(echo);
    return echo;
  }

  /** the `pusher` server SDK with the target's credentials and the suite's master key, through the tap */
  get server(): PusherServer {
    const t = this.ctx.target;
    this.#server ??= new PusherServer({
      appId: restApp(this.ctx),
      key: t.key,
      secret: t.secret,
      host: this.tap.host,
      port: String(this.tap.port),
      useTLS: false,
      encryptionMasterKeyBase64: t.encryptionMasterKey,
      timeout: this.ctx.ms(5000),
    });
    return this.#server;
  }

  /**
   * Resolves with what `register` passes to `done`, or undefined after the bound. `register` may
   * return an unbind function, called either way.
   */
  waitUntil<T>(what: string, register: (done: (value: T) => void) => (() => void) | void, ms = SDK_WAIT_MS): Promise<T | undefined> {
    const { signal } = this.ctx;
    return new Promise<T | undefined>((resolve, reject) => {
      let unbind: (() => void) | void = undefined;
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        queueMicrotask(() => unbind?.());
        fn();
      };
      const onAbort = () => finish(() => reject(new HarnessError(`the case was aborted (time limit reached) while waiting for ${what}`)));
      const timer = setTimeout(() => finish(() => resolve(undefined)), this.ctx.ms(ms));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      unbind = register((value) => finish(() => resolve(value)));
      if (settled) unbind?.();
    });
  }

  /** waitUntil() that fails the case (ConformanceFailure) after the bound; `actual` describes what happened instead */
  expect<T>(what: string, register: (done: (value: T) => void) => (() => void) | void, actual: () => string = () => 'nothing within the bound', ms = SDK_WAIT_MS): Promise<T> {
    let got = false;
    let value: T | undefined;
    const p = this.waitUntil<T>(what, (done) => register((v) => ((got = true), (value = v), done(v))), ms).then(() => {
      if (!got) throw new ConformanceFailure([`${what} within ${this.ctx.ms(ms)} ms`], actual());
      return value as T;
    });
    // cases start a wait before the step that triggers it; a step failing first leaves this one
    // unawaited: its rejection must not become an unhandled one (the case already failed)
    p.catch(() => {});
    return p;
  }

  async dispose(): Promise<void> {
    for (const e of this.#echos.splice(0)) {
      try {
        e.disconnect();
      } catch {
        // already disconnected
      }
    }
    for (const c of this.#clients.splice(0)) {
      c.disconnect();
      // pusher-js keeps every instance in a static list: let this one go
      const i = Pusher.instances.indexOf(c);
      if (i >= 0) Pusher.instances.splice(i, 1);
    }
    // faye-websocket (inside pusher-js) keeps a 30 s timer until its close handshake completes:
    // let the handshakes finish through the tap before cutting what is left
    await this.tap.idle(this.ctx.ms(1000));
    scopesByPort.delete(this.tap.port);
    await this.tap.close();
  }
}

/** A case whose run gets an SdkScope, disposed when the case ends. */
export function sdkCase(def: Omit<CaseDef, 'run'> & { run(ctx: CaseContext, sdk: SdkScope): Promise<void | string> }): CaseDef {
  const { run, ...meta } = def;
  return defineCase({
    ...meta,
    async run(ctx) {
      const sdk = await SdkScope.open(ctx);
      const threw = () => `pusher-js threw: ${sdk.exceptions.slice(0, 3).join('; ')}`;
      try {
        const out = await run(ctx, sdk);
        if (sdk.exceptions.length > 0) throw new ConformanceFailure(['pusher-js handles every frame the target sent'], threw());
        return out;
      } catch (e) {
        // what the application saw first: pusher-js choking on a frame explains the missing event
        if (ConformanceFailure.is(e) && sdk.exceptions.length > 0 && !e.actual.startsWith('pusher-js threw')) throw new ConformanceFailure(e.expected, `${e.actual} (${threw()})`, e.property);
        throw e;
      } finally {
        await sdk.dispose();
      }
    },
  });
}

/** Collects every emission of `event` on a pusher-js channel, user object or Echo listener target. */
export function record<T = unknown>(target: { bind(event: string, cb: (data: T) => void): unknown }, event: string): T[] {
  const seen: T[] = [];
  target.bind(event, (data: T) => void seen.push(data));
  return seen;
}

/** JSON for failure messages, clipped */
export const show = (v: unknown): string => {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
};
