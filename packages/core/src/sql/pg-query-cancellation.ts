import { Client, type ClientConfig, type PoolClient, type QueryConfig } from 'pg';
import { SqlError } from '../errors/core-errors.js';
import { throwIfAborted } from './cursor-stream.js';
import { isPool } from './pg-connection-guard.js';
import type { PgExecutorOptions, PgPoolLike } from './pg-executor.js';
import { toQueryResult } from './pg-values.js';
import { toSqlError } from './sql-error-mapping.js';
import type { SqlQueryOptions, SqlQueryResult, SqlRow } from './sql-executor.js';

/**
 * Runs one query on `client`; when `options.timeoutMs` passes or
 * `options.signal` aborts first, cancels the statement in the server and
 * fails with `SQL_QUERY_TIMEOUT` / `SQL_QUERY_CANCELLED`.
 *
 * @internal
 */
export async function cancellableQuery(
  client: PoolClient,
  config: QueryConfig,
  options: SqlQueryOptions | undefined,
  cancelBackend: (processId: number) => Promise<void>,
): Promise<SqlQueryResult<SqlRow>> {
  const { signal, timeoutMs } = options ?? {};
  throwIfAborted(signal);
  if (signal === undefined && timeoutMs === undefined) {
    try {
      return toQueryResult<SqlRow>(await client.query(config));
    } catch (error) {
      throw toSqlError(error, 'query');
    }
  }
  if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw new SqlError(
      'SQL_QUERY_FAILED',
      'options.timeoutMs must be a positive number of milliseconds',
      {
        details: { reason: 'invalid-timeout' },
      },
    );
  }
  let reason: 'timeout' | 'signal' | undefined;
  let cancelling: Promise<void> | undefined;
  const processId = (client as unknown as { processID?: unknown }).processID;
  const fire = (why: 'timeout' | 'signal'): void => {
    if (reason !== undefined) return;
    reason = why;
    if (typeof processId === 'number') cancelling = cancelBackend(processId).catch(() => {});
  };
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => fire('timeout'), timeoutMs);
  const onAbort = (): void => fire('signal');
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return toQueryResult<SqlRow>(await client.query(config));
  } catch (error) {
    const mapped = toSqlError(error, 'query');
    if (reason !== undefined && mapped.details?.sqlState === '57014') {
      throw reason === 'timeout'
        ? new SqlError(
            'SQL_QUERY_TIMEOUT',
            `query failed: cancelled after ${timeoutMs} ms (timeoutMs)`,
            {
              cause: mapped.cause,
              isRetryable: true,
              details: { ...mapped.details, timeoutMs },
            },
          )
        : new SqlError('SQL_QUERY_CANCELLED', 'query failed: cancelled by its AbortSignal', {
            cause: mapped.cause,
            details: mapped.details,
          });
    }
    throw mapped;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // Let a cancel in flight land before the connection runs anything else.
    await cancelling;
  }
}

/** @internal Cancels a backend's statement from a connection outside the pool. */
export async function cancelBackendOf(
  pool: PgPoolLike,
  connectionConfig: ClientConfig | undefined,
  processId: number,
): Promise<void> {
  const statement = { text: 'SELECT pg_cancel_backend($1)', values: [processId] };
  if (connectionConfig === undefined) {
    await pool.query(statement);
    return;
  }
  // Outside the pool, so a cancel never waits for the connection it cancels.
  const client = new Client(connectionConfig);
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(statement);
  } finally {
    await client.end().catch(() => {});
  }
}

/** @internal The connection settings of the pool, for cancels and listening. */
export function connectionConfigOf(
  poolOrOptions: PgPoolLike | PgExecutorOptions,
): ClientConfig | undefined {
  if (!isPool(poolOrOptions)) {
    const { onIdleConnectionError, onConnectionError, ...config } = poolOrOptions;
    return config;
  }
  const options = (poolOrOptions as { options?: unknown }).options;
  return typeof options === 'object' && options !== null ? (options as ClientConfig) : undefined;
}
