/**
 * Steps the pusher-js and laravel-echo cases share: subscribing and waiting for pusher-js's own
 * verdict, a publish barrier seen through pusher-js, waiting until the target has processed a
 * disconnect, and what pusher-js did after the target closed its connection.
 * @module
 */
import { ClientFacingEvent, Event } from '../../../../spec/src/events.ts';
import { pusherJsCloseAction, type PusherJsAction } from '../../../../spec/src/error-codes.ts';
import { check } from '../../model/outcome.ts';
import { isAccepted } from '../../harness/rest.ts';
import type { CaseContext } from '../../harness/types.ts';
import { SYNC_EVENT, carriesToken } from '../helpers/channel-sync.ts';
import { show, type PusherClient, type SdkScope } from './scope.ts';

type Channel = ReturnType<PusherClient['subscribe']>;

export type SubscribeResult = { readonly ok: true; readonly channel: Channel } | { readonly ok: false; readonly channel: Channel; readonly why: string };

/** what pusher-js surfaces to the application when a subscription fails or the server sends an error */
const REFUSAL_EVENTS = [Event.SubscriptionError, Event.Error] as const;

/**
 * client.subscribe(name), then pusher-js's answer: pusher:subscription_succeeded, or a refusal it
 * surfaced (pusher:subscription_error or pusher:error on the channel, a PusherError on the
 * connection), or nothing within the bound.
 */
export async function subscribe(sdk: SdkScope, client: PusherClient, name: string, ms?: number): Promise<SubscribeResult> {
  const channel = client.subscribe(name);
  const got = await sdk.waitUntil<{ ok: boolean; why: string }>(
    `${ClientFacingEvent.SubscriptionSucceeded} on ${name}`,
    (done) => {
      const ok = () => done({ ok: true, why: '' });
      const refused = (event: string) => (data: unknown) => done({ ok: false, why: `${event} ${show(data)}` });
      const handlers = REFUSAL_EVENTS.map((e) => [e, refused(e)] as const);
      const connError = (err: unknown) => done({ ok: false, why: `connection error ${show(err)}` });
      channel.bind(ClientFacingEvent.SubscriptionSucceeded, ok);
      for (const [e, h] of handlers) channel.bind(e, h);
      client.connection.bind('error', connError);
      if (channel.subscribed) ok();
      return () => {
        channel.unbind(ClientFacingEvent.SubscriptionSucceeded, ok);
        for (const [e, h] of handlers) channel.unbind(e, h);
        client.connection.unbind('error', connError);
      };
    },
    ms,
  );
  if (got === undefined) return { ok: false, channel, why: 'pusher-js reported nothing (no subscription_succeeded, no error)' };
  return got.ok ? { ok: true, channel } : { ok: false, channel, why: got.why };
}

/** subscribe() that fails the case when pusher-js does not report the subscription */
export async function subscribed(sdk: SdkScope, client: PusherClient, name: string): Promise<Channel> {
  const r = await subscribe(sdk, client, name);
  check(r.ok, `pusher-js reports ${ClientFacingEvent.SubscriptionSucceeded} on ${name}`, r.ok ? '' : r.why);
  return r.channel;
}

let markers = 0;

/**
 * Publish a marker on `channel` and wait until every client's pusher-js delivered it: what the
 * target sent them on that channel before it has then been handled.
 */
export async function marker(ctx: CaseContext, sdk: SdkScope, clients: readonly PusherClient[], channel: string): Promise<void> {
  const token = `sdk-sync-${++markers}`;
  const published = JSON.stringify(token);
  const waits = clients.map((c) => {
    const ch = c.channel(channel);
    return sdk.expect(`the marker ${SYNC_EVENT} (${token}) through pusher-js on ${channel}`, (done) => {
      // matched in any encoding: how the target encodes data is the data-verbatim cases' concern
      const h = (data: unknown) => (carriesToken(data, published) ? done(undefined) : undefined);
      ch.bind(SYNC_EVENT, h);
      return () => ch.unbind(SYNC_EVENT, h);
    });
  });
  const res = await ctx.rest.trigger({ name: SYNC_EVENT, channel, data: published });
  check(isAccepted(res), `POST /events to ${channel} accepted (2xx, no error body)`, `HTTP ${res.status} ${res.text.slice(0, 200)}`);
  await Promise.all(waits);
}

/** Wait until the target no longer lists `channel` as occupied (a closed connection was processed); false after the bound. */
export async function vacated(ctx: CaseContext, channel: string, ms = 3000): Promise<boolean> {
  const deadline = performance.now() + ctx.ms(ms);
  while (performance.now() < deadline) {
    const res = await ctx.rest.channel(channel);
    if ((res.json as { occupied?: unknown } | undefined)?.occupied === false) return true;
    await ctx.sleep(25);
  }
  return false;
}

