import type { KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { ConsentError } from '../errors/consent-error.js';

/**
 * The key receipts are signed with (ES256, P-256): a private JWK with its
 * `kid`, or an extractable `CryptoKey` / `KeyObject` with the `kid` beside it.
 *
 * @example
 * ```ts
 * const key: ConsentSigningKey = { kid: 'consent-2026-01', privateKey: privateJwk };
 * ```
 */
export interface ConsentSigningKey {
  readonly kid: string;
  readonly privateKey: JWK | CryptoKey | KeyObject;
}

/**
 * The keys of a consent service: the one that signs new receipts, and the
 * public keys of retired signing keys, still published in the JWKS so that
 * every receipt ever issued stays verifiable after a rotation.
 *
 * @example
 * ```ts
 * const keys: ConsentKeyRing = { current: newKey, retired: [oldPublicJwk] };
 * ```
 */
export interface ConsentKeyRing {
  readonly current: ConsentSigningKey;
  /** Public JWKs (each with its `kid`) of keys that signed receipts before. */
  readonly retired?: readonly JWK[];
}

/**
 * A JSON Web Key Set, as published at `/.well-known/jwks.json`.
 *
 * @example
 * ```ts
 * const jwks: ConsentJwks = await consentJwks(keys);
 * ```
 */
export interface ConsentJwks {
  readonly keys: readonly JWK[];
}

/** A key ring made ready to sign: the imported private key and the JWKS. @internal */
export interface ReceiptSigner {
  readonly kid: string;
  readonly key: CryptoKey | KeyObject | Uint8Array;
  readonly jwks: ConsentJwks;
}

/**
 * Makes a new ES256 signing key with the given `kid`, as a private JWK to
 * keep in the service's secret store. Rotate by making a new one, making it
 * `current`, and moving the old one's public part ({@link publicJwk}) to `retired`.
 *
 * @example
 * ```ts
 * const key = await generateConsentSigningKey('consent-2026-11');
 * await secrets.put('consent-signing-key', JSON.stringify(key.privateKey));
 * ```
 */
export async function generateConsentSigningKey(
  kid: string,
): Promise<ConsentSigningKey & { privateKey: JWK }> {
  checkKid(kid);
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { kid, privateKey: { ...jwk, kid, alg: 'ES256', use: 'sig' } };
}

/**
 * The public JWK of a signing key: what to keep in `retired` after a rotation.
 *
 * @example
 * ```ts
 * const keys: ConsentKeyRing = { current: newKey, retired: [await publicJwk(oldKey)] };
 * ```
 */
export async function publicJwk(key: ConsentSigningKey): Promise<JWK> {
  checkKid(key.kid);
  let jwk: JWK;
  try {
    jwk = isJwk(key.privateKey) ? { ...key.privateKey } : await exportJWK(key.privateKey);
  } catch (error) {
    throw new ConsentError(
      'CONSENT_INVALID_KEY',
      'the signing key cannot be exported (make it extractable)',
      { cause: error },
    );
  }
  if (
    jwk.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string'
  ) {
    throw new ConsentError(
      'CONSENT_INVALID_KEY',
      'receipts are signed with ES256: the key must be an EC P-256 key',
    );
  }
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: key.kid, alg: 'ES256', use: 'sig' };
}

/**
 * The JWKS to publish: the current key and every retired key, public parts only.
 *
 * @example
 * ```ts
 * const jwks = await consentJwks({ current: key, retired: [oldPublicJwk] });
 * return Response.json(jwks);
 * ```
 */
export async function consentJwks(keys: ConsentKeyRing): Promise<ConsentJwks> {
  const current = await publicJwk(keys.current);
  const retired = (keys.retired ?? []).map((jwk, index) => {
    if (typeof jwk?.kid !== 'string' || jwk.kty !== 'EC' || 'd' in jwk) {
      throw new ConsentError(
        'CONSENT_INVALID_KEY',
        'every retired key must be a public EC JWK with a kid',
        {
          details: { field: `retired[${index}]` },
        },
      );
    }
    return { ...jwk, alg: 'ES256', use: 'sig' };
  });
  const kids = new Set([current.kid, ...retired.map((jwk) => jwk.kid)]);
  if (kids.size !== retired.length + 1) {
    throw new ConsentError('CONSENT_INVALID_KEY', 'two keys of the key ring share a kid');
  }
  return { keys: [current, ...retired] };
}

/** Imports the current key once. @internal */
export async function createReceiptSigner(keys: ConsentKeyRing): Promise<ReceiptSigner> {
  const jwks = await consentJwks(keys);
  const privateKey = keys.current.privateKey;
  let key: CryptoKey | KeyObject | Uint8Array;
  try {
    key = isJwk(privateKey)
      ? await importJWK({ ...privateKey, alg: 'ES256' }, 'ES256')
      : privateKey;
  } catch (error) {
    throw new ConsentError(
      'CONSENT_INVALID_KEY',
      'the signing key cannot be imported as an ES256 private key',
      { cause: error },
    );
  }
  return { kid: keys.current.kid, key, jwks };
}

function isJwk(value: unknown): value is JWK {
  return typeof value === 'object' && value !== null && 'kty' in value;
}

function checkKid(kid: unknown): void {
  if (typeof kid !== 'string' || !/^[A-Za-z0-9._:-]{1,100}$/.test(kid)) {
    throw new ConsentError(
      'CONSENT_INVALID_KEY',
      'kid must be 1 to 100 letters, digits, ".", "_", ":" or "-"',
    );
  }
}
