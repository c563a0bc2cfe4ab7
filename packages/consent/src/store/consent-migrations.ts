import type { MigrationSet } from '@civicblocks/core';

/**
 * The names of the consent tables, for operators and tests.
 *
 * - `notices`: published notice versions (no personal data).
 * - `subjects`: the only table holding a subject's identifier, mapped to the
 *   random id of their record; erasing a subject deletes the row.
 * - `events`: the event log of each record (proxies' identifiers in `actor`).
 * - `decisions`: one row per purpose an event decides; what `check` reads.
 * - `receipts`: the signed receipts of given and withdrawn events.
 * - `erasures`: tombstones proving an erasure happened, without personal data.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT count(*) FROM ${consentTables.events}`);
 * ```
 */
export const consentTables: {
  readonly notices: 'consent_notices';
  readonly subjects: 'consent_subjects';
  readonly events: 'consent_events';
  readonly decisions: 'consent_decisions';
  readonly receipts: 'consent_receipts';
  readonly erasures: 'consent_erasures';
} = Object.freeze({
  notices: 'consent_notices',
  subjects: 'consent_subjects',
  events: 'consent_events',
  decisions: 'consent_decisions',
  receipts: 'consent_receipts',
  erasures: 'consent_erasures',
});

const version1 = `CREATE TABLE consent_notices (
  notice_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  controller_id text NOT NULL,
  reask boolean NOT NULL,
  document jsonb NOT NULL,
  published_at timestamptz NOT NULL,
  PRIMARY KEY (notice_id, version)
);
CREATE TABLE consent_subjects (
  subject text PRIMARY KEY,
  record_id uuid NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);
CREATE TABLE consent_events (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL,
  sequence integer NOT NULL CHECK (sequence >= 1),
  kind text NOT NULL CHECK (kind IN ('requested', 'given', 'refused', 'withdrawn', 'expired', 'renewed', 'invalidated')),
  notice_id text NOT NULL,
  notice_version integer NOT NULL,
  controller_id text NOT NULL,
  purposes text[] NOT NULL,
  decided_at timestamptz NOT NULL,
  expires_at timestamptz,
  actor jsonb NOT NULL,
  method text NOT NULL,
  UNIQUE (record_id, sequence)
);
CREATE TABLE consent_decisions (
  record_id uuid NOT NULL,
  controller_id text NOT NULL,
  purpose text NOT NULL,
  sequence integer NOT NULL,
  kind text NOT NULL,
  notice_id text NOT NULL,
  notice_version integer NOT NULL,
  event_id uuid NOT NULL,
  decided_at timestamptz NOT NULL,
  expires_at timestamptz,
  data_categories text[] NOT NULL,
  recipients text[] NOT NULL,
  PRIMARY KEY (record_id, controller_id, purpose, sequence)
);
CREATE INDEX consent_decisions_expiring ON consent_decisions (expires_at)
  WHERE kind IN ('given', 'renewed') AND expires_at IS NOT NULL;
CREATE TABLE consent_receipts (
  event_id uuid PRIMARY KEY,
  record_id uuid NOT NULL,
  kid text NOT NULL,
  jws text NOT NULL
);
CREATE INDEX consent_receipts_record ON consent_receipts (record_id);
CREATE TABLE consent_erasures (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL UNIQUE,
  chain text NOT NULL,
  erased_at timestamptz NOT NULL,
  events integer NOT NULL,
  head_length integer NOT NULL,
  head_hash text NOT NULL
);`;

/**
 * The consent tables (namespace `'consent'`). Run core's migrations first
 * (the history chains live in core's audit tables, events go out through
 * core's outbox), then these:
 *
 * @example
 * ```ts
 * import { coreMigrations, migrate } from '@civicblocks/core';
 * import { consentMigrations } from '@civicblocks/consent';
 *
 * await migrate(executor, coreMigrations);
 * await migrate(executor, consentMigrations);
 * ```
 */
export const consentMigrations: MigrationSet = Object.freeze({
  namespace: 'consent',
  migrations: Object.freeze([
    Object.freeze({ version: 1, name: 'create consent records', sql: version1 }),
  ]),
});
