import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/core-errors.js';
import { auditEntryHashV2, auditGenesisHash, auditPayloadDigest } from './audit-entry-hash.js';

// The expected hex strings were computed with printf, xxd and openssl, not
// with this code: the commands are in docs/core/audit-chain.md.
const salt = Uint8Array.from({ length: 32 }, (_, index) => index);
const digest1 = '21b5b065fb736c2f96e0e2a74c390587946e590ded871447e3f72dc79b22f926';
const digest2 = '6acc3b01b5d57fcb98129fe83e6a86c11e2a460060d7d9ae546d755f54b69a34';
const entry1 = '8ca0a4f341c41f7d09298adaeb6d04a61633e1ab93077486be3323f64aa41934';
const entry2 = 'babac51aadaff3956339d02cb866d9d3a16263b8f191e37c64cb0c74fe219926';
/** The fields of the first documented entry, whose hash is `entry1`. */
const entry1Fields = {
  chain: 'consent',
  sequence: 1,
  id: '0190b6a2-7c4e-7d2a-9c1e-5b8f3a2d1e0f',
  recordedAt: new Date('2025-05-01T08:00:00.000Z'),
  type: 'consent-given',
  erasable: true,
  payloadDigest: digest1,
  previousHash: auditGenesisHash,
};

describe('audit entry hash, format 2 (test vectors from docs/core/audit-chain.md)', () => {
  it('digests a payload with its salt and subject', () => {
    expect(
      auditPayloadDigest({
        salt,
        // member order does not matter: the payload is canonicalised first
        payload: { purpose: 'benefits', consentId: 'c-1' },
        subject: 'citizen-42',
      }),
    ).toBe(digest1);
    expect(
      auditPayloadDigest({ salt, payload: { note: 'Xin chào', amount: 1.5 }, subject: null }),
    ).toBe(digest2);
  });

  it('hashes entries as netstrings of their fields, lengths in UTF-8 bytes', () => {
    expect(auditEntryHashV2(entry1Fields)).toBe(entry1);
    expect(
      auditEntryHashV2({
        chain: 'hồ-sơ',
        sequence: 2,
        id: 'id-2',
        recordedAt: new Date('2025-05-01T08:01:00.000Z'),
        type: 'payment-refund',
        erasable: false,
        payloadDigest: digest2,
        previousHash: entry1,
      }),
    ).toBe(entry2);
  });

  it('changes with the salt, the subject and every field', () => {
    const otherSalt = Uint8Array.from(salt, (byte) => byte ^ 1);
    const payload = { consentId: 'c-1', purpose: 'benefits' };
    expect(auditPayloadDigest({ salt: otherSalt, payload, subject: 'citizen-42' })).not.toBe(
      digest1,
    );
    expect(auditPayloadDigest({ salt, payload, subject: 'citizen-43' })).not.toBe(digest1);
    expect(auditPayloadDigest({ salt, payload, subject: null })).not.toBe(digest1);
    const base = entry1Fields;
    const variants = [
      { chain: 'consent2' },
      { sequence: 2 },
      { id: 'x' },
      { recordedAt: new Date('2025-05-01T08:00:00.001Z') },
      { type: 'consent-withdrawn' },
      { erasable: false },
      { payloadDigest: digest2 },
      { previousHash: entry2 },
    ];
    for (const variant of variants) {
      expect(auditEntryHashV2({ ...base, ...variant })).not.toBe(entry1);
    }
    // A field boundary cannot be moved: the lengths are part of the text.
    expect(auditEntryHashV2({ ...base, chain: 'consent', type: 'consent-given' })).toBe(entry1);
    expect(auditEntryHashV2({ ...base, chain: 'consen', type: 't,consent-given' })).not.toBe(
      entry1,
    );
  });

  it('refuses a salt that is not 32 bytes', () => {
    expect(() =>
      auditPayloadDigest({ salt: new Uint8Array(16), payload: 1, subject: null }),
    ).toThrow(InvalidInputError);
  });
});
