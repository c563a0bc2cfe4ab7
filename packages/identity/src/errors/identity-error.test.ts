import { CivicError, userMessageOf } from '@civicblocks/core';
import { describe, expect, it } from 'vitest';
import { IdentityError } from './identity-error.js';

describe('IdentityError', () => {
  it('is a CivicError with a literal name, a code and the cause', () => {
    const cause = new Error('bad signature');
    const error = new IdentityError(
      'IDENTITY_ID_TOKEN_SIGNATURE_INVALID',
      'ID token signature does not verify',
      { cause },
    );
    expect(error.name).toBe('IdentityError');
    // the cause is a sanitised copy: same name and fixed message, none of the original's fields
    expect(error.cause).toMatchObject({ name: 'Error', message: 'bad signature' });
    expect(error.cause).not.toBe(cause);
    expect(CivicError.isInstance(error)).toBe(true);
    expect(IdentityError.isInstance(error)).toBe(true);
  });

  it('gives citizens Vietnamese and English text, specific where it helps', () => {
    const tooLow = new IdentityError('IDENTITY_ASSURANCE_TOO_LOW', 'below minimum');
    expect(userMessageOf(tooLow, 'vi')).toContain('mức xác thực');
    expect(userMessageOf(tooLow, 'en')).toContain('higher level');
    const generic = new IdentityError('IDENTITY_ID_TOKEN_NONCE_MISMATCH', 'nonce');
    expect(userMessageOf(generic, 'vi')).toContain('đăng nhập');
    expect(
      new IdentityError('IDENTITY_CONFIGURATION_INVALID', 'bad option').userMessage,
    ).toBeUndefined();
    expect(
      userMessageOf(new IdentityError('IDENTITY_PROVIDER_UNAVAILABLE', 'busy'), 'en'),
    ).toContain('try signing in again');
  });

  it('keeps no claim, payload or body of a third-party cause, at any depth', () => {
    const personal = Object.assign(new Error('unexpected JWT "nonce" claim value'), {
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      cause: { claim: 'nonce', claims: { sub: 's=S1234567A,u=abc', name: 'Tan Ah Kow' } },
    });
    const wrapped = Object.assign(new Error('wrapped', { cause: personal }), {
      payload: { nric: 'S1234567A' },
    });
    const error = new IdentityError('IDENTITY_ID_TOKEN_NONCE_MISMATCH', 'nonce', {
      cause: wrapped,
    });
    const seen: string[] = [];
    for (let link: unknown = error; link instanceof Error; link = link.cause) {
      seen.push(JSON.stringify(link, Object.getOwnPropertyNames(link)));
    }
    expect(seen).toHaveLength(3);
    expect(seen.join(' ')).not.toMatch(/S1234567A|Tan Ah Kow/);
    expect((error.cause as Error).cause).toMatchObject({
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      claim: 'nonce',
    });
  });
});
