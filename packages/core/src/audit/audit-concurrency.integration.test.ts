import { describe, expect, it } from 'vitest';
import { AuditError, SqlError } from '../errors/core-errors.js';
import { coreMigrations } from '../sql/core-migrations.js';
import { migrate } from '../sql/migrations.js';
import type { SqlExecutor, SqlIsolationLevel } from '../sql/sql-executor.js';
import { isTransactionRetryable, withTransactionRetry } from '../sql/transaction-retry.js';
import type { TestDatabase } from '../testing/test-database.js';
import {
  rejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import { type AuditChain, createAuditChain } from './audit-chain.js';

// Where the append's advisory lock is, as pg_locks shows a 64-bit key.
const chainLockSql = `SELECT count(*)::int AS held FROM pg_locks
  WHERE locktype = 'advisory' AND granted = $2
    AND classid::text::bigint = (key >> 32) & 4294967295
    AND objid::text::bigint = key & 4294967295
    AND objsubid = 1
    AND key IS NOT NULL`;

async function chainLocks(executor: SqlExecutor, chain: string, granted: boolean): Promise<number> {
  const { rows } = await executor.query<{ held: number }>(
    `WITH lock_key AS (
       SELECT hashtextextended(coalesce(current_schema(), '') || '/civicblocks_audit_entries:' || $1::text, 0) AS key
     )
     ${chainLockSql.replace('FROM pg_locks', 'FROM pg_locks, lock_key')}`,
    [chain, granted],
  );
  return rows[0]?.held ?? -1;
}

describe.each(testDatabaseTargets())('audit chain concurrency on $name', (target) => {
  let database: TestDatabase;
  let executor: SqlExecutor;

  useTestDatabase(target, async (created) => {
    database = created;
    executor = created.executor;
    await migrate(executor, coreMigrations);
    await executor.query(
      'CREATE TABLE audit_side_effects (id serial PRIMARY KEY, writer int NOT NULL)',
    );
  });

  // This is the test that fails on PGlite too when the lock is taken out of
  // civicblocks_audit_append: PGlite runs one transaction at a time, so no
  // race can show there, but the lock must still be taken and held.
  it('takes the chain lock on append and holds it until the caller transaction ends', async () => {
    const audit = createAuditChain(executor, { chain: 'locked' });
    const other = createAuditChain(executor, { chain: 'locked-other' });
    await executor.transaction(async (transaction) => {
      expect(await chainLocks(transaction, 'locked', true)).toBe(0);
      await audit.append({ type: 'first', payload: 1 }, { transaction });
      expect(await chainLocks(transaction, 'locked', true)).toBe(1);
      // still held after other work, and only for this chain
      await transaction.query('INSERT INTO audit_side_effects (writer) VALUES (0)');
      expect(await chainLocks(transaction, 'locked', true)).toBe(1);
      expect(await chainLocks(transaction, 'locked-other', true)).toBe(0);
    });
    expect(await chainLocks(executor, 'locked', true)).toBe(0);
    await other.append({ type: 'first', payload: 1 });
    expect(await chainLocks(executor, 'locked-other', true)).toBe(0);
  });

  it('links an entry appended at commit only when the transaction commits, without holding the lock before', async () => {
    const audit = createAuditChain(executor, { chain: 'at-commit' });
    await audit.append({ type: 'first', payload: 1 });
    const pending = await executor.transaction(async (transaction) => {
      const entry = await audit.appendAtCommit(
        { type: 'second', payload: { step: 2 }, subject: 'citizen-2' },
        { transaction },
      );
      const later = await audit.appendAtCommit({ type: 'third', payload: 3 }, { transaction });
      await transaction.query('INSERT INTO audit_side_effects (writer) VALUES (1)');
      expect(await chainLocks(transaction, 'at-commit', true)).toBe(0);
      return [entry, later];
    });
    expect(pending[0]).toMatchObject({ chain: 'at-commit', type: 'second', subject: 'citizen-2' });
    expect(pending[0]).not.toHaveProperty('sequence');
    const { rows } = await executor.query<{ id: string; sequence: bigint }>(
      "SELECT id, sequence FROM civicblocks_audit_entries WHERE chain = 'at-commit' ORDER BY sequence",
    );
    // linked in the order appended, after the entry committed before
    expect(rows.slice(1).map((row) => [row.id, Number(row.sequence)])).toEqual([
      [pending[0]?.id, 2],
      [pending[1]?.id, 3],
    ]);
    expect(await chainLocks(executor, 'at-commit', true)).toBe(0);
    const { rows: waiting } = await executor.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM civicblocks_audit_pending',
    );
    expect(waiting[0]?.count).toBe(0);
    expect(await audit.verify()).toMatchObject({ ok: true, length: 3 });
    // rolled back: neither the entry nor its payload remains
    await rejection(
      executor.transaction(async (transaction) => {
        await audit.appendAtCommit({ type: 'undone', payload: 4 }, { transaction });
        throw new Error('business failure');
      }),
    );
    expect(await audit.verify()).toMatchObject({ ok: true, length: 3 });
    // without a transaction it commits at once
    await audit.appendAtCommit({ type: 'alone', payload: 5 });
    expect(await audit.head()).toMatchObject({ length: 4 });
  });

  for (const [isolation, method] of [
    ['read committed', 'append'],
    ['repeatable read', 'append'],
    ['serializable', 'append'],
    ['read committed', 'appendAtCommit'],
    ['repeatable read', 'appendAtCommit'],
    ['serializable', 'appendAtCommit'],
  ] as const) {
    it(`commits 8 concurrent ${method} calls in ${isolation} transactions through withTransactionRetry`, async () => {
      const chain = `isolation-${isolation.replace(' ', '-')}-${method}`;
      const executors = [
        executor,
        ...(await Promise.all([1, 2, 3].map(() => database.createExecutor()))),
      ];
      let retries = 0;
      const entries = await Promise.all(
        Array.from({ length: 8 }, (_, writer) => {
          const own = executors[writer % executors.length] as SqlExecutor;
          const audit = createAuditChain(own, { chain });
          return withTransactionRetry(
            own,
            async (transaction) => {
              await transaction.query('INSERT INTO audit_side_effects (writer) VALUES ($1)', [
                100 + writer,
              ]);
              const entry = await audit[method](
                { type: 'written', payload: { writer } },
                { transaction },
              );
              return entry.id;
            },
            {
              isolation: isolation as SqlIsolationLevel,
              attempts: 40,
              baseDelayMs: 5,
              maxDelayMs: 100,
              onRetry: ({ error }) => {
                expect(isTransactionRetryable(error)).toBe(true);
                retries += 1;
              },
            },
          );
        }),
      );
      const { rows: linked } = await executor.query<{ id: string; sequence: bigint }>(
        'SELECT id, sequence FROM civicblocks_audit_entries WHERE chain = $1 ORDER BY sequence',
        [chain],
      );
      expect(linked.map((row) => Number(row.sequence))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(new Set(linked.map((row) => row.id))).toEqual(new Set(entries));
      const audit = createAuditChain(executor, { chain });
      expect(await audit.verify()).toMatchObject({ ok: true, length: 8 });
      // Each transaction's own work committed exactly once, with its entry.
      const { rows } = await executor.query<{ writers: number }>(
        'SELECT count(DISTINCT writer)::int AS writers FROM audit_side_effects WHERE writer >= 100 AND writer < 108',
      );
      expect(rows[0]?.writers).toBe(8);
      await executor.query('DELETE FROM audit_side_effects WHERE writer >= 100');
      if (target.kind === 'pglite') expect(retries).toBe(0);
    }, 120_000);
  }

  it('keeps the chain whole under concurrent appends outside transactions, from several executors', async () => {
    const others = await Promise.all([database.createExecutor(), database.createExecutor()]);
    const chains: AuditChain[] = [executor, ...others].map((each) =>
      createAuditChain(each, { chain: 'concurrent' }),
    );
    const entries = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        (chains[index % chains.length] as AuditChain).append({
          type: 'event-recorded',
          payload: { index },
        }),
      ),
    );
    expect(entries.map((entry) => entry.sequence).sort((left, right) => left - right)).toEqual(
      Array.from({ length: 30 }, (_, index) => index + 1),
    );
    expect(await (chains[0] as AuditChain).verify()).toMatchObject({ ok: true, length: 30 });
  }, 60_000);
});

