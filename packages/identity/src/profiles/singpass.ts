import { fromSingpassAcr } from '../assurance/level-of-assurance.js';
import { mergedClaims, type ProviderProfile, standardIdentityClaims } from './provider-profile.js';

/**
 * Options of {@link singpassProfile}.
 *
 * @example
 * ```ts
 * const options: SingpassProfileOptions = { scope: 'openid', fetchUserinfo: false };
 * ```
 */
export interface SingpassProfileOptions {
  /** Default `openid`. */
  readonly scope?: string;
  /** Default true. */
  readonly fetchUserinfo?: boolean;
}

/**
 * Singpass (FAPI 2.0): pushed authorization requests, PKCE and DPoP always,
 * an ES256 client assertion with `typ: JWT`, the RFC 9207 `iss` parameter
 * required, and the ID token a JWS nested in a JWE (`ECDH-ES+A256KW`): give
 * the relying party `decryptionKeys` (see `generateClientKeys`). A plain ID
 * token is refused.
 *
 * @example
 * ```ts
 * const keys = await generateClientKeys({ signingAlgorithm: 'ES256', encryptionAlgorithm: 'ECDH-ES+A256KW' });
 * const relyingParty = createRelyingParty({
 *   issuer: 'https://stg-id.singpass.gov.sg/fapi',
 *   clientId: 'my-service',
 *   clientPrivateKey: keys.signingKey,
 *   clientPrivateKeyId: keys.signingKeyId,
 *   decryptionKeys: keys.decryptionKeys,
 *   redirectUri: 'https://service.example.gov.sg/auth/callback',
 *   cookieSecret: secrets.loginCookie,
 *   profile: singpassProfile(),
 * });
 * ```
 */
export function singpassProfile(options: SingpassProfileOptions = {}): ProviderProfile {
  return {
    name: 'singpass',
    scope: options.scope ?? 'openid',
    idTokenSigningAlgorithms: ['ES256'],
    pushedAuthorization: 'required',
    dpop: true,
    requireIssuerParameter: true,
    requireEncryptedIdToken: true,
    fetchUserinfo: options.fetchUserinfo ?? true,
    clientAssertion: { audience: 'issuer', type: 'JWT' },
    authorizationParameters: () => ({}),
    complete: async (context) => {
      const acr = context.idTokenClaims.acr;
      const amr = context.idTokenClaims.amr;
      return {
        assurance: (typeof acr === 'string' ? fromSingpassAcr(acr) : undefined) ?? {
          authentication: 'low',
          identity: 'none',
        },
        claims: standardIdentityClaims(mergedClaims(context)),
        providerData: {
          ...(typeof acr === 'string' ? { acr } : {}),
          ...(Array.isArray(amr) ? { amr } : {}),
        },
      };
    },
  };
}
