import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/core-errors.js';
import { createPgExecutor } from '../sql/pg-executor.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { postgresTestTarget, sqlRejection } from '../testing-support/sql-test-support.js';
import { isContinuousIntegration } from './continuous-integration.js';
import { createTestDatabase, databaseTargets } from './test-database.js';

const postgres = postgresTestTarget();

async function currentSchema(executor: SqlExecutor): Promise<string | undefined> {
  const { rows } = await executor.query<{ schema: string }>('SELECT current_schema() AS schema');
  return rows[0]?.schema;
}

describe('databaseTargets', () => {
  it('lists PGlite alone without a URL, and PostgreSQL after it with one', () => {
    expect(databaseTargets()).toEqual([{ kind: 'pglite', name: 'pglite' }]);
    expect(databaseTargets({ databaseUrl: undefined })).toEqual([
      { kind: 'pglite', name: 'pglite' },
    ]);
    expect(databaseTargets({ databaseUrl: '  ' })).toEqual([{ kind: 'pglite', name: 'pglite' }]);
    expect(
      databaseTargets({ databaseUrl: 'postgres://u@127.0.0.1:5432/t', requirePostgres: true }),
    ).toEqual([
      { kind: 'pglite', name: 'pglite' },
      { kind: 'postgresql', name: 'postgresql', databaseUrl: 'postgres://u@127.0.0.1:5432/t' },
    ]);
  });

  it('requires PostgreSQL for any CI value that means continuous integration', () => {
    for (const ci of ['true', 'TRUE', '1', 'yes', 'github-actions', ' true ', true]) {
      let thrown: unknown;
      try {
        databaseTargets({ databaseUrl: '', ci });
      } catch (error) {
        thrown = error;
      }
      expect(InvalidInputError.isInstance(thrown), String(ci)).toBe(true);
    }
    for (const ci of [undefined, '', '0', 'false', 'False', 'no', 'off', false]) {
      expect(databaseTargets({ ci }), String(ci)).toEqual([{ kind: 'pglite', name: 'pglite' }]);
    }
    expect(isContinuousIntegration('1')).toBe(true);
    expect(isContinuousIntegration(undefined)).toBe(false);
  });

  it('throws instead of skipping PostgreSQL when it is required and no URL was given', () => {
    for (const databaseUrl of [undefined, '']) {
      let thrown: unknown;
      try {
        databaseTargets({ databaseUrl, requirePostgres: true });
      } catch (error) {
        thrown = error;
      }
      expect(InvalidInputError.isInstance(thrown)).toBe(true);
      expect((thrown as InvalidInputError).message).toContain('requirePostgres');
      expect((thrown as InvalidInputError).details).toEqual({ argument: 'databaseUrl' });
    }
  });
});

describe('createTestDatabase on PGlite', () => {
  it('gives a working in-memory database, shared by createExecutor, and closes it on drop', async () => {
    const database = await createTestDatabase({ kind: 'pglite', name: 'pglite' });
    expect(database.schema).toBe('public');
    await database.executor.query('CREATE TABLE visible (id int)');
    const another = await database.createExecutor();
    expect((await another.query('SELECT * FROM visible')).rows).toEqual([]);

    await database.drop();
    await database.drop();
    const error = await sqlRejection(database.executor.query('SELECT 1'));
    expect(error.code).toBe('SQL_CONNECTION_FAILED');
  }, 60_000);
});

describe('createTestDatabase without a PostgreSQL server', () => {
  it('fails with SQL_CONNECTION_FAILED when the server cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there.
    const error = await sqlRejection(
      createTestDatabase({
        kind: 'postgresql',
        name: 'postgresql',
        databaseUrl: 'postgres://nobody@127.0.0.1:1/none',
      }),
    );
    expect(error.code).toBe('SQL_CONNECTION_FAILED');
  });
});

describe.runIf(postgres !== undefined)('createTestDatabase on PostgreSQL', () => {
  const target = postgres ?? { kind: 'pglite', name: 'pglite' };

  it('isolates each database in its own schema, on every pooled connection, and drops it', async () => {
    const first = await createTestDatabase(target);
    const second = await createTestDatabase(target);
    const observer = createPgExecutor({ connectionString: postgres?.databaseUrl ?? '', max: 1 });
    try {
      expect(first.schema).toMatch(/^civicblocks_test_[0-9a-f]{16}$/);
      expect(second.schema).not.toBe(first.schema);

      // Several connections at once: each must use the schema.
      const schemas = await Promise.all(
        Array.from({ length: 5 }, () =>
          first.executor.transaction(async (transaction) => {
            await transaction.query('SELECT pg_sleep(0.05)');
            return currentSchema(transaction);
          }),
        ),
      );
      expect(new Set(schemas)).toEqual(new Set([first.schema]));
      expect(await currentSchema(await first.createExecutor())).toBe(first.schema);

      await first.executor.query('CREATE TABLE notes (body text)');
      await first.executor.query("INSERT INTO notes VALUES ('first')");
      await second.executor.query('CREATE TABLE notes (body text)');
      expect((await second.executor.query('SELECT * FROM notes')).rows).toEqual([]);
      const { rows: tables } = await observer.query<{ schema: string }>(
        "SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'notes' AND table_schema = ANY($1)",
        [[first.schema, second.schema]],
      );
      expect(tables.map((row) => row.schema).sort()).toEqual([first.schema, second.schema].sort());

      await first.drop();
      await first.drop();
      const { rows: remaining } = await observer.query<{ count: bigint }>(
        'SELECT count(*) AS count FROM information_schema.schemata WHERE schema_name = $1',
        [first.schema],
      );
      expect(remaining[0]?.count).toBe(0n);
      const closed = await sqlRejection(first.executor.query('SELECT 1'));
      expect(closed.code).toBe('SQL_CONNECTION_FAILED');
      // Dropping one leaves the other untouched.
      expect((await second.executor.query('SELECT * FROM notes')).rows).toEqual([]);
    } finally {
      await first.drop();
      await second.drop();
      await observer.close();
    }
  });
});
