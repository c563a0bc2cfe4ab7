import type { SqlExecutor } from '../sql/sql-executor.js';
import {
  type AuditEntryHashInput,
  auditEntryHashAt,
  auditEntryHashV2At,
  payloadDigestOf,
} from './audit-entry-hash.js';
import { auditEntriesTable, auditPayloadsTable } from './audit-migrations.js';
import { canonicalJson } from './canonical-json.js';

/**
 * An entry as read back for verification: the chain row, and its payload
 * row when there is one (format 2 only).
 * @internal
 */
export interface StoredEntry {
  readonly sequence: bigint;
  readonly id: string;
  readonly recorded_at: Date;
  readonly type: string;
  readonly format: number;
  // format 1
  readonly payload: unknown;
  readonly canonical_payload: string | null;
  // format 2
  readonly erasable: boolean | null;
  readonly payload_digest: string | null;
  readonly previous_hash: string;
  readonly hash: string;
  // the payloads table (format 2), all null when erased
  readonly has_payload: boolean;
  readonly subject: string | null;
  readonly salt: Uint8Array | null;
  readonly stored_payload: unknown;
}

/** The columns of {@link StoredEntry}, for `SELECT ... FROM entries AS e LEFT JOIN payloads AS p`. @internal */
export const storedEntryColumns: string = `e.sequence, e.id, e.recorded_at, e.type, e.format, e.payload,
  e.canonical_payload, e.erasable, e.payload_digest, e.previous_hash, e.hash,
  p.entry_id IS NOT NULL AS has_payload, p.subject, p.salt, p.payload AS stored_payload`;

/** The join {@link storedEntryColumns} read from. @internal */
export const storedEntrySource: string = `${auditEntriesTable} AS e
  LEFT JOIN ${auditPayloadsTable} AS p ON p.entry_id = e.id AND p.chain = e.chain`;

const hashPattern = /^[0-9a-f]{64}$/;

/**
 * The hash the entry's own fields give at `sequence`, in its format; undefined
 * when the row is not a well-formed entry of either format.
 * @internal
 */
export function hashOfStoredAt(
  chain: string,
  row: StoredEntry,
  sequence: number,
): string | undefined {
  if (!(row.recorded_at instanceof Date) || Number.isNaN(row.recorded_at.getTime())) {
    return undefined;
  }
  if (row.format === 1 && typeof row.canonical_payload === 'string') {
    return auditEntryHashAt(version1Input(chain, row, row.canonical_payload), sequence);
  }
  if (
    row.format === 2 &&
    typeof row.erasable === 'boolean' &&
    typeof row.payload_digest === 'string' &&
    hashPattern.test(row.payload_digest)
  ) {
    return auditEntryHashV2At(
      {
        chain,
        sequence,
        id: row.id,
        recordedAt: row.recorded_at,
        type: row.type,
        erasable: row.erasable,
        payloadDigest: row.payload_digest,
        previousHash: row.previous_hash,
      },
      sequence,
    );
  }
  return undefined;
}

/**
 * For a format-1 entry: whether the queryable jsonb copy still says what the
 * hashed canonical text says (undefined when it does, else the hash the jsonb
 * copy would give). Format 2 entries keep one copy: always undefined.
 * @internal
 */
export function version1PayloadMismatch(
  chain: string,
  row: StoredEntry,
): { readonly actual?: string } | undefined {
  if (row.format !== 1) return undefined;
  let payloadText: string | undefined;
  try {
    payloadText = canonicalJson(row.payload);
  } catch {
    payloadText = undefined;
  }
  if (payloadText === row.canonical_payload) return undefined;
  return payloadText === undefined
    ? {}
    : {
        actual: auditEntryHashAt(version1Input(chain, row, payloadText), Number(row.sequence)),
      };
}

/**
 * For a format-2 entry whose hash and link are intact: `'erased'` when its
 * payload row is gone and it was appended with a subject, `'payload-missing'`
 * when it is gone but was not erasable, `'payload-modified'` (with the digest
 * the stored payload gives) when the payload, salt or subject changed.
 * @internal
 */
export function payloadStatus(
  row: StoredEntry,
):
  | { readonly status: 'intact' | 'erased' | 'payload-missing' }
  | { readonly status: 'payload-modified'; readonly actual?: string } {
  if (row.format !== 2) return { status: 'intact' };
  if (!row.has_payload) return { status: row.erasable === true ? 'erased' : 'payload-missing' };
  if ((row.subject !== null) !== row.erasable || !(row.salt instanceof Uint8Array)) {
    return { status: 'payload-modified' };
  }
  let digest: string;
  try {
    digest = payloadDigestOf(row.salt, canonicalJson(row.stored_payload), row.subject);
  } catch {
    return { status: 'payload-modified' };
  }
  return digest === row.payload_digest
    ? { status: 'intact' }
    : { status: 'payload-modified', actual: digest };
}

/**
 * Reads entries of `chain` from `sequence` on, in order, at most `limit`.
 * @internal
 */
export async function readStoredEntries(
  executor: SqlExecutor,
  chain: string,
  fromSequence: number,
  limit: number,
): Promise<StoredEntry[]> {
  // The page of entries first, then each one's payload by its key: a plain
  // join may be planned as a scan of the whole payloads table per page.
  const { rows } = await executor.query<StoredEntry>(
    `SELECT ${storedEntryColumns}
       FROM (SELECT * FROM ${auditEntriesTable}
              WHERE chain = $1 AND sequence >= $2
              ORDER BY sequence
              LIMIT ${limit}) AS e
       LEFT JOIN LATERAL (
         SELECT * FROM ${auditPayloadsTable} AS payload
          WHERE payload.entry_id = e.id AND payload.chain = e.chain
       ) AS p ON true
      ORDER BY e.sequence`,
    [chain, fromSequence],
  );
  return rows;
}

function version1Input(
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
