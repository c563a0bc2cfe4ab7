import type { PoolClient, PoolConfig, QueryConfig, QueryResult } from 'pg';
import { SqlError } from '../errors/core-errors.js';
import { streamCursor, throwIfAborted } from './cursor-stream.js';
import {
  refuseRootInTransaction,
  runInTransactionContext,
  tagDatabase,
} from './database-context.js';
import { guardClient, guardPool, isPool, openPool } from './pg-connection-guard.js';
import { createPgListenConnection, type PgListenConnection } from './pg-listener.js';
import { cancelBackendOf, cancellableQuery, connectionConfigOf } from './pg-query-cancellation.js';
import { queryConfig, toQueryResult } from './pg-values.js';
import { type SqlOperation, toSqlError } from './sql-error-mapping.js';
import type {
  ClosableSqlExecutor,
  SqlExecutor,
  SqlListener,
  SqlQueryOptions,
  SqlQueryResult,
  SqlRow,
  SqlStreamOptions,
  SqlTransactionOptions,
  SqlValue,
} from './sql-executor.js';
import { transactionModeStatement } from './transaction-options.js';
import { openTransactionScope, type TransactionChannel } from './transaction-scope.js';

/**
 * The node-postgres pool {@link createPgExecutor} runs on: only the methods it
 * uses, so a `pg.Pool` from any installed copy of `pg` fits.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 *
 * const pool: PgPoolLike = new pg.Pool({ connectionString: 'postgres://app@db.internal/consent' });
 * ```
 */
export interface PgPoolLike {
  /** Runs one query on any pooled connection. */
  query(config: QueryConfig): Promise<QueryResult>;
  /** Checks a connection out, for a transaction. */
  connect(): Promise<PoolClient>;
  /** Closes every connection. */
  end(): Promise<void>;
}

/**
 * Options of {@link createPgExecutor} when it opens the pool itself: any
 * node-postgres `PoolConfig` (`connectionString`, `max`, timeouts, `ssl`,
 * `application_name`, ...), plus listeners for connection failures.
 *
 * @example
 * ```ts
 * const options: PgExecutorOptions = {
 *   connectionString: 'postgres://app@db.internal/consent',
 *   max: 10,
 *   onConnectionError: (error) => logger.warn({ code: error.code, sqlState: error.details?.sqlState }),
 * };
 * ```
 */
export interface PgExecutorOptions extends PoolConfig {
  /**
   * Called when an idle pooled connection fails (the database restarted, a
   * network drop). The pool has already discarded the connection; the next
   * query opens a new one.
   */
  readonly onIdleConnectionError?: (error: SqlError) => void;
  /**
   * Called for every connection failure the executor absorbs: an idle or
   * checked-out pooled connection, or the listening connection. Nothing is
   * needed to recover (queries on a dropped connection fail with a retryable
   * `SQL_CONNECTION_FAILED`, the pool opens new connections, the listener
   * reconnects); this is for logs and metrics. Without a listener these
   * errors are ignored rather than crashing the process.
   */
  readonly onConnectionError?: (error: SqlError) => void;
}

/**
 * Creates a {@link ClosableSqlExecutor} on PostgreSQL through a node-postgres
 * `Pool`. Each query takes any pooled connection; each transaction checks one
 * connection out, runs BEGIN / COMMIT (or ROLLBACK) on it and always gives it
 * back, discarding it if it broke.
 *
 * Connection loss never crashes the process: every pooled connection gets an
 * error listener as soon as it connects, a query on a dropped connection
 * fails with a retryable `SQL_CONNECTION_FAILED` (a transaction cut mid-way
 * fails as a whole, see {@link @civicblocks/core!withTransactionRetry}), and the pool opens new
 * connections for the next callers.
 *
 * A query given `timeoutMs` or `signal` runs on a connection checked out for
 * it; when the timer fires or the signal aborts, the statement is cancelled
 * in the server (`pg_cancel_backend`, from a short-lived connection outside
 * the pool) and the query fails with `SQL_QUERY_TIMEOUT` or
 * `SQL_QUERY_CANCELLED`. Inside a transaction a cancelled statement aborts
 * the transaction, as in PostgreSQL.
 *
 * `close()` ends the pool only if this function opened it (it was given a
 * `PoolConfig`); a pool passed in stays open for its owner.
 *
 * @param poolOrOptions - a `pg.Pool` to use, or options to open one.
 * @example
 * ```ts
 * import { createPgExecutor } from '@civicblocks/core/pg';
 *
 * const executor = createPgExecutor({ connectionString: databaseUrl, max: 10 });
 * const { rows } = await executor.query<{ id: string }>(
 *   'SELECT id FROM consents WHERE subject = $1',
 *   [subjectId],
 *   { timeoutMs: 2_000 },
 * );
 * await executor.close();
 * ```
 */
