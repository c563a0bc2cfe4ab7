import {
  type Clock,
  createIdempotencyStore,
  type MigrationSet,
  SqlError,
  type SqlExecutor,
} from '@civicblocks/core';
import { IdentityError } from '../errors/identity-error.js';
import type { ReplayStore } from './replay-store.js';

/**
 * The table of used login transactions and logout tokens of earlier
 * releases, created by {@link identityMigrations}. {@link createSqlReplayStore}
 * now keeps them in core's replay table (`replayIdsTable`).
 *
 * @example
 * ```ts
 * await executor.query(`SELECT count(*) FROM ${usedTransactionsTable}`);
 * ```
 */
export const usedTransactionsTable = 'civicblocks_identity_used_transactions';

/**
 * The schema of `@civicblocks/identity` (namespace `'identity'`): the table
 * earlier releases of {@link createSqlReplayStore} used. The store now runs
 * on core's replay table (run core's `coreMigrations`); this set is kept, and
 * harmless to run, so existing start-up code keeps working.
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
  /** The scope of the ids in core's replay table (default `'civicblocks.identity'`). */
  readonly scope?: string;
}

/**
 * A {@link ReplayStore} in PostgreSQL (or PGlite) on core's replay store
 * (`createIdempotencyStore(executor).consume()`), for a service running on
 * several processes: a login cookie or logout token used on one instance is
 * refused on every other. One statement per call (an upsert that only
 * overwrites an expired row), so two instances racing on the same id cannot
 * both win. Its table comes with core's `coreMigrations`; run them first.
 * ({@link identityMigrations} is no longer needed by this store and is kept
 * so existing start-up code keeps working.)
 *
 * @example
 * ```ts
 * import { coreMigrations, migrate } from '@civicblocks/core';
 * import { createPgExecutor } from '@civicblocks/core/pg';
 * import { createSqlReplayStore } from '@civicblocks/identity';
 *
 * const executor = createPgExecutor({ connectionString: process.env.DATABASE_URL });
 * await migrate(executor, coreMigrations);
 * const relyingParty = createRelyingParty({ ...options, replayStore: createSqlReplayStore(executor) });
 * ```
 */
export function createSqlReplayStore(
  executor: SqlExecutor,
  options: SqlReplayStoreOptions = {},
): ReplayStore {
  const store = createIdempotencyStore(executor, {
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.pruneEvery === undefined ? {} : { pruneEvery: options.pruneEvery }),
  });
  const scope = options.scope ?? 'civicblocks.identity';
  return {
    consume: async (id: string, expiresAt: Date): Promise<boolean> => {
      try {
        return await store.consume({ scope, key: id, expiresAt });
      } catch (error) {
        // A missing table is the team's set-up, not the provider: say what to run.
        if (SqlError.isInstance(error) && error.details?.sqlState === '42P01') {
          throw new IdentityError(
            'IDENTITY_CONFIGURATION_INVALID',
            "the SQL replay store's table is missing: run migrate(executor, coreMigrations) at start-up (the store keeps its ids in core's replay table)",
            { cause: error },
          );
        }
        throw error;
      }
    },
  };
}
