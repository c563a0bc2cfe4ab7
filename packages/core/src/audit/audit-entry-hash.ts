import { createHash } from 'node:crypto';
import { InvalidInputError } from '../errors/core-errors.js';
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
 * The hash of an audit entry written in format 1 (schema version 1, before
 * payloads could be erased): SHA-256, in lower-case hex, of the RFC 8785
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

/**
 * The fields of a format-2 audit entry (the erasable format) that its hash
 * covers: no payload, only its salted digest ({@link auditPayloadDigest}).
 *
 * @example
 * ```ts
 * const fields: AuditEntryV2HashInput = {
 *   chain: 'consent',
 *   sequence: 1,
 *   id: '0190b6a2-7c4e-7d2a-9c1e-5b8f3a2d1e0f',
 *   recordedAt: new Date('2025-01-01T00:00:00Z'),
 *   type: 'consent-given',
 *   erasable: true,
 *   payloadDigest: 'b1f8...',
 *   previousHash: auditGenesisHash,
 * };
 * ```
 */
export interface AuditEntryV2HashInput {
  readonly chain: string;
  readonly sequence: number;
  readonly id: string;
  readonly recordedAt: Date;
  readonly type: string;
  /** True when the entry was appended with a subject, so its payload may be erased. */
  readonly erasable: boolean;
  /** {@link auditPayloadDigest} of the payload, salt and subject. */
  readonly payloadDigest: string;
  readonly previousHash: string;
}

/**
 * The hash of a format-2 audit entry: SHA-256, in lower-case hex, of the
 * UTF-8 text made of these fields in this order, each written as a netstring
 * (`<length in UTF-8 bytes>:<text>,`): the literal `civicblocks.audit/2`,
 * chain, sequence (decimal), id, recordedAt (ISO 8601 UTC with
 * milliseconds), type, `1` or `0` for erasable, payloadDigest,
 * previousHash. The database computes the same text on append; see
 * docs/core/audit-chain.md for test vectors made with `openssl`.
 *
 * @example
 * ```ts
 * const hash = auditEntryHashV2({ ...entry, erasable: true, payloadDigest });
 * hash === entry.hash; // true for an untouched entry
 * ```
 */
export function auditEntryHashV2(input: AuditEntryV2HashInput): string {
  return auditEntryHashV2At(input, input.sequence);
}

/**
 * {@link auditEntryHashV2} at another sequence (to tell moved entries from
 * changed ones).
 * @internal
 */
export function auditEntryHashV2At(input: AuditEntryV2HashInput, sequence: number): string {
  return sha256(
    netstring('civicblocks.audit/2') +
      netstring(input.chain) +
      netstring(String(sequence)) +
      netstring(input.id) +
      netstring(input.recordedAt.toISOString()) +
      netstring(input.type) +
      netstring(input.erasable ? '1' : '0') +
      netstring(input.payloadDigest) +
      netstring(input.previousHash),
  );
}

/**
 * What {@link auditPayloadDigest} commits to.
 *
 * @example
 * ```ts
 * const input: AuditPayloadDigestInput = { salt, payload: { consentId: 'c-1' }, subject: 'citizen-42' };
 * ```
 */
export interface AuditPayloadDigestInput {
  /** 32 random bytes, kept with the payload and erased with it. */
  readonly salt: Uint8Array;
  /** Any value {@link canonicalJson} accepts. */
  readonly payload: unknown;
  /** The subject the entry is about, or null for an entry that cannot be erased. */
  readonly subject: string | null;
}

/**
 * The salted digest a format-2 entry keeps instead of its payload: SHA-256,
 * in lower-case hex, of the 32 salt bytes followed by the UTF-8 of
 * `canonicalJson({ payload, subject })`. Without the salt nobody can confirm
 * a guessed payload from the chain; once the salt and payload are erased the
 * digest proves only that an entry was there.
 *
 * @throws {@link InvalidInputError} if the payload is not JSON
 *   ({@link canonicalJson}) or the salt is not 32 bytes.
 * @example
 * ```ts
 * const digest = auditPayloadDigest({ salt, payload: { consentId: 'c-1' }, subject: 'citizen-42' });
 * ```
 */
export function auditPayloadDigest(input: AuditPayloadDigestInput): string {
  if (!(input.salt instanceof Uint8Array) || input.salt.length !== 32) {
    throw new InvalidInputError('INVALID_ARGUMENT', 'salt must be 32 bytes', {
      details: { argument: 'salt' },
    });
  }
  return payloadDigestOf(input.salt, canonicalJson(input.payload), input.subject);
}

/**
 * {@link auditPayloadDigest} of a payload already in canonical JSON.
 * @internal
 */
export function payloadDigestOf(
  salt: Uint8Array,
  canonicalPayload: string,
  subject: string | null,
): string {
  return createHash('sha256')
    .update(salt)
    .update(`{"payload":${canonicalPayload},"subject":${canonicalJson(subject)}}`, 'utf8')
    .digest('hex');
}

function netstring(text: string): string {
  return `${Buffer.byteLength(text, 'utf8')}:${text},`;
}
