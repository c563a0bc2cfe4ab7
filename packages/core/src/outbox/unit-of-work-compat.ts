import type { SqlExecutor } from '../sql/sql-executor.js';

/**
 * The unit-of-work option of every outbox write: run in the caller's
 * transaction when one is given.
 *
 * @example
 * ```ts
 * await executor.transaction(async (transaction) => {
 *   await outbox.enqueue({ topic: 't', payload: {} }, { transaction } satisfies SqlWriteOptions);
 * });
 * ```
 */
export interface SqlWriteOptions {
  readonly transaction?: SqlExecutor;
}

/**
 * The executor a write runs on: the caller's transaction, else `root`.
 *
 * @internal
 */
export function executorFor(root: SqlExecutor, options?: SqlWriteOptions): SqlExecutor {
  return options?.transaction ?? root;
}
