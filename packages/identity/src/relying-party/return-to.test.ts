import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdentityError } from '../errors/identity-error.js';
import { safeReturnTo } from './return-to.js';

const origin = 'https://service.example.gov';

describe('safeReturnTo', () => {
  it('keeps same-origin paths with their query and fragment', () => {
    expect(safeReturnTo('/applications/42?tab=summary#top', origin)).toBe(
      '/applications/42?tab=summary#top',
    );
    expect(safeReturnTo('/a/../b', origin)).toBe('/b');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/path',
    '/\\evil.example',
    'javascript:alert(1)',
    'evil.example',
    '/ok\r\nSet-Cookie: x=1',
    '',
  ])('refuses %j', (value) => {
    expect(() => safeReturnTo(value, origin)).toThrow(
      expect.objectContaining({ code: 'IDENTITY_RETURN_TO_INVALID' }),
    );
  });

  it('never yields a path that leaves the origin, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (value) => {
        try {
          const path = safeReturnTo(value, origin);
          expect(new URL(path, origin).origin).toBe(origin);
          expect(path.startsWith('/') && !path.startsWith('//')).toBe(true);
        } catch (error) {
          expect(IdentityError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
