import type { SqlWriteOptions } from '../sql/unit-of-work.js';
import type { JsonValue } from './canonical-json.js';

/**
 * One entry of an audit chain, as appended.
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
  /** The payload exactly as committed to (a copy read back from its canonical JSON). */
  readonly payload: JsonValue;
  /** Whom the entry is about (what {@link AuditChain.erase} takes), or null. */
  readonly subject: string | null;
  /** The salted digest the chain keeps instead of the payload ({@link auditPayloadDigest}). */
  readonly payloadDigest: string;
  /** The hash of the entry before, or {@link auditGenesisHash} for the first. */
  readonly previousHash: string;
  /** See {@link auditEntryHashV2}. */
  readonly hash: string;
}

/**
 * An entry appended with {@link AuditChain.appendAtCommit}: everything but
 * its place in the chain, which it gets when the transaction commits (read it
 * back by `id` if you need it).
 *
 * @example
 * ```ts
 * const pending: AuditPendingEntry = await audit.appendAtCommit(input, { transaction });
 * console.log(pending.id);
 * ```
 */
export type AuditPendingEntry = Omit<AuditEntry, 'sequence' | 'previousHash' | 'hash'>;

/**
 * The end of a chain: how many entries it has and the hash of the last one
 * ({@link auditGenesisHash} when empty). Publish it somewhere the database's
 * administrators cannot rewrite (signed with {@link signHead}, in another
 * system or with a timestamping authority) and pass it back to
 * {@link AuditChain.verify}: then cutting entries off the end, or rewriting
 * the whole chain, is detected too.
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
 *   what was appended: a field, the payload, its salt or subject changed.
 * - `missing`: there is no entry at `sequence` (deleted, or cut off the end
 *   when an anchor says the chain was longer), or the entry there links to
 *   an entry the chain no longer holds.
 * - `reordered`: the entry at `sequence` is intact but was appended at
 *   `originalSequence`: entries were swapped or moved.
 * - `payload-missing`: the entry is intact but its payload is gone although
 *   it was appended without a subject, so it was never erasable: deleted
 *   behind the chain's back. (An erasable entry without its payload is
 *   reported as erased, not as a problem.)
 *
 * @example
 * ```ts
 * const kind: AuditProblemKind = 'missing';
 * ```
 */
export type AuditProblemKind = 'modified' | 'missing' | 'reordered' | 'payload-missing';

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
  /** The hash the chain expects there (the stored hash or digest, the link, or the anchor). */
  readonly expected?: string;
  /** The hash actually found or recomputed there. */
  readonly actual?: string;
  /** For `reordered`: the sequence the entry was appended at. */
  readonly originalSequence?: number;
}

/**
 * A successful {@link AuditChain.verify}: every entry read is intact, in
 * place and linked to the one before, and the head matches the anchor if
 * one was given. Erased payloads are counted, not failed.
 *
 * @example
 * ```ts
 * const result = await audit.verify();
 * if (result.ok) console.log(`${result.length} entries, ${result.erased} erased, head ${result.head.hash}`);
 * ```
 */
