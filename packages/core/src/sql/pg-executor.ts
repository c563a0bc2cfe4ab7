import {
  Client,
  type ClientConfig,
  type CustomTypesConfig,
  Pool,
  type PoolClient,
  type PoolConfig,
  type QueryConfig,
  type QueryResult,
  types,
} from 'pg';
import { SqlError } from '../errors/core-errors.js';
import { streamCursor, throwIfAborted } from './cursor-stream.js';
import {
  refuseRootInTransaction,
  runInTransactionContext,
  tagDatabase,
} from './database-context.js';
import { createPgListenConnection, type PgListenConnection } from './pg-listener.js';
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
import { sharedTextParsers } from './value-parsers.js';

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

const clientGuard: unique symbol = Symbol.for('civicblocks.pg.client-guard') as never;

// Same row values as the PGlite adapter (see the table on SqlExecutor); bytea
// as a plain Uint8Array rather than a Buffer. Everything else keeps the
// parsers configured in `pg.types`.
const typeParsers: CustomTypesConfig = Object.freeze({
  getTypeParser: ((typeId: number, format?: 'text' | 'binary') => {
    if (format !== 'binary') {
      const shared = sharedTextParsers[typeId];
      if (shared !== undefined) return shared;
      if (typeId === 17) {
        const parseBytea = types.getTypeParser(17) as (value: string) => Buffer;
        return (value: string): Uint8Array => new Uint8Array(parseBytea(value));
      }
    }
    return format === undefined ? types.getTypeParser(typeId) : types.getTypeParser(typeId, format);
  }) as CustomTypesConfig['getTypeParser'],
});

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

function openPool(options: PgExecutorOptions): Pool {
  const { onIdleConnectionError, onConnectionError, ...poolConfig } = options;
  const pool = new Pool(poolConfig);
  pool.on('error', (error) => {
    const mapped = toSqlError(error, 'connect');
    notifyListener(onIdleConnectionError, mapped);
    notifyListener(onConnectionError, mapped);
  });
  return pool;
}

// Every connection of the pool gets an error listener the moment it connects,
// before any caller holds it: a connection terminated while checked out (or
// between check-out and use) must never emit an unhandled 'error'.
function guardPool(
  pool: PgPoolLike,
  onConnectionError: ((error: SqlError) => void) | undefined,
): void {
  const emitter = pool as Partial<{
    on(event: string, listener: (...args: never[]) => void): unknown;
    listenerCount(event: string): number;
  }>;
  if (typeof emitter.on !== 'function') return;
  const guarded = pool as unknown as { [clientGuard]?: true };
  if (guarded[clientGuard] === true) return;
  Object.defineProperty(pool, clientGuard, { value: true, enumerable: false });
  emitter.on.call(pool, 'connect', (client: PoolClient) => guardClient(client, onConnectionError));
  if (
    typeof emitter.listenerCount === 'function' &&
    emitter.listenerCount.call(pool, 'error') === 0
  ) {
    emitter.on.call(pool, 'error', (error: Error) =>
      notifyListener(onConnectionError, toSqlError(error, 'connect')),
    );
  }
}

function guardClient(
  client: PoolClient,
  onConnectionError: ((error: SqlError) => void) | undefined,
): void {
  const guarded = client as unknown as { [clientGuard]?: true };
  if (guarded[clientGuard] === true) return;
  Object.defineProperty(client, clientGuard, { value: true, enumerable: false });
  client.on('error', (error: Error) =>
    notifyListener(onConnectionError, toSqlError(error, 'query')),
  );
}

function notifyListener(listener: ((error: SqlError) => void) | undefined, error: SqlError): void {
  try {
    listener?.(error);
  } catch {
    // A failing listener must not turn a handled connection error into a crash.
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

/**
 * Runs one query on `client`; when `options.timeoutMs` passes or
 * `options.signal` aborts first, cancels the statement in the server and
 * fails with `SQL_QUERY_TIMEOUT` / `SQL_QUERY_CANCELLED`.
 */
async function cancellableQuery(
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

async function cancelBackendOf(
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

function connectionConfigOf(
  poolOrOptions: PgPoolLike | PgExecutorOptions,
): ClientConfig | undefined {
  if (!isPool(poolOrOptions)) {
    const { onIdleConnectionError, onConnectionError, ...config } = poolOrOptions;
    return config;
  }
  const options = (poolOrOptions as { options?: unknown }).options;
  return typeof options === 'object' && options !== null ? (options as ClientConfig) : undefined;
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

function queryConfig(text: string, parameters: readonly SqlValue[]): QueryConfig {
  // Always the extended protocol, as PGlite: one statement per query, even
  // without parameters.
  const config: QueryConfig & { queryMode: 'extended' } = {
    text,
    values: parameters.map(toPgValue),
    types: typeParsers,
    queryMode: 'extended',
  };
  return config;
}

// Dates are sent as UTC ISO strings, as PGlite sends them, not in the local zone.
function toPgValue(value: SqlValue): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPgValue);
  return value;
}

function toQueryResult<Row extends object>(result: QueryResult): SqlQueryResult<Row> {
  const rows = result.rows as Row[];
  return { rows, rowCount: result.rowCount ?? rows.length };
}

function isPool(value: PgPoolLike | PgExecutorOptions): value is PgPoolLike {
  const candidate = value as Partial<Record<'query' | 'connect' | 'end', unknown>>;
  return (
    typeof candidate.query === 'function' &&
    typeof candidate.connect === 'function' &&
    typeof candidate.end === 'function'
  );
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error('connection failed during rollback');
}
