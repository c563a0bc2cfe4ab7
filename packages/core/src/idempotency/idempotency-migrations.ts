import { defineMigrations, type MigrationSet } from '../sql/migrations.js';

/**
 * The table of {@link IdempotencyStore.run}: one row per (scope, key) with the
 * request's fingerprint, the stored outcome and its expiry.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT count(*) FROM ${idempotencyKeysTable} WHERE scope = $1`, ['payments']);
 * ```
 */
export const idempotencyKeysTable = 'civicblocks_idempotency_keys';

/**
 * The table of {@link IdempotencyStore.consume}: ids used once until they expire.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT count(*) FROM ${replayIdsTable} WHERE scope = $1`, ['webhooks']);
 * ```
 */
export const replayIdsTable = 'civicblocks_replay_ids';

/**
 * The migrations of core's idempotency and replay store (namespace
 * `'core-idempotency'`), part of {@link coreMigrations}.
 *
 * @example
 * ```ts
 * await migrate(executor, idempotencyMigrations);
 * ```
 */
export const idempotencyMigrations: MigrationSet = defineMigrations('core-idempotency', [
  {
    version: 1,
    name: 'create idempotency keys and replay ids',
    sql: `CREATE TABLE ${idempotencyKeysTable} (
  scope text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  outcome jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX ${idempotencyKeysTable}_expires_at ON ${idempotencyKeysTable} (expires_at);
CREATE TABLE ${replayIdsTable} (
  scope text NOT NULL,
  key text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX ${replayIdsTable}_expires_at ON ${replayIdsTable} (expires_at);`,
  },
]);
