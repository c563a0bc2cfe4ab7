import {
  type CustomTypesConfig,
  Pool,
  type PoolClient,
  type PoolConfig,
  type QueryConfig,
  type QueryResult,
  types,
} from 'pg';
import { SqlError } from '../errors/core-errors.js';
import { type SqlOperation, toSqlError } from './sql-error-mapping.js';
import type {
  ClosableSqlExecutor,
  SqlExecutor,
  SqlQueryResult,
  SqlRow,
  SqlValue,
} from './sql-executor.js';
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
 * node-postgres `PoolConfig` (`connectionString`, `max`, timeouts, `ssl`, ...),
 * plus a listener for errors of idle pooled connections.
 *
 * @example
 * ```ts
 * const options: PgExecutorOptions = {
 *   connectionString: 'postgres://app@db.internal/consent',
 *   max: 10,
 *   onIdleConnectionError: (error) => logger.warn({ code: error.code }),
 * };
 * ```
 */
export interface PgExecutorOptions extends PoolConfig {
  /**
   * Called when an idle pooled connection fails (the database restarted, a
   * network drop). The pool has already discarded the connection; the next
   * query opens a new one. Without a listener these errors are ignored rather
   * than crashing the process.
   */
  readonly onIdleConnectionError?: (error: SqlError) => void;
}

// Same row values as the PGlite adapter: int8 always a bigint, date a plain
// string (node-postgres would make a Date at local midnight). Everything else
// keeps the parsers configured in `pg.types`.
const typeParsers: CustomTypesConfig = Object.freeze({
  getTypeParser: ((typeId: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && typeId === 20) return (value: string): bigint => BigInt(value);
    if (format !== 'binary' && typeId === 1082) return (value: string): string => value;
    return format === undefined ? types.getTypeParser(typeId) : types.getTypeParser(typeId, format);
  }) as CustomTypesConfig['getTypeParser'],
});

/**
 * Creates a {@link ClosableSqlExecutor} on PostgreSQL through a node-postgres
 * `Pool`. Each query takes any pooled connection; each transaction checks one
 * connection out, runs BEGIN / COMMIT (or ROLLBACK) on it and always gives it
 * back, discarding it if it broke.
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
 * );
 * await executor.close();
 * ```
 */
export function createPgExecutor(
  poolOrOptions: PgPoolLike | PgExecutorOptions,
): ClosableSqlExecutor {
  const ownsPool = !isPool(poolOrOptions);
  const pool: PgPoolLike = isPool(poolOrOptions) ? poolOrOptions : openPool(poolOrOptions);
  let closing: Promise<void> | undefined;

  return {
    query: async <Row extends object = SqlRow>(
      text: string,
      parameters: readonly SqlValue[] = [],
    ): Promise<SqlQueryResult<Row>> => {
      try {
        return toQueryResult<Row>(await pool.query(queryConfig(text, parameters)));
      } catch (error) {
        throw toSqlError(error, 'query');
      }
    },

    executeScript: async (script: string): Promise<void> => {
      try {
        // No values and the simple protocol: several statements are allowed.
        await pool.query({ text: script });
      } catch (error) {
        throw toSqlError(error, 'script');
      }
    },

    transaction: async <Result>(
      callback: (transaction: SqlExecutor) => Promise<Result>,
    ): Promise<Result> => {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw toSqlError(error, 'connect');
      }
      let brokenConnection: Error | undefined;
      // A checked-out client has no listener of the pool: without this one, a
      // connection dropped mid-transaction would crash the process.
      const onClientError = (error: Error): void => {
        brokenConnection ??= error;
      };
      client.on('error', onClientError);
      try {
        await control(client, 'BEGIN', 'begin transaction');
        const scope = openTransactionScope(channelOf(client));
        let result: Result;
        try {
          result = await callback(scope.executor);
        } catch (error) {
          scope.end();
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            brokenConnection = asError(rollbackError);
          }
          throw error;
        }
        scope.end();
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
        throw error;
      } finally {
        client.off('error', onClientError);
        // A connection that failed mid-transaction is destroyed, not reused.
        client.release(brokenConnection);
      }
    },

    close: async (): Promise<void> => {
      if (!ownsPool) return;
      closing ??= pool.end();
      await closing;
    },
  };
}

function openPool(options: PgExecutorOptions): Pool {
  const { onIdleConnectionError, ...poolConfig } = options;
  const pool = new Pool(poolConfig);
  pool.on('error', (error) => {
    onIdleConnectionError?.(toSqlError(error, 'connect'));
  });
  return pool;
}

function channelOf(client: PoolClient): TransactionChannel {
  return {
    query: async (text, parameters) => {
      try {
        return toQueryResult<SqlRow>(await client.query(queryConfig(text, parameters)));
      } catch (error) {
        throw toSqlError(error, 'query');
      }
    },
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
  statement: 'BEGIN' | 'COMMIT',
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
