import { AuditError, SqlError } from '../errors/core-errors.js';
import type { SqlExecutor, SqlTransactionOptions } from './sql-executor.js';

/**
 * Options of {@link withTransactionRetry}: the transaction's own options,
 * how many attempts, the backoff, and (for tests) the random source and the
 * sleep.
 *
 * @example
 * ```ts
 * const options: TransactionRetryOptions = { isolation: 'serializable', attempts: 5, baseDelayMs: 20 };
 * ```
 */
export interface TransactionRetryOptions extends SqlTransactionOptions {
  /** Attempts in all, the first included (default 5, at least 1). */
  readonly attempts?: number;
  /** Backoff before the second attempt; doubled each time (default 10 ms). */
  readonly baseDelayMs?: number;
  /** Ceiling of the backoff (default 1000 ms). */
  readonly maxDelayMs?: number;
  /** A number in [0, 1) for the jitter (default `Math.random`). */
  readonly random?: () => number;
  /** Waits `milliseconds` (default a timer). */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  /** Called before each retry with the error that caused it. */
  readonly onRetry?: (event: {
    readonly attempt: number;
    readonly delayMs: number;
    readonly error: unknown;
  }) => void;
}

/**
 * True for a failure after which re-running the WHOLE transaction may
 * succeed: `SQL_SERIALIZATION_FAILURE` (SQLSTATE 40001, 40P01),
 * `SQL_CONNECTION_FAILED` marked retryable (the connection dropped), and the
 * audit chain's `AUDIT_APPEND_CONFLICT`.
 *
 * @example
 * ```ts
 * try {
 *   await executor.transaction(work);
 * } catch (error) {
 *   if (isTransactionRetryable(error)) scheduleAgain();
 *   else throw error;
 * }
 * ```
 */
export function isTransactionRetryable(error: unknown): boolean {
  if (SqlError.isInstance(error)) {
    if (error.code === 'SQL_SERIALIZATION_FAILURE') return true;
    if (error.code === 'SQL_CONNECTION_FAILED') return error.isRetryable;
    return false;
  }
  return AuditError.isInstance(error) && error.code === 'AUDIT_APPEND_CONFLICT';
}

/**
 * Runs `callback` in a transaction and, when it fails with an error
 * {@link isTransactionRetryable} accepts, rolls back and runs the whole
 * transaction again, after a jittered exponential backoff ("full jitter":
 * a random delay up to `min(maxDelayMs, baseDelayMs * 2^n)`), up to
 * `attempts` times in all. The last error is thrown as is. The callback must
 * therefore be safe to run more than once: do no work that leaves the
 * process inside it (queue it in the outbox instead).
 *
 * Called with the executor of an open transaction, it cannot retry (the
 * whole outer transaction failed): it runs the callback once in a savepoint
 * and lets the error reach the outer retry.
 *
 * @example
 * ```ts
 * const balance = await withTransactionRetry(
 *   executor,
 *   async (transaction) => {
 *     const { rows } = await transaction.query<{ total: bigint }>(
 *       'SELECT coalesce(sum(amount), 0)::int8 AS total FROM ledger WHERE account = $1',
 *       [account],
 *     );
 *     await transaction.query('INSERT INTO ledger (account, amount) VALUES ($1, $2)', [account, -fee]);
 *     return (rows[0]?.total ?? 0n) - fee;
 *   },
 *   { isolation: 'serializable' },
 * );
 * ```
 */
export async function withTransactionRetry<Result>(
  executor: SqlExecutor,
  callback: (transaction: SqlExecutor) => Promise<Result>,
  options: TransactionRetryOptions = {},
): Promise<Result> {
  const { attempts: attemptsOption, baseDelayMs = 10, maxDelayMs = 1000 } = options;
  const attempts = executor.inTransaction ? 1 : Math.max(1, Math.floor(attemptsOption ?? 5));
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const transactionOptions: SqlTransactionOptions = {
    ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
    ...(options.readOnly === undefined ? {} : { readOnly: options.readOnly }),
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await executor.transaction(callback, transactionOptions);
    } catch (error) {
      if (attempt >= attempts || !isTransactionRetryable(error)) throw error;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.floor(random() * Math.max(0, ceiling));
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

function defaultSleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, milliseconds);
  });
}
