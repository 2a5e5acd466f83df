/**
 * "The connection is still usable", judged without leaning on another clause: a pusher:ping
 * answered with pusher:pong shows it; when no pong comes (clause connection.ping-pong, judged by
 * its own cases), a subscription to a fresh public channel that the server confirms shows it too.
 * @module
 */
import { Event } from '../../../../spec/src/events.ts';
import { check } from '../../model/outcome.ts';
import type { CaseContext, Client } from '../../harness/types.ts';
import { describeOutcome } from './channel-sync.ts';

/** bound for the pong, before time-scale */
const PONG_MS = 2000;

export async function expectUsable(ctx: CaseContext, client: Client, what: string): Promise<void> {
  check(client.isOpen, `${what}: ${client.label} still open`, () => `closed with ${client.closeInfo?.code ?? '?'} ${client.closeInfo?.reason ?? ''}`);
  const before = client.frames().length;
  client.send({ event: Event.Ping, data: {} });
  const pong = await client.waitFor({ event: Event.Pong, where: (f) => client.frames().indexOf(f) >= before, within: PONG_MS });
  if (pong !== undefined) return;
  check(client.isOpen, `${what}: ${client.label} still open`, () => `closed with ${client.closeInfo?.code ?? '?'} ${client.closeInfo?.reason ?? ''}`);
  const fresh = await client.subscribe(ctx.channelName(''));
  check(fresh.ok, `${what}: ${client.label} still usable (${Event.Pong} answering ${Event.Ping}, or a new subscription confirmed)`, () => `no ${Event.Pong}; then ${describeOutcome(fresh)}`);
  ctx.note(`${what}: no ${Event.Pong} answered ${Event.Ping} (clause connection.ping-pong judges that); a new subscription was confirmed instead`);
}
