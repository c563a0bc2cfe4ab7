import { hkdfSync } from 'node:crypto';
import { EncryptJWT, errors, type JWK, jwtDecrypt } from 'jose';
import { IdentityError } from '../errors/identity-error.js';

/**
 * What a login transaction remembers between the redirect to the provider
 * and the callback. Sealed in an encrypted cookie; never readable by the
 * browser.
 *
 * @example
 * ```ts
 * const transaction: LoginTransaction = {
 *   id: 'tx-1', provider: 'https://oidc.example.gov', clientId: 'svc', state: 's', nonce: 'n',
 *   codeVerifier: 'v', returnTo: '/', expiresAt: Date.now() + 600_000,
 * };
 * ```
 */
export interface LoginTransaction {
  /** Random id recorded in the replay store when the transaction is used. */
  readonly id: string;
  /** Issuer of the provider the transaction is bound to. */
  readonly provider: string;
  readonly clientId: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
  /** The DPoP private key used at the provider, when DPoP is on. */
  readonly dpopPrivateKey?: JWK;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

/**
 * Derives the 256-bit cookie encryption key from the service's secret (at
 * least 32 bytes; a base64url string or bytes) with HKDF-SHA-256.
 *
 * @example
 * ```ts
 * const key = deriveCookieKey(process.env.LOGIN_COOKIE_SECRET ?? '');
 * ```
 */
export function deriveCookieKey(secret: string | Uint8Array): Uint8Array {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'base64url') : secret;
  if (bytes.byteLength < 32) {
    throw new IdentityError(
      'IDENTITY_CONFIGURATION_INVALID',
      'cookieSecret must hold at least 32 random bytes (a base64url string of 43 or more characters)',
    );
  }
  return new Uint8Array(
    hkdfSync('sha256', bytes, new Uint8Array(0), 'civicblocks identity login cookie v1', 32),
  );
}

/**
 * Imports the derived cookie key once as an AES-GCM `CryptoKey`, so sealing
 * and opening skip a key import each time.
 *
 * @example
 * ```ts
 * const key = await importCookieKey(deriveCookieKey(secret));
 * ```
 */
export function importCookieKey(key: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
}

/**
 * Seals a login transaction as a compact JWE (`dir`, `A256GCM`) that expires
 * with the transaction.
 *
 * @example
 * ```ts
 * const sealed = await sealLoginTransaction(transaction, key);
 * ```
 */
export async function sealLoginTransaction(
  transaction: LoginTransaction,
  key: Uint8Array | CryptoKey,
): Promise<string> {
  const { expiresAt, ...rest } = transaction;
  return new EncryptJWT({ ...rest })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', typ: 'civicblocks-login+jwt' })
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .encrypt(key);
}

/**
 * Opens a sealed login transaction. Fails with `IDENTITY_LOGIN_COOKIE_EXPIRED`
 * after its lifetime and `IDENTITY_LOGIN_COOKIE_INVALID` when it was tampered
 * with, sealed with another key or is not a login transaction.
 *
 * @example
 * ```ts
 * const transaction = await openLoginTransaction(sealed, key, Date.now());
 * ```
 */
export async function openLoginTransaction(
  sealed: string,
  key: Uint8Array | CryptoKey,
  now: number,
): Promise<LoginTransaction> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtDecrypt(sealed, key, {
      currentDate: new Date(now),
      clockTolerance: 0,
      typ: 'civicblocks-login+jwt',
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      requiredClaims: ['exp'],
    }));
  } catch (cause) {
    if (cause instanceof errors.JWTExpired) {
      throw new IdentityError('IDENTITY_LOGIN_COOKIE_EXPIRED', 'the login cookie has expired', {
        cause,
      });
    }
    throw new IdentityError(
      'IDENTITY_LOGIN_COOKIE_INVALID',
      'the login cookie could not be opened',
      { cause },
    );
  }
  const text = (name: string): string => {
    const value = payload[name];
    if (typeof value !== 'string' || value === '') {
      throw new IdentityError('IDENTITY_LOGIN_COOKIE_INVALID', `the login cookie lacks "${name}"`);
    }
    return value;
  };
  const dpopPrivateKey = payload.dpopPrivateKey;
  return {
    id: text('id'),
    provider: text('provider'),
    clientId: text('clientId'),
    state: text('state'),
    nonce: text('nonce'),
    codeVerifier: text('codeVerifier'),
    returnTo: text('returnTo'),
    ...(typeof dpopPrivateKey === 'object' && dpopPrivateKey !== null
      ? { dpopPrivateKey: dpopPrivateKey as JWK }
      : {}),
    expiresAt: (payload.exp as number) * 1000,
  };
}
