// Cluster cases and the cluster faults that must fail them. They run on an embedded cluster
// (suites/test/cluster.test.ts), not in the single-node self-test.
export default {
  'cluster/publish-reaches-every-node': ['cluster-events-local-only'],
  'cluster/exclusion-on-another-node': ['cluster-exclusion-local-only'],
  'cluster/client-events-every-node': ['cluster-client-events-local-only'],
  'cluster/presence-one-member-across-nodes': ['cluster-presence-per-node'],
  'cluster/presence-model-across-nodes': ['cluster-presence-per-node'],
  'cluster/rest-same-from-every-node': ['cluster-rest-local'],
  'cluster/cache-replay-across-nodes': ['cluster-cache-not-shared'],
  'cluster/server-to-user-every-node': ['cluster-users-local-only'],
  'cluster/occupied-webhook-once': ['cluster-webhooks-per-node'],
  'cluster/vacated-webhook-once': ['cluster-webhooks-per-node'],
  'cluster/dead-node-members-removed': ['cluster-dead-node-kept'],
} as const satisfies Record<string, readonly string[]>;
