// Known-answer vectors for every signature and encryption scheme, as data so that tests and the docs
// site share one copy. Sources: pusher/docs @ b34294a (`docs`), pusher-http-node 5.3.3 @ 7492d8d tests
// (`sdk:node`), and vectors we computed ourselves (`ours`). Every value was checked with Node's crypto.

export type VectorSource = 'docs' | 'sdk:node' | 'ours';

/** The credentials of Pusher's auth-signatures.md and rest-api.md worked examples. */
export const DOCS_CREDENTIALS = {
  appId: '3',
  key: '278d425bdf160c739803',
  secret: '7ad3773142a6692b25b8',
  socketId: '1234.1234',
} as const;

const SDK_NODE_KEY = 'aaaa';

export interface ChannelAuthVector {
  id: string;
  source: VectorSource;
  key: string;
  secret: string;
  socketId: string;
  channel: string;
  channelData?: string;
  stringToSign: string;
  /** Lowercase hex HMAC-SHA256; the `auth` value is `${key}:${signature}`. */
  signature: string;
}

export interface UserAuthVector {
  id: string;
  source: VectorSource;
  key: string;
  secret: string;
  socketId: string;
  userData: string;
  stringToSign: string;
  signature: string;
}

export interface BodyMd5Vector {
  id: string;
  source: VectorSource;
  body: string;
  md5: string;
}

export interface RestVector {
  id: string;
  source: VectorSource;
  key: string;
  secret: string;
  method: string;
  path: string;
  timestamp: number;
  /** Params besides auth_key, auth_timestamp, auth_version, body_md5 and auth_signature. */
  params: Record<string, string>;
  body: string;
  stringToSign: string;
  signature: string;
}

export interface WebhookVector {
  id: string;
  source: VectorSource;
  key: string;
  secret: string;
  body: string;
  signature: string;
}

export interface SharedSecretVector {
  id: string;
  source: VectorSource;
  masterKeyBase64: string;
  channel: string;
  sharedSecretBase64: string;
}

export interface SecretboxVector {
  id: string;
  source: VectorSource;
  masterKeyBase64: string;
  channel: string;
  nonceBase64: string;
  plaintext: string;
  /** The event `data` string: `{"nonce":…,"ciphertext":…}`. */
  data: string;
}

const D = DOCS_CREDENTIALS;

export const userAuthVectors: readonly UserAuthVector[] = [
  {
    id: 'docs-1-user',
    source: 'docs',
    key: D.key,
    secret: D.secret,
    socketId: D.socketId,
    userData: '{"id":"12345"}',
    stringToSign: '1234.1234::user::{"id":"12345"}',
    signature: '4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba',
  },
  ...(
    [
      ['sdk-node-user-1', 'tofu', '{"id":"45678"}', 'f4b1fdeea7c93e32648c7230e32b172057c5623cace6cfce791c6e7035e0babd'],
      ['sdk-node-user-2', 'tofu', '{"id":"55555","user_name":"test"}', 'b8a9f173455903792ae2b788add0c4c78ad7372b3ae7fb5769479276a1993743'],
      ['sdk-node-user-3', '1', '{"id":"45678"}', '79bddf29fe8e2153dd5d8d569b3f45e5aeb26ae2eb4758879d844791b466cfa2'],
      ['sdk-node-user-4', '2', '{"id":"45678"}', 'a542498ffa6faf6de7c17a8106b923c042319bd73acfd1d274df32e269b55d1f'],
    ] as const
  ).map(([id, secret, userData, signature]) => ({
    id,
    source: 'sdk:node' as const,
    key: SDK_NODE_KEY,
    secret,
    socketId: '123.456',
    userData,
    stringToSign: `123.456::user::${userData}`,
    signature,
  })),
];

