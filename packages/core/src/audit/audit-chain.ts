import { AuditError, InvalidInputError, SqlError } from '../errors/core-errors.js';
import { createUuidv7Generator } from '../ids/uuidv7.js';
import { acquireTransactionLock } from '../sql/advisory-lock.js';
import { auditEntriesTable } from '../sql/core-migrations.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { type Clock, systemClock } from '../time/clock.js';
import {
  type AuditEntryHashInput,
  auditEntryHash,
  auditEntryHashAt,
  auditGenesisHash,
} from './audit-entry-hash.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';

/**
 * One entry of an audit chain, as appended and as stored.
 *
 * @example
 * ```ts
 * const entry: AuditEntry = await audit.append({ type: 'consent-given', payload: { consentId } });
 * console.log(entry.sequence, entry.hash);
 * ```
 */
export interface AuditEntry {
  /** The chain's name. */
  readonly chain: string;
  /** 1 for the first entry of the chain, then 2, 3, ... */
  readonly sequence: number;
  readonly id: string;
  readonly recordedAt: Date;
  /** What happened, e.g. `'consent-given'`. */
  readonly type: string;
  /** The payload exactly as hashed (a copy read back from its canonical JSON). */
  readonly payload: JsonValue;
  /** The hash of the entry before, or {@link auditGenesisHash} for the first. */
  readonly previousHash: string;
  /** See {@link auditEntryHash}. */
  readonly hash: string;
}

/**
 * The end of a chain: how many entries it has and the hash of the last one
 * ({@link auditGenesisHash} when empty). Publish it somewhere the database's
 * administrators cannot rewrite (a signed log, another system, a timestamping
 * authority) and pass it back to {@link AuditChain.verify}: then cutting
 * entries off the end, or rewriting the whole chain, is detected too.
 *
 * @example
 * ```ts
 * const anchor: AuditHead = await audit.head();
 * await anchors.publish(anchor);
 * ```
 */
export interface AuditHead {
  readonly length: number;
  readonly hash: string;
}

/**
 * What can be wrong with a chain, at the first place it goes wrong:
 * - `modified`: the entry at `sequence` (or, with an anchor, its hash) is not
 *   what was appended: a field or the payload changed.
 * - `missing`: there is no entry at `sequence` (deleted, or cut off the end
 *   when an anchor says the chain was longer), or the entry there links to
 *   an entry the chain no longer holds.
 * - `reordered`: the entry at `sequence` is intact but was appended at
 *   `originalSequence`: entries were swapped or moved.
 *
 * @example
 * ```ts
 * const kind: AuditProblemKind = 'missing';
 * ```
 */
export type AuditProblemKind = 'modified' | 'missing' | 'reordered';

/**
 * A failed {@link AuditChain.verify}: where the chain first goes wrong and how.
 *
 * @example
 * ```ts
 * const result = await audit.verify();
 * if (!result.ok) console.warn(`${result.problem} at ${result.sequence}`);
 * ```
 */
export interface AuditChainProblem {
  readonly ok: false;
  readonly problem: AuditProblemKind;
  /** The first sequence number at which the chain is wrong. */
  readonly sequence: number;
  /** The id of the entry found at `sequence`, if there is one. */
  readonly entryId?: string;
  /** The hash the chain expects there (the stored hash, the link, or the anchor). */
  readonly expected?: string;
  /** The hash actually found or recomputed there. */
  readonly actual?: string;
  /** For `reordered`: the sequence the entry was appended at. */
  readonly originalSequence?: number;
}

/**
 * A successful {@link AuditChain.verify}: every entry is intact, in place and
 * linked to the one before, and the head matches the anchor if one was given.
 *
 * @example
 * ```ts
 * const result = await audit.verify();
 * if (result.ok) console.log(`${result.length} entries, head ${result.head.hash}`);
 * ```
 */
export interface AuditChainValid {
  readonly ok: true;
  readonly length: number;
  readonly head: AuditHead;
}

/**
 * The outcome of {@link AuditChain.verify}.
 *
 * @example
 * ```ts
 * const result: AuditVerification = await audit.verify({ expectedHead: anchor });
 * ```
 */
export type AuditVerification = AuditChainValid | AuditChainProblem;

/**
 * Options of {@link AuditChain.verify}.
 *
 * @example
 * ```ts
 * const options: AuditVerifyOptions = { expectedHead: { length: 120, hash: publishedHash } };
 * ```
 */
