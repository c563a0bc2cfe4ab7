import { InvalidInputError, SqlError } from '../errors/core-errors.js';
import { databaseOf } from './database-context.js';
import type { SqlExecutor } from './sql-executor.js';

/**
 * The last argument (or part of it) of every block or store method that
 * writes: pass the executor your transaction callback received, and the
 * block's writes join your transaction, committed or rolled back with your
 * own rows. Leave it out and the block runs on its own (its own transaction
 * where it needs one).
 *
 * @example
 * ```ts
 * await executor.transaction(async (transaction) => {
 *   await transaction.query('INSERT INTO applications (id) VALUES ($1)', [applicationId]);
 *   await consent.record(decision, { transaction });
 *   await outbox.enqueue(message, { transaction });
 * });
 * ```
 */
export interface SqlWriteOptions {
  /** The executor of the caller's open transaction. */
  readonly transaction?: SqlExecutor;
}

/**
 * The executor a block's writing method runs on: `options.transaction` when
 * the caller passed one, else the block's `root` executor. This is how every
 * store of civicblocks joins the caller's unit of work.
 *
 * @param root - the executor the block was created with.
 * @param options - the caller's {@link SqlWriteOptions}.
 * @throws {@link SqlError} `SQL_FOREIGN_TRANSACTION` if the transaction runs
 *   on another database (another PGlite instance or `pg` pool) than `root`;
 *   {@link InvalidInputError} `INVALID_ARGUMENT` if `options.transaction` is
 *   not the executor of an open transaction.
 * @example
 * ```ts
 * async function recordDecision(
 *   root: SqlExecutor,
 *   decision: { id: string; subject: string },
 *   options?: SqlWriteOptions,
 * ): Promise<void> {
 *   const executor = executorFor(root, options);
 *   await executor.query('INSERT INTO decisions (id, subject) VALUES ($1, $2)', [
 *     decision.id,
 *     decision.subject,
 *   ]);
 * }
 * ```
 */
export function executorFor(root: SqlExecutor, options?: SqlWriteOptions): SqlExecutor {
  const transaction = options?.transaction;
  if (transaction === undefined) return root;
  if (
    typeof transaction !== 'object' ||
    transaction === null ||
    typeof transaction.query !== 'function' ||
    transaction.inTransaction !== true
  ) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'options.transaction must be the executor a transaction callback received (executor.transaction(async (transaction) => ...))',
      { details: { argument: 'options.transaction' } },
    );
  }
  const expected = databaseOf(root);
  const actual = databaseOf(transaction);
  if (expected !== undefined && actual !== undefined && expected !== actual) {
    throw new SqlError(
      'SQL_FOREIGN_TRANSACTION',
      'options.transaction belongs to another database (another PGlite instance or pg pool) than the executor this block was created with: one transaction cannot span two connections',
      { details: { reason: 'foreign-transaction' } },
    );
  }
  return transaction;
}
