import { SqlError } from '../errors/core-errors.js';
import type { MigrationSet } from './migrations.js';
import type { SqlExecutor } from './sql-executor.js';

/**
 * The table that records applied migrations, in the current schema.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT namespace, version FROM ${migrationsTable}`);
 * ```
 */
export const migrationsTable = 'civicblocks_migrations';

const namespacePattern = /^[a-z][a-z0-9_.-]{0,62}$/;

/** @internal A migration as the migrations table records it. */
export interface RecordedMigration {
  readonly version: number;
  readonly checksum: string;
}

/** @internal The migrations of a namespace the database records, in version order. */
export async function readRecorded(
  transaction: SqlExecutor,
  namespace: string,
): Promise<RecordedMigration[]> {
  const { rows } = await transaction.query<RecordedMigration>(
    `SELECT version, checksum FROM ${migrationsTable} WHERE namespace = $1 ORDER BY version`,
    [namespace],
  );
  return rows;
}

/** @internal Refuses gaps in the recorded versions and changed checksums. */
export function checkRecorded(
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

/** @internal Checks a migration set and returns it sorted by version. */
export function validateMigrationSet(set: MigrationSet): MigrationSet {
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
    if (migration.transaction !== undefined && migration.transaction !== false) {
      throw invalid(`migration ${namespace} ${version}: transaction may only be false`, {
        namespace,
        version,
      });
    }
  });
  return { namespace, migrations: sorted };
}
