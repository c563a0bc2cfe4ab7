import { createHash } from 'node:crypto';
import { SqlError } from '../errors/core-errors.js';
import { type Clock, systemClock } from '../time/clock.js';
import { acquireTransactionLock } from './advisory-lock.js';
import {
  checkRecorded,
  migrationsTable,
  readRecorded,
  validateMigrationSet,
} from './migration-checks.js';
import { namespaceBusy, runOutsideTransaction } from './migration-outside-transaction.js';
import type { SqlExecutor } from './sql-executor.js';

export { migrationsTable };

/**
 * One versioned schema change of a package.
 *
 * @example
 * ```ts
 * const migration: Migration = {
 *   version: 1,
 *   name: 'create consents',
 *   sql: 'CREATE TABLE consents (id uuid PRIMARY KEY, subject text NOT NULL)',
 * };
 * ```
 */
export interface Migration {
  /** 1 for the first migration of the namespace, then 2, 3, ... with no gaps. */
  readonly version: number;
  /** A short description, kept in the migrations table. */
  readonly name: string;
  /**
   * The SQL script: one or more statements, PostgreSQL dialect, no parameters.
   * It runs inside a transaction, so it must not contain BEGIN/COMMIT nor
   * statements PostgreSQL refuses in a transaction (CREATE INDEX
   * CONCURRENTLY): give those `transaction: false`.
   * Never edit it once released: an applied migration whose SQL changed is
   * refused with `SQL_MIGRATION_MODIFIED`. Add a new migration instead.
   */
  readonly sql: string;
  /**
   * `false` runs the migration outside a transaction, for statements
   * PostgreSQL refuses in one (`CREATE INDEX CONCURRENTLY`). Such a migration
   * must be exactly one statement and idempotent (`IF NOT EXISTS`): it
   * cannot run under the namespace's advisory lock (CONCURRENTLY waits for
   * every open transaction, the lock's included), so two processes starting
   * together may both run it, and a process that dies after running it and
   * before recording it runs it again next time. It is recorded (with its
   * checksum) under the lock once it succeeded; `lockTimeoutMs` does not
   * apply to it.
   */
  readonly transaction?: false;
}

/**
 * The migrations of one package, under its own namespace.
 *
 * @example
 * ```ts
 * const consentMigrations: MigrationSet = {
 *   namespace: 'consent',
 *   migrations: [{ version: 1, name: 'create consents', sql: 'CREATE TABLE consents (id uuid PRIMARY KEY)' }],
 * };
 * ```
 */
export interface MigrationSet {
  /** Lower-case letters, digits, `_`, `-` and `.`, starting with a letter (`'consent'`). */
  readonly namespace: string;
  readonly migrations: readonly Migration[];
}

/**
 * Options of {@link migrate}.
 *
 * @example
 * ```ts
 * const options: MigrateOptions = { clock: createManualClock('2025-01-01T00:00:00Z'), lockTimeoutMs: 5_000 };
 * ```
 */
export interface MigrateOptions {
  /** Stamps `applied_at`. Defaults to the system clock. */
  readonly clock?: Clock;
  /**
   * PostgreSQL `lock_timeout` while a migration's SQL runs: a migration that
   * waits longer than this for a table lock (behind a long query) fails with
   * `SQL_MIGRATION_FAILED` (cause `SQL_LOCK_TIMEOUT`, retryable) instead of
   * queueing every other query of that table behind it. Default: none.
   */
  readonly lockTimeoutMs?: number;
}

/**
 * What {@link migrate} did.
 *
 * @example
 * ```ts
 * const report: MigrationReport = await migrate(executor, consentMigrations);
 * console.log(`${report.namespace} at version ${report.currentVersion}`);
 * ```
 */
