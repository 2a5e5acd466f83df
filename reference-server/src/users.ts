/**
 * User authentication (`pusher:signin`), the watchlist, and terminating a user's connections.
 * Server-to-user delivery lives in channels/publish.ts.
 * @module
 */
import { z } from 'zod';
import { ErrorCode } from '../../spec/src/error-codes.ts';
import { Event, WatchlistEventName } from '../../spec/src/events.ts';
import { jsonString } from '../../spec/src/codec.ts';
import { verifyChannelAuth } from '../../spec/src/crypto/channel-auth.ts';
import { verifyUserAuth } from '../../spec/src/crypto/user-auth.ts';
import { SigninFrameLenient, UserData } from '../../spec/src/frames/signin.ts';
import type { AppRuntime } from './app-runtime.ts';
import type { Connection } from './connection.ts';
import { ProtocolError } from './errors.ts';

const UserDataString = jsonString(UserData);
/** signin-user-id-charset-unchecked: any non-empty id */
const UserDataAnyCharset = jsonString(UserData.extend({ id: z.string().min(1) }));
/** signin-user-data-unchecked: the id may be absent or empty */
const UserDataIdOptional = jsonString(UserData.extend({ id: z.string().default('') }));

/** RFC 6455 normal closure: what the terminate-close-1000 fault closes with. */
const CLOSE_NORMAL = 1000;

/** Sign-in failures leave the connection open (ambiguity signin-failure-close: Pusher answers with pusher:error). */
const refuse = (message: string, clause: ConstructorParameters<typeof ProtocolError>[2]): ProtocolError =>
  new ProtocolError(ErrorCode.Unauthorized, message, clause);

export function handleSignin(conn: Connection, frame: unknown): void {
  const app = conn.app;
  const { faults, limits } = app;
  // lenient: a malformed auth is a failed signature (signin.invalid-signature), not a malformed frame
  const parsed = SigninFrameLenient.safeParse(frame);
  if (!parsed.success) {
    // clause: signin.answered
    return conn.error(refuse(`${Event.Signin} needs data {auth: string, user_data: string}`, 'signin.answered'));
  }
  const { auth, user_data: userDataText } = parsed.data.data;
  const verified = faults.has('signin-channel-string-signed')
    ? verifyChannelAuth({ key: app.config.key, secret: app.config.secret, socketId: conn.socketId, channel: userDataText, auth }).ok
    : verifyUserAuth({ key: app.config.key, secret: app.config.secret, socketId: conn.socketId, userData: userDataText, auth }).ok;
  if (!verified && !faults.has('signin-signature-not-checked')) {
    // clause: signin.invalid-signature / signin.failure-keeps-connection
    const fatal = faults.has('signin-failure-closes');
    return conn.error(new ProtocolError(ErrorCode.Unauthorized, `Invalid signature: expected HMAC-SHA256 hex of "${conn.socketId}::user::<user_data>" keyed by the app secret`, 'signin.invalid-signature', fatal));
  }
  const schema = faults.has('signin-user-data-unchecked') ? UserDataIdOptional : faults.has('signin-user-id-charset-unchecked') ? UserDataAnyCharset : UserDataString;
  const userData = schema.safeParse(userDataText);
  if (!userData.success) {
    // clause: signin.user-data-id / signin.user-id-charset
    return conn.error(refuse(`user_data must be a JSON string of {id: non-empty string of A-Za-z0-9_-=@,.;, user_info?: object, watchlist?: string[]}: ${userData.error.issues[0]?.message ?? 'invalid'}`, 'signin.user-data-id'));
  }
  const { id, user_info: userInfo, watchlist = [] } = userData.data;
  if (id.length > limits.userIdLength && !faults.has('signin-user-id-length-unchecked')) {
    // clause: limits.presence-user-id-length
    return conn.error(refuse(`User id is ${id.length} characters; the limit is ${limits.userIdLength}`, 'limits.presence-user-id-length'));
  }
  if (conn.user !== undefined && conn.user.id !== id && !faults.has('signin-second-user-accepted')) {
    // clause: signin.different-user-refused
    return conn.error(refuse(`This connection is already signed in as ${conn.user.id}`, 'signin.different-user-refused'));
  }

  if (watchlist.length > limits.watchlistSize && faults.has('watchlist-over-limit-refused')) {
    // clause: watchlist.over-limit-signin-succeeds
    return conn.error(refuse(`Watchlist has ${watchlist.length} ids; the limit is ${limits.watchlistSize}`, 'watchlist.over-limit-signin-succeeds'));
  }
  // clause: watchlist.over-limit-signin-succeeds
  const kept = watchlist.slice(0, limits.watchlistSize);
  const previous = conn.user;
  // clause: signin.same-user-again (the same user again is no new connection of that user)
  if (previous !== undefined && previous.id !== id) signOut(app, conn);
  conn.user = { id, userData: userDataText, userInfo, watchlist: kept };
  const firstConnection = signIn(app, conn, id) && previous?.id !== id;
  conn.satisfyAuthorization();

  // clause: signin.valid-signature / signin.success-user-data (data is an object)
  const echoed = faults.has('signin-user-data-reencoded') ? JSON.stringify(JSON.parse(userDataText)) : userDataText;
  conn.send({ event: Event.SigninSuccess, data: { user_data: echoed } });
  if (watchlist.length > kept.length && !faults.has('watchlist-over-limit-silent')) {
    // clause: watchlist.over-limit-4302
    conn.error(new ProtocolError(ErrorCode.WatchlistTooLarge, `Watchlist has ${watchlist.length} ids; only the first ${limits.watchlistSize} are watched`, 'watchlist.over-limit-4302'));
  }
  if (faults.has('watchlist-never-sent')) return;
  // clause: watchlist.initial-state
  const online = kept.filter((watched) => (app.users.get(watched)?.size ?? 0) > 0 || app.cluster?.remoteUserOnline(watched) === true);
  if (online.length > 0) sendWatchlist(conn, WatchlistEventName.Online, online);
  // clause: watchlist.online / watchlist.second-connection-silent (cluster.users-every-node: not if online on another node)
  if ((firstConnection || faults.has('watchlist-online-every-signin')) && !app.cluster?.remoteUserOnline(id)) notifyWatchers(app, id, WatchlistEventName.Online);
}