export interface AuditVerifyOptions {
  /**
   * A head published earlier ({@link AuditChain.head}). The chain must have
   * at least `length` entries and the entry at `length` must have `hash`.
   */
  readonly expectedHead?: AuditHead;
}

/**
 * What to append: a type and a JSON payload (checked and canonicalised by
 * {@link canonicalJson}; `undefined`, `NaN`, `bigint`, `Date` and the like are
 * refused, so convert them first). Keep personal data out of payloads where
 * an id will do: entries can never be changed or removed.
 *
 * @example
 * ```ts
 * const input: AuditAppendInput = { type: 'consent-withdrawn', payload: { consentId, reason: 'user' } };
 * ```
 */
export interface AuditAppendInput {
  readonly type: string;
  readonly payload: unknown;
}

/**
 * An append-only, hash-chained log stored in PostgreSQL or PGlite. Each entry
 * carries the hash of the one before it, so changing, deleting or reordering
 * entries in the database breaks the chain where it happened.
 *
 * @example
 * ```ts
 * const audit: AuditChain = createAuditChain(executor, { chain: 'consent' });
 * await audit.append({ type: 'consent-given', payload: { consentId: 'c-1' } });
 * ```
 */
export interface AuditChain {
  /** The chain's name. */
  readonly chain: string;
  /**
   * Appends an entry after the current last one. Concurrent appends to one
   * chain (from any process) take turns under an advisory lock, so the chain
   * never forks. Pass a transaction's executor to {@link createAuditChain} to
   * commit the entry together with the change it records.
   *
   * @throws {@link AuditError} `AUDIT_INVALID_ENTRY` for an empty or over-long
   *   type or a payload JSON cannot represent; `AUDIT_APPEND_CONFLICT` if
   *   another writer took the same sequence (retry).
   * @throws {@link SqlError} if the database fails.
   */
  append(input: AuditAppendInput): Promise<AuditEntry>;
  /**
   * Walks the whole chain from the first entry and reports the first entry
   * that was modified, is missing, or is out of place.
   *
   * @throws {@link InvalidInputError} for a malformed `expectedHead`.
   * @throws {@link SqlError} if the database fails.
   */
  verify(options?: AuditVerifyOptions): Promise<AuditVerification>;
  /** The current head, to publish as an anchor. Trusts the table: verify first. */
  head(): Promise<AuditHead>;
}

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

interface StoredEntry {
  readonly sequence: bigint;
  readonly id: string;
  readonly recorded_at: Date;
  readonly type: string;
  readonly payload: unknown;
  readonly canonical_payload: string;
  readonly previous_hash: string;
  readonly hash: string;
}

const maximumTypeLength = 200;
const pageSize = 500;
/** How far back a displaced entry's predecessors are followed, or forward a renumbered one is tried. */
const searchLimit = 1000;
const hashPattern = /^[0-9a-f]{64}$/;
// A NUL character, as canonical JSON escapes it; PostgreSQL text and jsonb cannot hold one.
const escapedNul = /(?:^|[^\\])(?:\\\\)*\\u0000/;

