import { createHash } from 'node:crypto';
import { SqlError } from '../errors/core-errors.js';
import { type Clock, systemClock } from '../time/clock.js';
import { acquireTransactionLock } from './advisory-lock.js';
import type { SqlExecutor } from './sql-executor.js';

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
   * statements PostgreSQL refuses in a transaction (CREATE INDEX CONCURRENTLY).
   * Never edit it once released: an applied migration whose SQL changed is
   * refused with `SQL_MIGRATION_MODIFIED`. Add a new migration instead.
   */
  readonly sql: string;
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
 * const options: MigrateOptions = { clock: createManualClock('2025-01-01T00:00:00Z') };
 * ```
 */
export interface MigrateOptions {
  /** Stamps `applied_at`. Defaults to the system clock. */
  readonly clock?: Clock;
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

/**
 * The table that records applied migrations, in the current schema.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT namespace, version FROM ${migrationsTable}`);
 * ```
 */
export const migrationsTable = 'civicblocks_migrations';

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS ${migrationsTable} (
  namespace text NOT NULL,
  version integer NOT NULL,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL,
  PRIMARY KEY (namespace, version)
)`;

const namespacePattern = /^[a-z][a-z0-9_.-]{0,62}$/;

/**
 * Applies the migrations of `set.namespace` that the database has not seen
 * yet, in version order, each in its own transaction, and records them in
 * {@link migrationsTable}. Safe to run at every start-up and from several
 * processes at once: each step holds a PostgreSQL advisory lock on the
 * namespace, so one process applies a migration and the others find it done.
 *
 * @throws {@link SqlError} `SQL_MIGRATION_INVALID` if versions are not
 *   1, 2, 3, ... without gaps or duplicates, a field is missing, or the
 *   database records a version without the ones before it;
 *   `SQL_MIGRATION_MODIFIED` if an applied migration's SQL has changed since
 *   (its checksum differs); `SQL_MIGRATION_FAILED` if a migration's SQL fails,
 *   in which case nothing of it is kept and later migrations are not tried.
 * @example
 * ```ts
 * import { migrate } from '@civicblocks/core';
 *
 * await migrate(executor, {
 *   namespace: 'consent',
 *   migrations: [
 *     { version: 1, name: 'create consents', sql: 'CREATE TABLE consents (id uuid PRIMARY KEY)' },
 *     { version: 2, name: 'add purpose', sql: 'ALTER TABLE consents ADD COLUMN purpose text' },
 *   ],
 * });
 * ```
 */
