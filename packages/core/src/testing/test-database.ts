import { randomBytes } from 'node:crypto';
import { InvalidInputError, SqlError } from '../errors/core-errors.js';
import type { ClosableSqlExecutor, SqlExecutor } from '../sql/sql-executor.js';
import { isContinuousIntegration } from './continuous-integration.js';

/**
 * A database a test suite can run against: PGlite (always available) or a
 * real PostgreSQL server.
 *
 * @example
 * ```ts
 * const target: DatabaseTarget = { kind: 'postgresql', name: 'postgresql', databaseUrl: 'postgres://postgres@127.0.0.1:5432/test' };
 * ```
 */
export type DatabaseTarget =
  | { readonly kind: 'pglite'; readonly name: 'pglite' }
  | { readonly kind: 'postgresql'; readonly name: 'postgresql'; readonly databaseUrl: string };

/**
 * Options of {@link databaseTargets}. Library code reads no environment
 * variables: a test passes them in.
 *
 * @example
 * ```ts
 * const options: DatabaseTargetsOptions = {
 *   databaseUrl: process.env.DATABASE_URL,
 *   ci: process.env.CI,
 * };
 * ```
 */
export interface DatabaseTargetsOptions {
  /** A PostgreSQL connection string; empty or absent means PGlite only. */
  readonly databaseUrl?: string | undefined;
  /** Fail instead of quietly skipping PostgreSQL when there is no URL (set it in CI). */
  readonly requirePostgres?: boolean | undefined;
  /**
   * The `CI` environment value (`process.env.CI`): when it says continuous
   * integration ({@link isContinuousIntegration}: any value but empty, `0`,
   * `false`, `no`, `off`), PostgreSQL is required as with `requirePostgres`.
   */
  readonly ci?: string | boolean | undefined;
}

/**
 * The databases to run SQL tests against: PGlite always, then PostgreSQL when
 * `databaseUrl` is given. Made for `describe.each`.
 *
 * @throws {@link @civicblocks/core!InvalidInputError} `INVALID_ARGUMENT` when `requirePostgres`
 *   is true or `ci` says continuous integration, and no `databaseUrl` was
 *   given, so CI cannot pass by skipping.
 * @example
 * ```ts
 * import { createTestDatabase, databaseTargets, type TestDatabase } from '@civicblocks/core/testing';
 *
 * const targets = databaseTargets({
 *   databaseUrl: process.env.DATABASE_URL,
 *   ci: process.env.CI,
 * });
 *
 * describe.each(targets)('consent store on $name', (target) => {
 *   let database: TestDatabase;
 *   beforeAll(async () => { database = await createTestDatabase(target); });
 *   afterAll(async () => { await database.drop(); });
 *
 *   it('stores a consent', async () => {
 *     await database.executor.query('SELECT 1');
 *   });
 * });
 * ```
 */
export function databaseTargets(options: DatabaseTargetsOptions = {}): DatabaseTarget[] {
  const { databaseUrl } = options;
  const requirePostgres = options.requirePostgres === true || isContinuousIntegration(options.ci);
  const targets: DatabaseTarget[] = [{ kind: 'pglite', name: 'pglite' }];
  if (typeof databaseUrl === 'string' && databaseUrl.trim() !== '') {
    targets.push({ kind: 'postgresql', name: 'postgresql', databaseUrl: databaseUrl.trim() });
  } else if (requirePostgres) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'PostgreSQL is required (requirePostgres is true, or ci says continuous integration) but no databaseUrl was given: pass the URL of a test database, e.g. databaseUrl: process.env.DATABASE_URL',
      { details: { argument: 'databaseUrl' } },
    );
  }
  return targets;
}

/**
 * An isolated database for one test file (or one test): a fresh in-memory
 * PGlite, or a uniquely named schema on the PostgreSQL server that every
 * pooled connection uses as its `search_path`.
 *
 * @example
 * ```ts
 * const database: TestDatabase = await createTestDatabase({ kind: 'pglite', name: 'pglite' });
 * await database.executor.query('CREATE TABLE notes (body text)');
 * await database.drop();
 * ```
 */