/**
 * Opens the audit chain named `options.chain` in the table
 * {@link coreMigrations} creates (run `migrate(executor, coreMigrations)`
 * first). Nothing is read until the first call.
 *
 * @param executor - the database, or a transaction's executor to append
 *   within that transaction.
 * @throws {@link InvalidInputError} `INVALID_ARGUMENT` for an empty or
 *   over-long chain name.
 * @example
 * ```ts
 * import { coreMigrations, createAuditChain, migrate } from '@civicblocks/core';
 *
 * await migrate(executor, coreMigrations);
 * const audit = createAuditChain(executor, { chain: 'consent' });
 * await audit.append({ type: 'consent-given', payload: { consentId: 'c-1', purpose: 'benefits' } });
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

  const append = async (input: AuditAppendInput): Promise<AuditEntry> => {
    const type = input?.type;
    if (typeof type !== 'string' || type.length === 0 || type.length > maximumTypeLength) {
      throw new AuditError(
        'AUDIT_INVALID_ENTRY',
        `the entry type must be a string of 1 to ${maximumTypeLength} characters`,
        { details: { chain, field: 'type' } },
      );
    }
    canonicalOrRefuse(type, 'type', chain);
    const canonicalPayload = canonicalOrRefuse(input.payload, 'payload', chain);
    if (escapedNul.test(canonicalPayload) || type.includes('\u0000')) {
      throw new AuditError(
        'AUDIT_INVALID_ENTRY',
        'the entry contains a NUL character, which PostgreSQL cannot store',
        { details: { chain } },
      );
    }

    try {
      return await executor.transaction(async (transaction) => {
        await acquireTransactionLock(transaction, `${auditEntriesTable}:${chain}`);
        const { rows } = await transaction.query<{ sequence: bigint; hash: string }>(
          `SELECT sequence, hash FROM ${auditEntriesTable} WHERE chain = $1 ORDER BY sequence DESC LIMIT 1`,
          [chain],
        );
        const last = rows[0];
        const fields: AuditEntryHashInput = {
          chain,
          sequence: last === undefined ? 1 : Number(last.sequence) + 1,
          id: createId(),
          recordedAt: validTime(clock.now(), chain),
          type,
          canonicalPayload,
          previousHash: last?.hash ?? auditGenesisHash,
        };
        const hash = auditEntryHash(fields);
        await transaction.query(
          `INSERT INTO ${auditEntriesTable}
             (chain, sequence, id, recorded_at, type, payload, canonical_payload, previous_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`,
          [
            chain,
            fields.sequence,
            fields.id,
            fields.recordedAt,
            type,
            canonicalPayload,
            canonicalPayload,
            fields.previousHash,
            hash,
          ],
        );
        return {
          chain,
          sequence: fields.sequence,
          id: fields.id,
          recordedAt: fields.recordedAt,
          type,
          payload: JSON.parse(canonicalPayload) as JsonValue,
          previousHash: fields.previousHash,
          hash,
        };
      });
    } catch (error) {
      if (SqlError.isInstance(error) && error.code === 'SQL_UNIQUE_VIOLATION') {
        throw new AuditError(
          'AUDIT_APPEND_CONFLICT',
          'another entry took the same place in the chain (or the id was reused): retry',
          { cause: error, isRetryable: true, details: { chain } },
        );
      }
      throw error;
    }
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

  const verify = async (verifyOptions: AuditVerifyOptions = {}): Promise<AuditVerification> => {
    const expectedHead = verifyOptions.expectedHead;
    if (expectedHead !== undefined) checkHead(expectedHead);

    let position = 1;
    let previousHash = auditGenesisHash;
    let hashAtAnchor = expectedHead?.length === 0 ? auditGenesisHash : undefined;
    for (;;) {
      const { rows } = await executor.query<StoredEntry>(
        `SELECT sequence, id, recorded_at, type, payload, canonical_payload, previous_hash, hash
           FROM ${auditEntriesTable}
          WHERE chain = $1 AND sequence >= $2
          ORDER BY sequence
          LIMIT ${pageSize}`,
        [chain, position],
      );
      for (const row of rows) {
        const problem = await checkEntry(executor, chain, row, position, previousHash);
        if (problem !== undefined) return problem;
        if (position === expectedHead?.length) hashAtAnchor = row.hash;
        previousHash = row.hash;
        position += 1;
      }
      if (rows.length < pageSize) break;
    }

    const length = position - 1;
    if (expectedHead !== undefined) {
      if (length < expectedHead.length) {
        return { ok: false, problem: 'missing', sequence: length + 1, expected: expectedHead.hash };
      }
      if (hashAtAnchor !== expectedHead.hash) {
        return {
          ok: false,
          problem: 'modified',
          sequence: expectedHead.length,
          expected: expectedHead.hash,
          ...(hashAtAnchor === undefined ? {} : { actual: hashAtAnchor }),
        };
      }
    }
    return { ok: true, length, head: { length, hash: previousHash } };
  };

  return { chain, append, verify, head };
}

async function checkEntry(
  executor: SqlExecutor,
  chain: string,
  row: StoredEntry,
  position: number,
  previousHash: string,
): Promise<AuditChainProblem | undefined> {
  if (Number(row.sequence) !== position) {
    return { ok: false, problem: 'missing', sequence: position, expected: previousHash };
  }
  const stored = hashInputOf(chain, row, row.canonical_payload);
  // this entry does not follow the one before it: something between them is gone
  const brokenLink: AuditChainProblem = {
    ok: false,
    problem: 'missing',
    sequence: position,
    entryId: row.id,
    expected: previousHash,
    actual: row.previous_hash,
  };

  // The queryable jsonb copy must say what the hashed canonical text says.
  let payloadText: string | undefined;
  try {
    payloadText = canonicalJson(row.payload);
  } catch {
    payloadText = undefined;
  }
  if (payloadText !== row.canonical_payload) {
    return {
      ok: false,
      problem: 'modified',
      sequence: position,
      entryId: row.id,
      expected: row.hash,
      ...(payloadText === undefined
        ? {}
        : { actual: auditEntryHash(hashInputOf(chain, row, payloadText)) }),
    };
  }

  const recomputed = auditEntryHash(stored);
  if (recomputed !== row.hash) {
    const originalSequence = await findOriginalSequence(executor, chain, stored, row.hash);
    if (originalSequence === 'predecessor-gone') {
      return brokenLink;
    }
    if (originalSequence !== undefined && originalSequence !== position) {
      return {
        ok: false,
        problem: 'reordered',
        sequence: position,
        entryId: row.id,
        originalSequence,
        expected: previousHash,
        actual: row.previous_hash,
      };
    }
    return {
      ok: false,
      problem: 'modified',
      sequence: position,
      entryId: row.id,
      expected: row.hash,
      actual: recomputed,
    };
  }
  if (row.previous_hash !== previousHash) {
    return brokenLink;
  }
  return undefined;
}

/**
 * The sequence an entry whose hash no longer matches was appended at, if its
 * content is intact: found by following its `previous_hash` back to an entry
 * that is still in its own place. `'predecessor-gone'` when the entries it
 * came after were deleted and it was renumbered; undefined when its content
 * changed.
 */
