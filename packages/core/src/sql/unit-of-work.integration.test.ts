// The unit of work on PGlite and PostgreSQL: block writes join the caller's
// transaction, a root executor used inside a transaction of its own database
// is refused at once, isolation levels, whole-transaction retry, LISTEN/NOTIFY.
import { describe, expect, it } from 'vitest';
import { InvalidInputError, SqlError } from '../errors/core-errors.js';
import { createTestDatabase } from '../testing/test-database.js';
import {
  rejection,
  sqlRejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import { notify } from './notify.js';
import type { ClosableSqlExecutor, SqlExecutor } from './sql-executor.js';
import { isTransactionRetryable, withTransactionRetry } from './transaction-retry.js';
import { executorFor, type SqlWriteOptions } from './unit-of-work.js';

// A block's store as a block author writes one: created once with the root
// executor, every writing method takes the caller's transaction.
function createNoteStore(root: SqlExecutor) {
  return {
    async add(body: string, options?: SqlWriteOptions): Promise<void> {
      await executorFor(root, options).query('INSERT INTO uow_notes (body) VALUES ($1)', [body]);
    },
  };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe.each(testDatabaseTargets())('unit of work on $name', (target) => {
  let executor: SqlExecutor;
  let another: SqlExecutor;

  useTestDatabase(target, async (database) => {
    executor = database.executor;
    another = await database.createExecutor();
    await executor.executeScript(
      'CREATE TABLE uow_notes (body text NOT NULL); CREATE TABLE uow_counters (id int PRIMARY KEY, value int NOT NULL);',
    );
  });

  async function notes(): Promise<string[]> {
    const { rows } = await executor.query<{ body: string }>(
      'SELECT body FROM uow_notes ORDER BY body',
    );
    return rows.map((row) => row.body);
  }

  it('marks root and transaction executors', async () => {
    expect(executor.inTransaction).toBe(false);
    await executor.transaction(async (transaction) => {
      expect(transaction.inTransaction).toBe(true);
      await transaction.transaction(async (nested) => {
        expect(nested.inTransaction).toBe(true);
      });
    });
  });

  it('ends a savepoint left running with the transaction around it', async () => {
    const opened = deferred<void>();
    const gate = deferred<void>();
    let leftRunning: Promise<unknown> = Promise.resolve();
    await executor.transaction(async (transaction) => {
      leftRunning = transaction.transaction(async (nested) => {
        opened.resolve();
        await gate.promise;
        await nested.query('INSERT INTO uow_notes (body) VALUES ($1)', ['after the commit']);
      });
      leftRunning.catch(() => {});
      await opened.promise;
    });
    gate.resolve();
    const error = await sqlRejection(leftRunning);
    expect(error.code).toBe('SQL_QUERY_FAILED');
    expect(error.details?.reason).toBe('transaction-ended');
    expect(await notes()).not.toContain('after the commit');
  });

  it("a block's write in the caller's transaction commits and rolls back with it", async () => {
    const store = createNoteStore(executor);
    await executor.transaction(async (transaction) => {
      await store.add('committed', { transaction });
    });
    await rejection(
      executor.transaction(async (transaction) => {
        await store.add('rolled back', { transaction });
        throw new Error('the application row failed');
      }),
    );
    await store.add('on its own');
    expect(await notes()).toEqual(['committed', 'on its own']);
  });

  it('refuses the root executor inside a transaction of the same database, at once', async () => {
    const store = createNoteStore(executor);
    const error = await sqlRejection(
      executor.transaction(async () => {
        await store.add('forgot to pass the transaction');
      }),
    );
    expect(error.code).toBe('SQL_ROOT_EXECUTOR_IN_TRANSACTION');
    for (const misuse of [
      (root: SqlExecutor) => root.query('SELECT 1'),
      (root: SqlExecutor) => root.executeScript('SELECT 1'),
      (root: SqlExecutor) => root.transaction(async () => 1),
      async (root: SqlExecutor) => {
        const rows: unknown[] = [];
        for await (const row of root.stream('SELECT 1')) rows.push(row);
        return rows;
      },
    ]) {
      const refused = await sqlRejection(executor.transaction(async () => misuse(executor)));
      expect(refused.code).toBe('SQL_ROOT_EXECUTOR_IN_TRANSACTION');
    }
    expect(await notes()).not.toContain('forgot to pass the transaction');
    // Work left running by a finished transaction is not refused afterwards.
    let later: Promise<unknown> = Promise.resolve();
    const gate = deferred<void>();
    await executor.transaction(async () => {
      later = gate.promise.then(() => executor.query('SELECT 1 AS one'));
    });
    gate.resolve();
    expect(((await later) as { rows: unknown[] }).rows).toEqual([{ one: 1 }]);
  });

  it('refuses a transaction of another database as SQL_FOREIGN_TRANSACTION', async () => {
    const other = await createTestDatabase(target);
    try {
      const store = createNoteStore(executor);
      const error = await sqlRejection(
        other.executor.transaction(async (transaction) => store.add('x', { transaction })),
      );
      expect(error.code).toBe('SQL_FOREIGN_TRANSACTION');
      const notATransaction = await rejection(store.add('x', { transaction: executor }));
      expect(InvalidInputError.isInstance(notATransaction)).toBe(true);
    } finally {
      await other.drop();
    }
  }, 60_000);

  it('runs isolation levels and read-only transactions', async () => {
    const levels = ['read committed', 'repeatable read', 'serializable'] as const;
    for (const isolation of levels) {
      const seen = await executor.transaction(
        async (transaction) => {
          const { rows } = await transaction.query<{ level: string }>(
            "SELECT current_setting('transaction_isolation') AS level",
          );
          return rows[0]?.level;
        },
        { isolation },
      );
      expect(seen).toBe(isolation);
    }
    const readOnly = await sqlRejection(
      executor.transaction(
        async (transaction) => transaction.query("INSERT INTO uow_notes VALUES ('read only')"),
        { readOnly: true },
      ),
    );
    expect(readOnly.details?.sqlState).toBe('25006');
    const nested = await sqlRejection(
      executor.transaction(async (transaction) =>
        transaction.transaction(async () => 1, { isolation: 'serializable' }),
      ),
    );
    expect(nested.details?.reason).toBe('nested-transaction-options');
    expect(
      await executor.transaction(
        async (transaction) =>
          transaction.transaction(async () => 'same level', { isolation: 'serializable' }),
        { isolation: 'serializable' },
      ),
    ).toBe('same level');
  });

  it('retries the whole transaction on a retryable failure, with jittered backoff', async () => {
    await executor.query('INSERT INTO uow_counters VALUES (1, 0)');
    const delays: number[] = [];
    let attempts = 0;
    const result = await withTransactionRetry(
      executor,
      async (transaction) => {
        attempts += 1;
        await transaction.query('UPDATE uow_counters SET value = value + 1 WHERE id = 1');
        if (attempts < 3) {
          throw new SqlError('SQL_SERIALIZATION_FAILURE', 'simulated 40001', { isRetryable: true });
        }
        return attempts;
      },
      {
        attempts: 4,
        baseDelayMs: 100,
        random: () => 0.5,
        sleep: async (ms) => void delays.push(ms),
      },
    );
    expect(result).toBe(3);
    expect(delays).toEqual([50, 100]);
    const { rows } = await executor.query<{ value: number }>(
      'SELECT value FROM uow_counters WHERE id = 1',
    );
    // The two failed attempts were rolled back as a whole.
    expect(rows[0]?.value).toBe(1);

    let tries = 0;
    const lastError = await sqlRejection(
      withTransactionRetry(
        executor,
        async () => {
          tries += 1;
          throw new SqlError('SQL_SERIALIZATION_FAILURE', 'always', { isRetryable: true });
        },
        { attempts: 3, sleep: async () => {} },
      ),
    );
    expect(lastError.message).toBe('always');
    expect(tries).toBe(3);

    const notRetried = new SqlError('SQL_UNIQUE_VIOLATION', 'duplicate');
    let once = 0;
    expect(
      await rejection(
        withTransactionRetry(executor, async () => {
          once += 1;
          throw notRetried;
        }),
      ),
    ).toBe(notRetried);
    expect(once).toBe(1);
  });

  if (target.kind === 'postgresql') {
    it('retries a real serialization failure (write skew under serializable) until both callers commit', async () => {
      await executor.executeScript(
        "CREATE TABLE uow_on_call (doctor text PRIMARY KEY, on_call boolean NOT NULL); INSERT INTO uow_on_call VALUES ('an', true), ('binh', true);",
      );
      let reads = 0;
      const bothRead = deferred<void>();
      const retried: unknown[] = [];
      const goOffCall = (doctor: string) =>
        withTransactionRetry(
          executor,
          async (transaction) => {
            const { rows } = await transaction.query<{ count: bigint }>(
              'SELECT count(*) AS count FROM uow_on_call WHERE on_call',
            );
            reads += 1;
            if (reads === 2) bothRead.resolve();
            // First attempts: both read before either writes, the classic write skew.
            if (reads <= 2) await bothRead.promise;
            if ((rows[0]?.count ?? 0n) < 2n) return 'stays on call';
            await transaction.query('UPDATE uow_on_call SET on_call = false WHERE doctor = $1', [
              doctor,
            ]);
            return 'off call';
          },
          { isolation: 'serializable', onRetry: ({ error }) => retried.push(error) },
        );
      const outcomes = await Promise.all([goOffCall('an'), goOffCall('binh')]);
      expect(outcomes.sort()).toEqual(['off call', 'stays on call']);
      expect(retried.length).toBeGreaterThan(0);
      for (const error of retried) {
        expect(SqlError.isInstance(error) && error.code).toBe('SQL_SERIALIZATION_FAILURE');
      }
      const { rows } = await executor.query<{ count: bigint }>(
        'SELECT count(*) AS count FROM uow_on_call WHERE on_call',
      );
      expect(rows[0]?.count).toBe(1n);
    });
  }

  it('wakes listeners on NOTIFY, delivered at commit and never on rollback', async () => {
    const listening = executor as ClosableSqlExecutor;
    const received: string[] = [];
    const arrived = deferred<void>();
    const listener = await listening.listen('uow_wake', (payload) => {
      received.push(payload);
      if (payload === 'second') arrived.resolve();
    });
    try {
      await rejection(
        executor.transaction(async (transaction) => {
          await notify(transaction, 'uow_wake', 'rolled back');
          throw new Error('undo');
        }),
      );
      await executor.transaction(async (transaction) => {
        await notify(transaction, 'uow_wake', 'first');
        expect(received).toEqual([]);
      });
      await notify(executor, 'uow_wake', 'second');
      await arrived.promise;
      expect(received).toEqual(['first', 'second']);
    } finally {
      await listener.close();
    }
    const invalid = await sqlRejection(listening.listen('Bad-Channel', () => {}));
    expect(invalid.details?.reason).toBe('invalid-channel');
  });

  it('classifies retryable transaction failures', () => {
    expect(
      isTransactionRetryable(new SqlError('SQL_SERIALIZATION_FAILURE', 'x', { isRetryable: true })),
    ).toBe(true);
    expect(
      isTransactionRetryable(new SqlError('SQL_CONNECTION_FAILED', 'x', { isRetryable: true })),
    ).toBe(true);
    expect(isTransactionRetryable(new SqlError('SQL_CONNECTION_FAILED', 'closed'))).toBe(false);
    expect(isTransactionRetryable(new SqlError('SQL_QUERY_FAILED', 'x'))).toBe(false);
    expect(isTransactionRetryable(new Error('x'))).toBe(false);
  });

  if (target.kind === 'pglite') {
    it('refuses a second executor over the same PGlite instance inside a transaction', async () => {
      const error = await sqlRejection(executor.transaction(async () => another.query('SELECT 1')));
      expect(error.code).toBe('SQL_ROOT_EXECUTOR_IN_TRANSACTION');
    });
  }
});
