import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standardIdentityClaims } from './provider-profile.js';

describe('standardIdentityClaims', () => {
  it('normalises names to NFC and keeps only well-formed claims', () => {
    const decomposed = 'Nguyê\u0303n'; // ễ written as e + circumflex + combining tilde
    const claims = standardIdentityClaims({
      given_name: 'Văn An',
      family_name: decomposed,
      birthdate: '1985-04-12',
      email: 'an@example.vn',
      email_verified: 'true',
      phone_number: '+84912345678',
      phone_number_verified: true,
      address: { formatted: '12 Phố Hàng Bạc', country: 'VN', locality: 42 },
    });
    expect(claims).toEqual({
      name: {
        full: `Văn An ${decomposed.normalize('NFC')}`,
        given: 'Văn An',
        family: decomposed.normalize('NFC'),
      },
      birthDate: '1985-04-12',
      email: 'an@example.vn',
      emailVerified: false,
      phoneNumber: '+84912345678',
      phoneNumberVerified: true,
      address: { formatted: '12 Phố Hàng Bạc', country: 'VN' },
    });
    expect(standardIdentityClaims({ birthdate: '12/04/1985' })).toEqual({});
  });

  it('never throws and only yields NFC strings, whatever the provider sends (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(
            'name',
            'given_name',
            'family_name',
            'birthdate',
            'email',
            'phone_number',
            'address',
            'other',
          ),
          fc.oneof(
            fc.string(),
            fc.string({ unit: 'grapheme-composite' }),
            fc.integer(),
            fc.constant(null),
            fc.object(),
            fc.array(fc.string()),
          ),
        ),
        (source) => {
          const claims = standardIdentityClaims(source);
          const strings = JSON.stringify(claims).match(/"(?:[^"\\]|\\.)*"/g) ?? [];
          for (const quoted of strings) {
            const text = JSON.parse(quoted) as string;
            expect(text).toBe(text.normalize('NFC'));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
