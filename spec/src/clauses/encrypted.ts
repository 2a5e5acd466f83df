import type { ClauseDef } from './types.ts';

export const encryptedClauses = {
  'encrypted.auth-like-private': {
    area: 'encrypted',
    level: 'MUST',
    title: 'Encrypted channels authorized like private ones',
    text: 'The server MUST authorize a private-encrypted- subscription with the private signature over "{socket_id}:{channel}" and MUST refuse it when that signature is missing or wrong.',
    sources: [
      { source: 'pusher-docs/encrypted-channels' },
      { source: 'pusher-docs/auth-signatures' },
    ],
    impact: 'pusher-js subscribes to encrypted channels with a plain private signature; any other check refuses them.',
  },
  'encrypted.shared-secret-not-signed': {
    area: 'encrypted',
    level: 'MUST',
    title: 'shared_secret is not part of the check',
    text: 'The server MUST NOT require the shared_secret, or any field other than auth, in an encrypted channel subscription, and MUST NOT include it in the signature check.',
    sources: [
      { source: 'pusher-docs/auth-signatures', note: 'shared_secret is outside the signature' },
      { source: 'pusher-js/encrypted-channel', note: 'keeps shared_secret locally and never sends it' },
    ],
    impact: 'pusher-js never sends the key to the server; requiring it refuses every encrypted subscription.',
  },
  'encrypted.relay-opaque': {
    area: 'encrypted',
    level: 'MUST',
    title: 'Encrypted payloads relayed untouched',
    text: 'The server MUST deliver the data of events on encrypted channels exactly as published, without decrypting, re-encoding or validating the ciphertext.',
    sources: [
      { source: 'pusher-docs/encrypted-channels', note: 'the master key never reaches Pusher' },
      { source: 'kit/vectors', note: 'secretbox vector with a fixed nonce' },
    ],
    impact: 'Any change to nonce or ciphertext makes pusher-js fail decryption, re-authorize once, and then drop the event.',
  },
  'encrypted.key-agnostic': {
    area: 'encrypted',
    level: 'MUST',
    title: 'No master key on the server',
    text: 'The server MUST serve encrypted channels without knowing the encryption master key.',
    sources: [{ source: 'pusher-docs/encrypted-channels' }],
    impact: 'End-to-end encryption would be void if the server had to be given the key.',
  },
  'encrypted.multi-channel-publish': {
    area: 'encrypted',
    level: 'MAY',
    title: 'Multi-channel publish including an encrypted channel',
    text: 'The server MAY refuse with 400 a REST publish to several channels when one of them is a private-encrypted- channel; it MAY also accept it.',
    sources: [
      { source: 'pusher-docs/server-library-spec', note: 'the rule binds server libraries' },
      { source: 'pusher-http-node/pusher', note: 'throws before sending' },
      { source: 'soketify/channels' },
    ],
    impact: 'None with official SDKs, which never send such a request; a hand-made request would otherwise send one ciphertext to several channels.',
    ambiguity: 'encrypted-multi-channel-publish',
  },
  'encrypted.batch-accepted': {
    area: 'encrypted',
    level: 'MUST',
    title: 'Batches may include encrypted channels',
    text: 'The server MUST accept a batch_events request whose items target encrypted channels, each with its own ciphertext.',
    sources: [
      { source: 'pusher-docs/encrypted-channels' },
      { source: 'pusher-http-node/events', note: 'encrypts each batch item separately' },
    ],
    impact: 'pusher-http-node triggerBatch with encrypted channels would fail in the app\'s backend.',
  },
  'encrypted.names-in-clear': {
    area: 'encrypted',
    level: 'MUST',
    title: 'Event and channel names routed in clear',
    text: 'The server MUST route events on encrypted channels by their plaintext event and channel names, like any other event.',
    sources: [{ source: 'pusher-docs/encrypted-channels', note: 'only the data is encrypted' }],
    impact: 'Encrypted events would not reach their bindings in pusher-js.',
  },
} as const satisfies Record<string, ClauseDef>;
