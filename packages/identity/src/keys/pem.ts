import { createPrivateKey, type KeyObject } from 'node:crypto';
import { exportPKCS8, exportSPKI, importPKCS8 } from 'jose';
import { IdentityError } from '../errors/identity-error.js';

/**
 * Algorithms a client key can be imported for: client assertion signatures
 * and the JWE key management algorithms of encrypted responses.
 *
 * @example
 * ```ts
 * const algorithm: PemKeyAlgorithm = 'ECDH-ES+A256KW';
 * ```
 */
export type PemKeyAlgorithm =
  | 'ES256'
  | 'RS256'
  | 'PS256'
  | 'ECDH-ES'
  | 'ECDH-ES+A128KW'
  | 'ECDH-ES+A256KW'
  | 'RSA-OAEP'
  | 'RSA-OAEP-256';

/**
 * Imports a private key from a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`),
 * the form identity providers and secret stores hand out, for the given
 * algorithm. A malformed PEM or a key that does not suit the algorithm fails
 * with `IDENTITY_CLIENT_KEY_INVALID` (never echoing the key).
 *
 * @example
 * ```ts
 * import { importPrivateKeyPem } from '@civicblocks/identity';
 *
 * const clientPrivateKey = await importPrivateKeyPem(secrets.oneLoginPrivateKey, 'RS256');
 * ```
 */
export async function importPrivateKeyPem(
  pem: string,
  algorithm: PemKeyAlgorithm,
): Promise<CryptoKey> {
  inspectPrivateKeyPem(pem);
  try {
    return (await importPKCS8(pem, algorithm, { extractable: true })) as CryptoKey;
  } catch (cause) {
    throw new IdentityError(
      'IDENTITY_CLIENT_KEY_INVALID',
      `the PEM private key does not suit ${algorithm}`,
      { cause },
    );
  }
}

/**
 * Exports a key as PEM: a private key as PKCS#8 (`BEGIN PRIVATE KEY`), a
 * public key as SPKI (`BEGIN PUBLIC KEY`, what a provider registers). The key
 * must be extractable (those of `generateClientKeys` are).
 *
 * @example
 * ```ts
 * const { publicKey } = await crypto.subtle.generateKey(
 *   { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'],
 * );
 * await writeFile('client-public.pem', await exportKeyPem(publicKey));
 * ```
 */
export async function exportKeyPem(key: CryptoKey): Promise<string> {
  return key.type === 'private' ? exportPKCS8(key) : exportSPKI(key);
}

/**
 * Parses a PKCS#8 PEM synchronously (node:crypto) so `createRelyingParty`
 * refuses a broken key at once; returns its type facts.
 */
export function inspectPrivateKeyPem(pem: string): {
  readonly type: 'ec' | 'rsa' | 'rsa-pss' | 'other';
  readonly curve?: string;
} {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // node's error quotes nothing of the key, but there is nothing useful in it either
    throw new IdentityError(
      'IDENTITY_CLIENT_KEY_INVALID',
      'the private key is not a PEM private key (expected PKCS#8, "-----BEGIN PRIVATE KEY-----")',
    );
  }
  const type = keyObject.asymmetricKeyType;
  const curve = keyObject.asymmetricKeyDetails?.namedCurve;
  return {
    type: type === 'ec' || type === 'rsa' || type === 'rsa-pss' ? type : 'other',
    ...(curve === undefined ? {} : { curve }),
  };
}
