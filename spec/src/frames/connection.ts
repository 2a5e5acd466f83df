/** Connection frames: handshake, errors, ping/pong. */
import { z } from 'zod';
import { Event } from '../events.ts';
import { ERROR_CODE_MAX, ERROR_CODE_MIN, errorCodes, ErrorRange } from '../error-codes.ts';
import { SocketId } from '../identifiers.ts';
import { jsonString, stringOrObject } from '../codec.ts';
import { publish } from '../registry.ts';

export const ConnectionEstablishedData = publish(
  z.object({
    socket_id: SocketId,
    // seconds; pusher-js refuses a handshake without it or with 0
    activity_timeout: z.number().int().positive(),
  }),
  { id: 'ConnectionEstablishedData', kind: 'data', description: 'Decoded data of pusher:connection_established.' },
);
export type ConnectionEstablishedData = z.infer<typeof ConnectionEstablishedData>;

export const ConnectionEstablishedFrame = publish(
  z.object({ event: z.literal(Event.ConnectionEstablished), data: jsonString(ConnectionEstablishedData) }),
  { id: 'ConnectionEstablishedFrame', kind: 'frame', direction: 'server-to-client', event: Event.ConnectionEstablished, strictness: 'strict', description: 'First frame of every connection: socket_id and activity_timeout, data as a JSON string.' },
);
export const ConnectionEstablishedFrameLenient = publish(
  z.object({ event: z.literal(Event.ConnectionEstablished), data: stringOrObject(ConnectionEstablishedData) }),
  { id: 'ConnectionEstablishedFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.ConnectionEstablished, strictness: 'lenient', description: 'As pusher-js accepts it: data as a JSON string or an object.' },
);

/** Pusher-defined error codes; hosted Pusher sends `null` for errors that have no number. */
export const ErrorCodeValue = z.number().int().min(ERROR_CODE_MIN).max(ERROR_CODE_MAX);
export const ErrorData = publish(
  z.object({ message: z.string(), code: ErrorCodeValue.nullable().optional() }),
  { id: 'ErrorData', kind: 'data', description: 'Decoded data of pusher:error: a message and a 4000-4399 code (or null).' },
);
export type ErrorData = z.infer<typeof ErrorData>;

export const ErrorFrame = publish(
  z.object({ event: z.literal(Event.Error), channel: z.string().optional(), data: ErrorData }),
  { id: 'ErrorFrame', kind: 'frame', direction: 'server-to-client', event: Event.Error, strictness: 'strict', description: 'An error; data is an object (one of the two documented object-valued server frames).' },
);
export const ErrorFrameLenient = publish(
  z.object({ event: z.literal(Event.Error), channel: z.string().optional(), data: stringOrObject(ErrorData) }),
  { id: 'ErrorFrameLenient', kind: 'frame', direction: 'server-to-client', event: Event.Error, strictness: 'lenient', description: 'As pusher-js accepts it: data as an object or a JSON string (Reverb sends a string).' },
);

/** Ping and pong carry "empty data": an empty object, "{}", or no data key at all. */
const EmptyData = z.union([z.object({}), z.literal('{}'), z.literal('')]).optional();

export const PingFrame = publish(
  z.object({ event: z.literal(Event.Ping), data: EmptyData }),
  { id: 'PingFrame', kind: 'frame', event: Event.Ping, description: 'Liveness probe, either direction; the receiver answers pusher:pong.' },
);
export const PongFrame = publish(
  z.object({ event: z.literal(Event.Pong), data: EmptyData }),
  { id: 'PongFrame', kind: 'frame', event: Event.Pong, description: 'Answer to pusher:ping, either direction.' },
);

/**
 * The WebSocket close codes a server may send: every catalogued code used as a close code, each
 * with its meaning. A client acts on the range of any other 4000-4399 code (ErrorRange).
 */
const closeCodes = errorCodes.filter((d) => d.usedAs === 'close');
export const CloseCode = publish(
  z.union(closeCodes.map((d) => z.literal(d.code).meta({ title: d.name, description: d.meaning }))),
  {
    id: 'CloseCode', kind: 'data',
    description:
      `A WebSocket close code a server sends to end a connection for a protocol reason (not JSON: the close frame's status code). ` +
      `Ranges: ${Object.values(ErrorRange).map((r) => `${r.min}-${r.max} ${r.meaning}`).join('; ')}.`,
  },
);
