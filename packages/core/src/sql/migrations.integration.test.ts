import { describe, expect, it } from 'vitest';
import { SqlError } from '../errors/core-errors.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import {
  sqlRejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import { createManualClock } from '../time/clock.js';
import { type Migration, type MigrationSet, migrate, migrationChecksum } from './migrations.js';
import type { SqlExecutor } from './sql-executor.js';

function notesMigrations(namespace: string): Migration[] {
  return [
    {
      version: 1,
      name: 'create notes',
      sql: `CREATE TABLE ${namespace}_notes (id int PRIMARY KEY, body text NOT NULL);`,
    },
    {
      version: 2,
      name: 'add author',
      sql: `ALTER TABLE ${namespace}_notes ADD COLUMN author text;
            INSERT INTO ${namespace}_notes (id, body, author) VALUES (1, 'seeded', 'migration');`,
    },
  ];
}

async function recorded(executor: SqlExecutor, namespace: string) {
  const { rows } = await executor.query<{
    version: number;
    name: string;
    checksum: string;
    applied_at: Date;
  }>(
    'SELECT version, name, checksum, applied_at FROM civicblocks_migrations WHERE namespace = $1 ORDER BY version',
    [namespace],
  );
  return rows;
}

async function tableExists(executor: SqlExecutor, table: string): Promise<boolean> {
  const { rows } = await executor.query<{ found: string | null }>(
    'SELECT to_regclass($1)::text AS found',
    [table],
  );
  return rows[0]?.found !== null;
}

