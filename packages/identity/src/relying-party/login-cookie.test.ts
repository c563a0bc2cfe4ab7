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

describe('login cookie', () => {
  it('round-trips a transaction and hides its contents', async () => {
    const key = deriveCookieKey(secret);
    const sealed = await sealLoginTransaction(transaction, key);
    expect(sealed.split('.')).toHaveLength(5);
    expect(sealed).not.toContain('state-value');
    expect(Buffer.from(sealed.split('.')[3] ?? '', 'base64url').toString()).not.toContain(
      'verifier',
    );
    expect(await openLoginTransaction(sealed, key, 1_700_000_000_000)).toEqual(transaction);
  });

  it('expires with the transaction', async () => {
    const key = deriveCookieKey(secret);
    const sealed = await sealLoginTransaction(transaction, key);
    await expect(openLoginTransaction(sealed, key, 1_700_000_600_001)).rejects.toMatchObject({
      code: 'IDENTITY_LOGIN_COOKIE_EXPIRED',
    });
  });

  it('refuses another key and refuses a short secret', async () => {
    const sealed = await sealLoginTransaction(transaction, deriveCookieKey(secret));
    const otherKey = deriveCookieKey(new Uint8Array(32).fill(7));
    await expect(openLoginTransaction(sealed, otherKey, 1_700_000_000_000)).rejects.toMatchObject({
      code: 'IDENTITY_LOGIN_COOKIE_INVALID',
    });
    expect(() => deriveCookieKey('too-short')).toThrow(
      expect.objectContaining({ code: 'IDENTITY_CONFIGURATION_INVALID' }),
    );
  });
});
