// defineMigrations, several sets in one call, migrations outside a
// transaction (CREATE INDEX CONCURRENTLY) and lock_timeout, on both adapters.
import { describe, expect, it } from 'vitest';
import { SqlError } from '../errors/core-errors.js';
import {
  postgresTestTarget,
  sqlRejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import { defineMigrations, type Migration, migrate } from './migrations.js';
import type { SqlExecutor } from './sql-executor.js';

describe.each(testDatabaseTargets())('migration options on $name', (target) => {
  let executor: SqlExecutor;
  let another: SqlExecutor;
  useTestDatabase(target, async (database) => {
    executor = database.executor;
    another = await database.createExecutor();
  });

  it('defineMigrations checks a set at once and freezes it', () => {
    const set = defineMigrations('opt-defined', [
      { version: 2, name: 'second', sql: 'SELECT 2' },
      { version: 1, name: 'first', sql: 'SELECT 1' },
    ]);
    expect(set.migrations.map((migration) => migration.version)).toEqual([1, 2]);
    expect(Object.isFrozen(set)).toBe(true);
    expect(Object.isFrozen(set.migrations[0])).toBe(true);
    const invalid = (migrations: readonly Migration[], namespace = 'opt-invalid') => {
      try {
        defineMigrations(namespace, migrations);
      } catch (error) {
        return error;
      }
      throw new Error('expected defineMigrations to throw');
    };
    for (const error of [
      invalid([{ version: 2, name: 'gap', sql: 'SELECT 1' }]),
      invalid([{ version: 1, name: 'x', sql: 'SELECT 1' }], 'Upper'),
      invalid([{ version: 1, name: 'x', sql: 'SELECT 1', transaction: true as unknown as false }]),
    ]) {
      expect(SqlError.isInstance(error) && error.code).toBe('SQL_MIGRATION_INVALID');
    }
  });

  it('applies several sets in order and reports each', async () => {
    const first = defineMigrations('opt-first', [
      { version: 1, name: 'create first', sql: 'CREATE TABLE opt_first (id int PRIMARY KEY)' },
    ]);
    const second = defineMigrations('opt-second', [
      {
        version: 1,
        name: 'reference first',
        sql: 'CREATE TABLE opt_second (id int PRIMARY KEY REFERENCES opt_first (id))',
      },
    ]);
    const reports = await migrate(executor, [first, second]);
    expect(reports.map((report) => [report.namespace, report.currentVersion])).toEqual([
      ['opt-first', 1],
      ['opt-second', 1],
    ]);
    const again = await migrate(executor, [first, second]);
    expect(again.map((report) => report.applied)).toEqual([[], []]);
    expect((await migrate(executor, [])).length).toBe(0);
  });

  it('runs a transaction: false migration outside a transaction (CREATE INDEX CONCURRENTLY)', async () => {
    const set = defineMigrations('opt-concurrently', [
      {
        version: 1,
        name: 'create events',
        sql: 'CREATE TABLE opt_events (id int PRIMARY KEY, subject text)',
      },
      {
        version: 2,
        name: 'index subjects',
        sql: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS opt_events_subject ON opt_events (subject)',
        transaction: false,
      },
      { version: 3, name: 'after', sql: 'ALTER TABLE opt_events ADD COLUMN body text' },
    ]);
    // Two migrators at once: the index is made once, each version recorded once.
    const reports = await Promise.all([migrate(executor, set), migrate(another, set)]);
    expect(reports.every((report) => report.currentVersion === 3)).toBe(true);
    expect(reports.flatMap((report) => report.applied.map((step) => step.version)).sort()).toEqual([
      1, 2, 3,
    ]);
    const { rows } = await executor.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'opt_events_subject'",
    );
    expect(rows).toHaveLength(1);
    expect((await migrate(executor, set)).applied).toEqual([]);

    // In a transaction it would have failed: PostgreSQL refuses CONCURRENTLY there.
    const refused = await sqlRejection(
      migrate(
        executor,
        defineMigrations('opt-concurrently-in-transaction', [
          {
            version: 1,
            name: 'index in a transaction',
            sql: 'CREATE INDEX CONCURRENTLY opt_events_body ON opt_events (body)',
          },
        ]),
      ),
    );
    expect(refused.code).toBe('SQL_MIGRATION_FAILED');
    // CONCURRENTLY waits for every older transaction of the database, other test files' included.
  }, 120_000);
});