export interface AuditChainValid {
  readonly ok: true;
  readonly length: number;
  readonly head: AuditHead;
  /** How many of the entries checked had their payload erased. */
  readonly erased: number;
  /** The sequences of those entries, ascending. */
  readonly erasedSequences: readonly number[];
  /**
   * How many entries were read from the database: the whole chain, or with
   * `since` only the entries after that head (1 when there are none: the
   * anchored entry itself).
   */
  readonly entriesRead: number;
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
 * const options: AuditVerifyOptions = { since: { length: 120, hash: publishedHash } };
 * ```
 */
export interface AuditVerifyOptions {
  /**
   * A head published earlier ({@link AuditChain.head}). The whole chain is
   * checked; it must have at least `length` entries and the entry at
   * `length` must have `hash`.
   */
  readonly expectedHead?: AuditHead;
  /**
   * A head published earlier and verified then (for example with
   * {@link verifySignedHead}): only the entries after it are read and
   * checked, and the first must link to `hash`. Cannot be combined with
   * `expectedHead`.
   */
  readonly since?: AuditHead;
}

/**
 * What to append: a type, a JSON payload (checked and canonicalised by
 * {@link canonicalJson}; `undefined`, `NaN`, `bigint`, `Date` and the like are
 * refused, so convert them first) and, for an entry about a person, the
 * subject whose erasure removes the payload.
 *
 * @example
 * ```ts
 * const input: AuditAppendInput = {
 *   type: 'consent-withdrawn',
 *   payload: { consentId, reason: 'user' },
 *   subject: citizenId,
 * };
 * ```
 */
export interface AuditAppendInput {
  readonly type: string;
  readonly payload: unknown;
  /**
   * Whom the entry is about: 1 to 500 characters (an id, not a name). Entries
   * with a subject can have their payload erased with {@link AuditChain.erase};
   * entries without one never can, and a missing payload there is tampering.
   */
  readonly subject?: string;
}

/**
 * What {@link AuditChain.erase} removed.
 *
 * @example
 * ```ts
 * const { erased, sequences } = await audit.erase('citizen-42');
 * ```
 */
export interface AuditErasure {
  /** How many payloads were erased (0 when the subject had none left). */
  readonly erased: number;
  /** The sequences of the entries whose payload was erased, ascending. */
  readonly sequences: readonly number[];
}

/**
 * An append-only, hash-chained log stored in PostgreSQL or PGlite. Each entry
 * carries the hash of the one before it, so changing, deleting or reordering
 * entries in the database breaks the chain where it happened. Payloads sit
 * apart, committed to by a salted digest, so a subject's can be erased while
 * the chain still proves order and integrity.
 *
 * @example
 * ```ts
 * const audit: AuditChain = createAuditChain(executor, { chain: 'consent' });
 * await audit.append({ type: 'consent-given', payload: { consentId: 'c-1' }, subject: 'citizen-42' });
 * ```
 */
export interface AuditChain {
  /** The chain's name. */
  readonly chain: string;
  /**
   * Appends an entry after the current last one, in one statement. Appends
   * to one chain take turns under a transaction-level lock held until the
   * appending transaction ends, so the chain never forks: inside your
   * transaction (`{ transaction }`), append as late as you can.
   *
   * Under READ COMMITTED the append waits its turn and succeeds. Under
   * REPEATABLE READ or SERIALIZABLE, when another transaction appended to the
   * chain after yours took its snapshot, it throws `AUDIT_APPEND_CONFLICT`:
   * your transaction can no longer succeed, so run the whole of it again
   * ({@link withTransactionRetry} does). Outside a transaction the append
   * retries by itself.
   *
   * @throws {@link AuditError} `AUDIT_INVALID_ENTRY` for an empty or
   *   over-long type or subject, or a payload JSON cannot represent;
   *   `AUDIT_APPEND_CONFLICT` (retry the whole transaction);
   *   `AUDIT_DUPLICATE_ID` if `createId` gave an id already used.
   * @throws {@link SqlError} if the database fails.
   */
  append(input: AuditAppendInput, options?: SqlWriteOptions): Promise<AuditEntry>;
  /**
   * Appends an entry that is linked into the chain when your transaction
   * commits, by a deferred trigger: the chain's lock is then held only for
   * the commit, not from the append to the end of your transaction, so other
   * writers of the chain wait far less. The entry's sequence and hash are not
   * known until then. Without `{ transaction }` it commits at once.
   *
   * Under REPEATABLE READ or SERIALIZABLE a commit that finds the chain moved
   * on since your snapshot fails with `SqlError` `SQL_SERIALIZATION_FAILURE`:
   * run the whole transaction again ({@link withTransactionRetry} does).
   *
   * @throws {@link AuditError} `AUDIT_INVALID_ENTRY` as {@link AuditChain.append}.
   * @throws {@link SqlError} if the database fails.
   */
  appendAtCommit(input: AuditAppendInput, options?: SqlWriteOptions): Promise<AuditPendingEntry>;
  /**
   * Walks the chain (from the first entry, or after `since`) and reports the
   * first entry that was modified, is missing, or is out of place; erased
   * payloads are counted in the result.
   *
   * @throws {@link InvalidInputError} for a malformed `expectedHead` or `since`.
   * @throws {@link SqlError} if the database fails.
   */
  verify(options?: AuditVerifyOptions): Promise<AuditVerification>;
  /** The current head, to publish as an anchor. Trusts the table: verify first. */
  head(): Promise<AuditHead>;
  /**
   * Erases the payload, salt and subject of every entry of this chain
   * appended with `subject`. The entries stay in the chain (type, time,
   * digest), and {@link AuditChain.verify} reports them as erased.
   *
   * @throws {@link AuditError} `AUDIT_INVALID_ENTRY` for a malformed subject.
   * @throws {@link SqlError} if the database fails.
   */
  erase(subject: string, options?: SqlWriteOptions): Promise<AuditErasure>;
}