/** The close code a pusher-js `error` event carries (PusherError data, nested in a WebSocketError or not). */
export function errorCode(err: unknown): number | undefined {
  const e = err as { data?: { code?: unknown }; error?: { data?: { code?: unknown } } } | undefined;
  const code = e?.data?.code ?? e?.error?.data?.code;
  return typeof code === 'number' ? code : undefined;
}

/** What pusher-js did after the target closed (or refused) its connection. */
export interface AfterClose {
  /** the close code the target sent on the first connection; undefined: it never closed */
  readonly code: number | undefined;
  /** how the code came: a close frame, or a pusher:error after which pusher-js closed */
  readonly via: 'close' | 'error-frame';
  /** pusher-js's state at the end of the window */
  readonly state: string;
  /** states it went through after the close */
  readonly states: readonly string[];
  /** ms after the close of each later connection attempt */
  readonly retries: readonly number[];
  /** codes pusher-js surfaced in `error` events */
  readonly errors: readonly (number | undefined)[];
}

/**
 * Watch a pusher-js client whose first connection the target is expected to close: wait up to
 * `closeMs` for the close, then `windowMs` more, recording what pusher-js did.
 */
export async function afterTargetClose(sdk: SdkScope, client: PusherClient, opts: { firstConnection: number; closeMs?: number; windowMs?: number }): Promise<AfterClose> {
  const states: string[] = [];
  const errors: (number | undefined)[] = [];
  const onState = (s: { current: string }) => void states.push(s.current);
  const onError = (e: unknown) => void errors.push(errorCode(e));
  client.connection.bind('state_change', onState);
  client.connection.bind('error', onError);
  try {
    const first = () => sdk.tap.connections()[opts.firstConnection];
    // the target closes, or sends pusher:error and pusher-js closes (errors.error-frame-before-close)
    await sdk.waitUntil('the target closing the connection', (done) => {
      const look = () => {
        const c = first();
        if (c && (c.closedByTarget !== undefined || c.closedBySdk !== undefined)) done(undefined);
      };
      look();
      return sdk.tap.onChange(look);
    }, opts.closeMs ?? 3000);
    const conn = first();
    const code = conn?.closedByTarget ?? (conn?.closedBySdk !== undefined ? errorFrameCode(sdk, conn.label) : undefined);
    const seenStates = states.length;
    await sdk.ctx.sleep(code === undefined ? 0 : (opts.windowMs ?? 1800));
    const conns = sdk.tap.connections();
    const closedAt = conns[opts.firstConnection]?.closedAt ?? 0;
    // connection attempts after the first: their start times relative to the close
    const retries = conns.slice(opts.firstConnection + 1).map((c) => Math.round(c.at - closedAt));
    return { code, via: conn?.closedByTarget === undefined && conn?.closedBySdk !== undefined ? 'error-frame' : 'close', state: client.connection.state, states: states.slice(Math.max(0, seenStates - 1)), retries, errors };
  } finally {
    client.connection.unbind('state_change', onState);
    client.connection.unbind('error', onError);
  }
}

/** the code of the last pusher:error the target sent on a tap connection */
function errorFrameCode(sdk: SdkScope, label: string): number | undefined {
  const frames = sdk.tap.frames().filter((f) => f.label === label && f.dir === 'in' && f.event === Event.Error);
  const last = frames[frames.length - 1];
  if (!last) return undefined;
  try {
    const frame = JSON.parse(last.text) as { data?: unknown };
    const data = typeof frame.data === 'string' ? (JSON.parse(frame.data) as unknown) : frame.data;
    return errorCode({ data });
  } catch {
    return undefined;
  }
}

/** What the close code promises a client (pusher-js's own reading, spec/ error-codes). */
export function promised(code: number): { action: PusherJsAction; text: string } {
  const action = pusherJsCloseAction(code);
  const text =
    action === 'refused'
      ? 'does not reconnect'
      : action === 'backoff'
        ? 'reconnects after a back-off of at least 1 s'
        : action === 'retry'
          ? 'reconnects at once'
          : action === 'tls_only'
            ? 'reconnects over TLS'
            : 'reconnects after 1 s (no protocol meaning)';
  return { action, text };
}

/** a line for failures: what pusher-js did */
export function describeAfter(a: AfterClose): string {
  return `${a.via === 'close' ? 'close' : 'pusher:error'} ${a.code ?? 'none'}; pusher-js state ${a.state}; ${a.retries.length === 0 ? 'no reconnection attempt' : `reconnection attempts at +${a.retries.join(', +')} ms`}; errors surfaced ${a.errors.length ? a.errors.join(', ') : 'none'}`;
}
