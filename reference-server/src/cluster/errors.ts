/**
 * The cluster's one error: the engine cannot be reached or answered nonsense. Its message is one
 * line for the operator (`serve` prints it without a stack).
 * @module
 */
export class ClusterError extends Error {
  override readonly name = 'ClusterError';
}
