// Per-query timeoutMs and AbortSignal: cancelled in the server on
// PostgreSQL; on PGlite (which cannot interrupt a running query) an aborted
// signal refuses the query before it starts.
import { describe, expect, it } from 'vitest';
import {
  postgresTestTarget,
  sqlRejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import type { SqlExecutor } from './sql-executor.js';

describe.each(testDatabaseTargets())('query cancellation on $name', (target) => {
  let executor: SqlExecutor;
  useTestDatabase(target, (database) => {
    executor = database.executor;
  });

  it('refuses a query whose signal has already aborted, root or in a transaction', async () => {
    const controller = new AbortController();
    controller.abort();
    const root = await sqlRejection(executor.query('SELECT 1', [], { signal: controller.signal }));
    expect(root.code).toBe('SQL_QUERY_CANCELLED');
    const inside = await sqlRejection(
      executor.transaction(async (transaction) =>
        transaction.query('SELECT 1', [], { signal: controller.signal }),
      ),
    );
    expect(inside.code).toBe('SQL_QUERY_CANCELLED');
  });

  it('runs a query that finishes within its timeout and signal', async () => {
    const { rows } = await executor.query<{ value: number }>('SELECT $1::int AS value', [7], {
      timeoutMs: 10_000,
      signal: new AbortController().signal,
    });
    expect(rows).toEqual([{ value: 7 }]);
  });

  if (target.kind === 'pglite') {
    it('runs a started PGlite query to its end: PGlite cannot interrupt it', async () => {
      const { rows } = await executor.query<{ done: boolean }>(
        'SELECT pg_sleep(0.05) IS NOT NULL AS done',
        [],
        { timeoutMs: 1 },
      );
      expect(rows).toEqual([{ done: true }]);
    });
  }
});

const postgres = postgresTestTarget();

describe.runIf(postgres !== undefined)('query cancellation on PostgreSQL', () => {
  let executor: SqlExecutor;
  useTestDatabase(postgres ?? { kind: 'pglite', name: 'pglite' }, (database) => {
    executor = database.executor;
  });

  it('cancels a statement in the server after timeoutMs, as a retryable SQL_QUERY_TIMEOUT', async () => {
    const error = await sqlRejection(executor.query('SELECT pg_sleep(30)', [], { timeoutMs: 100 }));
    expect(error.code).toBe('SQL_QUERY_TIMEOUT');
    expect(error.isRetryable).toBe(true);
    expect(error.details).toMatchObject({ sqlState: '57014', timeoutMs: 100 });
    expect((await executor.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    const { rows } = await executor.query<{ count: bigint }>(
      "SELECT count(*) AS count FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'",
    );
    expect(rows[0]?.count).toBe(0n);
  });

  it('cancels a running statement when its signal aborts', async () => {
    const controller = new AbortController();
    const running = sqlRejection(
      executor.query('SELECT pg_sleep(30)', [], { signal: controller.signal }),
    );
    // Abort once the statement is running in the server.
    for (;;) {
      const { rows } = await executor.query<{ count: bigint }>(
        "SELECT count(*) AS count FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'",
      );
      if (rows[0]?.count === 1n) break;
    }
    controller.abort();
    const error = await running;
    expect(error.code).toBe('SQL_QUERY_CANCELLED');
  });

  it('cancels a FETCH running in the server when the stream signal aborts', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await sqlRejection(
      (async () => {
        for await (const row of executor.stream<{ g: number }>(
          'SELECT g FROM generate_series(1, 2) AS g WHERE pg_sleep(CASE WHEN g > 1 THEN 30 ELSE 0 END) IS NOT NULL',
          [],
          { batchSize: 1, signal: controller.signal },
        )) {
          seen.push(row.g);
          // Abort while the next FETCH (30 s in the server) is running.
          setTimeout(() => controller.abort(), 200);
        }
      })(),
    );
    expect(seen).toEqual([1]);
    expect(error.code).toBe('SQL_QUERY_CANCELLED');
  });

  it('aborts the whole transaction when a statement in it times out', async () => {
    const error = await sqlRejection(
      executor.transaction(async (transaction) => {
        await transaction.query('CREATE TABLE cancelled_inside (id int)');
        await transaction.query('SELECT pg_sleep(30)', [], { timeoutMs: 100 });
      }),
    );
    expect(error.code).toBe('SQL_QUERY_TIMEOUT');
    const { rows } = await executor.query('SELECT to_regclass($1) AS found', ['cancelled_inside']);
    expect(rows[0]?.found).toBeNull();
  });
});
