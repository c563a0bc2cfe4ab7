import { AuditError, InvalidInputError, SqlError } from '../errors/core-errors.js';
import { createUuidv7Generator } from '../ids/uuidv7.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { executorFor, type SqlWriteOptions } from '../sql/unit-of-work.js';
import { type Clock, systemClock } from '../time/clock.js';
import { auditGenesisHash } from './audit-entry-hash.js';
import {
  checkSubject,
  isWellFormed,
  type PreparedEntry,
  prepareEntry,
} from './audit-entry-input.js';
import { auditEntriesTable, auditPayloadsTable, auditPendingTable } from './audit-migrations.js';
import type {
  AuditAppendInput,
  AuditChain,
  AuditEntry,
  AuditErasure,
  AuditHead,
  AuditPendingEntry,
  AuditVerification,
  AuditVerifyOptions,
} from './audit-types.js';
import { verifyAuditChain } from './audit-verify.js';
import type { JsonValue } from './canonical-json.js';

export type {
  AuditAppendInput,
  AuditChain,
  AuditChainProblem,
  AuditChainValid,
  AuditEntry,
  AuditErasure,
  AuditHead,
  AuditPendingEntry,
  AuditProblemKind,
  AuditVerification,
  AuditVerifyOptions,
} from './audit-types.js';

/**
 * Options of {@link createAuditChain}.
 *
 * @example
 * ```ts
 * const options: AuditChainOptions = { chain: 'payments', clock: systemClock };
 * ```
 */
export interface AuditChainOptions {
  /** The chain's name: 1 to 200 characters. One table holds many chains. */
  readonly chain: string;
  /** Stamps `recordedAt`. Defaults to the system clock. */
  readonly clock?: Clock;
  /** Makes entry ids. Defaults to UUIDv7 (`createUuidv7Generator`) on the chain's clock. */
  readonly createId?: () => string;
}

/** Attempts of an append that runs in its own transaction (not the caller's). */
const ownTransactionAttempts = 5;

const appendStatement = `SELECT entry_sequence, entry_previous_hash, entry_hash
  FROM civicblocks_audit_append($1, $2, $3, $4, $5, $6, $7, $8)`;

// The pending entry and its payload in one statement; linked at commit.
const pendingStatement = `WITH payload AS (
    INSERT INTO ${auditPayloadsTable} (entry_id, chain, subject, salt, payload)
    VALUES ($1, $2, $5::text, $6, $7::jsonb)
  )
  INSERT INTO ${auditPendingTable} (id, chain, recorded_at, type, erasable, payload_digest)
  VALUES ($1, $2, $3, $4, $5::text IS NOT NULL, $8)`;

/**
 * Opens the audit chain named `options.chain` in the tables
 * {@link coreMigrations} creates (run `migrate(executor, coreMigrations)`
 * first). Nothing is read until the first call.
 *
 * Pick one chain per stream of events that must be ordered and anchored
 * together, not one per person: see docs/core/audit-chain.md.
 *
 * @param executor - the database. Pass `{ transaction }` to
 *   {@link AuditChain.append} or {@link AuditChain.erase} to write inside
 *   your own transaction.
 * @throws {@link InvalidInputError} `INVALID_ARGUMENT` for an empty or
 *   over-long chain name.
 * @example
 * ```ts
 * import { coreMigrations, createAuditChain, migrate } from '@civicblocks/core';
 *
 * await migrate(executor, coreMigrations);
 * const audit = createAuditChain(executor, { chain: 'consent' });
 * await executor.transaction(async (transaction) => {
 *   await transaction.query('UPDATE consents SET state = $2 WHERE id = $1', ['c-1', 'given']);
 *   await audit.append(
 *     { type: 'consent-given', payload: { consentId: 'c-1', purpose: 'benefits' }, subject: 'citizen-42' },
 *     { transaction },
 *   );
 * });
 * const anchor = await audit.head();
 * // later, and after every restore from backup:
 * const result = await audit.verify({ expectedHead: anchor });
 * if (!result.ok) alert(`audit chain ${result.problem} at entry ${result.sequence}`);
 * ```
 */
