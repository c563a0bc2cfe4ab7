import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * The `previousHash` of the first entry of every audit chain: 64 zeros.
 *
 * @example
 * ```ts
 * const [first] = entries;
 * first?.previousHash === auditGenesisHash; // true
 * ```
 */
export const auditGenesisHash: string = '0'.repeat(64);

/**
 * The fields of an audit entry that its hash covers. `canonicalPayload` is
 * the payload as {@link canonicalJson} wrote it when the entry was appended.
 *
 * @example
 * ```ts
 * const fields: AuditEntryHashInput = {
 *   chain: 'consent',
 *   sequence: 1,
 *   id: '0190b6a2-7c4e-7d2a-9c1e-5b8f3a2d1e0f',
 *   recordedAt: new Date('2025-01-01T00:00:00Z'),
 *   type: 'consent-given',
 *   canonicalPayload: '{"purpose":"service-delivery"}',
 *   previousHash: auditGenesisHash,
 * };
 * ```
 */
export interface AuditEntryHashInput {
  readonly chain: string;
  readonly sequence: number;
  readonly id: string;
  readonly recordedAt: Date;
  readonly type: string;
  readonly canonicalPayload: string;
  readonly previousHash: string;
}

/**
 * The hash of an audit entry: SHA-256, in lower-case hex, of the RFC 8785
 * canonical JSON of `{ chain, id, payload, previousHash, recordedAt,
 * sequence, type }`, with `recordedAt` as an ISO 8601 UTC string. Anyone
 * holding the entries can recompute it without civicblocks.
 *
 * @example
 * ```ts
 * const hash = auditEntryHash({ ...entry, canonicalPayload: canonicalJson(entry.payload) });
 * hash === entry.hash; // true for an untouched entry
 * ```
 */
export function auditEntryHash(input: AuditEntryHashInput): string {
  return sha256(hashedText(input, input.sequence));
}

/**
 * The hash the entry would have at another sequence: used to tell an entry
 * moved from its place apart from one whose content changed.
 * @internal
 */
export function auditEntryHashAt(input: AuditEntryHashInput, sequence: number): string {
  return sha256(hashedText(input, sequence));
}

// canonicalJson of the entry object, written out in its member order (names
// sorted by UTF-16 code units) so the payload is not parsed again.
function hashedText(input: AuditEntryHashInput, sequence: number): string {
  return (
    `{"chain":${canonicalJson(input.chain)}` +
    `,"id":${canonicalJson(input.id)}` +
    `,"payload":${input.canonicalPayload}` +
    `,"previousHash":${canonicalJson(input.previousHash)}` +
    `,"recordedAt":${canonicalJson(input.recordedAt.toISOString())}` +
    `,"sequence":${canonicalJson(sequence)}` +
    `,"type":${canonicalJson(input.type)}}`
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
