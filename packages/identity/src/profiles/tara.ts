import { eidasNameFor, fromTaraAcr } from '../assurance/level-of-assurance.js';
import { IdentityError } from '../errors/identity-error.js';
import { type ProviderProfile, standardIdentityClaims } from './provider-profile.js';

/**
 * Options of {@link taraProfile}.
 *
 * @example
 * ```ts
 * const options: TaraProfileOptions = { allowedMethods: ['idcard', 'mID', 'smartid'] };
 * ```
 */
export interface TaraProfileOptions {
  /** Authentication methods (`amr`) the service accepts; default: any. */
  readonly allowedMethods?: readonly string[];
  /** Default `openid`. */
  readonly scope?: string;
}

/**
 * Estonia TARA: a single `acr` (`low`, `substantial`, `high`) requested from
 * the service's minimum and compared against it, `amr` checked when the
 * methods are restricted, identity in the ID token's `profile_attributes`
 * (no userinfo call), `ui_locales` et/en/ru, RS256. The subject (country code
 * and personal identification code, e.g. `EE38001085718`) is the national
 * identifier. TARA uses `client_secret_basic`.
 *
 * @example
 * ```ts
 * const relyingParty = createRelyingParty({
 *   issuer: 'https://tara-test.ria.ee',
 *   clientId: 'my-service',
 *   clientSecret: secrets.taraClientSecret,
 *   clientAuthentication: 'client_secret_basic',
 *   redirectUri: 'https://service.example.ee/auth/callback',
 *   cookieSecret: secrets.loginCookie,
 *   profile: taraProfile({ allowedMethods: ['idcard', 'mID', 'smartid'] }),
 *   minimumAssurance: { authentication: 'high', identity: 'high' },
 * });
 * ```
 */
export function taraProfile(options: TaraProfileOptions = {}): ProviderProfile {
  return {
    name: 'tara',
    scope: options.scope ?? 'openid',
    idTokenSigningAlgorithms: ['RS256'],
    pushedAuthorization: 'never',
    dpop: false,
    requireIssuerParameter: false,
    fetchUserinfo: false,
    authorizationParameters: ({ minimumAssurance, locale }) => ({
      acr_values: eidasNameFor(minimumAssurance),
      ui_locales: locale === 'et' || locale === 'ru' ? locale : 'en',
    }),
    complete: async (context) => {
      const claims = context.idTokenClaims;
      const acr = claims.acr;
      const amr = Array.isArray(claims.amr)
        ? claims.amr.filter((method): method is string => typeof method === 'string')
        : [];
      if (options.allowedMethods !== undefined) {
        const allowed = options.allowedMethods;
        if (amr.length === 0 || !amr.every((method) => allowed.includes(method))) {
          throw new IdentityError(
            'IDENTITY_AUTHENTICATION_METHOD_NOT_ALLOWED',
            'the "amr" method is not allowed by this service',
            {
              details: { amr, allowed },
            },
          );
        }
      }
      const attributes = (
        typeof claims.profile_attributes === 'object' && claims.profile_attributes !== null
          ? claims.profile_attributes
          : {}
      ) as Record<string, unknown>;
      const standard = standardIdentityClaims({
        given_name: attributes.given_name,
        family_name: attributes.family_name,
        birthdate: attributes.date_of_birth,
        email: claims.email,
        email_verified: claims.email_verified,
        phone_number: claims.phone_number,
        phone_number_verified: claims.phone_number_verified,
      });
      return {
        assurance: (typeof acr === 'string' ? fromTaraAcr(acr) : undefined) ?? {
          authentication: 'low',
          identity: 'none',
        },
        claims: { ...standard, nationalIdentifier: String(claims.sub) },
        providerData: { ...(typeof acr === 'string' ? { acr } : {}), amr },
      };
    },
  };
}
