import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlRejection } from '../testing-support/sql-test-support.js';
import { createPgliteExecutor } from './pglite-executor.js';
import type { ClosableSqlExecutor } from './sql-executor.js';

describe('PGlite executor', () => {
  let instance: PGlite;
  let executor: ClosableSqlExecutor;

  beforeAll(async () => {
    instance = new PGlite();
    await instance.waitReady;
    executor = createPgliteExecutor(instance);
    await executor.query('CREATE TABLE counters (name text PRIMARY KEY, value int NOT NULL)');
  }, 60_000);
  afterAll(async () => {
    await instance?.close();
  });

  it('runs concurrent transactions one at a time, so read-modify-write never loses an update', async () => {
    await executor.query("INSERT INTO counters VALUES ('visits', 0)");
    const increment = () =>
      executor.transaction(async (transaction) => {
        const { rows } = await transaction.query<{ value: number }>(
          "SELECT value FROM counters WHERE name = 'visits'",
        );
        // Yield to the event loop between the read and the write.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await transaction.query("UPDATE counters SET value = $1 WHERE name = 'visits'", [
          (rows[0]?.value ?? 0) + 1,
        ]);
      });
    await Promise.all(Array.from({ length: 10 }, increment));
    const { rows } = await executor.query<{ value: number }>(
      "SELECT value FROM counters WHERE name = 'visits'",
    );
    expect(rows[0]?.value).toBe(10);
  });

  it('makes a root query wait for a running transaction instead of reading inside it', async () => {
    await executor.query("INSERT INTO counters VALUES ('orders', 0)");
    const events: string[] = [];
    let inside: () => void = () => {};
    const transactionStarted = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const transaction = executor.transaction(async (transactionExecutor) => {
      await transactionExecutor.query("UPDATE counters SET value = 1 WHERE name = 'orders'");
      inside();
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('transaction finishing');
      throw new Error('undo');
    });
    await transactionStarted;
    const read = executor
      .query<{ value: number }>("SELECT value FROM counters WHERE name = 'orders'")
      .then((result) => {
        events.push('root read');
        return result.rows[0]?.value;
      });
    await transaction.catch(() => {});
    expect(await read).toBe(0);
    expect(events).toEqual(['transaction finishing', 'root read']);
  });

  it('refuses the root executor inside its own transaction rather than waiting for ever', async () => {
    const error = await sqlRejection(
      executor.transaction(async () => {
        await executor.query('SELECT 1');
      }),
    );
    expect(error.code).toBe('SQL_ROOT_EXECUTOR_IN_TRANSACTION');
    expect(error.details?.reason).toBe('root-executor-in-transaction');
    // The executor is still usable afterwards.
    expect((await executor.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it("parses with civicblocks' values inside a transaction and leaves the instance's own parsers as they were", async () => {
    const statement =
      "SELECT 9007199254740993::int8 AS big, DATE '2026-03-01' AS day, '{1,2}'::int8[] AS bigs";
    const expected = { big: 9007199254740993n, day: '2026-03-01', bigs: [1n, 2n] };
    const parsersBefore = instance.parsers;
    let floating: Promise<unknown> | undefined;
    const inside = await executor.transaction(async (transaction) => {
      const { rows } = await transaction.query(statement);
      // Started and not awaited: still parsed with civicblocks' parsers.
      floating = transaction.query('SELECT 2::int8 AS two');
      return rows[0];
    });
    expect(inside).toEqual(expected);
    expect(await floating).toEqual({ rows: [{ two: 2n }], rowCount: 1 });
    expect((await executor.query(statement)).rows[0]).toEqual(expected);
    // The instance given is untouched: PGlite's own values on its own queries.
    expect(instance.parsers).toBe(parsersBefore);
    const raw = await instance.query<{ big: unknown; day: unknown }>(statement);
    expect(raw.rows[0]?.big).toBe(9007199254740993n);
    expect(raw.rows[0]?.day).toBeInstanceOf(Date);
    const { rows } = await instance.query<{ one: unknown }>('SELECT 1::int8 AS one');
    expect(rows[0]?.one).toBe(1);
    // And after a failed transaction too.
    await executor
      .transaction(async (transaction) => {
        await transaction.query('SELECT 1::int8');
        throw new Error('undo');
      })
      .catch(() => {});
    expect(instance.parsers).toBe(parsersBefore);
  });

  it('leaves a PGlite instance it was given open when closed', async () => {
    const borrowed = createPgliteExecutor(instance);
    await borrowed.close();
    expect(instance.closed).toBe(false);
    expect((await executor.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('keeps data in a data directory across instances, and fails with SQL_CONNECTION_FAILED once closed', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'civicblocks-pglite-'));
    try {
      const first = createPgliteExecutor({ dataDir: directory });
      await first.executeScript(
        "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept');",
      );
      await first.close();
      await first.close();

      const closedError = await sqlRejection(first.query('SELECT 1'));
      expect(closedError.code).toBe('SQL_CONNECTION_FAILED');
      expect(closedError.isRetryable).toBe(false);

      const second = createPgliteExecutor({ dataDir: directory });
      try {
        const { rows } = await second.query<{ body: string }>('SELECT body FROM notes');
        expect(rows).toEqual([{ body: 'kept' }]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);
});