describe.each(testDatabaseTargets().filter((target) => target.kind === 'postgresql'))(
  'audit chain between connections on $name',
  (target) => {
    let database: TestDatabase;
    let executor: SqlExecutor;

    useTestDatabase(target, async (created) => {
      database = created;
      executor = created.executor;
      await migrate(executor, coreMigrations);
    });

    it('makes a second writer wait for the first transaction to end, then follow it', async () => {
      const second = await database.createExecutor();
      const audit = createAuditChain(executor, { chain: 'waiting' });
      const other = createAuditChain(second, { chain: 'waiting' });
      let secondAppend: Promise<{ sequence: number }> | undefined;
      const first = await executor.transaction(async (transaction) => {
        const entry = await audit.append({ type: 'first', payload: 1 }, { transaction });
        secondAppend = other.append({ type: 'second', payload: 2 });
        // Wait until the second writer queues behind our lock (no timing involved).
        while ((await chainLocks(second, 'waiting', false)) === 0) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return entry;
      });
      expect((await secondAppend)?.sequence).toBe(first.sequence + 1);
      expect(await audit.verify()).toMatchObject({ ok: true, length: 2 });
    }, 60_000);

    it('tells a repeatable-read transaction whose snapshot is behind the chain to retry the whole transaction', async () => {
      const other = await database.createExecutor();
      const audit = createAuditChain(executor, { chain: 'stale' });
      await audit.append({ type: 'first', payload: 1 });
      const error = await rejection(
        other.transaction(
          async (transaction) => {
            await transaction.query('SELECT 1'); // the snapshot is taken here
            await audit.append({ type: 'meanwhile', payload: 2 }); // committed by another connection
            await createAuditChain(other, { chain: 'stale' }).append(
              { type: 'late', payload: 3 },
              { transaction },
            );
          },
          { isolation: 'repeatable read' },
        ),
      );
      expect(AuditError.isInstance(error) && error.code).toBe('AUDIT_APPEND_CONFLICT');
      expect(AuditError.isInstance(error) && error.isRetryable).toBe(true);
      expect(isTransactionRetryable(error)).toBe(true);
      expect(await audit.verify()).toMatchObject({ ok: true, length: 2 });

      // Linked at commit: the same stale snapshot fails the COMMIT, just as retryable.
      const atCommit = await rejection(
        other.transaction(
          async (transaction) => {
            await transaction.query('SELECT 1');
            await audit.append({ type: 'meanwhile', payload: 4 });
            await createAuditChain(other, { chain: 'stale' }).appendAtCommit(
              { type: 'late', payload: 5 },
              { transaction },
            );
          },
          { isolation: 'repeatable read' },
        ),
      );
      expect(SqlError.isInstance(atCommit) && atCommit.code).toBe('SQL_SERIALIZATION_FAILURE');
      expect(isTransactionRetryable(atCommit)).toBe(true);
      expect(await audit.verify()).toMatchObject({ ok: true, length: 3 });
    }, 60_000);
  },
);
