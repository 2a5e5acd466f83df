import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ChannelEventFrame,
  ConnectionEstablishedFrame,
  ConnectionEstablishedFrameLenient,
  ErrorFrame,
  ErrorFrameLenient,
  Event,
  MemberAddedFrame,
  MemberRemovedFrame,
  PresenceSubscriptionSucceededFrame,
  SocketId,
  SubscribeFrame,
  SubscriptionCountFrame,
  SubscriptionSucceededFrame,
  WatchlistEventsFrame,
  channelKind,
  isValidChannelName,
  jsonString,
} from '../src/index.ts';

const socketId = fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}.${b}`);
const channelChar = fc.constantFrom(...'abcXYZ019_-=@,.;'.split(''));
const channelName = fc.string({ unit: channelChar, minLength: 1, maxLength: 40 });
const userId = fc.oneof(fc.string({ unit: channelChar, minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 2 ** 31 }));
const userInfo = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

/** encode with the codec, send through JSON text as a socket would, parse again */
function roundTrip<S extends z.ZodType>(schema: S, decoded: z.output<S>): z.output<S> {
  const wire = z.encode(schema, decoded);
  return schema.parse(JSON.parse(JSON.stringify(wire)));
}

describe('frames', () => {
  it('round-trips every generated server frame through its wire form', () => {
    fc.assert(
      fc.property(socketId, fc.integer({ min: 1, max: 3600 }), (id, timeout) => {
        const frame = { event: Event.ConnectionEstablished, data: { socket_id: id, activity_timeout: timeout } } as const;
        expect(roundTrip(ConnectionEstablishedFrame, frame)).toEqual(frame);
      }),
    );
    fc.assert(
      fc.property(channelName, fc.uniqueArray(userId, { minLength: 1, maxLength: 5 }), userInfo, (channel, ids, info) => {
        const hash = Object.fromEntries(ids.map((id) => [String(id), info]));
        const frame = { event: Event.SubscriptionSucceeded, channel, data: { presence: { ids, hash, count: ids.length } } } as const;
        expect(roundTrip(PresenceSubscriptionSucceededFrame, frame)).toEqual(frame);
        const added = { event: Event.MemberAdded, channel, data: { user_id: ids[0]!, user_info: info } } as const;
        expect(roundTrip(MemberAddedFrame, added)).toEqual(added);
        const removed = { event: Event.MemberRemoved, channel, data: { user_id: ids[0]! } } as const;
        expect(roundTrip(MemberRemovedFrame, removed)).toEqual(removed);
      }),
    );
    fc.assert(
      fc.property(channelName, fc.nat(), (channel, n) => {
        const frame = { event: Event.SubscriptionCount, channel, data: { subscription_count: n } } as const;
        expect(roundTrip(SubscriptionCountFrame, frame)).toEqual(frame);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.constantFrom('online' as const, 'offline' as const), user_ids: fc.array(fc.string({ unit: channelChar, minLength: 1 })) })), (events) => {
        const frame = { event: Event.WatchlistEvents, data: { events } } as const;
        expect(roundTrip(WatchlistEventsFrame, frame)).toEqual(frame);
      }),
    );
  });

  it('sends data of system events as a JSON string on the wire (strict) and accepts objects only leniently', () => {
    const asObject = { event: Event.ConnectionEstablished, data: { socket_id: '1.2', activity_timeout: 120 } };
    expect(ConnectionEstablishedFrame.safeParse(asObject).success).toBe(false);
    expect(ConnectionEstablishedFrameLenient.safeParse(asObject).success).toBe(true);
    const asString = { ...asObject, data: JSON.stringify(asObject.data) };
    expect(ConnectionEstablishedFrame.parse(asString).data.socket_id).toBe('1.2');
  });

  it('models pusher:error data as an object, with the string form accepted only leniently', () => {
    const obj = { event: Event.Error, data: { code: 4001, message: 'no such app' } };
    expect(ErrorFrame.safeParse(obj).success).toBe(true);
    expect(ErrorFrame.safeParse({ ...obj, data: JSON.stringify(obj.data) }).success).toBe(false);
    expect(ErrorFrameLenient.safeParse({ ...obj, data: JSON.stringify(obj.data) }).success).toBe(true);
    expect(ErrorFrame.safeParse({ event: Event.Error, data: { code: null, message: 'Invalid signature' } }).success).toBe(true);
    expect(ErrorFrame.safeParse({ event: Event.Error, data: { code: 1000, message: 'x' } }).success).toBe(false);
  });

  it('accepts "{}" as non-presence subscription_succeeded data and rejects other strict shapes', () => {
    expect(SubscriptionSucceededFrame.safeParse({ event: Event.SubscriptionSucceeded, channel: 'a', data: '{}' }).success).toBe(true);
    expect(SubscriptionSucceededFrame.safeParse({ event: Event.SubscriptionSucceeded, channel: 'a' }).success).toBe(false);
    expect(SubscriptionSucceededFrame.safeParse({ event: Event.SubscriptionSucceeded, channel: 'a', data: '{bad' }).success).toBe(false);
  });

  it('requires channel event data to be the string the publisher sent (strict)', () => {
    expect(ChannelEventFrame.safeParse({ event: 'e', channel: 'c', data: '{"a":1}' }).success).toBe(true);
    expect(ChannelEventFrame.safeParse({ event: 'e', channel: 'c', data: { a: 1 } }).success).toBe(false);
  });

  it('accepts subscribe frames with and without auth and channel_data', () => {
    expect(SubscribeFrame.safeParse({ event: Event.Subscribe, data: { channel: 'a', auth: '' } }).success).toBe(true);
    expect(SubscribeFrame.safeParse({ event: Event.Subscribe, data: { channel: 'presence-a', auth: `k:${'ab'.repeat(32)}`, channel_data: '{"user_id":"1"}' } }).success).toBe(true);
    expect(SubscribeFrame.safeParse({ event: Event.Subscribe, data: 'presence-a' }).success).toBe(false);
  });
});

describe('identifiers', () => {
  it('rejects socket ids that are not digits.digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }).filter((s) => !/^\d+\.\d+$/.test(s)), (s) => {
        expect(SocketId.safeParse(s).success).toBe(false);
      }),
    );
    fc.assert(fc.property(socketId, (s) => SocketId.safeParse(s).success));
  });

  it('rejects channel names with characters outside the allowed set or over the length limit', () => {
    fc.assert(
      fc.property(channelName, fc.string({ minLength: 1, maxLength: 3 }).filter((s) => /[^A-Za-z0-9_\-=@,.;]/.test(s)), (name, bad) => {
        expect(isValidChannelName(name, 200)).toBe(true);
        expect(isValidChannelName(name + bad, 200)).toBe(false);
      }),
    );
    expect(isValidChannelName('a'.repeat(164), 164)).toBe(true);
    expect(isValidChannelName('a'.repeat(165), 164)).toBe(false);
    expect(isValidChannelName('', 164)).toBe(false);
  });

  it('classifies channels by anchored prefix, longest first', () => {
    expect(channelKind('private-encrypted-cache-x')).toMatchObject({ type: 'encrypted', cache: true, requiresAuth: true });
    expect(channelKind('private-encrypted-x')).toMatchObject({ type: 'encrypted', cache: false });
    expect(channelKind('private-cache-x')).toMatchObject({ type: 'private', cache: true });
    expect(channelKind('presence-cache-x')).toMatchObject({ type: 'presence', cache: true });
    expect(channelKind('cache-x')).toMatchObject({ type: 'public', cache: true, requiresAuth: false });
    expect(channelKind('foo-private-bar')).toMatchObject({ type: 'public', cache: false, requiresAuth: false });
    expect(channelKind('nocache-x')).toMatchObject({ type: 'public', cache: false });
    expect(channelKind('#server-to-user-u1')).toMatchObject({ serverToUser: true });
  });

  it('reports invalid JSON in a JSON-string field as a schema issue, not an exception', () => {
    const r = jsonString(z.object({ a: z.number() })).safeParse('{nope');
    expect(r.success).toBe(false);
  });
});
