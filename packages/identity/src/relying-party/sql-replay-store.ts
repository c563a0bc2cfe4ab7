import { type Clock, type MigrationSet, type SqlExecutor, systemClock } from '@civicblocks/core';
import type { ReplayStore } from './replay-store.js';

/**
 * The table of used login transactions and logout tokens, created by
 * {@link identityMigrations}.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT count(*) FROM ${usedTransactionsTable}`);
 * ```
 */
export const usedTransactionsTable = 'civicblocks_identity_used_transactions';

/**
 * The schema `@civicblocks/identity` needs (namespace `'identity'`): the
 * table behind {@link createSqlReplayStore}. Run it with core's `migrate()`
 * at start-up.
 *
 * @example
 * ```ts
 * import { migrate } from '@civicblocks/core';
 * import { identityMigrations } from '@civicblocks/identity';
 *
 * await migrate(executor, identityMigrations);
 * ```
 */
export const identityMigrations: MigrationSet = Object.freeze({
  namespace: 'identity',
  migrations: Object.freeze([
    Object.freeze({
      version: 1,
      name: 'create used transactions',
      sql: `CREATE TABLE ${usedTransactionsTable} (
  id text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX ${usedTransactionsTable}_expires_at ON ${usedTransactionsTable} (expires_at);`,
    }),
  ]),
});

/**
 * Options of {@link createSqlReplayStore}.
 *
 * @example
 * ```ts
 * const options: SqlReplayStoreOptions = { clock: createManualClock('2026-01-01T00:00:00Z') };
 * ```
 */
export interface SqlReplayStoreOptions {
  /** Decides when a recorded id has expired (default core's `systemClock`). */
  readonly clock?: Clock;
  /** Delete expired rows every this many calls (default 200; 0 never). */
  readonly pruneEvery?: number;
}

/**
 * A {@link ReplayStore} in PostgreSQL (or PGlite) through core's
 * `SqlExecutor`, for a service running on several processes: a login
 * cookie or logout token used on one instance is refused on every other.
 * One statement per call (an upsert that only overwrites an expired row),
 * so two instances racing on the same id cannot both win. Run
 * {@link identityMigrations} first.
 *
 * @example
 * ```ts
 * import { migrate } from '@civicblocks/core';
 * import { createPgExecutor } from '@civicblocks/core/pg';
 * import { createSqlReplayStore, identityMigrations } from '@civicblocks/identity';
 *
 * const executor = createPgExecutor({ connectionString: process.env.DATABASE_URL });
 * await migrate(executor, identityMigrations);
 * const relyingParty = createRelyingParty({ ...options, replayStore: createSqlReplayStore(executor) });
 * ```
 */
export function createSqlReplayStore(
  executor: SqlExecutor,
  options: SqlReplayStoreOptions = {},
): ReplayStore {
  const clock = options.clock ?? systemClock;
  const pruneEvery = options.pruneEvery ?? 200;
  let calls = 0;
  return {
    async consume(id: string, expiresAt: Date): Promise<boolean> {
      const now = clock.now();
      calls += 1;
      if (pruneEvery > 0 && calls % pruneEvery === 0) {
        await executor.query(`DELETE FROM ${usedTransactionsTable} WHERE expires_at <= $1`, [now]);
      }
      const result = await executor.query(
        `INSERT INTO ${usedTransactionsTable} AS used (id, expires_at) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at
         WHERE used.expires_at <= $3
         RETURNING id`,
        [id, expiresAt, now],
      );
      return result.rows.length === 1;
    },
  };
}
