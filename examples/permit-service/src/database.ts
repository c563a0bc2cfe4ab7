import {
  type ClosableSqlExecutor,
  coreMigrations,
  type MigrationSet,
  migrate,
  type SqlExecutor,
} from '@civicblocks/core';
import { formsMigrations } from '@civicblocks/forms';
import { identityMigrations } from '@civicblocks/identity';

/** Signed-in citizens: one row per session, keyed by a hash of the cookie's token. */
export const sessionsTable = 'permit_service_sessions';

/** Submitted applications: the verified applicant and the answers. */
export const applicationsTable = 'permit_service_applications';

/**
 * The service's own schema (namespace `permit-service`), applied after the
 * schemas of the blocks it uses.
 *
 * @example
 * ```ts
 * await migrate(executor, permitServiceMigrations);
 * ```
 */
export const permitServiceMigrations: MigrationSet = {
  namespace: 'permit-service',
  migrations: [
    {
      version: 1,
      name: 'create sessions and applications',
      sql: `CREATE TABLE ${sessionsTable} (
  token_hash text PRIMARY KEY,
  issuer text NOT NULL,
  subject text NOT NULL,
  full_name text NOT NULL,
  id_token text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX ${sessionsTable}_expires_at ON ${sessionsTable} (expires_at);
CREATE TABLE ${applicationsTable} (
  id text PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  issuer text NOT NULL,
  subject text NOT NULL,
  applicant_name text NOT NULL,
  form_id text NOT NULL,
  form_version text NOT NULL,
  answers jsonb NOT NULL,
  submitted_at timestamptz NOT NULL
);
CREATE INDEX ${applicationsTable}_applicant ON ${applicationsTable} (issuer, subject);`,
    },
  ],
};

/**
 * Opens the database: PostgreSQL when `databaseUrl` is given, otherwise the
 * embedded PGlite (in `dataDir`, or in memory). The adapters are loaded only
 * when needed, so PGlite is never started for a PostgreSQL deployment.
 *
 * @example
 * ```ts
 * const executor = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
 * ```
 */
export async function openDatabase(options: {
  readonly databaseUrl?: string | undefined;
  readonly dataDir?: string | undefined;
}): Promise<ClosableSqlExecutor> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    const { createPgExecutor } = await import('@civicblocks/core/pg');
    return createPgExecutor({ connectionString: options.databaseUrl });
  }
  const { createPgliteExecutor } = await import('@civicblocks/core/pglite');
  return createPgliteExecutor(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
}

/**
 * Brings the schema up to date: core's audit table, the identity replay
 * store, the forms answer store, then the service's own tables. Safe to run
 * on every start and from several instances at once.
 *
 * @example
 * ```ts
 * await migrateAll(executor);
 * ```
 */
export async function migrateAll(executor: SqlExecutor): Promise<void> {
  for (const set of [
    coreMigrations,
    identityMigrations,
    formsMigrations,
    permitServiceMigrations,
  ]) {
    await migrate(executor, set);
  }
}
