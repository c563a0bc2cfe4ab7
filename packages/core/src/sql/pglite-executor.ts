import { AsyncLocalStorage } from 'node:async_hooks';
import {
  PGlite,
  type PGliteInterface,
  type PGliteOptions,
  type QueryOptions,
  type Results,
  type Transaction,
} from '@electric-sql/pglite';
import { SqlError } from '../errors/core-errors.js';
import { toSqlError } from './sql-error-mapping.js';
import type {
  ClosableSqlExecutor,
  SqlExecutor,
  SqlQueryResult,
  SqlRow,
  SqlValue,
} from './sql-executor.js';
import { openTransactionScope, type TransactionChannel } from './transaction-scope.js';

/**
 * Where {@link createPgliteExecutor} gets its database: nothing (a fresh
 * in-memory database), PGlite options (`{ dataDir: './data/consent' }` for
 * one kept on disk), or a PGlite instance the caller already started.
 *
 * @example
 * ```ts
 * const source: PgliteExecutorSource = { dataDir: './var/civicblocks' };
 * ```
 */
export type PgliteExecutorSource = PGliteOptions | PGliteInterface;

// Same row values as the pg adapter: int8 always a bigint, date a plain string.
const pgliteQueryOptions: QueryOptions = Object.freeze({
  parsers: Object.freeze({
    20: (value: string): bigint => BigInt(value),
    1082: (value: string): string => value,
  }),
});

interface TransactionMarker {
  active: boolean;
}

/**
 * Creates a {@link ClosableSqlExecutor} on PGlite, the embedded PostgreSQL:
 * the default database of civicblocks, in memory or in a data directory.
 *
 * PGlite has one connection, so transactions run one at a time; a query made
 * on the root executor while another caller's transaction runs waits for it
 * to finish. Inside a transaction callback use the executor the callback
 * receives: calling the root executor there would wait for ever, so it is
 * refused with a {@link SqlError}.
 *
 * `close()` closes the PGlite instance only if this function started it.
 *
 * @param source - nothing for an in-memory database, PGlite options, or an
 *   existing PGlite instance.
 * @example
 * ```ts
 * import { createPgliteExecutor } from '@civicblocks/core/pglite';
 *
 * const executor = createPgliteExecutor({ dataDir: './var/civicblocks' });
 * await executor.query('CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text)');
 * await executor.transaction(async (transaction) => {
 *   await transaction.query('INSERT INTO notes VALUES ($1, $2)', [1, 'hello']);
 * });
 * await executor.close();
 * ```
 */
export function createPgliteExecutor(source: PgliteExecutorSource = {}): ClosableSqlExecutor {
  const ownsInstance = !isPgliteInstance(source);
  const database: PGliteInterface = isPgliteInstance(source) ? source : new PGlite(source);
  const transactionContext = new AsyncLocalStorage<TransactionMarker>();
  let closing: Promise<void> | undefined;

  const refuseInsideTransaction = (): void => {
    if (transactionContext.getStore()?.active === true) {
      throw new SqlError(
        'SQL_QUERY_FAILED',
        'the root PGlite executor was called inside one of its own transactions, which would wait for ever: use the executor the transaction callback receives',
        { details: { reason: 'root-executor-in-transaction' } },
      );
    }
  };

  return {
    query: async <Row extends object = SqlRow>(
      text: string,
      parameters: readonly SqlValue[] = [],
    ): Promise<SqlQueryResult<Row>> => {
      refuseInsideTransaction();
      try {
        return toQueryResult<Row>(
          await database.query<Row>(text, [...parameters], pgliteQueryOptions),
        );
      } catch (error) {
        throw toSqlError(error, 'query');
      }
    },

    executeScript: async (script: string): Promise<void> => {
      refuseInsideTransaction();
      try {
        await database.exec(script);
      } catch (error) {
        throw toSqlError(error, 'script');
      }
    },

    transaction: async <Result>(
      callback: (transaction: SqlExecutor) => Promise<Result>,
    ): Promise<Result> => {
      refuseInsideTransaction();
      let started = false;
      let callbackFailure: { error: unknown } | undefined;
      try {
        return await database.transaction(async (transaction) => {
          started = true;
          const scope = openTransactionScope(channelOf(transaction));
          const marker: TransactionMarker = { active: true };
          try {
            return await transactionContext.run(marker, () => callback(scope.executor));
          } catch (error) {
            callbackFailure = { error };
            throw error;
          } finally {
            marker.active = false;
            scope.end();
          }
        });
      } catch (error) {
        if (callbackFailure !== undefined) throw callbackFailure.error;
        throw toSqlError(error, started ? 'commit transaction' : 'begin transaction');
      }
    },

    close: async (): Promise<void> => {
      if (!ownsInstance) return;
      closing ??= database.closed ? Promise.resolve() : database.close();
      await closing;
    },
  };
}

function channelOf(transaction: Transaction): TransactionChannel {
  return {
    query: async (text, parameters) => {
      try {
        return toQueryResult<SqlRow>(
          await transaction.query<SqlRow>(text, [...parameters], pgliteQueryOptions),
        );
      } catch (error) {
        throw toSqlError(error, 'query');
      }
    },
    executeScript: async (script) => {
      try {
        await transaction.exec(script);
      } catch (error) {
        throw toSqlError(error, 'script');
      }
    },
  };
}

function toQueryResult<Row extends object>(result: Results<Row>): SqlQueryResult<Row> {
  return {
    rows: result.rows,
    rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
  };
}

function isPgliteInstance(source: PgliteExecutorSource): source is PGliteInterface {
  const candidate = source as Partial<Record<'query' | 'transaction' | 'exec', unknown>>;
  return (
    typeof candidate.query === 'function' &&
    typeof candidate.transaction === 'function' &&
    typeof candidate.exec === 'function'
  );
}