export interface TestDatabase {
  readonly target: DatabaseTarget;
  /** Runs SQL in the isolated database. Closed by {@link TestDatabase.drop}. */
  readonly executor: SqlExecutor;
  /** The schema tables are created in: `public` on PGlite, `civicblocks_test_<random>` on PostgreSQL. */
  readonly schema: string;
  /**
   * Another executor on the same isolated database: a separate connection
   * pool on PostgreSQL (to test several processes at once), another executor
   * over the same single-connection instance on PGlite. Closed by `drop()`.
   */
  createExecutor(): Promise<SqlExecutor>;
  /**
   * Closes every executor and deletes the database (DROP SCHEMA ... CASCADE
   * on PostgreSQL, closing the instance on PGlite). Safe to call twice.
   */
  drop(): Promise<void>;
}

/**
 * Creates an isolated database on `target` (see {@link databaseTargets}).
 * Loads the PGlite or pg adapter only for the target that needs it.
 *
 * @throws {@link @civicblocks/core!SqlError} `SQL_CONNECTION_FAILED` if PGlite cannot start or PostgreSQL cannot be reached.
 * @example
 * ```ts
 * const database = await createTestDatabase(target);
 * try {
 *   await migrate(database.executor, consentMigrations);
 * } finally {
 *   await database.drop();
 * }
 * ```
 */
export async function createTestDatabase(target: DatabaseTarget): Promise<TestDatabase> {
  if (target.kind === 'pglite') return createPgliteTestDatabase(target);
  if (target.kind === 'postgresql') return createPostgresTestDatabase(target);
  throw new InvalidInputError('INVALID_ARGUMENT', 'target.kind must be "pglite" or "postgresql"', {
    details: { argument: 'target' },
  });
}

async function createPgliteTestDatabase(
  target: Extract<DatabaseTarget, { kind: 'pglite' }>,
): Promise<TestDatabase> {
  const [{ PGlite }, { createPgliteExecutor }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('../sql/pglite-executor.js'),
  ]);
  const instance = new PGlite();
  try {
    await instance.waitReady;
  } catch (error) {
    throw new SqlError('SQL_CONNECTION_FAILED', 'PGlite could not start', { cause: error });
  }
  const executor = createPgliteExecutor(instance);
  let dropping: Promise<void> | undefined;
  return {
    target,
    executor,
    schema: 'public',
    createExecutor: async () => createPgliteExecutor(instance),
    drop: () => {
      dropping ??= instance.closed ? Promise.resolve() : instance.close();
      return dropping;
    },
  };
}

async function createPostgresTestDatabase(
  target: Extract<DatabaseTarget, { kind: 'postgresql' }>,
): Promise<TestDatabase> {
  const { createPgExecutor } = await import('../sql/pg-executor.js');
  const schema = `civicblocks_test_${randomBytes(8).toString('hex')}`;
  const openPool = (max: number): ClosableSqlExecutor =>
    createPgExecutor({
      connectionString: target.databaseUrl,
      max,
      // A startup parameter, so every connection the pool opens uses the schema.
      options: `-c search_path=${schema}`,
    });

  const administration = createPgExecutor({ connectionString: target.databaseUrl, max: 1 });
  try {
    await administration.query(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    await administration.close();
    throw error;
  }
  const executor = openPool(5);
  const executors: ClosableSqlExecutor[] = [executor];
  let dropping: Promise<void> | undefined;

  const drop = async (): Promise<void> => {
    try {
      await Promise.all(executors.map((executor) => executor.close()));
      await administration.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await administration.close();
    }
  };

  return {
    target,
    executor,
    schema,
    createExecutor: async () => {
      const another = openPool(2);
      executors.push(another);
      return another;
    },
    drop: () => {
      dropping ??= drop();
      return dropping;
    },
  };
}
