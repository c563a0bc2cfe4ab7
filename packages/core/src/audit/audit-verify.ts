import { InvalidInputError } from '../errors/core-errors.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { auditGenesisHash } from './audit-entry-hash.js';
import { auditEntriesTable } from './audit-migrations.js';
import {
  hashOfStoredAt,
  payloadStatus,
  readStoredEntries,
  type StoredEntry,
  storedEntryColumns,
  storedEntrySource,
  version1PayloadMismatch,
} from './audit-stored-entry.js';
import type {
  AuditChainProblem,
  AuditHead,
  AuditVerification,
  AuditVerifyOptions,
} from './audit-types.js';

const pageSize = 500;
/** How far back a displaced entry's predecessors are followed, or forward a renumbered one is tried. */
const searchLimit = 1000;
const hashPattern = /^[0-9a-f]{64}$/;

/**
 * {@link AuditChain.verify}: walks `chain` in pages, from the first entry or
 * after `options.since`.
 * @internal
 */
export async function verifyAuditChain(
  executor: SqlExecutor,
  chain: string,
  options: AuditVerifyOptions,
): Promise<AuditVerification> {
  const { expectedHead, since } = options;
  if (expectedHead !== undefined) checkHead(expectedHead, 'expectedHead');
  if (since !== undefined) checkHead(since, 'since');
  if (expectedHead !== undefined && since !== undefined) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'pass either expectedHead (verify the whole chain against it) or since (verify what came after it), not both',
      { details: { argument: 'since' } },
    );
  }

  if (since?.length === 0 && since.hash !== auditGenesisHash) {
    // A head of no entries can only be the genesis hash: anything else is forged.
    return {
      ok: false,
      problem: 'modified',
      sequence: 0,
      expected: since.hash,
      actual: auditGenesisHash,
    };
  }

  let position = (since?.length ?? 0) + 1;
  let previousHash = since?.hash ?? auditGenesisHash;
  let hashAtAnchor = expectedHead?.length === 0 ? auditGenesisHash : undefined;
  let entriesRead = 0;
  const erasedSequences: number[] = [];
  for (;;) {
    const rows = await readStoredEntries(executor, chain, position, pageSize);
    entriesRead += rows.length;
    for (const row of rows) {
      const problem = await checkEntry(executor, chain, row, position, previousHash);
      if (problem !== undefined) return problem;
      const payload = payloadStatus(row);
      if (payload.status === 'erased') erasedSequences.push(position);
      else if (payload.status !== 'intact') {
        return {
          ok: false,
          problem: payload.status === 'payload-missing' ? 'payload-missing' : 'modified',
          sequence: position,
          entryId: row.id,
          ...(row.payload_digest === null ? {} : { expected: row.payload_digest }),
          ...('actual' in payload && payload.actual !== undefined
            ? { actual: payload.actual }
            : {}),
        };
      }
      if (position === expectedHead?.length) hashAtAnchor = row.hash;
      previousHash = row.hash;
      position += 1;
    }
    if (rows.length < pageSize) break;
  }

  const length = position - 1;
  if (since !== undefined && since.length > 0 && length === since.length) {
    // Nothing after the anchor: the anchored entry must still be there.
    const { rows } = await executor.query<{ hash: string }>(
      `SELECT hash FROM ${auditEntriesTable} WHERE chain = $1 AND sequence = $2`,
      [chain, since.length],
    );
    entriesRead += rows.length;
    const anchored = rows[0];
    if (anchored === undefined) {
      return { ok: false, problem: 'missing', sequence: since.length, expected: since.hash };
    }
    if (anchored.hash !== since.hash) {
      return {
        ok: false,
        problem: 'modified',
        sequence: since.length,
        expected: since.hash,
        actual: anchored.hash,
      };
    }
  }
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
  return {
    ok: true,
    length,
    head: { length, hash: previousHash },
    erased: erasedSequences.length,
    erasedSequences,
    entriesRead,
  };
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
  // this entry does not follow the one before it: something between them is gone
  const brokenLink: AuditChainProblem = {
    ok: false,
    problem: 'missing',
    sequence: position,
    entryId: row.id,
    expected: previousHash,
    actual: row.previous_hash,
  };

  // the entry's own content no longer gives its stored hash
  const modified = (actual: string | undefined): AuditChainProblem => ({
    ok: false,
    problem: 'modified',
    sequence: position,
    entryId: row.id,
    expected: row.hash,
    ...(actual === undefined ? {} : { actual }),
  });

  const copyMismatch = version1PayloadMismatch(chain, row);
  if (copyMismatch !== undefined) return modified(copyMismatch.actual);

  const recomputed = hashOfStoredAt(chain, row, position);
  if (recomputed !== row.hash) {
    const originalSequence =
      recomputed === undefined ? undefined : await findOriginalSequence(executor, chain, row);
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
    return modified(recomputed);
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
  entry: StoredEntry,
): Promise<number | 'predecessor-gone' | undefined> {
  let steps = 0;
  let linkHash = entry.previous_hash;
  const sequence = Number(entry.sequence);
  while (steps < searchLimit) {
    if (linkHash === auditGenesisHash) {
      const candidate = steps + 1;
      return hashOfStoredAt(chain, entry, candidate) === entry.hash ? candidate : undefined;
    }
    const { rows } = await executor.query<StoredEntry>(
      `SELECT ${storedEntryColumns} FROM ${storedEntrySource}
        WHERE e.chain = $1 AND e.hash = $2 ORDER BY e.sequence LIMIT 1`,
      [chain, linkHash],
    );
    const predecessor = rows[0];
    if (predecessor === undefined) {
      // Renumbered after a deletion: intact at a later sequence than it sits at now.
      for (let candidate = sequence + 1; candidate <= sequence + searchLimit; candidate += 1) {
        if (hashOfStoredAt(chain, entry, candidate) === entry.hash) return 'predecessor-gone';
      }
      return undefined;
    }
    if (hashOfStoredAt(chain, predecessor, Number(predecessor.sequence)) === predecessor.hash) {
      const candidate = Number(predecessor.sequence) + 1 + steps;
      return hashOfStoredAt(chain, entry, candidate) === entry.hash ? candidate : undefined;
    }
    // The predecessor is displaced too: keep following the links back.
    linkHash = predecessor.previous_hash;
    steps += 1;
  }
  return undefined;
}

function checkHead(head: AuditHead, argument: 'expectedHead' | 'since'): void {
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
      `${argument} must be { length: a whole number from 0, hash: 64 lower-case hex digits }`,
      { details: { argument } },
    );
  }
}
