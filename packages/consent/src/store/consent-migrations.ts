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

const version1Tables = `CREATE TABLE consent_notices (
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
);
-- Writes one event: its row, one decision row per purpose (with the notice
-- version's data categories and recipients) and its receipt, if any.
-- PL/pgSQL, so its plan is cached for the session.
CREATE FUNCTION consent_insert_event(p_record_id uuid, p_sequence integer, p_event jsonb, p_decisions jsonb,
  p_kid text, p_jws text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH event AS (
    INSERT INTO consent_events (id, record_id, sequence, kind, notice_id, notice_version, controller_id, purposes,
      decided_at, expires_at, actor, method)
    VALUES ((p_event->>'id')::uuid, p_record_id, p_sequence, p_event->>'kind', p_event->>'noticeId',
      (p_event->>'noticeVersion')::integer, p_event->>'controller',
      ARRAY(SELECT jsonb_array_elements_text(p_event->'purposes')),
      (p_event->>'decidedAt')::timestamptz, (p_event->>'expiresAt')::timestamptz, p_event->'actor', p_event->>'method')),
  receipt AS (
    INSERT INTO consent_receipts (event_id, record_id, kid, jws)
    SELECT (p_event->>'id')::uuid, p_record_id, p_kid, p_jws WHERE p_jws IS NOT NULL)
  INSERT INTO consent_decisions (record_id, controller_id, purpose, sequence, kind, notice_id, notice_version, event_id,
    decided_at, expires_at, data_categories, recipients)
  SELECT p_record_id, p_event->>'controller', decision.purpose, p_sequence, p_event->>'kind', p_event->>'noticeId',
         (p_event->>'noticeVersion')::integer, (p_event->>'id')::uuid,
         (p_event->>'decidedAt')::timestamptz, (p_event->>'expiresAt')::timestamptz,
         ARRAY(SELECT jsonb_array_elements_text(decision.categories)),
         ARRAY(SELECT jsonb_array_elements_text(decision.recipients))
    FROM jsonb_to_recordset(p_decisions) AS decision(purpose text, categories jsonb, recipients jsonb);
END
$$;
`;

/**
 * The SQL functions that read a record's latest decision per purpose, written
 * once: version 1 created them with the latest event first; version 2
 * replaces them so that a `requested` event never hides a decision (the
 * latest non-`requested` event first, else the latest request).
 */