export function createPgExecutor(
  poolOrOptions: PgPoolLike | PgExecutorOptions,
): ClosableSqlExecutor {
  const ownsPool = !isPool(poolOrOptions);
  const onConnectionError = ownsPool
    ? (poolOrOptions as PgExecutorOptions).onConnectionError
    : undefined;
  const pool: PgPoolLike = isPool(poolOrOptions) ? poolOrOptions : openPool(poolOrOptions);
  guardPool(pool, onConnectionError);
  const connectionConfig = connectionConfigOf(poolOrOptions);
  const cancelBackend = (processId: number): Promise<void> =>
    cancelBackendOf(pool, connectionConfig, processId);
  let listenConnection: PgListenConnection | undefined;
  let closing: Promise<void> | undefined;

  const checkOut = async (): Promise<PoolClient> => {
    try {
      const client = await pool.connect();
      guardClient(client, onConnectionError);
      return client;
    } catch (error) {
      throw toSqlError(error, 'connect');
    }
  };

  const executor: ClosableSqlExecutor = {
    inTransaction: false,

    query: async <Row extends object = SqlRow>(
      text: string,
      parameters: readonly SqlValue[] = [],
      options?: SqlQueryOptions,
    ): Promise<SqlQueryResult<Row>> => {
      refuseRootInTransaction(pool, 'pg');
      throwIfAborted(options?.signal);
      if (options?.signal === undefined && options?.timeoutMs === undefined) {
        try {
          return toQueryResult<Row>(await pool.query(queryConfig(text, parameters)));
        } catch (error) {
          throw toSqlError(error, 'query');
        }
      }
      const client = await checkOut();
      let broken: Error | undefined;
      try {
        return (await cancellableQuery(
          client,
          queryConfig(text, parameters),
          options,
          cancelBackend,
        )) as SqlQueryResult<Row>;
      } catch (error) {
        if (SqlError.isInstance(error) && error.code === 'SQL_CONNECTION_FAILED') broken = error;
        throw error;
      } finally {
        client.release(broken);
      }
    },

    executeScript: async (script: string): Promise<void> => {
      refuseRootInTransaction(pool, 'pg');
      try {
        // No values and the simple protocol: several statements are allowed.
        await pool.query({ text: script });
      } catch (error) {
        throw toSqlError(error, 'script');
      }
    },

    stream: <Row extends object = SqlRow>(
      text: string,
      parameters: readonly SqlValue[] = [],
      options: SqlStreamOptions = {},
    ): AsyncIterable<Row> => ({
      [Symbol.asyncIterator]: () => {
        refuseRootInTransaction(pool, 'pg');
        return rootStream<Row>(checkOut, pool, text, parameters, options, cancelBackend);
      },
    }),

    transaction: async <Result>(
      callback: (transaction: SqlExecutor) => Promise<Result>,
      options?: SqlTransactionOptions,
    ): Promise<Result> => {
      refuseRootInTransaction(pool, 'pg');
      const mode = transactionModeStatement(options);
      const client = await checkOut();
      let brokenConnection: Error | undefined;
      const onClientError = (error: Error): void => {
        brokenConnection ??= error;
      };
      client.on('error', onClientError);
      // True from BEGIN until COMMIT or ROLLBACK is sent: a failure in between
      // (SET TRANSACTION refused, as SERIALIZABLE on a hot standby) must not
      // give the pool a connection still inside a transaction.
      let open = false;
      try {
        await control(client, 'BEGIN', 'begin transaction');
        open = true;
        if (mode !== undefined) await control(client, mode, 'begin transaction');
        const scope = openTransactionScope(channelOf(client, pool, cancelBackend));
        let result: Result;
        try {
          result = await runInTransactionContext(pool, () => callback(scope.executor));
        } catch (error) {
          scope.end();
          open = false;
          if (brokenConnection === undefined) {
            try {
              await client.query('ROLLBACK');
            } catch (rollbackError) {
              brokenConnection = asError(rollbackError);
            }
          }
          throw error;
        }
        scope.end();
        if (brokenConnection !== undefined)
          throw toSqlError(brokenConnection, 'commit transaction');
        open = false;
        const commit = await control(client, 'COMMIT', 'commit transaction');
        if (commit.command === 'ROLLBACK') {
          throw new SqlError(
            'SQL_QUERY_FAILED',
            'commit transaction failed: SQLSTATE 25P02 in_failed_sql_transaction (a statement failed inside the transaction, so it was rolled back)',
            {
              details: {
                operation: 'commit transaction',
                sqlState: '25P02',
                condition: 'in_failed_sql_transaction',
              },
            },
          );
        }
        return result;
      } catch (error) {
        if (SqlError.isInstance(error) && error.code === 'SQL_CONNECTION_FAILED') {
          brokenConnection ??= error;
        }
        if (open && brokenConnection === undefined) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            brokenConnection = asError(rollbackError);
          });
        }
        throw error;
      } finally {
        client.off('error', onClientError);
        // A connection that failed mid-transaction is destroyed, not reused.
        client.release(brokenConnection);
      }
    },

    listen: async (
      channel: string,
      onNotification: (payload: string) => void,
    ): Promise<SqlListener> => {
      refuseRootInTransaction(pool, 'pg');
      if (closing !== undefined) {
        throw toSqlError(new Error('Cannot use a pool after calling end on the pool'), 'listen');
      }
      if (connectionConfig === undefined) {
        throw new SqlError(
          'SQL_QUERY_FAILED',
          'listen needs the connection settings of the pool: pass a pg.Pool or PoolConfig to createPgExecutor',
          { details: { reason: 'listen-without-connection-settings' } },
        );
      }
      listenConnection ??= createPgListenConnection({
        clientConfig: connectionConfig,
        onConnectionError,
      });
      return listenConnection.listen(channel, onNotification);
    },

    close: async (): Promise<void> => {
      closing ??= (async () => {
        await listenConnection?.close();
        if (ownsPool) await pool.end();
      })();
      await closing;
    },
  };
  const poolSize = ownsPool
    ? ((poolOrOptions as PgExecutorOptions).max ?? 10)
    : (pool as { options?: { max?: unknown } }).options?.max;
  return tagDatabase(executor, pool, typeof poolSize !== 'number' || poolSize >= 2);
}

