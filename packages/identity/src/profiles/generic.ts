import { type AssuranceLevel, fromEidasLevel } from '../assurance/level-of-assurance.js';
import { mergedClaims, type ProviderProfile, standardIdentityClaims } from './provider-profile.js';

/**
 * Options of {@link genericProfile}.
 *
 * @example
 * ```ts
 * const options: GenericProfileOptions = { acrValues: ['http://eidas.europa.eu/LoA/substantial'] };
 * ```
 */
export interface GenericProfileOptions {
  /** Default `openid profile email`. */
  readonly scope?: string;
  /** Default `['RS256', 'PS256', 'ES256']`. */
  readonly idTokenSigningAlgorithms?: readonly string[];
  /** Sent as `acr_values` when given. */
  readonly acrValues?: readonly string[];
  /** Maps the `acr` claim to a level; default: eIDAS level URIs. Unknown `acr` means the lowest level. */
  readonly assuranceFromAcr?: (acr: string) => AssuranceLevel | undefined;
  /** Call userinfo (default true). */
  readonly fetchUserinfo?: boolean;
  readonly pushedAuthorization?: 'required' | 'when-supported' | 'never';
}

const lowest: AssuranceLevel = { authentication: 'low', identity: 'none' };

/**
 * A standards-only OpenID Connect provider: authorization code flow with
 * PKCE, `acr` read as an eIDAS level of assurance, standard claims.
 *
 * @example
 * ```ts
 * const relyingParty = await createRelyingParty({
 *   issuer: 'https://id.example.gov',
 *   clientId: 'my-service',
 *   clientSecret: process.env.CLIENT_SECRET,
 *   redirectUri: 'https://service.example.gov/auth/callback',
 *   cookieSecret: process.env.LOGIN_COOKIE_SECRET,
 *   profile: genericProfile({ acrValues: ['http://eidas.europa.eu/LoA/substantial'] }),
 * });
 * ```
 */
export function genericProfile(options: GenericProfileOptions = {}): ProviderProfile {
  const assuranceFromAcr = options.assuranceFromAcr ?? fromEidasLevel;
  return {
    name: 'generic',
    scope: options.scope ?? 'openid profile email',
    idTokenSigningAlgorithms: options.idTokenSigningAlgorithms ?? ['RS256', 'PS256', 'ES256'],
    pushedAuthorization: options.pushedAuthorization ?? 'when-supported',
    dpop: false,
    requireIssuerParameter: false,
    fetchUserinfo: options.fetchUserinfo ?? true,
    authorizationParameters: () =>
      options.acrValues === undefined ? {} : { acr_values: options.acrValues.join(' ') },
    complete: async (context) => {
      const acr = context.idTokenClaims.acr;
      const amr = context.idTokenClaims.amr;
      return {
        assurance: (typeof acr === 'string' ? assuranceFromAcr(acr) : undefined) ?? lowest,
        claims: standardIdentityClaims(mergedClaims(context)),
        providerData: {
          ...(typeof acr === 'string' ? { acr } : {}),
          ...(Array.isArray(amr) ? { amr } : {}),
        },
      };
    },
  };
}
