// Faults of the reference server that each connection case must catch (verdict other than pass).
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'connection/established-fields': ['socket-id-malformed', 'activity-timeout-zero'],
  'connection/established-data-json-string': ['handshake-data-object'],
  'connection/activity-timeout-positive': ['activity-timeout-zero'],
  'connection/socket-id-format': ['socket-id-malformed'],
  'connection/socket-id-unique': ['socket-id-malformed', 'activity-timeout-zero'],
  'connection/pusher-ping-answered': ['no-pong'],
  'connection/protocol-ping-answered': ['no-protocol-pong'],
  'connection/client-pong-accepted': ['no-pong'],
  'connection/unknown-app-key-refused': ['unknown-app-accepted', 'unknown-app-wrong-code'],
  'connection/disabled-app-refused': ['disabled-app-accepted'],
  'connection/bad-path-refused': ['bad-path-accepted'],
  'connection/over-quota-refused': ['quota-not-enforced'],
  'connection/protocol-7-accepted': ['activity-timeout-zero', 'socket-id-malformed'],
  'connection/unknown-query-params-ignored': ['activity-timeout-zero', 'socket-id-malformed'],
  'connection/protocol-missing': ['activity-timeout-zero'],
  'connection/old-protocol-no-dialect-switch': ['activity-timeout-zero'],
  'connection/fatal-error-signalling': ['unknown-app-accepted', 'unknown-app-wrong-code'],
  'connection/error-data-object': ['error-data-string'],
  'connection/established-before-any-answer': ['handshake-deferred'],
  'connection/recoverable-error-keeps-connection': ['wrong-types-close', 'auth-refusal-closes'],
  'connection/close-releases-channels': ['leak-on-disconnect'],
} satisfies Record<string, FaultName[]>;