const decisionFunctions = (
  create: string,
  latestFirst: string,
): string => `-- A new decision (given, refused, requested) in one round trip when nothing
-- of the subject has lapsed: locks (or creates) the subject's row, and when
-- no consent in force has expired or been invalidated by a re-asking notice
-- version, writes the event as the next in sequence. Returns the record id
-- and the sequence written, or a NULL sequence when something lapsed (the
-- caller then records the lapses first, with the lock already held).
${create} consent_decide_fresh(p_subject text, p_record_id uuid, p_at timestamptz, p_event jsonb,
  p_decisions jsonb, p_kid text, p_jws text)
RETURNS TABLE (r_record_id uuid, r_sequence integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_record uuid;
  v_last integer;
BEGIN
  INSERT INTO consent_subjects AS s (subject, record_id, created_at) VALUES (p_subject, p_record_id, p_at)
  ON CONFLICT (subject) DO UPDATE SET created_at = s.created_at
  RETURNING s.record_id INTO v_record;
  IF EXISTS (
    SELECT 1 FROM (
      SELECT DISTINCT ON (d.controller_id, d.purpose) d.kind, d.expires_at, d.notice_id, d.notice_version
        FROM consent_decisions AS d WHERE d.record_id = v_record
       ORDER BY d.controller_id, d.purpose, ${latestFirst}) AS latest
     WHERE latest.kind IN ('given', 'renewed')
       AND (latest.expires_at <= p_at
            OR latest.notice_version < (SELECT max(n.version) FROM consent_notices AS n
                                          WHERE n.notice_id = latest.notice_id AND n.reask AND n.published_at <= p_at))) THEN
    RETURN QUERY SELECT v_record, NULL::integer;
    RETURN;
  END IF;
  SELECT coalesce(max(e.sequence), 0) INTO v_last FROM consent_events AS e WHERE e.record_id = v_record;
  PERFORM consent_insert_event(v_record, v_last + 1, p_event, p_decisions, p_kid, p_jws);
  RETURN QUERY SELECT v_record, v_last + 1;
END
$$;
-- Opens a subject's record for a decision, in one round trip: locks the
-- subject's row (creating it when p_create), then, in a new statement with a
-- new snapshot (so under READ COMMITTED it sees every decision committed
-- before the lock was granted), returns the latest decision per purpose.
-- With p_subject NULL the record is found by p_record_id. No row: no record.
-- A record with no decision yet: one row whose other columns are NULL.
${create} consent_open_record(p_subject text, p_record_id uuid, p_at timestamptz, p_create boolean)
RETURNS TABLE (r_record_id uuid, r_subject text, r_controller_id text, r_purpose text, r_kind text,
  r_notice_id text, r_notice_version integer, r_event_id uuid, r_expires_at timestamptz, r_reask_version integer,
  r_last_sequence integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_record uuid;
  v_subject text;
  v_last integer;
BEGIN
  IF p_subject IS NULL THEN
    SELECT s.record_id, s.subject INTO v_record, v_subject
      FROM consent_subjects AS s WHERE s.record_id = p_record_id FOR UPDATE;
  ELSIF p_create THEN
    INSERT INTO consent_subjects AS s (subject, record_id, created_at) VALUES (p_subject, p_record_id, p_at)
    ON CONFLICT (subject) DO UPDATE SET created_at = s.created_at
    RETURNING s.record_id, s.subject INTO v_record, v_subject;
  ELSE
    SELECT s.record_id, s.subject INTO v_record, v_subject
      FROM consent_subjects AS s WHERE s.subject = p_subject FOR UPDATE;
  END IF;
  IF v_record IS NULL THEN
    RETURN;
  END IF;
  SELECT max(e.sequence) INTO v_last FROM consent_events AS e WHERE e.record_id = v_record;
  RETURN QUERY
    SELECT DISTINCT ON (d.controller_id, d.purpose)
           v_record, v_subject, d.controller_id, d.purpose, d.kind, d.notice_id, d.notice_version, d.event_id, d.expires_at,
           (SELECT max(n.version) FROM consent_notices AS n
             WHERE n.notice_id = d.notice_id AND n.reask AND n.published_at <= p_at),
           coalesce(v_last, 0)
      FROM consent_decisions AS d
     WHERE d.record_id = v_record
     ORDER BY d.controller_id, d.purpose, ${latestFirst};
  IF NOT FOUND THEN
    RETURN QUERY SELECT v_record, v_subject, NULL::text, NULL::text, NULL::text, NULL::text,
      NULL::integer, NULL::uuid, NULL::timestamptz, NULL::integer, coalesce(v_last, 0);
  END IF;
END
$$;`;

// The latest decision per purpose of v_record (as version 2 orders them) has
// lapsed at p_at: expired, or invalidated by a re-asking notice version.
const lapsedDecision = `EXISTS (
      SELECT 1 FROM (
        SELECT DISTINCT ON (d.controller_id, d.purpose) d.kind, d.expires_at, d.notice_id, d.notice_version
          FROM consent_decisions AS d WHERE d.record_id = v_record
         ORDER BY d.controller_id, d.purpose, (d.kind = 'requested'), d.sequence DESC) AS latest
       WHERE latest.kind IN ('given', 'renewed')
         AND (latest.expires_at <= p_at
              OR latest.notice_version < (SELECT max(n.version) FROM consent_notices AS n
                                            WHERE n.notice_id = latest.notice_id AND n.reask AND n.published_at <= p_at)))`;

