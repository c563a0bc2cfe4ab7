import { SqlError } from '../errors/core-errors.js';
import { streamCursor } from './cursor-stream.js';
import { tagDatabase } from './database-context.js';
import { toSqlError } from './sql-error-mapping.js';
import type {
  SqlExecutor,
  SqlQueryOptions,
  SqlQueryResult,
  SqlRow,
  SqlStreamOptions,
  SqlTransactionOptions,
  SqlValue,
} from './sql-executor.js';
import { checkNestedOptions } from './transaction-options.js';

/**
 * The connection a transaction runs on, as an adapter provides it. Both
 * functions already map driver failures to {@link SqlError}.
 * @internal
 */
export interface TransactionChannel {
  /** The PGlite instance or pg pool: what "the same database" means. */
  readonly database: object;
  query(
    text: string,
    parameters: readonly SqlValue[],
    options?: SqlQueryOptions,
  ): Promise<SqlQueryResult<SqlRow>>;
  executeScript(script: string): Promise<void>;
}

/**
 * An executor bound to one open transaction (or savepoint), and the switch
 * that retires it when the transaction ends.
 * @internal
 */
export interface TransactionScope {
  readonly executor: SqlExecutor;
  /** Refuses every later use of the executor. */
  end(): void;
}

/**
 * Makes the executor a transaction callback receives. Its `transaction` nests
 * a SAVEPOINT; two nested transactions may not overlap on one executor.
 * @internal
 */
export function openTransactionScope(channel: TransactionChannel): TransactionScope {
  return openScope(channel, { savepoints: 0 }, () => false);
}

interface TransactionState {
  savepoints: number;
}

function openScope(
  channel: TransactionChannel,
  state: TransactionState,
  parentEnded: () => boolean,
): TransactionScope {
  let ended = false;
  let nestedRunning = false;
  // A savepoint's executor ends with its own savepoint and with every
  // transaction around it: one left running past the outermost COMMIT must
  // not reach a connection that went back to the pool.
  const isEnded = (): boolean => ended || parentEnded();

  const ensureOpen = (): void => {
    if (isEnded()) {
      throw new SqlError(
        'SQL_QUERY_FAILED',
        'the transaction has already ended: use the executor a transaction callback receives only inside that callback',
        { details: { reason: 'transaction-ended' } },
      );
    }
  };

  const executor: SqlExecutor = {
    inTransaction: true,
    query: async <Row extends object = SqlRow>(
      text: string,
      parameters: readonly SqlValue[] = [],
      options?: SqlQueryOptions,
    ): Promise<SqlQueryResult<Row>> => {
      ensureOpen();
      return (await channel.query(text, parameters, options)) as SqlQueryResult<Row>;
    },
    executeScript: async (script: string): Promise<void> => {
      ensureOpen();
      await channel.executeScript(script);
    },
    stream: <Row extends object = SqlRow>(
      text: string,
      parameters: readonly SqlValue[] = [],
      options: SqlStreamOptions = {},
    ): AsyncIterable<Row> => ({
      [Symbol.asyncIterator]: () => {
        ensureOpen();
        const guarded = {
          query: (
            statement: string,
            values: readonly SqlValue[],
            queryOptions?: SqlQueryOptions,
          ) => {
            ensureOpen();
            return channel.query(statement, values, queryOptions);
          },
        };
        return streamCursor<Row>(guarded, text, parameters, options, false);
      },
    }),
    transaction: async <Result>(
      callback: (transaction: SqlExecutor) => Promise<Result>,
      options?: SqlTransactionOptions,
    ): Promise<Result> => {
      ensureOpen();
      if (nestedRunning) {
        throw new SqlError(
          'SQL_QUERY_FAILED',
          'a nested transaction is already running on this executor: await it first, or call transaction() on the executor its callback received',
          { details: { reason: 'nested-transaction-overlap' } },
        );
      }
      nestedRunning = true;
      try {
        if (options?.isolation !== undefined || options?.readOnly !== undefined) {
          const { rows } = await channel.query(
            "SELECT current_setting('transaction_isolation') AS isolation, current_setting('transaction_read_only') AS read_only",
            [],
          );
          checkNestedOptions(options, {
            isolation: String(rows[0]?.isolation),
            readOnly: rows[0]?.read_only === 'on',
          });
        }
        state.savepoints += 1;
        const savepoint = `civicblocks_savepoint_${state.savepoints}`;
        await runControl(channel, `SAVEPOINT ${savepoint}`, 'create savepoint');
        const inner = openScope(channel, state, isEnded);
        let result: Result;
        try {
          result = await callback(inner.executor);
        } catch (error) {
          inner.end();
          // The transaction around it has ended: nothing to roll back here.
          if (isEnded()) throw error;
          try {
            await runControl(
              channel,
              `ROLLBACK TO SAVEPOINT ${savepoint}`,
              'roll back to savepoint',
            );
            await runControl(channel, `RELEASE SAVEPOINT ${savepoint}`, 'release savepoint');
          } catch {
            // The connection is unusable; the outer transaction will fail and
            // roll back. The caller needs to see its own error, not this one.
          }
          throw error;
        }
        inner.end();
        ensureOpen();
        await runControl(channel, `RELEASE SAVEPOINT ${savepoint}`, 'release savepoint');
        return result;
      } finally {
        nestedRunning = false;
      }
    },
  };

  return {
    executor: tagDatabase(executor, channel.database),
    end: () => {
      ended = true;
    },
  };
}

async function runControl(
  channel: TransactionChannel,
  statement: string,
  operation: 'create savepoint' | 'release savepoint' | 'roll back to savepoint',
): Promise<void> {
  try {
    await channel.executeScript(statement);
  } catch (error) {
    throw toSqlError(
      SqlError.isInstance(error) && error.cause !== undefined ? error.cause : error,
      operation,
    );
  }
}
