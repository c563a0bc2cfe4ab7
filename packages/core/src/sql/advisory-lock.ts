import type { SqlExecutor } from './sql-executor.js';

/**
 * Takes a PostgreSQL transaction-level advisory lock on `key` (hashed to a
 * 64-bit lock id, together with the current schema, so two schemas of one
 * database do not wait for each other). Call it on the executor a
 * {@link SqlExecutor.transaction} callback receives: the lock is held until
 * that transaction commits or rolls back, and any other transaction taking
 * the same key waits until then. Works the same on PGlite.
 *
 * @param transaction - the executor of an open transaction.
 * @param key - what to serialise on, e.g. `'civicblocks.audit:consent'`.
 * @throws {@link SqlError} if the lock query fails.
 * @example
 * ```ts
 * await executor.transaction(async (transaction) => {
 *   await acquireTransactionLock(transaction, `ledger:${accountId}`);
 *   // ... read the balance and write the next entry, one writer at a time
 * });
 * ```
 */
export async function acquireTransactionLock(transaction: SqlExecutor, key: string): Promise<void> {
  await transaction.query(
    "SELECT pg_advisory_xact_lock(hashtextextended(coalesce(current_schema(), '') || '/' || $1, 0))",
    [key],
  );
}
