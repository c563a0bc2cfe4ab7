// executor.stream() on PGlite and PostgreSQL: batches through a cursor, in a
// transaction or on its own, closed on an early exit, cancellable.
import { describe, expect, it } from 'vitest';
import {
  rejection,
  sqlRejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import type { SqlExecutor } from './sql-executor.js';

async function collect<Row>(rows: AsyncIterable<Row>): Promise<Row[]> {
  const all: Row[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

describe.each(testDatabaseTargets())('SQL stream on $name', (target) => {
  let executor: SqlExecutor;

  useTestDatabase(target, async (database) => {
    executor = database.executor;
    await executor.executeScript(
      'CREATE TABLE stream_items (id int8 PRIMARY KEY, label text NOT NULL); INSERT INTO stream_items SELECT g, $$item $$ || g FROM generate_series(1, 2500) AS g;',
    );
  });

  async function openCursors(): Promise<number> {
    const { rows } = await executor.query<{ count: bigint }>(
      "SELECT count(*) AS count FROM pg_cursors WHERE name LIKE 'civicblocks_cursor_%'",
    );
    return Number(rows[0]?.count);
  }

  it('streams every row, in order, with bound parameters and any batch size', async () => {
    for (const batchSize of [1, 7, 1000, 5000]) {
      const rows = await collect(
        executor.stream<{ id: bigint; label: string }>(
          'SELECT id, label FROM stream_items WHERE id > $1 ORDER BY id',
          [100n],
          { batchSize },
        ),
      );
      expect(rows).toHaveLength(2400);
      expect(rows[0]).toEqual({ id: 101n, label: 'item 101' });
      expect(rows.at(-1)).toEqual({ id: 2500n, label: 'item 2500' });
    }
    expect(await collect(executor.stream('SELECT id FROM stream_items WHERE false'))).toEqual([]);
    expect(await openCursors()).toBe(0);
  });

  it('streams inside a transaction, seeing its uncommitted rows', async () => {
    await rejection(
      executor.transaction(async (transaction) => {
        await transaction.query("INSERT INTO stream_items VALUES (9999, 'uncommitted')");
        const rows = await collect(
          transaction.stream<{ id: bigint }>('SELECT id FROM stream_items WHERE id > 2400', [], {
            batchSize: 30,
          }),
        );
        expect(rows).toHaveLength(101);
        expect(rows.at(-1)?.id).toBe(9999n);
        throw new Error('undo');
      }),
    );
    const ended = await sqlRejection(
      (async () => {
        let leaked: SqlExecutor | undefined;
        await executor.transaction(async (transaction) => {
          leaked = transaction;
        });
        return collect((leaked as SqlExecutor).stream('SELECT 1'));
      })(),
    );
    expect(ended.details?.reason).toBe('transaction-ended');
  });

  it('closes the cursor when the loop is left early, and lets the root run queries inside the loop', async () => {
    let seen = 0;
    for await (const row of executor.stream<{ id: bigint }>(
      'SELECT id FROM stream_items ORDER BY id',
      [],
      { batchSize: 100 },
    )) {
      seen += 1;
      // A root query between rows neither deadlocks (PGlite) nor joins the stream.
      const { rows } = await executor.query<{ label: string }>(
        'SELECT label FROM stream_items WHERE id = $1',
        [row.id],
      );
      expect(rows[0]?.label).toBe(`item ${row.id}`);
      if (seen === 150) break;
    }
    expect(seen).toBe(150);
    expect(await openCursors()).toBe(0);
  });

  it('stops with SQL_QUERY_CANCELLED when its signal aborts, and refuses an aborted signal', async () => {
    const controller = new AbortController();
    let seen = 0;
    const error = await sqlRejection(
      (async () => {
        for await (const _row of executor.stream('SELECT id FROM stream_items', [], {
          batchSize: 10,
          signal: controller.signal,
        })) {
          seen += 1;
          if (seen === 25) controller.abort();
        }
      })(),
    );
    expect(error.code).toBe('SQL_QUERY_CANCELLED');
    expect(seen).toBe(30);
    expect(await openCursors()).toBe(0);
    const before = await sqlRejection(
      collect(executor.stream('SELECT 1', [], { signal: controller.signal })),
    );
    expect(before.code).toBe('SQL_QUERY_CANCELLED');
  });

  it('reports a failing query as a SqlError and keeps working', async () => {
    const error = await sqlRejection(
      collect(executor.stream('SELECT 1 / (id - id) FROM stream_items')),
    );
    expect(error.details?.sqlState).toBe('22012');
    const invalid = await rejection(collect(executor.stream('SELECT 1', [], { batchSize: 0 })));
    expect((invalid as Error).name).toBe('InvalidInputError');
    expect(await openCursors()).toBe(0);
    expect((await executor.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
