// Shared by core's own SQL and audit integration tests; not part of any
// published entry point.
import { afterAll, beforeAll } from 'vitest';
import { SqlError } from '../errors/core-errors.js';
import {
  createTestDatabase,
  type DatabaseTarget,
  databaseTargets,
  type TestDatabase,
} from '../testing/test-database.js';

/**
 * The databases core's integration tests run on: PGlite always, PostgreSQL
 * where `DATABASE_URL` is set; with any CI value (`CI=true`, `CI=1`, ...) a
 * missing URL is an error.
 *
 * @example
 * ```ts
 * describe.each(testDatabaseTargets())('audit chain on $name', (target) => {});
 * ```
 */
export function testDatabaseTargets(): DatabaseTarget[] {
  return databaseTargets({
    databaseUrl: process.env.DATABASE_URL,
    ci: process.env.CI,
  });
}

/**
 * The PostgreSQL target of {@link testDatabaseTargets}, if there is one.
 *
 * @example
 * ```ts
 * describe.runIf(postgresTestTarget() !== undefined)('on PostgreSQL', () => {});
 * ```
 */
export function postgresTestTarget(): Extract<DatabaseTarget, { kind: 'postgresql' }> | undefined {
  for (const target of testDatabaseTargets()) {
    if (target.kind === 'postgresql') return target;
  }
  return undefined;
}

/**
 * Creates a fresh database on `target` before the suite's tests (handing it
 * to `ready`, which may also prepare it) and drops it after them.
 *
 * @example
 * ```ts
 * let executor: SqlExecutor;
 * useTestDatabase(target, (database) => {
 *   executor = database.executor;
 * });
 * ```
 */
export function useTestDatabase(
  target: DatabaseTarget,
  ready: (database: TestDatabase) => unknown,
): void {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(target);
    await ready(database);
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
  });
}

/**
 * What `promise` rejects with; throws if it resolves.
 *
 * @example
 * ```ts
 * const error = await rejection(audit.append({ type: '', payload: {} }));
 * ```
 */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/**
 * The {@link SqlError} `promise` rejects with; throws if it resolves or
 * rejects with anything else (that error is rethrown).
 *
 * @example
 * ```ts
 * const error = await sqlRejection(executor.query('SELECT 1/0'));
 * ```
 */
export async function sqlRejection(promise: Promise<unknown>): Promise<SqlError> {
  const error = await rejection(promise);
  if (!SqlError.isInstance(error)) throw error;
  return error;
}