async function* rootStream<Row extends object>(
  checkOut: () => Promise<PoolClient>,
  pool: object,
  text: string,
  parameters: readonly SqlValue[],
  options: SqlStreamOptions,
  cancelBackend: (processId: number) => Promise<void>,
): AsyncGenerator<Row, void, undefined> {
  throwIfAborted(options.signal);
  const client = await checkOut();
  let broken: Error | undefined;
  const onClientError = (error: Error): void => {
    broken ??= error;
  };
  client.on('error', onClientError);
  let committed = false;
  try {
    await control(client, 'BEGIN', 'begin transaction');
    const channel = channelOf(client, pool, cancelBackend);
    yield* streamCursor<Row>(channel, text, parameters, options, false);
    await control(client, 'COMMIT', 'commit transaction');
    committed = true;
  } catch (error) {
    if (SqlError.isInstance(error) && error.code === 'SQL_CONNECTION_FAILED') broken ??= error;
    throw error;
  } finally {
    if (!committed && broken === undefined) {
      // Left early or failed: nothing to keep, the cursor closes with the transaction.
      await client.query('ROLLBACK').catch((error: unknown) => {
        broken = asError(error);
      });
    }
    client.off('error', onClientError);
    client.release(broken);
  }
}

function channelOf(
  client: PoolClient,
  pool: object,
  cancelBackend: (processId: number) => Promise<void>,
): TransactionChannel {
  return {
    database: pool,
    query: async (text, parameters, options) =>
      cancellableQuery(client, queryConfig(text, parameters), options, cancelBackend),
    executeScript: async (script) => {
      try {
        await client.query({ text: script });
      } catch (error) {
        throw toSqlError(error, 'script');
      }
    },
  };
}

async function control(
  client: PoolClient,
  statement: string,
  operation: SqlOperation,
): Promise<QueryResult> {
  try {
    return await client.query(statement);
  } catch (error) {
    throw toSqlError(error, operation);
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error('connection failed during rollback');
}