const postgres = postgresTestTarget();

describe.runIf(postgres !== undefined)('migration lock timeout on PostgreSQL', () => {
  let executor: SqlExecutor;
  let another: SqlExecutor;
  useTestDatabase(postgres ?? { kind: 'pglite', name: 'pglite' }, async (database) => {
    executor = database.executor;
    another = await database.createExecutor();
    await executor.query('CREATE TABLE opt_busy (id int PRIMARY KEY)');
  });

  it('fails a migration that waits past lockTimeoutMs as retryable, keeping nothing of it', async () => {
    const set = defineMigrations('opt-busy', [
      { version: 1, name: 'alter a busy table', sql: 'ALTER TABLE opt_busy ADD COLUMN note text' },
    ]);
    // Another connection reads the table in an open transaction: ALTER TABLE must wait.
    const error = await another.transaction(async (transaction) => {
      await transaction.query('SELECT * FROM opt_busy');
      return sqlRejection(migrate(executor, set, { lockTimeoutMs: 100 }));
    });
    expect(error.code).toBe('SQL_MIGRATION_FAILED');
    expect(error.isRetryable).toBe(true);
    expect(error.details).toMatchObject({ sqlState: '55P03', causeCode: 'SQL_LOCK_TIMEOUT' });
    expect(SqlError.isInstance(error.cause) && error.cause.code).toBe('SQL_LOCK_TIMEOUT');
    // Once the reader is gone it applies.
    expect((await migrate(executor, set, { lockTimeoutMs: 5_000 })).currentVersion).toBe(1);
  });

  it('waits and retries when another process takes the namespace while a transaction: false migration is recorded', async () => {
    const outsideSql = 'CREATE TABLE IF NOT EXISTS opt_outside_busy (id int PRIMARY KEY)';
    const set = defineMigrations('opt-outside-busy', [
      { version: 1, name: 'create outside', sql: outsideSql, transaction: false },
    ]);
    // Another migrator takes the namespace's lock right after the script ran,
    // and lets it go when this one tries again.
    let releaseHolder: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      releaseHolder = resolve;
    });
    let holder: Promise<void> | undefined;
    let transactionsWhileHeld = 0;
    const contended: SqlExecutor = {
      inTransaction: false,
      query: (text, parameters, options) => executor.query(text, parameters, options),
      stream: (text, parameters, options) => executor.stream(text, parameters, options),
      executeScript: async (script) => {
        await executor.executeScript(script);
        if (script !== outsideSql || holder !== undefined) return;
        let lockHeld: () => void = () => {};
        const held = new Promise<void>((resolve) => {
          lockHeld = resolve;
        });
        holder = another.transaction(async (transaction) => {
          await transaction.query(
            "SELECT pg_advisory_xact_lock(hashtextextended(coalesce(current_schema(), '') || '/' || $1, 0))",
            ['civicblocks_migrations:opt-outside-busy'],
          );
          lockHeld();
          await released;
        });
        await held;
      },
      transaction: async (callback, options) => {
        if (holder !== undefined) {
          transactionsWhileHeld += 1;
          if (transactionsWhileHeld === 2) {
            releaseHolder();
            await holder;
          }
        }
        return executor.transaction(callback, options);
      },
    };
    const report = await migrate(contended, set).finally(async () => {
      releaseHolder();
      await holder;
    });
    expect(transactionsWhileHeld).toBeGreaterThanOrEqual(2);
    expect(report.currentVersion).toBe(1);
    expect(report.applied.map((step) => step.version)).toEqual([1]);
    const { rows } = await executor.query<{ count: bigint }>(
      "SELECT count(*) AS count FROM civicblocks_migrations WHERE namespace = 'opt-outside-busy'",
    );
    expect(rows[0]?.count).toBe(1n);
  });
});
