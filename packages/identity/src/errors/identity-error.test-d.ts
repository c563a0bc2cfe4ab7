import { describe, expectTypeOf, it } from 'vitest';
import { IdentityError, type IdentityErrorCode } from './identity-error.js';

describe('IdentityError types', () => {
  it('carries a closed union of codes', () => {
    expectTypeOf<IdentityError['code']>().toEqualTypeOf<IdentityErrorCode>();
    expectTypeOf<IdentityError['name']>().toEqualTypeOf<'IdentityError'>();
    // @ts-expect-error 'IDENTITY_TEAPOT' is not an IdentityErrorCode
    new IdentityError('IDENTITY_TEAPOT', 'no');
  });

  it('isInstance narrows unknown', () => {
    const value: unknown = new IdentityError('IDENTITY_STATE_MISMATCH', 'state');
    if (IdentityError.isInstance(value)) expectTypeOf(value).toEqualTypeOf<IdentityError>();
  });
});
