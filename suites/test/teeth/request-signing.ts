// Faults that make each request-signing case fail (verified against the reference server).
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'request-signing/valid-accepted': ['event-delivered-twice'],
  'request-signing/query-params-signed-unescaped': ['rest-query-signed-escaped'],
  'request-signing/get-without-body-md5': ['body-md5-required-on-get'],
  'request-signing/bad-signature-refused': ['rest-signature-not-checked'],
  'request-signing/unknown-key-refused': ['rest-signature-not-checked'],
  'request-signing/params-changed-after-signing': ['rest-signature-not-checked'],
  'request-signing/method-and-path-signed': ['rest-signature-not-checked'],
  'request-signing/body-md5-mismatch-refused': ['rest-body-md5-not-checked', 'rest-signature-not-checked'],
  'request-signing/body-md5-missing-refused': ['rest-body-md5-not-checked', 'rest-signature-not-checked'],
  'request-signing/missing-auth-params-refused': ['rest-signature-not-checked'],
  'request-signing/other-auth-version-refused': ['rest-signature-not-checked'],
  'request-signing/timestamp-outside-window-refused': ['rest-timestamp-not-checked', 'rest-signature-not-checked', 'future-timestamp-not-checked'],
  'request-signing/other-app-credentials-refused': ['other-app-credentials-accepted', 'rest-signature-not-checked'],
  'request-signing/every-endpoint-checked': ['batch-signature-not-checked', 'channel-get-signature-not-checked', 'rest-signature-not-checked'],
  'request-signing/timestamp-inside-window-accepted': ['timestamp-window-narrow', 'subscription-succeeded-no-channel'],
} satisfies Record<string, FaultName[]>;
