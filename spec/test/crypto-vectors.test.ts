import { describe, expect, it } from 'vitest';
import {
  bodyMd5Vectors,
  channelAuthVectors,
  channelSharedSecret,
  channelStringToSign,
  decryptPayload,
  docsPresenceErratum,
  encryptedDataString,
  hmacSha256Hex,
  md5Hex,
  restStringToSign,
  restVectors,
  secretboxVectors,
  sharedSecretVectors,
  signChannel,
  signRestRequest,
  signUser,
  signWebhook,
  userAuthVectors,
  userStringToSign,
  verifyChannelAuth,
  verifyRestRequest,
  verifyUserAuth,
  verifyWebhook,
  webhookVectors,
  WebhookHeader,
} from '../src/crypto/index.ts';

describe('channel authorization signatures', () => {
  describe.each(channelAuthVectors)('$id ($source)', (v) => {
    const kind = v.channelData === undefined ? 'socket_id:channel' : 'socket_id:channel:channel_data';

    it(`builds the string to sign as ${kind}`, () => {
      expect(channelStringToSign(v)).toBe(v.stringToSign);
    });

    it(`signs as HMAC-SHA256 of ${kind}, keyed by the app secret`, () => {
      expect(hmacSha256Hex(v.secret, v.stringToSign)).toBe(v.signature);
      expect(signChannel(v)).toBe(`${v.key}:${v.signature}`);
    });

    it('accepts the documented auth value', () => {
      expect(verifyChannelAuth({ ...v, auth: `${v.key}:${v.signature}` })).toEqual({ ok: true });
    });
  });

  it('signs a private channel as HMAC-SHA256 of socket_id:channel', () => {
    const v = channelAuthVectors.find((x) => x.id === 'docs-2-private')!;
    expect(signChannel(v)).toBe('278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4');
  });

  it('docs erratum: the presence example as printed ("Mr. Channels") does not match its printed signature', () => {
    const e = docsPresenceErratum;
    expect(channelStringToSign(e)).toBe(e.stringToSign);
    expect(hmacSha256Hex(e.secret, e.stringToSign)).not.toBe(e.documentedSignature);
    expect(hmacSha256Hex(e.secret, e.stringToSign)).toBe(e.actualSignature);
    expect(verifyChannelAuth({ ...e, auth: `${e.key}:${e.documentedSignature}` })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('reports a wrong key prefix as wrong-key and a missing colon as malformed', () => {
    const v = channelAuthVectors[0]!;
    expect(verifyChannelAuth({ ...v, auth: `other:${v.signature}` })).toEqual({ ok: false, reason: 'wrong-key' });
    expect(verifyChannelAuth({ ...v, auth: v.signature })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyChannelAuth({ ...v, auth: `${v.key}:${v.signature.toUpperCase()}` })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('user sign-in signatures', () => {
  describe.each(userAuthVectors)('$id ($source)', (v) => {
    it('signs user_data as HMAC-SHA256 of socket_id::user::user_data', () => {
      expect(userStringToSign(v)).toBe(v.stringToSign);
      expect(hmacSha256Hex(v.secret, v.stringToSign)).toBe(v.signature);
      expect(signUser(v)).toBe(`${v.key}:${v.signature}`);
    });

    it('accepts the documented auth value', () => {
      expect(verifyUserAuth({ ...v, auth: `${v.key}:${v.signature}` })).toEqual({ ok: true });
    });
  });
});

describe('REST request signing', () => {
  it.each(bodyMd5Vectors)('computes body_md5 as lowercase hex MD5 of the exact body ($id)', (v) => {
    expect(md5Hex(v.body)).toBe(v.md5);
    expect(md5Hex(Buffer.from(v.body, 'utf8'))).toBe(v.md5);
  });

  describe.each(restVectors)('$id ($source)', (v) => {
    const signed = () =>
      signRestRequest({ key: v.key, secret: v.secret, method: v.method, path: v.path, params: v.params, body: v.body, timestamp: v.timestamp });

    it('signs METHOD\\npath\\nsorted k=v params, auth_signature excluded', () => {
      expect(restStringToSign(v.method, v.path, signed().params)).toBe(v.stringToSign);
      expect(hmacSha256Hex(v.secret, v.stringToSign)).toBe(v.signature);
    });

    it('reproduces the vector with signRestRequest at a fixed timestamp', () => {
      const { params, query } = signed();
      expect(params.auth_signature).toBe(v.signature);
      expect(params.body_md5 === undefined).toBe(v.body.length === 0);
      expect(new URLSearchParams(query).get('auth_signature')).toBe(v.signature);
    });

    it('is accepted by verifyRestRequest at the signing time', () => {
      const result = verifyRestRequest({
        method: v.method,
        path: v.path,
        query: new URLSearchParams(signed().query),
        body: v.body,
        lookupSecret: (key) => (key === v.key ? v.secret : undefined),
        now: v.timestamp,
        windowSeconds: 600,
      });
      expect(result).toEqual({ ok: true, key: v.key });
    });
  });

  describe('verifying the docs worked example (vector 5)', () => {
    const v = restVectors.find((x) => x.id === 'docs-5-rest')!;
    const { params } = signRestRequest({ key: v.key, secret: v.secret, method: 'POST', path: v.path, body: v.body, timestamp: v.timestamp });
    const verify = (overrides: { now?: number; body?: string; query?: Record<string, string | string[]> }) =>
      verifyRestRequest({
        method: 'POST',
        path: v.path,
        query: overrides.query ?? params,
        body: overrides.body ?? v.body,
        lookupSecret: (key) => (key === v.key ? v.secret : undefined),
        now: overrides.now ?? v.timestamp,
        windowSeconds: 600,
      });

    it('accepts it at now = auth_timestamp', () => {
      expect(verify({ now: 1353088179 })).toEqual({ ok: true, key: v.key });
    });

    it('accepts it exactly 600 s late and rejects it 601 s late as stale-timestamp', () => {
      expect(verify({ now: 1353088179 + 600 }).ok).toBe(true);
      expect(verify({ now: 1353088179 + 601 })).toEqual({
        ok: false,
        reason: 'stale-timestamp',
        detail: 'Timestamp expired: given 1353088179 is not within 600 s of server time 1353088780',
      });
    });

    it('rejects a tampered body as body-md5-mismatch', () => {
      expect(verify({ body: v.body.replace('foo', 'bar') })).toMatchObject({ ok: false, reason: 'body-md5-mismatch' });
    });

    it('rejects a non-empty body without body_md5 as body-md5-missing', () => {
      const { body_md5: _omitted, ...rest } = params;
      expect(verify({ query: rest })).toMatchObject({ ok: false, reason: 'body-md5-missing' });
    });

    it('rejects missing params, other versions and unknown keys with a reason', () => {
      const { auth_signature: _sig, ...unsigned } = params;
      expect(verify({ query: unsigned })).toMatchObject({ ok: false, reason: 'missing-param' });
      expect(verify({ query: { ...params, auth_version: '2.0' } })).toMatchObject({ ok: false, reason: 'bad-version' });
      expect(verify({ query: { ...params, auth_key: 'nope' } })).toMatchObject({ ok: false, reason: 'unknown-key' });
      expect(verify({ query: { ...params, extra: 'x' } })).toMatchObject({ ok: false, reason: 'bad-signature' });
    });

    it('does not crash on array-valued params such as channels[]', () => {
      expect(verify({ query: { ...params, 'channels[]': ['a', 'b'] } })).toMatchObject({ ok: false, reason: 'bad-signature' });
    });
  });
});

describe('webhook signatures', () => {
  describe.each(webhookVectors)('$id ($source)', (v) => {
    it('signs X-Pusher-Signature as HMAC-SHA256 of the raw body', () => {
      expect(signWebhook(v.secret, v.body)).toBe(v.signature);
    });

    it('verifies X-Pusher-Key and X-Pusher-Signature, reading header names case-insensitively', () => {
      const lower = { 'x-pusher-key': v.key, 'x-pusher-signature': v.signature };
      const asSent = { [WebhookHeader.Key]: v.key, [WebhookHeader.Signature]: v.signature };
      expect(verifyWebhook({ key: v.key, secret: v.secret, headers: lower, rawBody: v.body })).toEqual({ ok: true });
      expect(verifyWebhook({ key: v.key, secret: v.secret, headers: asSent, rawBody: v.body })).toEqual({ ok: true });
      expect(verifyWebhook({ key: v.key, secret: v.secret, headers: new Headers(asSent), rawBody: v.body })).toEqual({ ok: true });
    });

    it('rejects missing headers, another key and a different body', () => {
      const headers = { 'x-pusher-key': v.key, 'x-pusher-signature': v.signature };
      const check = (h: Record<string, string>, body = v.body) => verifyWebhook({ key: v.key, secret: v.secret, headers: h, rawBody: body });
      expect(check({ 'x-pusher-signature': v.signature })).toEqual({ ok: false, reason: 'missing-key-header' });
      expect(check({ 'x-pusher-key': v.key })).toEqual({ ok: false, reason: 'missing-signature-header' });
      expect(check({ ...headers, 'x-pusher-key': 'other' })).toEqual({ ok: false, reason: 'wrong-key' });
      expect(check(headers, `${v.body} `)).toEqual({ ok: false, reason: 'bad-signature' });
    });
  });
});

describe('encrypted channels', () => {
  it.each(sharedSecretVectors)('derives shared_secret as SHA-256(channel_name ‖ master_key) ($id)', (v) => {
    const fromBase64 = channelSharedSecret(v.channel, v.masterKeyBase64);
    const fromBytes = channelSharedSecret(v.channel, Buffer.from(v.masterKeyBase64, 'base64'));
    expect(Buffer.from(fromBase64).toString('base64')).toBe(v.sharedSecretBase64);
    expect(Buffer.from(fromBytes).toString('base64')).toBe(v.sharedSecretBase64);
  });

  describe.each(secretboxVectors)('$id ($source)', (v) => {
    const nonce = new Uint8Array(Buffer.from(v.nonceBase64, 'base64'));

    it('encrypts data as {"nonce","ciphertext"} with NaCl secretbox under the channel key', () => {
      expect(encryptedDataString({ channel: v.channel, masterKey: v.masterKeyBase64, plaintext: v.plaintext, nonce })).toBe(v.data);
    });

    it('decrypts the vector back to the plaintext', () => {
      const { nonce: n, ciphertext } = JSON.parse(v.data) as { nonce: string; ciphertext: string };
      const sharedSecret = channelSharedSecret(v.channel, v.masterKeyBase64);
      expect(decryptPayload({ sharedSecret, nonce: n, ciphertext })).toEqual({ ok: true, plaintext: v.plaintext });
      expect(Buffer.from(ciphertext, 'base64').length).toBe(Buffer.byteLength(v.plaintext) + 16);
    });
  });

  it('rejects a master key that is not 32 bytes with EncryptionKeyError', () => {
    expect(() => channelSharedSecret('private-encrypted-x', new Uint8Array(31))).toThrow(
      expect.objectContaining({ name: 'EncryptionKeyError' }),
    );
    expect(() => channelSharedSecret('private-encrypted-x', 'not base64!')).toThrow(
      expect.objectContaining({ name: 'EncryptionKeyError' }),
    );
  });

  it('reports garbage input as ok:false instead of throwing', () => {
    const key = new Uint8Array(32);
    const nonce = Buffer.alloc(24).toString('base64');
    expect(decryptPayload({ sharedSecret: key, nonce: '!!', ciphertext: 'AAAA' })).toEqual({ ok: false, reason: 'bad-nonce' });
    expect(decryptPayload({ sharedSecret: key, nonce: 'AAAA', ciphertext: 'AAAA' })).toEqual({ ok: false, reason: 'bad-nonce' });
    expect(decryptPayload({ sharedSecret: key, nonce, ciphertext: '@@@' })).toEqual({ ok: false, reason: 'bad-ciphertext' });
    expect(decryptPayload({ sharedSecret: key, nonce, ciphertext: 'AAAA' })).toEqual({ ok: false, reason: 'auth-failed' });
    expect(decryptPayload({ sharedSecret: 'short', nonce, ciphertext: 'AAAA' })).toEqual({ ok: false, reason: 'bad-key' });
  });
});
