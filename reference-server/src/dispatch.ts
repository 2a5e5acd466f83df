/**
 * What a client's frame means: parse it with the spec's envelope and route it by event name.
 * Anything malformed is answered with pusher:error (code null) and the connection stays usable.
 * @module
 */
import type { RawData } from 'ws';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { Event, EventPrefix, isClientEventName, isReservedEventName } from '../../spec/src/events.ts';
import { parseJson } from '../../spec/src/codec.ts';
import { AnyFrame } from '../../spec/src/frames/generic.ts';
import type { Connection } from './connection.ts';
import { ProtocolError } from './errors.ts';
import { handleClientEvent } from './client-events.ts';
import { handleSubscribe, handleUnsubscribe } from './channels/subscribe.ts';
import { handleSignin } from './users.ts';

const CLIENT_EVENTS = [Event.Ping, Event.Pong, Event.Subscribe, Event.Unsubscribe, Event.Signin, `${EventPrefix.Client}*`].join(', ');

/** RFC 6455 normal closure: what the wrong-types-close fault closes with. */
const CLOSE_NORMAL = 1000;
/** Longest excerpt of a bad frame quoted back in an error message. */
const EXCERPT = 80;

export function handleMessage(conn: Connection, raw: RawData, isBinary: boolean): void {
  conn.touch();
  if (isBinary) {
    // clause: robustness.binary-frames
    if (conn.app.faults.has('binary-frame-drop')) return conn.ws.terminate();
    return conn.error(new ProtocolError(null, 'Binary frames are not supported: send UTF-8 JSON text frames', 'robustness.binary-frames'));
  }
  const text = Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.from(raw as ArrayBuffer).toString('utf8');
  const json = parseJson(text);
  if (!json.ok) {
    // clause: robustness.invalid-json / robustness.invalid-json-reported (invalid-message-handling: code null, connection kept)
    if (conn.app.faults.has('invalid-json-closes')) return conn.close(ErrorCode.ReconnectImmediately, 'Invalid JSON');
    return conn.error(new ProtocolError(null, `Invalid JSON frame (${json.error}): ${excerpt(text)}`, 'robustness.invalid-json'));
  }
  const envelope = AnyFrame.safeParse(json.value);
  if (!envelope.success) {
    // clause: robustness.wrong-types
    if (conn.app.faults.has('wrong-types-close')) return conn.close(CLOSE_NORMAL, 'Invalid frame');
    return conn.error(new ProtocolError(null, `A frame must be a JSON object with a string event: ${excerpt(text)}`, 'robustness.wrong-types'));
  }
  const frame = json.value;
  const { event, channel } = envelope.data;

  switch (event) {
    case Event.Ping:
      // clause: connection.ping-pong (whatever data the ping carries)
      if (!conn.app.faults.has('no-pong')) conn.send({ event: Event.Pong, data: {} });
      return;
    case Event.Pong:
      // clause: connection.client-pong-accepted
      return;
    case Event.Subscribe:
      return handleSubscribe(conn, frame);
    case Event.Unsubscribe:
      return handleUnsubscribe(conn, frame);
    case Event.Signin:
      return handleSignin(conn, frame);
  }
  // clause: client-events.delivered-to-others (the reserved namespaces are prefixes, not substrings)
  if (isClientEventName(event) && conn.app.faults.has('reserved-event-prefix-unanchored') && (event.includes(EventPrefix.Pusher) || event.includes(EventPrefix.Internal))) {
    return conn.error(new ProtocolError(null, `Event ${excerpt(event)} uses a reserved name`, 'client-events.reserved-names-refused', false, channel));
  }
  // clause: client-events.name-prefix (anchored: client- at the start of the name)
  if (isClientEventName(event) || (conn.app.faults.has('client-event-name-unanchored') && event.includes(EventPrefix.Client))) return handleClientEvent(conn, frame);

  const relayed = isReservedEventName(event) ? conn.app.faults.has('internal-event-relayed') : conn.app.faults.has('unknown-event-relayed');
  if (channel !== undefined && relayed) {
    const target = conn.app.channels.get(channel);
    if (target?.subscribers.has(conn)) {
      const text = JSON.stringify(frame);
      for (const other of target.subscribers) if (other !== conn) other.send(text);
      return;
    }
  }
  // clause: robustness.pusher-internal-from-client / robustness.unknown-event-not-relayed / client-events.reserved-names-refused / client-events.name-prefix
  conn.error(new ProtocolError(null, `Unsupported event ${excerpt(event)}: clients may send ${CLIENT_EVENTS}`, 'robustness.unknown-event-not-relayed', false, channel));
}

function excerpt(text: string): string {
  return text.length <= EXCERPT ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, EXCERPT))}…`;
}
