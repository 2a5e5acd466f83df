/**
 * The signing and encryption algorithms step by step, each with a worked example computed at
 * build time by spec/src/crypto on the first known-answer vector of its kind; the page is not
 * written if a computation disagrees with the vector.
 * @module
 */
import {
  AUTH_VERSION,
  channelAuthVectors,
  channelSharedSecret,
  channelStringToSign,
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
  WebhookHeader,
  webhookVectors,
} from '../../../spec/src/crypto/index.ts';
import { code, codeBlock, heading, link, list, mdxPage, p, strong, table, type Block } from './mdast.ts';
import { clauseAreaPath, route } from './routes.ts';

function agree(what: string, computed: string, expected: string): string {
  if (computed !== expected) throw new Error(`website: worked example "${what}": spec/src/crypto computes ${computed}, the vector says ${expected}`);
  return computed;
}

function first<T>(list_: readonly T[], name: string): T {
  const v = list_[0];
  if (v === undefined) throw new Error(`website: spec/src/crypto/vectors.ts has no ${name} vector for the worked example`);
  return v;
}

export function signingPage(): string {
  const ch = first(channelAuthVectors.filter((v) => v.channelData === undefined), 'private-channel');
  const pr = channelAuthVectors.find((v) => v.channelData !== undefined);
  const us = first(userAuthVectors, 'user-auth');
  const rv = first(restVectors.filter((v) => v.body.length > 0), 'REST-with-body');
  const wh = first(webhookVectors, 'webhook');
  const ss = first(sharedSecretVectors, 'shared-secret');
  const sb = first(secretboxVectors, 'secretbox');

  const chString = agree('channel string to sign', channelStringToSign(ch), ch.stringToSign);
  const chSig = agree('channel signature', hmacSha256Hex(ch.secret, chString), ch.signature);
  const body: Block[] = [
    heading(1, ['Signing and encryption']),
    p('Every algorithm the protocol uses, step by step. Each worked example is computed by the kit\'s own functions (spec/src/crypto) when the site is built and checked against a known-answer vector; see ', link(route.vectors, 'the vectors'), '.'),
    heading(2, ['Channel authorization (private and encrypted channels)'], 'channel-auth'),
    list([
      ['Take the socket id from ', code('pusher:connection_established'), ' and the channel name.'],
      ['String to sign: ', code('socket_id:channel_name'), '.'],
      ['Signature: lowercase hex HMAC-SHA256 of that string, keyed with the app secret.'],
      ['The ', code('auth'), ' field is ', code('key:signature'), '.'],
    ], true),
    table(['step', 'value'], [
      ['key / secret', [code(ch.key), ' / ', code(ch.secret)]],
      ['socket id, channel', [code(ch.socketId), ', ', code(ch.channel)]],
      ['string to sign', code(chString)],
      ['HMAC-SHA256 (hex)', code(chSig)],
      ['auth', code(agree('channel auth value', signChannel(ch), `${ch.key}:${ch.signature}`))],
    ]),
    p('Clauses: ', link(clauseAreaPath('channel-auth'), 'channel-auth'), '. Vector: ', code(ch.id), '.'),
  ];
  if (pr?.channelData !== undefined) {
    const prString = agree('presence string to sign', channelStringToSign(pr), pr.stringToSign);
    body.push(
      heading(2, ['Presence channels'], 'presence-auth'),
      p('As above, with the exact ', code('channel_data'), ' string appended: ', code('socket_id:channel_name:channel_data'), '. The server must verify the bytes the client sent, not a re-serialisation.'),
      table(['step', 'value'], [
        ['channel_data', code(pr.channelData)],
        ['string to sign', code(prString)],
        ['HMAC-SHA256 (hex)', code(agree('presence signature', hmacSha256Hex(pr.secret, prString), pr.signature))],
      ]),
      p('Vector: ', code(pr.id), '.'),
    );
  }
  const usString = agree('user string to sign', userStringToSign(us), us.stringToSign);
  body.push(
    heading(2, ['User authentication (pusher:signin)'], 'user-auth'),
    p('String to sign: ', code('socket_id::user::user_data'), ', with ', code('user_data'), ' exactly as sent; the ', code('auth'), ' field is ', code('key:hex HMAC-SHA256'), '.'),
    table(['step', 'value'], [
      ['user_data', code(us.userData)],
      ['string to sign', code(usString)],
      ['auth', code(agree('user auth value', signUser(us), `${us.key}:${us.signature}`))],
    ]),
    p('Clauses: ', link(clauseAreaPath('signin'), 'signin'), '. Vector: ', code(us.id), '.'),
  );
  const md5 = md5Hex(rv.body);
  const signed = signRestRequest({ key: rv.key, secret: rv.secret, method: rv.method, path: rv.path, params: rv.params, body: rv.body, timestamp: rv.timestamp });
  const { auth_signature: _sig, ...unsigned } = signed.params;
  body.push(
    heading(2, ['REST request signing'], 'rest-signing'),
    list([
      ['Add ', code('auth_key'), ', ', code('auth_timestamp'), ' (Unix seconds) and ', code('auth_version'), ' = ', code(AUTH_VERSION), ' to the query; for a non-empty body also ', code('body_md5'), ' (hex MD5 of the body).'],
      ['Lowercase the keys, sort them, join ', code('key=value'), ' pairs with ', code('&'), ', nothing URL-escaped.'],
      ['String to sign: ', code('METHOD'), ', newline, the path, newline, that query string.'],
      ['Append ', code('auth_signature'), ' = hex HMAC-SHA256 of the string, keyed with the secret.'],
    ], true),
    table(['step', 'value'], [
      ['request', code(`${rv.method} ${rv.path}`)],
      ['body', code(rv.body)],
      ['body_md5', code(md5)],
      ['string to sign', code(agree('REST string to sign', restStringToSign(rv.method, rv.path, unsigned), rv.stringToSign))],
      ['auth_signature', code(agree('REST signature', signed.params.auth_signature ?? '', rv.signature))],
      ['query', code(signed.query)],
    ]),
    p('Clauses: ', link(clauseAreaPath('request-signing'), 'request-signing'), '. Vector: ', code(rv.id), '.'),
    heading(2, ['Webhook signatures'], 'webhook-signing'),
    p('The server signs the raw body it sends: ', code(WebhookHeader.Signature), ' = hex HMAC-SHA256 of the body bytes keyed with the secret; ', code(WebhookHeader.Key), ' carries the app key.'),
    table(['step', 'value'], [
      ['body', code(wh.body)],
      [WebhookHeader.Signature, code(agree('webhook signature', signWebhook(wh.secret, wh.body), wh.signature))],
    ]),
    p('See ', link(route.webhooks, 'webhooks'), '. Vector: ', code(wh.id), '.'),
    heading(2, ['Encrypted channels'], 'encryption'),
    list([
      ['Per-channel key: SHA-256 of the channel name (UTF-8) followed by the 32-byte master key. The auth endpoint returns it base64 as ', code('shared_secret'), '.'],
      ['The publisher encrypts the event data with NaCl secretbox (XSalsa20-Poly1305) under that key and a random 24-byte nonce.'],
      ['The event ', code('data'), ' is the JSON string ', code('{"nonce": base64, "ciphertext": base64}'), '; the server relays it untouched.'],
    ], true),
    table(['step', 'value'], [
      ['channel', code(ss.channel)],
      ['master key (base64)', code(ss.masterKeyBase64)],
      ['shared_secret (base64)', code(agree('shared secret', Buffer.from(channelSharedSecret(ss.channel, ss.masterKeyBase64)).toString('base64'), ss.sharedSecretBase64))],
    ]),
    codeBlock('json', agree('secretbox data', encryptedDataString({ channel: sb.channel, masterKey: sb.masterKeyBase64, plaintext: sb.plaintext, nonce: new Uint8Array(Buffer.from(sb.nonceBase64, 'base64')) }), sb.data)),
    p(strong('Plaintext:'), ' ', code(sb.plaintext), '. Clauses: ', link(clauseAreaPath('encrypted'), 'encrypted'), '. Vectors: ', code(ss.id), ', ', code(sb.id), '.'),
  );
  return mdxPage({ title: 'Signing and encryption', sidebar_position: 9 }, body);
}
