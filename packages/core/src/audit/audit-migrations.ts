import type { MigrationSet } from '../sql/migrations.js';

/**
 * The table of audit-chain entries (the chain itself), created by
 * {@link auditMigrations}. From schema version 2 an entry holds a salted
 * digest of its payload, not the payload.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT sequence, type FROM ${auditEntriesTable} WHERE chain = $1`, ['consent']);
 * ```
 */
export const auditEntriesTable = 'civicblocks_audit_entries';

/**
 * The table of audit-entry payloads, with the salt and subject of each:
 * what {@link AuditChain.erase} deletes. The chain table keeps only the
 * salted digest, so the chain still verifies once a payload is gone.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT count(*) FROM ${auditPayloadsTable} WHERE chain = $1`, ['consent']);
 * ```
 */
export const auditPayloadsTable = 'civicblocks_audit_payloads';

const version1 = `CREATE TABLE ${auditEntriesTable} (
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
  FOR EACH STATEMENT EXECUTE FUNCTION ${auditEntriesTable}_refuse_change();`;

// Format 2 (see docs/core/audit-chain.md): entries written by version 1 keep
// their payload and format-1 hash and still verify; new entries carry a
// salted digest, their payload lives in the erasable payloads table.
// civicblocks_audit_entry_hash is the format-2 entry hash, the same text
// auditEntryHashV2 hashes in JavaScript; civicblocks_audit_append is the
// whole append in one statement (lock, read the head, insert).
const version2 = `ALTER TABLE ${auditEntriesTable}
  ADD COLUMN format smallint NOT NULL DEFAULT 1,
  ADD COLUMN erasable boolean,
  ADD COLUMN payload_digest text,
  ALTER COLUMN payload DROP NOT NULL,
  ALTER COLUMN canonical_payload DROP NOT NULL,
  ADD CONSTRAINT ${auditEntriesTable}_format CHECK (
    (format = 1 AND payload IS NOT NULL AND canonical_payload IS NOT NULL
       AND erasable IS NULL AND payload_digest IS NULL)
    OR (format = 2 AND payload IS NULL AND canonical_payload IS NULL
       AND erasable IS NOT NULL AND payload_digest IS NOT NULL));
CREATE TABLE ${auditPayloadsTable} (
  entry_id text PRIMARY KEY,
  chain text NOT NULL,
  subject text,
  salt bytea NOT NULL CHECK (octet_length(salt) = 32),
  payload jsonb NOT NULL
);
CREATE INDEX ${auditPayloadsTable}_subject ON ${auditPayloadsTable} (chain, subject)
  WHERE subject IS NOT NULL;
CREATE FUNCTION ${auditPayloadsTable}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit payloads can be erased (deleted), never changed';
END
$$;
CREATE TRIGGER ${auditPayloadsTable}_no_update
  BEFORE UPDATE ON ${auditPayloadsTable}
  FOR EACH ROW EXECUTE FUNCTION ${auditPayloadsTable}_refuse_change();
CREATE TRIGGER ${auditPayloadsTable}_no_truncate
  BEFORE TRUNCATE ON ${auditPayloadsTable}
  FOR EACH STATEMENT EXECUTE FUNCTION ${auditPayloadsTable}_refuse_change();
CREATE FUNCTION civicblocks_audit_field(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT octet_length(convert_to($1, 'UTF8'))::text || ':' || $1 || ',' $$;
CREATE FUNCTION civicblocks_audit_entry_hash(
  chain text, sequence bigint, id text, recorded_at text, type text,
  erasable boolean, payload_digest text, previous_hash text
) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT encode(sha256(convert_to(
    civicblocks_audit_field('civicblocks.audit/2')
    || civicblocks_audit_field($1)
    || civicblocks_audit_field($2::text)
    || civicblocks_audit_field($3)
    || civicblocks_audit_field($4)
    || civicblocks_audit_field($5)
    || civicblocks_audit_field(CASE WHEN $6 THEN '1' ELSE '0' END)
    || civicblocks_audit_field($7)
    || civicblocks_audit_field($8), 'UTF8')), 'hex')
$$;
CREATE FUNCTION civicblocks_audit_append(
  p_chain text, p_id text, p_recorded_at text, p_type text, p_subject text,
  p_salt bytea, p_payload text, p_payload_digest text
) RETURNS TABLE (entry_sequence bigint, entry_previous_hash text, entry_hash text)
LANGUAGE plpgsql AS $$
DECLARE
  v_sequence bigint;
  v_previous_hash text;
  v_hash text;
BEGIN
  -- One writer per chain at a time, until the transaction ends; under READ
  -- COMMITTED the next statement then sees every entry committed before.
  PERFORM pg_advisory_xact_lock(hashtextextended(
    coalesce(current_schema(), '') || '/${auditEntriesTable}:' || p_chain, 0));
  SELECT entry.sequence + 1, entry.hash INTO v_sequence, v_previous_hash
    FROM ${auditEntriesTable} AS entry
   WHERE entry.chain = p_chain
   ORDER BY entry.sequence DESC
   LIMIT 1;
  IF NOT FOUND THEN
    v_sequence := 1;
    v_previous_hash := repeat('0', 64);
  END IF;
  v_hash := civicblocks_audit_entry_hash(p_chain, v_sequence, p_id, p_recorded_at, p_type,
    p_subject IS NOT NULL, p_payload_digest, v_previous_hash);
  INSERT INTO ${auditEntriesTable}
    (chain, sequence, id, recorded_at, type, format, erasable, payload_digest, previous_hash, hash)
  VALUES (p_chain, v_sequence, p_id, p_recorded_at::timestamptz, p_type, 2,
    p_subject IS NOT NULL, p_payload_digest, v_previous_hash, v_hash);
  INSERT INTO ${auditPayloadsTable} (entry_id, chain, subject, salt, payload)
  VALUES (p_id, p_chain, p_subject, p_salt, p_payload::jsonb);
  RETURN QUERY SELECT v_sequence, v_previous_hash, v_hash;
END
$$;`;

