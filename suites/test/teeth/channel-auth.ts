// Faults that make each channel-auth case fail (verified against the reference server).
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'channel-auth/private-valid': ['private-auth-name-escaped', 'subscription-succeeded-no-channel'],
  'channel-auth/encrypted-valid': ['encrypted-auth-wrong-string', 'subscription-succeeded-no-channel'],
  'channel-auth/presence-valid': ['channel-data-reserialized', 'subscription-succeeded-no-channel'],
  'channel-auth/missing-auth-refused': ['signature-not-checked'],
  'channel-auth/wrong-socket-id-refused': ['other-socket-signature-accepted', 'signature-not-checked'],
  'channel-auth/wrong-channel-refused': ['other-channel-signature-accepted', 'signature-not-checked'],
  'channel-auth/wrong-secret-refused': ['signature-not-checked'],
  'channel-auth/one-hex-digit-changed-refused': ['signature-not-checked'],
  'channel-auth/truncated-or-padded-refused': ['truncated-signature-accepted', 'signature-not-checked'],
  'channel-auth/malformed-auth-refused': ['auth-key-ignored', 'signature-not-checked'],
  'channel-auth/wrong-key-prefix-refused': ['auth-key-ignored'],
  'channel-auth/presence-channel-data-tampered': ['signature-not-checked'],
  'channel-auth/presence-signature-covers-channel-data': ['channel-data-not-signed'],
  'channel-auth/cache-variants-signed': ['signature-not-checked'],
  'channel-auth/failure-keeps-connection': ['auth-refusal-closes', 'signature-not-checked'],
  'channel-auth/failure-signalled': ['auth-refusal-silent', 'signature-not-checked'],
  'channel-auth/retry-after-failure': ['signature-not-checked'],
} satisfies Record<string, FaultName[]>;
