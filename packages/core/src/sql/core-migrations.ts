import type { MigrationSet } from './migrations.js';

/**
 * The table of audit-chain entries, created by {@link coreMigrations}.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT sequence, type FROM ${auditEntriesTable} WHERE chain = $1`, ['consent']);
 * ```
 */
export const auditEntriesTable = 'civicblocks_audit_entries';

/**
 * The schema `@civicblocks/core` itself needs (namespace `'core'`): today the
 * audit-chain table. Run it with {@link migrate} at start-up, before the
 * migrations of the blocks that use core's tables.
 *
 * The audit table refuses UPDATE, DELETE and TRUNCATE through a trigger;
 * the hash chain detects changes made by anyone able to get round it.
 *
 * @example
 * ```ts
 * import { coreMigrations, migrate } from '@civicblocks/core';
 *
 * await migrate(executor, coreMigrations);
 * ```
 */
export const coreMigrations: MigrationSet = Object.freeze({
  namespace: 'core',
  migrations: Object.freeze([
    Object.freeze({
      version: 1,
      name: 'create audit entries',
      sql: `CREATE TABLE ${auditEntriesTable} (
  chain text NOT NULL,
  sequence bigint NOT NULL CHECK (sequence >= 1),
  id text NOT NULL UNIQUE,
  recorded_at timestamptz NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL,
  canonical_payload text NOT NULL,
  previous_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (chain, sequence)
);
CREATE INDEX ${auditEntriesTable}_hash ON ${auditEntriesTable} (chain, hash);
CREATE FUNCTION ${auditEntriesTable}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are append-only';
END
$$;
CREATE TRIGGER ${auditEntriesTable}_append_only
  BEFORE UPDATE OR DELETE ON ${auditEntriesTable}
  FOR EACH ROW EXECUTE FUNCTION ${auditEntriesTable}_refuse_change();
CREATE TRIGGER ${auditEntriesTable}_no_truncate
  BEFORE TRUNCATE ON ${auditEntriesTable}
  FOR EACH STATEMENT EXECUTE FUNCTION ${auditEntriesTable}_refuse_change();`,
    }),
  ]),
});
