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
    expect(error.cause).toBe(cause);
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
  });
});