export interface MigrationReport {
  readonly namespace: string;
  /** The migrations this call applied, in order; empty when all were already applied. */
  readonly applied: readonly { readonly version: number; readonly name: string }[];
  /**
   * The highest version recorded in the database after this call (0 for
   * none). It can exceed the last version given when a newer release of the
   * package already migrated this database.
   */
  readonly currentVersion: number;
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS ${migrationsTable} (
  namespace text NOT NULL,
  version integer NOT NULL,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL,
  PRIMARY KEY (namespace, version)
)`;

/**
 * Defines the migrations of one package under its own namespace, checking
 * them at once (versions 1, 2, 3, ... without gaps, names, SQL) so a mistake
 * fails at import rather than at a customer's start-up. Returns a frozen
 * {@link MigrationSet} for {@link migrate}.
 *
 * @param namespace - lower-case letters, digits, `_`, `-` and `.`, starting with a letter.
 * @param migrations - the package's migrations, in any order.
 * @throws {@link SqlError} `SQL_MIGRATION_INVALID`
 * @example
 * ```ts
 * import { defineMigrations } from '@civicblocks/core';
 *
 * export const consentMigrations: MigrationSet = defineMigrations('consent', [
 *   { version: 1, name: 'create consents', sql: 'CREATE TABLE consents (id uuid PRIMARY KEY)' },
 *   {
 *     version: 2,
 *     name: 'index consents by subject',
 *     sql: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS consents_subject ON consents (subject)',
 *     transaction: false,
 *   },
 * ]);
 * ```
 */
export function defineMigrations(
  namespace: string,
  migrations: readonly Migration[],
): MigrationSet {
  const set = validateMigrationSet({ namespace, migrations });
  return Object.freeze({
    namespace: set.namespace,
    migrations: Object.freeze(set.migrations.map((migration) => Object.freeze({ ...migration }))),
  });
}

/**
 * Applies the migrations the database has not seen yet: of one
 * {@link MigrationSet}, or of several in the order given (each namespace
 * in version order, each migration in its own transaction), and records
 * them in {@link migrationsTable}. Safe to run at every start-up and from
 * several processes at once: each step holds a PostgreSQL advisory lock on
 * the namespace, so one process applies a migration and the others find it
 * done (except `transaction: false` migrations, see {@link Migration}).
 *
 * @returns one {@link MigrationReport} for a set, one per set for an array.
 * @throws {@link SqlError} `SQL_MIGRATION_INVALID` if versions are not
 *   1, 2, 3, ... without gaps or duplicates, a field is missing, or the
 *   database records a version without the ones before it;
 *   `SQL_MIGRATION_MODIFIED` if an applied migration's SQL has changed since
 *   (its checksum differs); `SQL_MIGRATION_FAILED` if a migration's SQL fails,
 *   in which case nothing of it is kept and later migrations are not tried.
 * @example
 * ```ts
 * import { coreMigrations, migrate } from '@civicblocks/core';
 *
 * await migrate(executor, coreMigrations);
 * await migrate(executor, defineMigrations('consent', [
 *   { version: 1, name: 'create consents', sql: 'CREATE TABLE consents (id uuid PRIMARY KEY)' },
 *   { version: 2, name: 'add purpose', sql: 'ALTER TABLE consents ADD COLUMN purpose text' },
 * ]));
 * ```
 */
export function migrate(
  executor: SqlExecutor,
  set: MigrationSet,
  options?: MigrateOptions,
): Promise<MigrationReport>;
export function migrate(
  executor: SqlExecutor,
  sets: readonly MigrationSet[],
  options?: MigrateOptions,
): Promise<MigrationReport[]>;
export function migrate(
  executor: SqlExecutor,
  sets: MigrationSet | readonly MigrationSet[],
  options?: MigrateOptions,
): Promise<MigrationReport | MigrationReport[]>;
export async function migrate(
  executor: SqlExecutor,
  sets: MigrationSet | readonly MigrationSet[],
  options: MigrateOptions = {},
): Promise<MigrationReport | MigrationReport[]> {
  if (!Array.isArray(sets)) return migrateSet(executor, sets as MigrationSet, options);
  const validated = (sets as readonly MigrationSet[]).map(validateMigrationSet);
  const reports: MigrationReport[] = [];
  for (const set of validated) reports.push(await migrateSet(executor, set, options));
  return reports;
}

async function migrateSet(
  executor: SqlExecutor,
  set: MigrationSet,
  options: MigrateOptions,
): Promise<MigrationReport> {
  const { namespace, migrations } = validateMigrationSet(set);
  const clock = options.clock ?? systemClock;
  const lockTimeout = lockTimeoutSetting(options.lockTimeoutMs);
  const checksums = new Map(
    migrations.map((migration) => [migration.version, migrationChecksum(migration.sql)]),
  );

  await executor.transaction(async (transaction) => {
    await acquireTransactionLock(transaction, migrationsTable);
    await transaction.executeScript(createMigrationsTable);
  });

  const record = async (transaction: SqlExecutor, pending: Migration): Promise<void> => {
    await transaction.query(
      `INSERT INTO ${migrationsTable} (namespace, version, name, checksum, applied_at) VALUES ($1, $2, $3, $4, $5)`,
      [namespace, pending.version, pending.name, checksums.get(pending.version) ?? '', clock.now()],
    );
  };

  const findPending = async (
    transaction: SqlExecutor,
  ): Promise<{ currentVersion: number; pending: Migration | undefined }> => {
    // Tried, not waited for: a waiter would hold a snapshot, and CREATE
    // INDEX CONCURRENTLY run under this lock waits for older snapshots.
    const { rows } = await transaction.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_xact_lock(hashtextextended(coalesce(current_schema(), '') || '/' || $1, 0)) AS locked",
      [`${migrationsTable}:${namespace}`],
    );
    if (rows[0]?.locked !== true) throw namespaceBusy;
    const recorded = await readRecorded(transaction, namespace);
    checkRecorded(namespace, recorded, checksums);
    const recordedVersions = new Set(recorded.map((row) => row.version));
    return {
      currentVersion: recorded.at(-1)?.version ?? 0,
      pending: migrations.find((migration) => !recordedVersions.has(migration.version)),
    };
  };

  const applied: { version: number; name: string }[] = [];
  let busyDelay = 10;
  for (;;) {
    const step = await executor
      .transaction(async (transaction) => {
        const { currentVersion, pending } = await findPending(transaction);
        if (pending === undefined) return { currentVersion, done: true as const };
        if (pending.transaction === false) {
          return { currentVersion, done: false as const, migration: pending, outside: true };
        }
        try {
          if (lockTimeout !== undefined) {
            await transaction.query("SELECT set_config('lock_timeout', $1, true)", [lockTimeout]);
          }
          await transaction.executeScript(pending.sql);
          if (lockTimeout !== undefined) {
            await transaction.query("SELECT set_config('lock_timeout', '0', true)");
          }
        } catch (error) {
          throw migrationFailed(namespace, pending, error);
        }
        await record(transaction, pending);
        return {
          currentVersion: pending.version,
          done: false as const,
          migration: pending,
          outside: false,
        };
      })
      .catch((error: unknown): typeof namespaceBusy => {
        if (error === namespaceBusy) return namespaceBusy;
        throw error;
      });
    const waitWhileBusy = async (): Promise<void> => {
      // Another process holds the namespace: try again shortly.
      await new Promise((resolve) => setTimeout(resolve, busyDelay));
      busyDelay = Math.min(500, busyDelay * 2);
    };
    if (step === namespaceBusy) {
      await waitWhileBusy();
      continue;
    }
    if (step.done) return { namespace, applied, currentVersion: step.currentVersion };
    if (step.outside) {
      const recordedNow = await runOutsideTransaction(executor, step.migration, {
        findPending,
        record,
        failed: (error) => migrationFailed(namespace, step.migration, error),
      }).catch((error: unknown): typeof namespaceBusy => {
        // Taken by another process between the step and the recording: the
        // next step finds the migration recorded, or runs it again.
        if (error === namespaceBusy) return namespaceBusy;
        throw error;
      });
      if (recordedNow === namespaceBusy) {
        await waitWhileBusy();
        continue;
      }
      if (!recordedNow) continue;
    }
    applied.push({ version: step.migration.version, name: step.migration.name });
  }
}

function migrationFailed(namespace: string, migration: Migration, error: unknown): SqlError {
  return new SqlError(
    'SQL_MIGRATION_FAILED',
    `migration ${namespace} ${migration.version} (${migration.name}) failed and was rolled back`,
    {
      cause: error,
      isRetryable: SqlError.isInstance(error) && error.isRetryable,
      details: {
        namespace,
        version: migration.version,
        name: migration.name,
        ...(SqlError.isInstance(error) && error.details?.sqlState !== undefined
          ? { sqlState: error.details.sqlState }
          : {}),
        ...(SqlError.isInstance(error) ? { causeCode: error.code } : {}),
      },
    },
  );
}

function lockTimeoutSetting(lockTimeoutMs: number | undefined): string | undefined {
  if (lockTimeoutMs === undefined) return undefined;
  if (!Number.isSafeInteger(lockTimeoutMs) || lockTimeoutMs < 1) {
    throw new SqlError(
      'SQL_MIGRATION_INVALID',
      'lockTimeoutMs must be a whole number of milliseconds from 1',
      {
        details: { argument: 'lockTimeoutMs' },
      },
    );
  }
  return `${lockTimeoutMs}ms`;
}

/**
 * The checksum {@link migrate} records for a migration's SQL: SHA-256 in hex
 * of the text with CRLF line endings read as LF (so a Windows checkout does
 * not count as a change).
 *
 * @example
 * ```ts
 * migrationChecksum('SELECT 1\r\n') === migrationChecksum('SELECT 1\n'); // true
 * ```
 */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replaceAll('\r\n', '\n'), 'utf8').digest('hex');
}
