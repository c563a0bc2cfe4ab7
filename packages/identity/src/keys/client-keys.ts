import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  type JWK,
} from 'jose';
import type { DecryptionKey } from '../relying-party/relying-party-options.js';

/**
 * Options of {@link generateClientKeys}.
 *
 * @example
 * ```ts
 * const options: ClientKeysOptions = { signingAlgorithm: 'ES256', encryptionAlgorithm: 'ECDH-ES+A256KW' };
 * ```
 */
export interface ClientKeysOptions {
  /** Client assertion (`private_key_jwt`) algorithm: `ES256` (default), `RS256` or `PS256`. */
  readonly signingAlgorithm?: 'ES256' | 'RS256' | 'PS256';
  /** Add a key the provider encrypts ID tokens or userinfo to. */
  readonly encryptionAlgorithm?:
    | 'ECDH-ES+A256KW'
    | 'ECDH-ES+A128KW'
    | 'ECDH-ES'
    | 'RSA-OAEP-256'
    | 'RSA-OAEP';
}

/**
 * A relying party's key pairs: the private halves for
 * `createRelyingParty`, the public JWKS to register with (or serve to) the
 * provider.
 *
 * @example
 * ```ts
 * const keys: ClientKeys = await generateClientKeys();
 * ```
 */
export interface ClientKeys {
  readonly signingKey: CryptoKey;
  readonly signingKeyId: string;
  readonly decryptionKeys: readonly DecryptionKey[];
  readonly publicJwks: { readonly keys: readonly JWK[] };
  /**
   * The same keys as PEM, for a secret store and for providers that register
   * a PEM public key (GOV.UK One Login): private keys PKCS#8, public SPKI.
   * `clientPrivateKey` and `decryptionKeys` accept the private PEMs as they are.
   */
  readonly pem: {
    readonly signingPrivateKey: string;
    readonly signingPublicKey: string;
    readonly decryptionPrivateKey?: string;
    readonly decryptionPublicKey?: string;
  };
  /** A `Response` serving the public JWKS, for a `/jwks.json` route. */
  jwksResponse(): Response;
}

/**
 * Generates the relying party's keys (RSA or EC) for `private_key_jwt` and,
 * optionally, for encrypted responses, with RFC 7638 thumbprints as `kid`,
 * as `CryptoKey`s, a public JWKS and PEM (PKCS#8 private, SPKI public).
 * Keep the private keys in your secret store in production; this helper
 * suits development, tests and key rotation scripts.
 *
 * @example
 * ```ts
 * const keys = await generateClientKeys({ signingAlgorithm: 'ES256', encryptionAlgorithm: 'ECDH-ES+A256KW' });
 * app.get('/.well-known/jwks.json', () => keys.jwksResponse());
 * const relyingParty = createRelyingParty({
 *   ...options,
 *   clientPrivateKey: keys.signingKey,
 *   clientPrivateKeyId: keys.signingKeyId,
 *   decryptionKeys: keys.decryptionKeys,
 * });
 * ```
 */
export async function generateClientKeys(options: ClientKeysOptions = {}): Promise<ClientKeys> {
  const signingAlgorithm = options.signingAlgorithm ?? 'ES256';
  const signing = await generateKeyPair(signingAlgorithm, { extractable: true });
  const signingJwk: JWK = {
    ...(await exportJWK(signing.publicKey)),
    alg: signingAlgorithm,
    use: 'sig',
  };
  const signingKeyId = await calculateJwkThumbprint(signingJwk);
  signingJwk.kid = signingKeyId;
  const keys: JWK[] = [signingJwk];
  const decryptionKeys: DecryptionKey[] = [];
  let decryptionPem: { decryptionPrivateKey: string; decryptionPublicKey: string } | undefined;
  if (options.encryptionAlgorithm !== undefined) {
    const algorithm = options.encryptionAlgorithm;
    const encryption = await generateKeyPair(algorithm, {
      extractable: true,
      ...(algorithm.startsWith('ECDH') ? { crv: 'P-256' } : {}),
    });
    const encryptionJwk: JWK = {
      ...(await exportJWK(encryption.publicKey)),
      alg: algorithm,
      use: 'enc',
    };
    const keyId = await calculateJwkThumbprint(encryptionJwk);
    encryptionJwk.kid = keyId;
    keys.push(encryptionJwk);
    decryptionKeys.push({ key: encryption.privateKey, algorithm, keyId });
    decryptionPem = {
      decryptionPrivateKey: await exportPKCS8(encryption.privateKey),
      decryptionPublicKey: await exportSPKI(encryption.publicKey),
    };
  }
  const publicJwks = { keys };
  return {
    signingKey: signing.privateKey,
    signingKeyId,
    decryptionKeys,
    publicJwks,
    pem: {
      signingPrivateKey: await exportPKCS8(signing.privateKey),
      signingPublicKey: await exportSPKI(signing.publicKey),
      ...decryptionPem,
    },
    jwksResponse: () =>
      new Response(JSON.stringify(publicJwks), {
        headers: {
          'content-type': 'application/jwk-set+json',
          'cache-control': 'public, max-age=300',
        },
      }),
  };
}