export async function migrate(
  executor: SqlExecutor,
  set: MigrationSet,
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  const { namespace, migrations } = validateMigrationSet(set);
  const clock = options.clock ?? systemClock;
  const checksums = new Map(
    migrations.map((migration) => [migration.version, migrationChecksum(migration.sql)]),
  );

  await executor.transaction(async (transaction) => {
    await acquireTransactionLock(transaction, migrationsTable);
    await transaction.executeScript(createMigrationsTable);
  });

  const applied: { version: number; name: string }[] = [];
  for (;;) {
    const step = await executor.transaction(async (transaction) => {
      await acquireTransactionLock(transaction, `${migrationsTable}:${namespace}`);
      const recorded = await readRecorded(transaction, namespace);
      checkRecorded(namespace, recorded, checksums);
      const recordedVersions = new Set(recorded.map((row) => row.version));
      const pending = migrations.find((migration) => !recordedVersions.has(migration.version));
      const currentVersion = recorded.at(-1)?.version ?? 0;
      if (pending === undefined) return { currentVersion, done: true as const };

      try {
        await transaction.executeScript(pending.sql);
      } catch (error) {
        throw new SqlError(
          'SQL_MIGRATION_FAILED',
          `migration ${namespace} ${pending.version} (${pending.name}) failed and was rolled back`,
          {
            cause: error,
            isRetryable: SqlError.isInstance(error) && error.isRetryable,
            details: {
              namespace,
              version: pending.version,
              name: pending.name,
              ...(SqlError.isInstance(error) && error.details?.sqlState !== undefined
                ? { sqlState: error.details.sqlState }
                : {}),
            },
          },
        );
      }
      await transaction.query(
        `INSERT INTO ${migrationsTable} (namespace, version, name, checksum, applied_at) VALUES ($1, $2, $3, $4, $5)`,
        [
          namespace,
          pending.version,
          pending.name,
          checksums.get(pending.version) ?? '',
          clock.now(),
        ],
      );
      return { currentVersion: pending.version, done: false as const, migration: pending };
    });
    if (step.done) return { namespace, applied, currentVersion: step.currentVersion };
    applied.push({ version: step.migration.version, name: step.migration.name });
  }
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

interface RecordedMigration {
  readonly version: number;
  readonly checksum: string;
}

async function readRecorded(
  transaction: SqlExecutor,
  namespace: string,
): Promise<RecordedMigration[]> {
  const { rows } = await transaction.query<RecordedMigration>(
    `SELECT version, checksum FROM ${migrationsTable} WHERE namespace = $1 ORDER BY version`,
    [namespace],
  );
  return rows;
}

function checkRecorded(
  namespace: string,
  recorded: readonly RecordedMigration[],
  checksums: ReadonlyMap<number, string>,
): void {
  recorded.forEach((row, index) => {
    if (row.version !== index + 1) {
      throw new SqlError(
        'SQL_MIGRATION_INVALID',
        `the database records migration ${namespace} ${row.version} as applied but not version ${index + 1}`,
        { details: { namespace, version: index + 1 } },
      );
    }
    const expected = checksums.get(row.version);
    if (expected !== undefined && expected !== row.checksum) {
      throw new SqlError(
        'SQL_MIGRATION_MODIFIED',
        `migration ${namespace} ${row.version} was changed after it was applied: add a new migration instead of editing it`,
        { details: { namespace, version: row.version } },
      );
    }
  });
}

function validateMigrationSet(set: MigrationSet): MigrationSet {
  const invalid = (message: string, details: Record<string, unknown>): SqlError =>
    new SqlError('SQL_MIGRATION_INVALID', message, { details });
  if (typeof set !== 'object' || set === null) {
    throw invalid('the migration set must be an object', {});
  }
  const { namespace, migrations } = set;
  if (typeof namespace !== 'string' || !namespacePattern.test(namespace)) {
    throw invalid(
      'the migration namespace must be lower-case letters, digits, "_", "-" or ".", starting with a letter',
      {},
    );
  }
  if (!Array.isArray(migrations)) {
    throw invalid(`the migrations of ${namespace} must be an array`, { namespace });
  }
  for (const migration of migrations as readonly unknown[]) {
    const version = (migration as { version?: unknown } | null)?.version;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
      throw invalid(`every migration of ${namespace} needs a whole version number from 1`, {
        namespace,
      });
    }
  }
  const sorted = [...migrations].sort((left, right) => left.version - right.version);
  sorted.forEach((migration, index) => {
    const { version } = migration;
    if (version === sorted[index - 1]?.version) {
      throw invalid(`migration ${namespace} ${version} is given twice`, { namespace, version });
    }
    if (version !== index + 1) {
      throw invalid(
        `migration ${namespace} ${index + 1} is missing: versions must be 1, 2, 3, ...`,
        {
          namespace,
          version: index + 1,
        },
      );
    }
    if (typeof migration.name !== 'string' || migration.name.trim() === '') {
      throw invalid(`migration ${namespace} ${version} needs a name`, { namespace, version });
    }
    if (typeof migration.sql !== 'string' || migration.sql.trim() === '') {
      throw invalid(`migration ${namespace} ${version} has no SQL`, { namespace, version });
    }
  });
  return { namespace, migrations: sorted };
}