export const channelAuthVectors: readonly ChannelAuthVector[] = [
  {
    id: 'docs-2-private',
    source: 'docs',
    key: D.key,
    secret: D.secret,
    socketId: D.socketId,
    channel: 'private-foobar',
    stringToSign: '1234.1234:private-foobar',
    signature: '58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4',
  },
  {
    // The docs print "Mr. Channels" next to this signature; it was computed for "Mr. Pusher".
    id: 'docs-3b-presence',
    source: 'docs',
    key: D.key,
    secret: D.secret,
    socketId: D.socketId,
    channel: 'presence-foobar',
    channelData: '{"user_id":10,"user_info":{"name":"Mr. Pusher"}}',
    stringToSign: '1234.1234:presence-foobar:{"user_id":10,"user_info":{"name":"Mr. Pusher"}}',
    signature: 'afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c',
  },
  ...(
    [
      ['sdk-node-channel-1', 'tofu', '123.456', 'test', undefined, 'efa6cf7644a0b35cba36aa0f776f3cbf7bb60e95ea2696bde1dbe8403b61bd7c'],
      ['sdk-node-channel-2', 'tofu', '321.654', 'test', undefined, 'f6ecb0a17d3e4f68aca28f1673197a7608587c09deb0208faa4b5519aee0a777'],
      ['sdk-node-channel-3', 'tofu', '123.456', 'test1', undefined, 'd5ab857f805433cb50562da96afa41688d7742a3c3a021ed15a4d991a4d8cf94'],
      ['sdk-node-channel-4', 'tofu', '123.456', 'test2', undefined, '43affa6a09af1fb9ce1cadf176171346beaf7366673ec1e5920f68b3e97a466d'],
      ['sdk-node-channel-5', '1', '123.456', 'test', undefined, '584828bd6e80b2d177d2b28fde07b8e170abf87ccb5a791a50c933711fb8eb28'],
      ['sdk-node-channel-6', '2', '123.456', 'test', undefined, '269bbf3f7625db4e0d0525b617efa5915c3ae667fd222dc8e4cb94bc531f26f2'],
      ['sdk-node-channel-7', 'tofu', '123.456', 'test', '{"foo":"bar"}', 'f41faf9ead2ea76772cc6b1168363057459f02499ae4d92e88229dc7f4efa2d4'],
      ['sdk-node-channel-8-utf8', 'tofu', '1.1', 'test', '"ą§¶™€łü€ß£"', '2a229263e89d9c50524fd80c2e88be2843379f6931e28995e2cc214282c9db0c'],
      ['sdk-node-channel-9-encrypted', 'tofu', '123.456', 'private-encrypted-bla', '"foo"', '962c48b78bf93d98ff4c92ee7dff04865821455b7b401e9d60a9e0a90af2c105'],
      ['sdk-node-channel-10', 'tofu', '123.456', 'bla', '"foo"', '013ad3da0d88e0df6ae0a8184bef50b9c3933f2344499e6e3d1ad67fad799e20'],
    ] as const
  ).map(([id, secret, socketId, channel, channelData, signature]) => ({
    id,
    source: 'sdk:node' as const,
    key: SDK_NODE_KEY,
    secret,
    socketId,
    channel,
    ...(channelData === undefined ? {} : { channelData }),
    stringToSign: channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`,
    signature,
  })),
];

/**
 * Docs erratum: auth-signatures.md prints this presence example with the signature of vector 3b.
 * `actualSignature` is what the printed input really signs to.
 */
export const docsPresenceErratum = {
  id: 'docs-3-presence-as-printed',
  source: 'docs' as VectorSource,
  key: D.key,
  secret: D.secret,
  socketId: D.socketId,
  channel: 'presence-foobar',
  channelData: '{"user_id":10,"user_info":{"name":"Mr. Channels"}}',
  stringToSign: '1234.1234:presence-foobar:{"user_id":10,"user_info":{"name":"Mr. Channels"}}',
  documentedSignature: 'afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c',
  actualSignature: '31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80',
} as const;

const DOCS_EVENT_BODY = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';

export const bodyMd5Vectors: readonly BodyMd5Vector[] = [
  { id: 'docs-4-body-md5', source: 'docs', body: DOCS_EVENT_BODY, md5: 'ec365a775a4cd0599faeb73354201b6f' },
  { id: 'sdk-node-body-md5', source: 'sdk:node', body: 'example body', md5: '165d5e6d7ca8f73b3853ce45addf42fc' },
];

export const restVectors: readonly RestVector[] = [
  {
    id: 'docs-5-rest',
    source: 'docs',
    key: D.key,
    secret: D.secret,
    method: 'POST',
    path: '/apps/3/events',
    timestamp: 1353088179,
    params: {},
    body: DOCS_EVENT_BODY,
    stringToSign:
      'POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f',
    signature: 'da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c',
  },
  {
    id: 'sdk-node-rest-body',
    source: 'sdk:node',
    key: 'f00d',
    secret: 'tofu',
    method: 'GET',
    path: '/event',
    timestamp: 1234567890,
    params: {},
    body: 'example body',
    stringToSign:
      'GET\n/event\nauth_key=f00d&auth_timestamp=1234567890&auth_version=1.0&body_md5=165d5e6d7ca8f73b3853ce45addf42fc',
    signature: 'a650196dc427ebe837226f8565ca9232198c6d1b9455eaa72374a9dc0b620e7b',
  },
  {
    id: 'sdk-node-rest-params',
    source: 'sdk:node',
    key: 'f00d',
    secret: 'tofu',
    method: 'GET',
    path: '/event',
    timestamp: 1234567890,
    params: { foo: 'bar', baz: '123454321' },
    body: '',
    stringToSign: 'GET\n/event\nauth_key=f00d&auth_timestamp=1234567890&auth_version=1.0&baz=123454321&foo=bar',
    signature: 'd8bdbd31911fb7400a14fbd36fd7de053494725b64400ae5856deafe304b34a9',
  },
];

export const webhookVectors: readonly WebhookVector[] = [
  {
    id: 'sdk-node-webhook',
    source: 'sdk:node',
    key: '123456789',
    secret: 'tofu',
    body: '{"time_ms":1403175510755,"events":[{"channel":"test_channel","name":"channel_vacated"}]}',
    signature: 'c17257e92037cd7de407ebc1ed174ceb7b2e518db127f44411b9ffc4f5b28cc5',
  },
];

const SDK_NODE_MASTER_KEY = 'zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=';

export const sharedSecretVectors: readonly SharedSecretVector[] = [
  {
    id: 'sdk-node-shared-secret',
    source: 'sdk:node',
    masterKeyBase64: SDK_NODE_MASTER_KEY,
    channel: 'private-encrypted-bla',
    sharedSecretBase64: 'nlr49ISQHz91yS3cy/yWmW8wFMNeTnNL5tNHnbPJcLQ=',
  },
];

export const secretboxVectors: readonly SecretboxVector[] = [
  {
    // Not official: a fixed nonce (bytes 0x00..0x17) makes the output deterministic.
    id: 'ours-secretbox-fixed-nonce',
    source: 'ours',
    masterKeyBase64: SDK_NODE_MASTER_KEY,
    channel: 'private-encrypted-bla',
    nonceBase64: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYX',
    plaintext: '{"message":"hello world"}',
    data: '{"nonce":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYX","ciphertext":"33oMbJp4jf9rt7Abv2Sc4QEidySHWH/MlDfFNmdv+bWcdikhl31YXp8="}',
  },
];