async function findOriginalSequence(
  executor: SqlExecutor,
  chain: string,
  entry: AuditEntryHashInput,
  storedHash: string,
): Promise<number | 'predecessor-gone' | undefined> {
  let steps = 0;
  let linkHash = entry.previousHash;
  while (steps < searchLimit) {
    if (linkHash === auditGenesisHash) {
      const candidate = steps + 1;
      return auditEntryHashAt(entry, candidate) === storedHash ? candidate : undefined;
    }
    const { rows } = await executor.query<StoredEntry>(
      `SELECT sequence, id, recorded_at, type, payload, canonical_payload, previous_hash, hash
         FROM ${auditEntriesTable} WHERE chain = $1 AND hash = $2 ORDER BY sequence LIMIT 1`,
      [chain, linkHash],
    );
    const predecessor = rows[0];
    if (predecessor === undefined) {
      // Renumbered after a deletion: intact at a later sequence than it sits at now.
      for (
        let candidate = entry.sequence + 1;
        candidate <= entry.sequence + searchLimit;
        candidate += 1
      ) {
        if (auditEntryHashAt(entry, candidate) === storedHash) return 'predecessor-gone';
      }
      return undefined;
    }
    const predecessorInput = hashInputOf(chain, predecessor, predecessor.canonical_payload);
    if (auditEntryHash(predecessorInput) === predecessor.hash) {
      const candidate = Number(predecessor.sequence) + 1 + steps;
      return auditEntryHashAt(entry, candidate) === storedHash ? candidate : undefined;
    }
    // The predecessor is displaced too: keep following the links back.
    linkHash = predecessor.previous_hash;
    steps += 1;
  }
  return undefined;
}

function hashInputOf(
  chain: string,
  row: StoredEntry,
  canonicalPayload: string,
): AuditEntryHashInput {
  return {
    chain,
    sequence: Number(row.sequence),
    id: row.id,
    recordedAt: row.recorded_at,
    type: row.type,
    canonicalPayload,
    previousHash: row.previous_hash,
  };
}

function canonicalOrRefuse(value: unknown, field: 'type' | 'payload', chain: string): string {
  try {
    return canonicalJson(value);
  } catch (error) {
    throw new AuditError(
      'AUDIT_INVALID_ENTRY',
      `the entry ${field} cannot be represented as JSON`,
      {
        cause: error,
        details: { chain, field, ...(InvalidInputError.isInstance(error) ? error.details : {}) },
      },
    );
  }
}

function validTime(time: Date, chain: string): Date {
  if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
    throw new AuditError('AUDIT_INVALID_ENTRY', 'the clock returned an invalid time', {
      details: { chain, field: 'recordedAt' },
    });
  }
  return time;
}

function isWellFormed(text: string): boolean {
  try {
    canonicalJson(text);
    return true;
  } catch {
    return false;
  }
}

function checkHead(head: AuditHead): void {
  if (
    typeof head !== 'object' ||
    head === null ||
    !Number.isSafeInteger(head.length) ||
    head.length < 0 ||
    typeof head.hash !== 'string' ||
    !hashPattern.test(head.hash)
  ) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'expectedHead must be { length: a whole number from 0, hash: 64 lower-case hex digits }',
      { details: { argument: 'expectedHead' } },
    );
  }
}
