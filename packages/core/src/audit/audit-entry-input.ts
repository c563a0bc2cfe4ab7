import { randomBytes } from 'node:crypto';
import { AuditError, InvalidInputError } from '../errors/core-errors.js';
import type { Clock } from '../time/clock.js';
import { payloadDigestOf } from './audit-entry-hash.js';
import type { AuditAppendInput } from './audit-types.js';
import { canonicalJson } from './canonical-json.js';

const maximumTypeLength = 200;
const maximumSubjectLength = 500;
// A NUL character, as canonical JSON escapes it; PostgreSQL text and jsonb cannot hold one.
const escapedNul = /(?:^|[^\\])(?:\\\\)*\\u0000/;
// Years 0000 to 9999: what toISOString writes without a sign, and PostgreSQL reads back.
const plainIsoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * An entry checked and ready to write: canonical payload, fresh salt, digest, id and time.
 * @internal
 */
export interface PreparedEntry {
  readonly type: string;
  readonly subject: string | null;
  readonly canonicalPayload: string;
  readonly salt: Uint8Array;
  readonly payloadDigest: string;
  readonly id: string;
  readonly recordedAt: Date;
}

/**
 * Checks and canonicalises what the caller appends, and makes the entry's
 * id, time, salt and payload digest.
 * @internal
 */
export function prepareEntry(
  input: AuditAppendInput,
  chain: string,
  createId: () => string,
  clock: Clock,
): PreparedEntry {
  const type = input?.type;
  if (typeof type !== 'string' || type.length === 0 || type.length > maximumTypeLength) {
    throw new AuditError(
      'AUDIT_INVALID_ENTRY',
      `the entry type must be a string of 1 to ${maximumTypeLength} characters`,
      { details: { chain, field: 'type' } },
    );
  }
  canonicalOrRefuse(type, 'type', chain);
  const subject = input.subject === undefined ? null : checkSubject(input.subject, chain);
  const canonicalPayload = canonicalOrRefuse(input.payload, 'payload', chain);
  if (escapedNul.test(canonicalPayload) || type.includes('\u0000')) {
    throw new AuditError(
      'AUDIT_INVALID_ENTRY',
      'the entry contains a NUL character, which PostgreSQL cannot store',
      { details: { chain } },
    );
  }
  const salt = randomBytes(32);
  return {
    type,
    subject,
    canonicalPayload,
    salt,
    payloadDigest: payloadDigestOf(salt, canonicalPayload, subject),
    id: createId(),
    recordedAt: validTime(clock.now(), chain),
  };
}

/**
 * The subject, if it is one: 1 to 500 characters, no NUL, well-formed.
 * @internal
 */
export function checkSubject(subject: unknown, chain: string): string {
  if (
    typeof subject !== 'string' ||
    subject.length === 0 ||
    subject.length > maximumSubjectLength ||
    subject.includes('\u0000') ||
    !isWellFormed(subject)
  ) {
    throw new AuditError(
      'AUDIT_INVALID_ENTRY',
      `the subject must be a string of 1 to ${maximumSubjectLength} characters, without NUL or unpaired surrogates`,
      { details: { chain, field: 'subject' } },
    );
  }
  return subject;
}

/** Canonical JSON of `value`, or `AUDIT_INVALID_ENTRY` saying which field. @internal */
export function canonicalOrRefuse(
  value: unknown,
  field: 'type' | 'payload',
  chain: string,
): string {
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

/** A copy of the clock's time, refused if invalid or outside the years 0000 to 9999. @internal */
export function validTime(time: Date, chain: string): Date {
  if (
    !(time instanceof Date) ||
    Number.isNaN(time.getTime()) ||
    !plainIsoTime.test(time.toISOString())
  ) {
    throw new AuditError(
      'AUDIT_INVALID_ENTRY',
      'the clock returned an invalid time (or one outside the years 0000 to 9999)',
      {
        details: { chain, field: 'recordedAt' },
      },
    );
  }
  return new Date(time.getTime());
}

/** True for text without unpaired surrogates. @internal */
export function isWellFormed(text: string): boolean {
  try {
    canonicalJson(text);
    return true;
  } catch {
    return false;
  }
}
