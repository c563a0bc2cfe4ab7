import { SqlError } from '../errors/core-errors.js';
import type { SqlExecutor } from './sql-executor.js';

const channelPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks a LISTEN/NOTIFY channel name: lower-case letters, digits and `_`,
 * starting with a letter or `_`, at most 63 characters, so it means the same
 * quoted or not, on both adapters.
 * @internal
 */
export function checkChannel(channel: string): string {
  if (typeof channel !== 'string' || !channelPattern.test(channel)) {
    throw new SqlError(
      'SQL_QUERY_FAILED',
      'a channel name must be lower-case letters, digits and "_", starting with a letter or "_", at most 63 characters',
      { details: { reason: 'invalid-channel' } },
    );
  }
  return channel;
}

/**
 * Sends a notification on `channel` (`pg_notify`), waking every
 * {@link ClosableSqlExecutor.listen} listener of the database. Inside a
 * transaction it is delivered when the transaction commits, and not at all
 * if it rolls back: "wake the worker if and only if the job row commits".
 * Keep payloads small (PostgreSQL allows under 8000 bytes) and free of
 * personal data: send an id, let the listener read the row.
 *
 * @param executor - a root executor or the executor of an open transaction.
 * @param channel - see {@link ClosableSqlExecutor.listen}.
 * @param payload - text for the listeners (default empty).
 * @throws {@link SqlError}
 * @example
 * ```ts
 * await executor.transaction(async (transaction) => {
 *   await transaction.query('INSERT INTO jobs (id) VALUES ($1)', [jobId]);
 *   await notify(transaction, 'jobs_ready');
 * });
 * ```
 */
export async function notify(executor: SqlExecutor, channel: string, payload = ''): Promise<void> {
  await executor.query('SELECT pg_notify($1, $2)', [checkChannel(channel), payload]);
}
