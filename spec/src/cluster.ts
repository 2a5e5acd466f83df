/**
 * Facts about multi-node deployments the kit checks: the bound within which a cluster must notice
 * a dead node. Cases, the reference server's cluster engine and the clause texts import them.
 * @module
 */

/**
 * When a node dies without saying goodbye (process killed), the surviving nodes MUST have sent
 * member_removed for the users whose last connection was on it, and dropped them from member
 * lists and REST answers, within this many milliseconds of its death (clause
 * cluster.dead-node-members-removed). Pusher documents no number; ten seconds is the kit's
 * position: long enough for a heartbeat scheme, short enough that a chat does not show a ghost.
 */
export const DEAD_NODE_CLEANUP_MS = 10_000;
