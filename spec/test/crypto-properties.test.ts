import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  channelSharedSecret,
  decryptPayload,
  encryptPayload,
  signChannel,
  signRestRequest,
  signUser,
  signWebhook,
  verifyChannelAuth,
  verifyRestRequest,
  verifyUserAuth,
  verifyWebhook,
} from '../src/crypto/index.ts';

const NUM_RUNS = 150;
const run = { numRuns: NUM_RUNS };

const socketIdArb = fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}.${b}`);
const channelCharArb = fc.constantFrom(...'ABCXYZabcxyz0189_-=@,.;'.split(''));
const channelArb = fc
  .tuple(fc.constantFrom('private-', 'presence-', 'private-encrypted-', ''), fc.string({ unit: channelCharArb, minLength: 1, maxLength: 40 }))
  .map(([prefix, name]) => prefix + name);
const jsonishArb = fc.oneof(fc.json({ maxDepth: 2 }), fc.string({ unit: 'binary', minLength: 1 }));
const secretArb = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 });
const keyArb = fc.stringMatching(/^[a-z0-9]{1,20}$/);
/** Where to change one character and what to put there. */
const editArb = fc.record({ at: fc.nat(), char: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) });
type Edit = { at: number; char: string };

/** Replaces one code point with a different one; `text` must be non-empty. */
function editOneChar(text: string, { at, char }: Edit): string {
  const chars = Array.from(text);
  const i = at % chars.length;
  chars[i] = chars[i] === char ? (char === 'a' ? 'b' : 'a') : char;
  return chars.join('');
}

function flipByte(base64: string, at: number, mask: number): string {
  const bytes = Buffer.from(base64, 'base64');
  const i = at % bytes.length;
  bytes[i] = bytes[i]! ^ mask;
  return bytes.toString('base64');
}

describe('channel authorization properties', () => {
  const subjectArb = fc.record({
    key: keyArb,
    secret: secretArb,
    socketId: socketIdArb,
    channel: channelArb,
    channelData: fc.option(jsonishArb, { nil: undefined }),
  });

  it('verifies every signature it produces', () => {
    fc.assert(
      fc.property(subjectArb, (s) => verifyChannelAuth({ ...s, auth: signChannel(s) }).ok),
      run,
    );
  });

  it('rejects the auth after one character of socket_id, channel, channel_data, secret or auth changes', () => {
    const fieldArb = fc.constantFrom('socketId', 'channel', 'channelData', 'secret', 'auth');
    fc.assert(
      fc.property(subjectArb, fieldArb, editArb, (s, field, edit) => {
        const auth = signChannel(s);
        if (field === 'auth') return !verifyChannelAuth({ ...s, auth: editOneChar(auth, edit) }).ok;
        const value = s[field];
        fc.pre(value !== undefined && value.length > 0);
        return !verifyChannelAuth({ ...s, [field]: editOneChar(value, edit), auth }).ok;
      }),
      run,
    );
  });
});

describe('user sign-in properties', () => {
  const subjectArb = fc.record({ key: keyArb, secret: secretArb, socketId: socketIdArb, userData: jsonishArb });

  it('verifies every signature it produces', () => {
    fc.assert(
      fc.property(subjectArb, (s) => verifyUserAuth({ ...s, auth: signUser(s) }).ok),
      run,
    );
  });

  it('rejects the auth after one character of socket_id, user_data, secret or auth changes', () => {
    const fieldArb = fc.constantFrom('socketId', 'userData', 'secret', 'auth');
    fc.assert(
      fc.property(subjectArb, fieldArb, editArb, (s, field, edit) => {
        const auth = signUser(s);
        if (field === 'auth') return !verifyUserAuth({ ...s, auth: editOneChar(auth, edit) }).ok;
        return !verifyUserAuth({ ...s, [field]: editOneChar(s[field], edit), auth }).ok;
      }),
      run,
    );
  });
});

describe('REST request signing properties', () => {
  const paramKeyArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}(\[\])?$/).filter((k) => !k.startsWith('auth_') && k !== 'body_md5');
  const requestArb = fc.record({
    key: keyArb,
    secret: secretArb,
    method: fc.constantFrom('GET', 'POST', 'post'),
    path: fc.array(fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/), { maxLength: 4 }).map((s) => `/${s.join('/')}`),
    params: fc.dictionary(paramKeyArb, fc.string({ unit: 'binary', maxLength: 20 }), { maxKeys: 5 }),
    body: fc.string({ unit: 'binary', maxLength: 200 }),
    timestamp: fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }),
    skew: fc.integer({ min: -600, max: 600 }),
  });
  type Request = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

  const verify = (r: Request, query: Record<string, string>, over: { path?: string; body?: string } = {}) =>
    verifyRestRequest({
      method: r.method,
      path: over.path ?? r.path,
      query,
      body: over.body ?? r.body,
      lookupSecret: (key) => (key === r.key ? r.secret : undefined),
      now: r.timestamp + r.skew,
      windowSeconds: 600,
    });

  it('verifies every request it signs, through its URL-encoded query', () => {
    fc.assert(
      fc.property(requestArb, (r) => {
        const { query } = signRestRequest(r);
        const result = verifyRestRequest({
          method: r.method,
          path: r.path,
          query: new URLSearchParams(query),
          body: Buffer.from(r.body, 'utf8'),
          lookupSecret: (key) => (key === r.key ? r.secret : undefined),
          now: r.timestamp + r.skew,
          windowSeconds: 600,
        });
        return result.ok && result.key === r.key;
      }),
      run,
    );
  });

  it('rejects the request after one character of the path, a param value, the body or the signature changes', () => {
    const targetArb = fc.constantFrom('path', 'param', 'body', 'signature');
    fc.assert(
      fc.property(requestArb, targetArb, editArb, fc.nat(), (r, target, edit, pick) => {
        const { params } = signRestRequest(r);
        switch (target) {
          case 'path':
            return !verify(r, params, { path: editOneChar(r.path, edit) }).ok;
          case 'body':
            fc.pre(r.body.length > 0);
            return !verify(r, params, { body: editOneChar(r.body, edit) }).ok;
          case 'signature':
            return !verify(r, { ...params, auth_signature: editOneChar(params.auth_signature!, edit) }).ok;
          case 'param': {
            const names = Object.keys(r.params).filter((k) => r.params[k]!.length > 0);
            fc.pre(names.length > 0);
            const name = names[pick % names.length]!;
            return !verify(r, { ...params, [name]: editOneChar(params[name]!, edit) }).ok;
          }
        }
      }),
      run,
    );
  });
});

describe('webhook signing properties', () => {
  const hookArb = fc.record({ key: keyArb, secret: secretArb, body: fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }) });
  const check = (h: { key: string; secret: string }, body: string, signature: string) =>
    verifyWebhook({ ...h, headers: { 'X-Pusher-Key': h.key, 'X-Pusher-Signature': signature }, rawBody: body }).ok;

  it('verifies every body it signs', () => {
    fc.assert(
      fc.property(hookArb, (h) => check(h, h.body, signWebhook(h.secret, h.body))),
      run,
    );
  });

  it('rejects the webhook after one character of the body, secret or signature changes', () => {
    fc.assert(
      fc.property(hookArb, fc.constantFrom('body', 'secret', 'signature'), editArb, (h, target, edit) => {
        const signature = signWebhook(h.secret, h.body);
        if (target === 'body') return !check(h, editOneChar(h.body, edit), signature);
        if (target === 'secret') return !check({ ...h, secret: editOneChar(h.secret, edit) }, h.body, signature);
        return !check(h, h.body, editOneChar(signature, edit));
      }),
      run,
    );
  });
});

describe('encrypted channel properties', () => {
  const masterKeyArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const plaintextArb = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));
  const boxArb = fc.record({ channel: channelArb, masterKey: masterKeyArb, plaintext: plaintextArb });

  it('decrypts every payload it encrypts, for arbitrary Unicode plaintext', () => {
    fc.assert(
      fc.property(boxArb, ({ channel, masterKey, plaintext }) => {
        const payload = encryptPayload({ channel, masterKey, plaintext });
        const result = decryptPayload({ sharedSecret: channelSharedSecret(channel, masterKey), ...payload });
        return result.ok && result.plaintext === plaintext;
      }),
      run,
    );
  });

  it('fails to decrypt after any byte of the ciphertext or nonce is flipped', () => {
    fc.assert(
      fc.property(boxArb, fc.constantFrom('ciphertext', 'nonce'), fc.nat(), fc.integer({ min: 1, max: 255 }), (b, part, at, mask) => {
        const payload = encryptPayload(b);
        const tampered = { ...payload, [part]: flipByte(payload[part], at, mask) };
        return !decryptPayload({ sharedSecret: channelSharedSecret(b.channel, b.masterKey), ...tampered }).ok;
      }),
      run,
    );
  });

  it("fails to decrypt with another channel's key", () => {
    fc.assert(
      fc.property(boxArb, channelArb, (b, other) => {
        fc.pre(other !== b.channel);
        const payload = encryptPayload(b);
        return !decryptPayload({ sharedSecret: channelSharedSecret(other, b.masterKey), ...payload }).ok;
      }),
      run,
    );
  });
});