// Writes event p_event of v_record at v_sequence: its row, its receipt (if
// any) and one decision row per purpose. Plain statements on values read
// from the JSON once: cheaper than one statement reading it again and again.
const insertEventBody = `v_id := (p_event->>'id')::uuid;
  v_kind := p_event->>'kind';
  v_notice_id := p_event->>'noticeId';
  v_notice_version := (p_event->>'noticeVersion')::integer;
  v_controller := p_event->>'controller';
  v_decided_at := (p_event->>'decidedAt')::timestamptz;
  v_expires_at := (p_event->>'expiresAt')::timestamptz;
  INSERT INTO consent_events (id, record_id, sequence, kind, notice_id, notice_version, controller_id, purposes,
    decided_at, expires_at, actor, method)
  VALUES (v_id, v_record, v_sequence, v_kind, v_notice_id, v_notice_version, v_controller,
    ARRAY(SELECT jsonb_array_elements_text(p_event->'purposes')), v_decided_at, v_expires_at,
    p_event->'actor', p_event->>'method');
  IF p_jws IS NOT NULL THEN
    INSERT INTO consent_receipts (event_id, record_id, kid, jws) VALUES (v_id, v_record, p_kid, p_jws);
  END IF;
  INSERT INTO consent_decisions (record_id, controller_id, purpose, sequence, kind, notice_id, notice_version, event_id,
    decided_at, expires_at, data_categories, recipients)
  SELECT v_record, v_controller, decision.purpose, v_sequence, v_kind, v_notice_id, v_notice_version, v_id,
         v_decided_at, v_expires_at,
         ARRAY(SELECT jsonb_array_elements_text(decision.categories)),
         ARRAY(SELECT jsonb_array_elements_text(decision.recipients))
    FROM jsonb_to_recordset(p_decisions) AS decision(purpose text, categories jsonb, recipients jsonb);`;

const insertEventVariables = `v_id uuid;
  v_kind text;
  v_notice_id text;
  v_notice_version integer;
  v_controller text;
  v_decided_at timestamptz;
  v_expires_at timestamptz;`;

// Version 3: a give costs the database less. consent_decide_fresh returns one
// row (no set), writes the event itself (no nested call), and for a subject
// it has just created (the record id it proposed came back) skips the lapse
// check and the sequence lookup: a new record has no decision and no event.
const version3 = `CREATE OR REPLACE FUNCTION consent_insert_event(p_record_id uuid, p_sequence integer, p_event jsonb,
  p_decisions jsonb, p_kid text, p_jws text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_record uuid := p_record_id;
  v_sequence integer := p_sequence;
  ${insertEventVariables}
BEGIN
  ${insertEventBody}
END
$$;
DROP FUNCTION consent_decide_fresh(text, uuid, timestamptz, jsonb, jsonb, text, text);
-- A new decision (given, refused, requested) in one round trip when nothing
-- of the subject has lapsed: locks (or creates) the subject's row, and when
-- no consent in force has expired or been invalidated by a re-asking notice
-- version, writes the event as the next in sequence. Returns the record id
-- and the sequence written, or a NULL sequence when something lapsed (the
-- caller then records the lapses first, with the lock already held).
CREATE FUNCTION consent_decide_fresh(p_subject text, p_record_id uuid, p_at timestamptz, p_event jsonb,
  p_decisions jsonb, p_kid text, p_jws text, OUT r_record_id uuid, OUT r_sequence integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_record uuid;
  v_sequence integer := 1;
  ${insertEventVariables}
BEGIN
  INSERT INTO consent_subjects AS s (subject, record_id, created_at) VALUES (p_subject, p_record_id, p_at)
  ON CONFLICT (subject) DO UPDATE SET created_at = s.created_at
  RETURNING s.record_id INTO v_record;
  r_record_id := v_record;
  IF v_record <> p_record_id THEN
    IF ${lapsedDecision} THEN
      RETURN;
    END IF;
    SELECT coalesce(max(e.sequence), 0) + 1 INTO v_sequence FROM consent_events AS e WHERE e.record_id = v_record;
  END IF;
  ${insertEventBody}
  r_sequence := v_sequence;
END
$$;`;

const version1 = `${version1Tables}${decisionFunctions('CREATE FUNCTION', 'd.sequence DESC')}`;
const version2 = decisionFunctions(
  'CREATE OR REPLACE FUNCTION',
  "(d.kind = 'requested'), d.sequence DESC",
);

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
    Object.freeze({
      version: 2,
      name: 'a consent request never hides a decision',
      sql: version2,
    }),
    Object.freeze({
      version: 3,
      name: 'a give costs the database less',
      sql: version3,
    }),
  ]),
});