export function createAuditChain(executor: SqlExecutor, options: AuditChainOptions): AuditChain {
  const { chain } = options;
  if (
    typeof chain !== 'string' ||
    chain.length === 0 ||
    chain.length > 200 ||
    chain.includes('\u0000') ||
    !isWellFormed(chain)
  ) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'chain must be a name of 1 to 200 characters, without NUL or unpaired surrogates',
      {
        details: { argument: 'chain' },
      },
    );
  }
  const clock = options.clock ?? systemClock;
  const ids = createUuidv7Generator(clock);
  const createId = options.createId ?? ((): string => ids.next());

  const prepare = (input: AuditAppendInput): PreparedEntry =>
    prepareEntry(input, chain, createId, clock);

  const pendingOf = (entry: PreparedEntry): AuditPendingEntry => ({
    chain,
    id: entry.id,
    recordedAt: entry.recordedAt,
    type: entry.type,
    payload: JSON.parse(entry.canonicalPayload) as JsonValue,
    subject: entry.subject,
    payloadDigest: entry.payloadDigest,
  });

  const append = async (
    input: AuditAppendInput,
    writeOptions?: SqlWriteOptions,
  ): Promise<AuditEntry> => {
    const entry = prepare(input);
    const { type, subject, canonicalPayload, salt, payloadDigest, id, recordedAt } = entry;
    const target = executorFor(executor, writeOptions);
    const ownTransaction = !target.inTransaction;

    for (let attempt = 1; ; attempt += 1) {
      try {
        const { rows } = await target.query<{
          entry_sequence: bigint;
          entry_previous_hash: string;
          entry_hash: string;
        }>(appendStatement, [
          chain,
          id,
          recordedAt.toISOString(),
          type,
          subject,
          salt,
          canonicalPayload,
          payloadDigest,
        ]);
        const row = rows[0];
        if (row === undefined) {
          throw new SqlError('SQL_QUERY_FAILED', 'the audit append function returned no row', {
            details: { chain },
          });
        }
        return {
          ...pendingOf(entry),
          sequence: Number(row.entry_sequence),
          previousHash: row.entry_previous_hash,
          hash: row.entry_hash,
        };
      } catch (error) {
        const refused = appendFailure(error, chain);
        if (
          ownTransaction &&
          attempt < ownTransactionAttempts &&
          AuditError.isInstance(refused) &&
          refused.code === 'AUDIT_APPEND_CONFLICT'
        ) {
          continue;
        }
        throw refused;
      }
    }
  };

  const appendAtCommit = async (
    input: AuditAppendInput,
    writeOptions?: SqlWriteOptions,
  ): Promise<AuditPendingEntry> => {
    const entry = prepare(input);
    try {
      await executorFor(executor, writeOptions).query(pendingStatement, [
        entry.id,
        chain,
        entry.recordedAt.toISOString(),
        entry.type,
        entry.subject,
        entry.salt,
        entry.canonicalPayload,
        entry.payloadDigest,
      ]);
    } catch (error) {
      throw appendFailure(error, chain);
    }
    return pendingOf(entry);
  };

  const head = async (): Promise<AuditHead> => {
    const { rows } = await executor.query<{ sequence: bigint; hash: string }>(
      `SELECT sequence, hash FROM ${auditEntriesTable} WHERE chain = $1 ORDER BY sequence DESC LIMIT 1`,
      [chain],
    );
    const last = rows[0];
    return last === undefined
      ? { length: 0, hash: auditGenesisHash }
      : { length: Number(last.sequence), hash: last.hash };
  };

  const verify = (verifyOptions: AuditVerifyOptions = {}): Promise<AuditVerification> =>
    verifyAuditChain(executor, chain, verifyOptions);

  const erase = async (subject: string, writeOptions?: SqlWriteOptions): Promise<AuditErasure> => {
    checkSubject(subject, chain);
    const { rows } = await executorFor(executor, writeOptions).query<{ sequence: bigint }>(
      `WITH erased AS (
         DELETE FROM ${auditPayloadsTable} WHERE chain = $1 AND subject = $2 RETURNING entry_id
       )
       SELECT entry.sequence FROM erased
         JOIN ${auditEntriesTable} AS entry ON entry.chain = $1 AND entry.id = erased.entry_id
        ORDER BY entry.sequence`,
      [chain, subject],
    );
    const sequences = rows.map((row) => Number(row.sequence));
    return { erased: sequences.length, sequences };
  };

  return { chain, append, appendAtCommit, verify, head, erase };
}

/**
 * The error an append fails with: a chain that moved on since the
 * transaction's snapshot (a duplicate sequence, or a serialization failure)
 * becomes `AUDIT_APPEND_CONFLICT`; a reused id `AUDIT_DUPLICATE_ID`.
 */
function appendFailure(error: unknown, chain: string): unknown {
  if (!SqlError.isInstance(error)) return error;
  const sqlState = error.details?.sqlState;
  const constraint = error.details?.constraint;
  if (
    sqlState === '23505' &&
    (constraint === `${auditEntriesTable}_id_key` ||
      constraint === `${auditPayloadsTable}_pkey` ||
      constraint === `${auditPendingTable}_pkey`)
  ) {
    return new AuditError('AUDIT_DUPLICATE_ID', 'the entry id is already used in the audit log', {
      cause: error,
      details: { chain },
    });
  }
  if (sqlState === '23505' || sqlState === '40001' || sqlState === '40P01') {
    return new AuditError(
      'AUDIT_APPEND_CONFLICT',
      'the audit chain moved on since this transaction began: retry the whole transaction',
      { cause: error, isRetryable: true, details: { chain } },
    );
  }
  return error;
}