describe.each(testDatabaseTargets())('migrate on $name', (target) => {
  let executor: SqlExecutor;
  useTestDatabase(target, (database) => {
    executor = database.executor;
  });

  it('applies migrations once, in order, records them, and does nothing when run again', async () => {
    const clock = createManualClock('2025-01-02T03:04:05.000Z');
    // Given out of order: migrate sorts by version.
    const set: MigrationSet = {
      namespace: 'alpha',
      migrations: notesMigrations('alpha').reverse(),
    };

    const first = await migrate(executor, set, { clock });
    expect(first).toEqual({
      namespace: 'alpha',
      applied: [
        { version: 1, name: 'create notes' },
        { version: 2, name: 'add author' },
      ],
      currentVersion: 2,
    });

    const second = await migrate(executor, set, { clock });
    expect(second).toEqual({ namespace: 'alpha', applied: [], currentVersion: 2 });
    const third = await migrate(executor, set);
    expect(third.applied).toEqual([]);

    const rows = await recorded(executor, 'alpha');
    expect(rows.map((row) => [row.version, row.name])).toEqual([
      [1, 'create notes'],
      [2, 'add author'],
    ]);
    expect(rows[0]?.checksum).toBe(migrationChecksum(notesMigrations('alpha')[0]?.sql ?? ''));
    expect(rows[0]?.applied_at).toEqual(new Date('2025-01-02T03:04:05.000Z'));
    // The seed row of migration 2 exists once: migration 2 ran once.
    const { rows: notes } = await executor.query('SELECT id, author FROM alpha_notes');
    expect(notes).toEqual([{ id: 1, author: 'migration' }]);
  });

  it('applies only the new migrations of a later release', async () => {
    const [first, second] = notesMigrations('beta');
    await migrate(executor, { namespace: 'beta', migrations: [first as Migration] });
    const report = await migrate(executor, {
      namespace: 'beta',
      migrations: [first as Migration, second as Migration],
    });
    expect(report.applied).toEqual([{ version: 2, name: 'add author' }]);
    expect(report.currentVersion).toBe(2);
    // An older release (knowing only version 1) still starts against the newer database.
    const older = await migrate(executor, { namespace: 'beta', migrations: [first as Migration] });
    expect(older).toEqual({ namespace: 'beta', applied: [], currentVersion: 2 });
  });

  it('keeps namespaces apart', async () => {
    await migrate(executor, { namespace: 'gamma', migrations: notesMigrations('gamma') });
    const report = await migrate(executor, {
      namespace: 'gamma.extra',
      migrations: [{ version: 1, name: 'own table', sql: 'CREATE TABLE gamma_extra (id int)' }],
    });
    expect(report.applied).toEqual([{ version: 1, name: 'own table' }]);
    expect((await recorded(executor, 'gamma')).length).toBe(2);
    expect((await recorded(executor, 'gamma.extra')).length).toBe(1);
  });

  it('refuses an applied migration whose SQL was edited afterwards', async () => {
    const migrations = notesMigrations('delta');
    await migrate(executor, { namespace: 'delta', migrations });
    const edited = migrations.map((migration) =>
      migration.version === 1 ? { ...migration, sql: `${migration.sql} -- tweaked` } : migration,
    );
    const error = await sqlRejection(migrate(executor, { namespace: 'delta', migrations: edited }));
    expect(error.code).toBe('SQL_MIGRATION_MODIFIED');
    expect(error.details).toEqual({ namespace: 'delta', version: 1 });
    // Line endings alone are not an edit.
    const crlf = migrations.map((migration) => ({
      ...migration,
      sql: migration.sql.replaceAll('\n', '\r\n'),
    }));
    expect((await migrate(executor, { namespace: 'delta', migrations: crlf })).applied).toEqual([]);
  });

  it('rolls a failing migration back entirely and records nothing for it', async () => {
    const migrations: Migration[] = [
      {
        version: 1,
        name: 'create ledger',
        sql: 'CREATE TABLE epsilon_ledger (id int PRIMARY KEY)',
      },
      {
        version: 2,
        name: 'half broken',
        sql: `CREATE TABLE epsilon_half (id int);
              INSERT INTO epsilon_ledger VALUES (1);
              ALTER TABLE epsilon_ledger ADD COLUMN amount no_such_type;`,
      },
      { version: 3, name: 'never reached', sql: 'CREATE TABLE epsilon_after (id int)' },
    ];
    const error = await sqlRejection(migrate(executor, { namespace: 'epsilon', migrations }));
    expect(error.code).toBe('SQL_MIGRATION_FAILED');
    expect(error.details).toMatchObject({
      namespace: 'epsilon',
      version: 2,
      name: 'half broken',
      sqlState: '42704',
    });
    expect(SqlError.isInstance(error.cause)).toBe(true);

    expect(await tableExists(executor, 'epsilon_ledger')).toBe(true);
    expect(await tableExists(executor, 'epsilon_half')).toBe(false);
    expect(await tableExists(executor, 'epsilon_after')).toBe(false);
    expect((await executor.query('SELECT * FROM epsilon_ledger')).rows).toEqual([]);
    expect((await recorded(executor, 'epsilon')).map((row) => row.version)).toEqual([1]);

    // Fixed in the next release: the run picks up at version 2.
    const fixed = migrations.map((migration) =>
      migration.version === 2
        ? { ...migration, sql: 'CREATE TABLE epsilon_half (id int)' }
        : migration,
    );
    const report = await migrate(executor, { namespace: 'epsilon', migrations: fixed });
    expect(report.applied.map((migration) => migration.version)).toEqual([2, 3]);
  });

  it('refuses gaps, duplicates and malformed migration sets before touching the database', async () => {
    const cases: [MigrationSet, Record<string, unknown>][] = [
      [
        {
          namespace: 'zeta',
          migrations: [
            { version: 1, name: 'a', sql: 'SELECT 1' },
            { version: 3, name: 'c', sql: 'SELECT 1' },
          ],
        },
        { version: 2 },
      ],
      [
        {
          namespace: 'zeta',
          migrations: [
            { version: 1, name: 'a', sql: 'SELECT 1' },
            { version: 1, name: 'b', sql: 'SELECT 1' },
          ],
        },
        { version: 1 },
      ],
      [
        { namespace: 'zeta', migrations: [{ version: 2, name: 'b', sql: 'SELECT 1' }] },
        { version: 1 },
      ],
      [{ namespace: 'zeta', migrations: [{ version: 0, name: 'z', sql: 'SELECT 1' }] }, {}],
      [{ namespace: 'zeta', migrations: [{ version: 1.5, name: 'z', sql: 'SELECT 1' }] }, {}],
      [
        { namespace: 'zeta', migrations: [{ version: 1, name: ' ', sql: 'SELECT 1' }] },
        { version: 1 },
      ],
      [{ namespace: 'zeta', migrations: [{ version: 1, name: 'a', sql: '' }] }, { version: 1 }],
      [{ namespace: 'Zeta Tables', migrations: [] }, {}],
      [{ namespace: '', migrations: [] }, {}],
    ];
    for (const [set, details] of cases) {
      const error = await sqlRejection(migrate(executor, set));
      expect(error.code).toBe('SQL_MIGRATION_INVALID');
      expect(error.details).toMatchObject(details);
    }
    expect(await recorded(executor, 'zeta')).toEqual([]);
  });

  it('refuses a database that records a version without the ones before it', async () => {
    await migrate(executor, { namespace: 'eta', migrations: notesMigrations('eta') });
    await executor.query(
      "DELETE FROM civicblocks_migrations WHERE namespace = 'eta' AND version = 1",
    );
    const error = await sqlRejection(
      migrate(executor, { namespace: 'eta', migrations: notesMigrations('eta') }),
    );
    expect(error.code).toBe('SQL_MIGRATION_INVALID');
    expect(error.details).toEqual({ namespace: 'eta', version: 1 });
  });

  // Several processes only exist on a server; PGlite is one connection in one process.
  if (target.kind === 'postgresql') {
    it('applies each migration once when five processes (separate pools) migrate at the same time', async () => {
      // A fresh schema, so the five also race to create the migrations table.
      const fresh = await createTestDatabase(target);
      try {
        await checkConcurrentMigrations(fresh);
      } finally {
        await fresh.drop();
      }
    }, 30_000);
  }
});

async function checkConcurrentMigrations(fresh: TestDatabase): Promise<void> {
  const executor = fresh.executor;
  const executors = await Promise.all(Array.from({ length: 5 }, () => fresh.createExecutor()));
  const migrations: Migration[] = [
    ...notesMigrations('theta'),
    {
      version: 3,
      name: 'slow one',
      // Holds its lock a moment so the other processes really wait for it.
      sql: "SELECT pg_sleep(0.2); INSERT INTO theta_notes (id, body) VALUES (2, 'third');",
    },
  ];
  const reports = await Promise.all(
    executors.map((other) => migrate(other, { namespace: 'theta', migrations })),
  );
  const appliedVersions = reports.flatMap((report) => report.applied.map((item) => item.version));
  expect(appliedVersions.sort()).toEqual([1, 2, 3]);
  expect(reports.every((report) => report.currentVersion === 3)).toBe(true);
  expect((await recorded(executor, 'theta')).map((row) => row.version)).toEqual([1, 2, 3]);
  const { rows } = await executor.query<{ id: number }>('SELECT id FROM theta_notes ORDER BY id');
  expect(rows.map((row) => row.id)).toEqual([1, 2]);
}
