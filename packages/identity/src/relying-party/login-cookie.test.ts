import { CompactEncrypt, EncryptJWT, jwtDecrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  deriveCookieKey,
  type LoginTransaction,
  openLoginTransaction,
  sealLoginTransaction,
} from './login-cookie.js';

const secret = 'dGhpcy1pcy1hLXRlc3QtY29va2llLXNlY3JldC0zMmJ5dGVz';
const transaction: LoginTransaction = {
  id: 'tx-1',
  provider: 'https://id.example.gov',
  clientId: 'svc',
  state: 'state-value',
  nonce: 'nonce-value',
  codeVerifier: 'verifier-value',
  returnTo: '/dashboard',
  expiresAt: 1_700_000_600_000,
};
const before = 1_700_000_000_000;
const header = { alg: 'dir', enc: 'A256GCM', typ: 'civicblocks-login+jwt' } as const;

const refusal = (open: () => unknown): unknown => {
  try {
    open();
  } catch (error) {
    return error;
  }
  throw new Error('expected the cookie to be refused');
};

describe('login cookie', () => {
  it('round-trips a transaction and hides its contents', () => {
    const key = deriveCookieKey(secret);
    const sealed = sealLoginTransaction(transaction, key);
    expect(sealed.split('.')).toHaveLength(5);
    expect(sealed).not.toContain('state-value');
    expect(Buffer.from(sealed.split('.')[3] ?? '', 'base64url').toString()).not.toContain(
      'verifier',
    );
    expect(openLoginTransaction(sealed, key, before)).toEqual(transaction);
    // a fresh IV each time
    expect(sealLoginTransaction(transaction, key)).not.toBe(sealed);
  });

  it('is a standard JWE: jose opens what it seals, and it opens what jose seals', async () => {
    const key = deriveCookieKey(secret);
    const { payload, protectedHeader } = await jwtDecrypt(
      sealLoginTransaction(transaction, key),
      key,
      { currentDate: new Date(before), typ: 'civicblocks-login+jwt' },
    );
    expect(protectedHeader).toEqual(header);
    expect(payload).toMatchObject({ state: 'state-value', exp: 1_700_000_600 });
    const { expiresAt: _expiresAt, ...claims } = transaction;
    const byJose = await new EncryptJWT({ ...claims })
      .setProtectedHeader(header)
      .setExpirationTime(1_700_000_600)
      .encrypt(key);
    expect(openLoginTransaction(byJose, key, before)).toEqual(transaction);
  });

  it('expires with the transaction', () => {
    const key = deriveCookieKey(secret);
    const sealed = sealLoginTransaction(transaction, key);
    expect(refusal(() => openLoginTransaction(sealed, key, 1_700_000_600_000))).toMatchObject({
      code: 'IDENTITY_LOGIN_COOKIE_EXPIRED',
    });
  });

  it('refuses another key, any tampering, another algorithm and a short secret', async () => {
    const key = deriveCookieKey(secret);
    const sealed = sealLoginTransaction(transaction, key);
    const parts = sealed.split('.');
    const flip = (index: number) =>
      parts
        .map((part, at) =>
          at === index ? `${part.slice(0, 4)}${part[4] === 'A' ? 'B' : 'A'}${part.slice(5)}` : part,
        )
        .join('.');
    const otherKey = deriveCookieKey(new Uint8Array(32).fill(7));
    const plaintextWithoutExp = new TextEncoder().encode(JSON.stringify({ id: 'tx-1' }));
    const cases = [
      openLoginTransaction.bind(null, sealed, otherKey, before),
      openLoginTransaction.bind(null, flip(0), key, before), // header
      openLoginTransaction.bind(null, flip(2), key, before), // iv
      openLoginTransaction.bind(null, flip(3), key, before), // ciphertext
      openLoginTransaction.bind(null, flip(4), key, before), // tag
      openLoginTransaction.bind(null, `${sealed}.extra`, key, before),
      openLoginTransaction.bind(null, 'not a cookie', key, before),
      openLoginTransaction.bind(
        null,
        await new CompactEncrypt(plaintextWithoutExp)
          .setProtectedHeader({ alg: 'dir', enc: 'A128GCM', typ: header.typ })
          .encrypt(key.slice(0, 16)),
        key,
        before,
      ),
      openLoginTransaction.bind(
        null,
        await new CompactEncrypt(plaintextWithoutExp).setProtectedHeader(header).encrypt(key),
        key,
        before,
      ),
    ];
    for (const open of cases) {
      expect(refusal(open)).toMatchObject({ code: 'IDENTITY_LOGIN_COOKIE_INVALID' });
    }
    expect(() => deriveCookieKey('too-short')).toThrow(
      expect.objectContaining({ code: 'IDENTITY_CONFIGURATION_INVALID' }),
    );
  });
});