/**
 * Entries appended with {@link AuditChain.appendAtCommit}, waiting in their
 * transaction for its commit, when a deferred trigger links them into the
 * chain. Always empty outside a transaction.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT count(*) FROM ${auditPendingTable}`); // 0
 * ```
 */
export const auditPendingTable = 'civicblocks_audit_pending';

// Appends linked at commit: the pending row is inserted with the payload, and
// a deferred constraint trigger takes the chain lock, reads the head, inserts
// the entry and deletes the pending row during COMMIT, so the lock is held
// for the commit only. A stale snapshot (REPEATABLE READ, SERIALIZABLE) makes
// the entry's sequence collide: reported as 40001, retry the transaction.
const version3 = `CREATE TABLE ${auditPendingTable} (
  id text PRIMARY KEY,
  chain text NOT NULL,
  recorded_at text NOT NULL,
  type text NOT NULL,
  erasable boolean NOT NULL,
  payload_digest text NOT NULL
);
CREATE FUNCTION ${auditPendingTable}_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_sequence bigint;
  v_previous_hash text;
  v_constraint text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(
    coalesce(current_schema(), '') || '/${auditEntriesTable}:' || NEW.chain, 0));
  SELECT entry.sequence + 1, entry.hash INTO v_sequence, v_previous_hash
    FROM ${auditEntriesTable} AS entry
   WHERE entry.chain = NEW.chain
   ORDER BY entry.sequence DESC
   LIMIT 1;
  IF NOT FOUND THEN
    v_sequence := 1;
    v_previous_hash := repeat('0', 64);
  END IF;
  BEGIN
    INSERT INTO ${auditEntriesTable}
      (chain, sequence, id, recorded_at, type, format, erasable, payload_digest, previous_hash, hash)
    VALUES (NEW.chain, v_sequence, NEW.id, NEW.recorded_at::timestamptz, NEW.type, 2,
      NEW.erasable, NEW.payload_digest, v_previous_hash,
      civicblocks_audit_entry_hash(NEW.chain, v_sequence, NEW.id, NEW.recorded_at, NEW.type,
        NEW.erasable, NEW.payload_digest, v_previous_hash));
  EXCEPTION WHEN unique_violation THEN
    GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
    IF v_constraint = '${auditEntriesTable}_pkey' THEN
      RAISE EXCEPTION 'the audit chain moved on since this transaction took its snapshot: retry the whole transaction'
        USING ERRCODE = '40001';
    END IF;
    RAISE;
  END;
  DELETE FROM ${auditPendingTable} WHERE id = NEW.id;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER ${auditPendingTable}_link_at_commit
  AFTER INSERT ON ${auditPendingTable}
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ${auditPendingTable}_link();`;

// The same entry hash as version 2 wrote it, in one PL/pgSQL expression: the
// nested SQL functions of version 2 are not inlined and cost ~200 µs an
// append; this costs ~10 µs. Test vectors: docs/core/audit-chain.md.
const version4 = `CREATE OR REPLACE FUNCTION civicblocks_audit_entry_hash(
  chain text, sequence bigint, id text, recorded_at text, type text,
  erasable boolean, payload_digest text, previous_hash text
) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  v_sequence text := sequence::text;
BEGIN
  RETURN encode(sha256(convert_to(
    '19:civicblocks.audit/2,'
    || octet_length(convert_to(chain, 'UTF8')) || ':' || chain || ','
    || octet_length(v_sequence) || ':' || v_sequence || ','
    || octet_length(convert_to(id, 'UTF8')) || ':' || id || ','
    || octet_length(convert_to(recorded_at, 'UTF8')) || ':' || recorded_at || ','
    || octet_length(convert_to(type, 'UTF8')) || ':' || type || ','
    || CASE WHEN erasable THEN '1:1,' ELSE '1:0,' END
    || octet_length(convert_to(payload_digest, 'UTF8')) || ':' || payload_digest || ','
    || octet_length(convert_to(previous_hash, 'UTF8')) || ':' || previous_hash || ',',
    'UTF8')), 'hex');
END
$$;`;

/**
 * The audit chain's schema, namespace `'core'` (part of
 * {@link coreMigrations}): version 1 the append-only entries table, version 2
 * the erasable format (salted payload digests, the payloads table, and the
 * one-statement append function), version 3 the pending table and deferred
 * trigger of {@link AuditChain.appendAtCommit}, version 4 a faster database
 * entry hash (same result). Entries written under version 1 stay as
 * they are and still verify.
 *
 * @example
 * ```ts
 * import { auditMigrations, migrate } from '@civicblocks/core';
 *
 * await migrate(executor, auditMigrations);
 * ```
 */
export const auditMigrations: MigrationSet = Object.freeze({
  namespace: 'core',
  migrations: Object.freeze([
    Object.freeze({ version: 1, name: 'create audit entries', sql: version1 }),
    Object.freeze({ version: 2, name: 'erasable audit payloads', sql: version2 }),
    Object.freeze({ version: 3, name: 'audit entries linked at commit', sql: version3 }),
    Object.freeze({ version: 4, name: 'faster audit entry hash', sql: version4 }),
  ]),
});
