/**
 * Presence join/leave rates: members subscribe to presence channels all at once, then leave all
 * at once; one observer per channel (joined first) counts member_added and member_removed.
 * Channels hold at most half of Pusher's documented member limit.
 * @module
 */
import type { PresenceResult } from '../../../../spec/src/bench.ts';
import { signChannel } from '../../../../spec/src/crypto/channel-auth.ts';
import { Event } from '../../../../spec/src/events.ts';
import { ChannelPrefix } from '../../../../spec/src/identifiers.ts';
import { limits } from '../../../../spec/src/limits.ts';
import { runTag, waitUntil, type BenchContext } from '../context.ts';
import { closeAll, connectMany, type BenchSocket } from '../socket.ts';

const PER_CHANNEL = Math.floor(limits.presenceMembers.pusher / 2);

export async function runPresence(ctx: BenchContext, members: number): Promise<PresenceResult> {
  const tag = runTag();
  const channels = Math.max(1, Math.ceil(members / PER_CHANNEL));
  const channelOf = (i: number): string => `${ChannelPrefix.Presence}bench-${tag}-${i % channels}`;
  let succeeded = 0;
  let added = 0;
  let removed = 0;
  const onText = () => (text: string) => {
    if (text.includes(Event.MemberAdded)) added += 1;
    else if (text.includes(Event.MemberRemoved)) removed += 1;
    else if (text.includes(Event.SubscriptionSucceeded)) succeeded += 1;
  };
  const result: PresenceResult = { members, channels, joined: 0, joinSeconds: 0, joinsPerSecond: 0, leavesSeen: 0, leaveSeconds: 0, leavesPerSecond: 0 };
  const all: BenchSocket[] = [];
  try {
    const observers = await connectMany({ url: ctx.url, count: channels, concurrency: ctx.connectConcurrency, timeoutMs: ctx.waitMs, stopAt: ctx.deadline - ctx.waitMs, onText });
    all.push(...observers.sockets);
    const crowd = await connectMany({ url: ctx.url, count: members, concurrency: ctx.connectConcurrency, timeoutMs: ctx.waitMs, stopAt: ctx.deadline - ctx.waitMs });
    all.push(...crowd.sockets);
    if (observers.sockets.length < channels || crowd.sockets.length < members) {
      result.stopped = `only ${observers.sockets.length + crowd.sockets.length} of ${channels + members} connections opened`;
      return result;
    }
    const subscribe = (s: BenchSocket, channel: string, userId: string): void => {
      const channelData = JSON.stringify({ user_id: userId, user_info: {} });
      s.send({ event: Event.Subscribe, data: { channel, auth: signChannel({ key: ctx.target.key, secret: ctx.target.secret, socketId: s.socketId, channel, channelData }), channel_data: channelData } });
    };
    observers.sockets.forEach((s, i) => subscribe(s, channelOf(i), `bench-observer-${i}`));
    if (!(await waitUntil(ctx, () => succeeded >= channels, ctx.waitMs))) {
      result.stopped = `only ${succeeded} of ${channels} observers joined`;
      return result;
    }
    // members need their own subscription_succeeded too: count them on their sockets
    let memberOk = 0;
    for (const s of crowd.sockets) s.ws.on('message', (raw) => String(raw).includes(Event.SubscriptionSucceeded) && (memberOk += 1));
    const t0 = performance.now();
    crowd.sockets.forEach((s, i) => subscribe(s, channelOf(i), `bench-member-${i}`));
    const joined = await waitUntil(ctx, () => memberOk >= members && added >= members, ctx.waitMs);
    result.joinSeconds = round((performance.now() - t0) / 1000);
    result.joined = Math.min(memberOk, added);
    result.joinsPerSecond = round(result.joined / Math.max(result.joinSeconds, 0.001));
    if (!joined) {
      result.stopped = `${memberOk} of ${members} members joined, observers saw ${added} member_added in time`;
      return result;
    }
    const t1 = performance.now();
    crowd.sockets.forEach((s, i) => s.send({ event: Event.Unsubscribe, data: { channel: channelOf(i) } }));
    const left = await waitUntil(ctx, () => removed >= members, ctx.waitMs);
    result.leaveSeconds = round((performance.now() - t1) / 1000);
    result.leavesSeen = removed;
    result.leavesPerSecond = round(removed / Math.max(result.leaveSeconds, 0.001));
    if (!left) result.stopped = `observers saw ${removed} of ${members} member_removed in time`;
    ctx.log(`presence: ${result.joinsPerSecond} joins/s, ${result.leavesPerSecond} leaves/s (${members} members, ${channels} channels)`);
    return result;
  } finally {
    await closeAll(all);
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;