/** Register a signed-in connection; true when it is the user's first. */
function signIn(app: AppRuntime, conn: Connection, id: string): boolean {
  let set = app.users.get(id);
  if (!set) {
    set = new Set();
    app.users.set(id, set);
  }
  set.add(conn);
  if (set.size === 1) app.cluster?.userChanged(id, true);
  return set.size === 1;
}

/** Forget a connection's sign-in (it closed); the user's last connection makes it go offline. */
export function signOut(app: AppRuntime, conn: Connection): void {
  const user = conn.user;
  if (!user) return;
  const set = app.users.get(user.id);
  if (!set) return;
  set.delete(conn);
  if (set.size > 0) return;
  app.users.delete(user.id);
  app.cluster?.userChanged(user.id, false);
  // clause: watchlist.offline (cluster.users-every-node: not while online on another node)
  if (!app.faults.has('watchlist-never-sent') && !app.cluster?.remoteUserOnline(user.id)) notifyWatchers(app, user.id, WatchlistEventName.Offline);
}

export function notifyWatchers(app: AppRuntime, userId: string, name: WatchlistEventName): void {
  // clause: watchlist.only-watchers
  for (const set of app.users.values()) {
    for (const watcher of set) {
      if (watcher.user?.watchlist.includes(userId)) sendWatchlist(watcher, name, [userId]);
    }
  }
}

function sendWatchlist(conn: Connection, name: WatchlistEventName, userIds: string[]): void {
  // clause: watchlist.wire-shape (data as a JSON string)
  conn.send({ event: Event.WatchlistEvents, data: JSON.stringify({ events: [{ name, user_ids: userIds }] }) });
}

/** Close every connection signed in as `userId` with 4009; presence-only members are untouched. */
export function terminateUser(app: AppRuntime, userId: string, fromNode?: string): void {
  // clause: cluster.users-every-node
  if (fromNode === undefined) app.cluster?.terminate(userId);
  // clause: terminate.closes-signed-in / terminate.only-that-user
  const all = app.faults.has('terminate-all-users') ? [...app.users.values()].flatMap((s) => [...s]) : [...(app.users.get(userId) ?? [])];
  // clause: terminate.closes-signed-in (every connection)
  const targets = app.faults.has('terminate-first-connection-only') ? all.slice(0, 1) : all;
  for (const conn of targets) {
    // clause: terminate.fatal-close-code
    if (app.faults.has('terminate-close-1000')) {
      conn.close(CLOSE_NORMAL, 'You got disconnected by the app');
      continue;
    }
    conn.error(new ProtocolError(ErrorCode.Unauthorized, 'You got disconnected by the app', 'terminate.fatal-close-code', true));
  }
}
