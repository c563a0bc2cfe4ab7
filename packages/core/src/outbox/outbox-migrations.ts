import type { MigrationSet } from '../sql/migrations.js';

/**
 * The table of outbox jobs, created by {@link outboxMigrations}.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT state, count(*) FROM ${outboxJobsTable} GROUP BY state`);
 * ```
 */
export const outboxJobsTable = 'civicblocks_outbox_jobs';

/**
 * The table of per-destination token buckets, shared by every worker.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT destination, tokens FROM ${outboxRateLimitsTable}`);
 * ```
 */
export const outboxRateLimitsTable = 'civicblocks_outbox_rate_limits';

/**
 * The table of event-delivery subscriptions.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT subscriber, url FROM ${eventSubscriptionsTable}`);
 * ```
 */
export const eventSubscriptionsTable = 'civicblocks_event_subscriptions';

/**
 * The schema of the outbox and of event delivery (namespace
 * `'core-outbox'`). Part of `coreMigrations`; run
 * `migrate(executor, coreMigrations)` at start-up.
 *
 * @example
 * ```ts
 * import { migrate, outboxMigrations } from '@civicblocks/core';
 *
 * await migrate(executor, outboxMigrations);
 * ```
 */
export const outboxMigrations: MigrationSet = Object.freeze({
  namespace: 'core-outbox',
  migrations: Object.freeze([
    Object.freeze({
      version: 1,
      name: 'create outbox jobs and rate limits',
      sql: `CREATE TABLE ${outboxJobsTable} (
  id uuid PRIMARY KEY,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  dedupe_key text,
  destination text,
  priority integer NOT NULL DEFAULT 0,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'dead')),
  run_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL CHECK (max_attempts >= 1),
  lease_owner text,
  lease_expires_at timestamptz,
  last_failure jsonb,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  UNIQUE (topic, dedupe_key)
);
CREATE INDEX ${outboxJobsTable}_ready ON ${outboxJobsTable} (priority DESC, run_at, id)
  WHERE state = 'pending';
CREATE INDEX ${outboxJobsTable}_leases ON ${outboxJobsTable} (lease_expires_at)
  WHERE state = 'running';
CREATE INDEX ${outboxJobsTable}_dead ON ${outboxJobsTable} (id) WHERE state = 'dead';
CREATE INDEX ${outboxJobsTable}_finished ON ${outboxJobsTable} (finished_at) WHERE state = 'done';
CREATE TABLE ${outboxRateLimitsTable} (
  destination text PRIMARY KEY,
  tokens double precision NOT NULL,
  updated_at timestamptz NOT NULL
);`,
    }),
    Object.freeze({
      version: 2,
      name: 'create event subscriptions',
      sql: `CREATE TABLE ${eventSubscriptionsTable} (
  id uuid PRIMARY KEY,
  subscriber text NOT NULL,
  url text NOT NULL,
  secret text NOT NULL,
  types text[] NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX ${eventSubscriptionsTable}_types ON ${eventSubscriptionsTable} USING gin (types);
CREATE INDEX ${eventSubscriptionsTable}_subscriber ON ${eventSubscriptionsTable} (subscriber);`,
    }),
  ]),
});
