import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
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

const protectedHeader = Buffer.from(
  JSON.stringify({ alg: 'dir', enc: 'A256GCM', typ: 'civicblocks-login+jwt' }),
).toString('base64url');

/**
 * Seals a login transaction as a compact JWE (RFC 7516: `dir`, `A256GCM`,
 * `typ: civicblocks-login+jwt`, an `exp` claim) that expires with the
 * transaction. Any JOSE library opens it with the key (the tests use jose).
 * AES-256-GCM runs through node:crypto in place: WebCrypto would send these
 * few hundred bytes to the thread pool and back on every sign-in.
 *
 * @example
 * ```ts
 * const sealed = sealLoginTransaction(transaction, deriveCookieKey(secret));
 * ```
 */
export function sealLoginTransaction(transaction: LoginTransaction, key: Uint8Array): string {
  const { expiresAt, ...rest } = transaction;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(protectedHeader, 'ascii'));
  const plaintext = JSON.stringify({ ...rest, exp: Math.floor(expiresAt / 1000) });
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    protectedHeader,
    '', // no encrypted key with "dir"
    iv.toString('base64url'),
    ciphertext.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

const base64url = /^[A-Za-z0-9_-]*$/;

/**
 * Opens a sealed login transaction. Fails with `IDENTITY_LOGIN_COOKIE_EXPIRED`
 * from its `exp` on (no tolerance) and `IDENTITY_LOGIN_COOKIE_INVALID` when
 * it was tampered with, sealed with another key or algorithm, or is not a
 * login transaction.
 *
 * @example
 * ```ts
 * const transaction = openLoginTransaction(sealed, deriveCookieKey(secret), Date.now());
 * ```
 */
export function openLoginTransaction(
  sealed: string,
  key: Uint8Array,
  now: number,
): LoginTransaction {
  const invalid = (reason: string, cause?: unknown): never => {
    throw new IdentityError(
      'IDENTITY_LOGIN_COOKIE_INVALID',
      `the login cookie could not be opened: ${reason}`,
      cause === undefined ? {} : { cause },
    );
  };
  const parts = sealed.split('.');
  if (parts.length !== 5 || !parts.every((part) => base64url.test(part))) {
    return invalid('not a compact JWE');
  }
  const [header = '', encryptedKey, ivText = '', ciphertextText = '', tagText = ''] = parts;
  // The header is authenticated as AAD; anything but ours (alg, enc, typ, no zip or crit) is refused.
  if (header !== protectedHeader || encryptedKey !== '') return invalid('not a login cookie');
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== 12 || tag.length !== 16) return invalid('malformed');
  let payload: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(header, 'ascii'));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertextText, 'base64url')),
      decipher.final(),
    ]);
    payload = JSON.parse(plaintext.toString('utf8'));
  } catch (cause) {
    return invalid('tampered with or sealed with another key', cause);
  }
  if (typeof payload !== 'object' || payload === null) return invalid('no claims');
  const claims = payload as Record<string, unknown>;
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return invalid('no "exp"');
  if (claims.exp * 1000 <= now) {
    throw new IdentityError('IDENTITY_LOGIN_COOKIE_EXPIRED', 'the login cookie has expired');
  }
  const text = (name: string): string => {
    const value = claims[name];
    if (typeof value !== 'string' || value === '') {
      return invalid(`it lacks "${name}"`);
    }
    return value;
  };
  const dpopPrivateKey = claims.dpopPrivateKey;
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
    expiresAt: claims.exp * 1000,
  };
}
