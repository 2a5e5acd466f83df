// User sign-in (`pusher:signin`) signatures.
import { verifyAuthValue, type AuthVerification } from './channel-auth.ts';
import { hmacSha256Hex } from './hmac.ts';

export interface UserAuthSubject {
  socketId: string;
  /** The exact `user_data` JSON string the client sends. */
  userData: string;
}

export interface UserSignInput extends UserAuthSubject {
  key: string;
  secret: string;
}

/** `socket_id::user::user_data`. */
export function userStringToSign({ socketId, userData }: UserAuthSubject): string {
  return `${socketId}::user::${userData}`;
}

/** Returns the `auth` value `"<key>:<hex>"`. */
export function signUser(input: UserSignInput): string {
  return `${input.key}:${hmacSha256Hex(input.secret, userStringToSign(input))}`;
}

export function verifyUserAuth(input: UserSignInput & { auth: string }): AuthVerification {
  return verifyAuthValue({ key: input.key, secret: input.secret, stringToSign: userStringToSign(input), auth: input.auth });
}
