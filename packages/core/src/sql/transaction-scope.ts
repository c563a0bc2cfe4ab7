import { SqlError } from '../errors/core-errors.js';
import { toSqlError } from './sql-error-mapping.js';
import type { SqlExecutor, SqlQueryResult, SqlRow, SqlValue } from './sql-executor.js';

/**
 * The connection a transaction runs on, as an adapter provides it. Both
 * functions already map driver failures to {@link SqlError}.
 * @internal
 */
export interface TransactionChannel {
  query(text: string, parameters: readonly SqlValue[]): Promise<SqlQueryResult<SqlRow>>;
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
  return openScope(channel, { savepoints: 0 });
}

interface TransactionState {
  savepoints: number;
}

function openScope(channel: TransactionChannel, state: TransactionState): TransactionScope {
  let ended = false;
  let nestedRunning = false;

  const ensureOpen = (): void => {
    if (ended) {
      throw new SqlError(
        'SQL_QUERY_FAILED',
        'the transaction has already ended: use the executor a transaction callback receives only inside that callback',
        { details: { reason: 'transaction-ended' } },
      );
    }
  };

  const executor: SqlExecutor = {
    query: async <Row extends object = SqlRow>(
      text: string,
      parameters: readonly SqlValue[] = [],
    ): Promise<SqlQueryResult<Row>> => {
      ensureOpen();
      return (await channel.query(text, parameters)) as SqlQueryResult<Row>;
    },
    executeScript: async (script: string): Promise<void> => {
      ensureOpen();
      await channel.executeScript(script);
    },
    transaction: async <Result>(
      callback: (transaction: SqlExecutor) => Promise<Result>,
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
      state.savepoints += 1;
      const savepoint = `civicblocks_savepoint_${state.savepoints}`;
      try {
        await runControl(channel, `SAVEPOINT ${savepoint}`, 'create savepoint');
        const inner = openScope(channel, state);
        let result: Result;
        try {
          result = await callback(inner.executor);
        } catch (error) {
          inner.end();
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
        await runControl(channel, `RELEASE SAVEPOINT ${savepoint}`, 'release savepoint');
        return result;
      } finally {
        nestedRunning = false;
      }
    },
  };

  return {
    executor,
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
