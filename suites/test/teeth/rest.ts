// Faults that make each rest case fail (verified against the reference server).
import type { FaultName } from '../../../reference-server/src/faults.ts';

export default {
  'rest/trigger-success-body': ['rest-success-body-not-json'],
  'rest/trigger-success-body-dialect': ['rest-success-body-not-json'],
  'rest/terminate-success-body': ['rest-success-body-not-json'],
  'rest/trigger-channel-delivers-once': ['event-delivered-twice'],
  'rest/trigger-channels-once-per-channel': ['event-delivered-twice'],
  'rest/batch-delivers-each-once': ['event-delivered-twice', 'batch-endpoint-missing'],
  'rest/trigger-info-counts': ['rest-info-ignored', 'presence-count-connections'],
  'rest/channels-lists-occupied-only': ['channels-list-includes-vacated', 'unsubscribe-ignored', 'channels-list-phantom'],
  'rest/channels-filter-by-prefix': ['filter-by-prefix-substring', 'subscription-succeeded-no-channel'],
  'rest/channels-user-count': ['presence-count-connections'],
  'rest/channels-user-count-needs-presence-filter': ['rest-info-not-validated'],
  'rest/channel-occupied': ['channels-list-includes-vacated', 'unsubscribe-ignored'],
  'rest/channel-user-count': ['presence-count-connections'],
  'rest/channel-subscription-count': ['unsubscribe-ignored'],
  'rest/users-distinct': ['users-endpoint-duplicates'],
  'rest/users-non-presence-400': ['rest-info-not-validated', 'subscription-succeeded-no-channel'],
  'rest/channel-info-inapplicable-400': ['rest-info-not-validated', 'subscription-succeeded-no-channel'],
  'rest/unknown-app-404': ['unknown-app-rest-default', 'subscription-succeeded-no-channel'],
  'rest/bad-request-400': ['error-status-200'],
} satisfies Record<string, FaultName[]>;
