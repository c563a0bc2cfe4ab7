import { fromLoginGovAcr } from '../assurance/level-of-assurance.js';
import { mergedClaims, type ProviderProfile, standardIdentityClaims } from './provider-profile.js';

/**
 * Options of {@link loginGovProfile}.
 *
 * @example
 * ```ts
 * const options: LoginGovProfileOptions = { acrValues: ['urn:acr.login.gov:verified'] };
 * ```
 */
export interface LoginGovProfileOptions {
  /** Sent as `acr_values`. Default `['urn:acr.login.gov:auth-only']`. */
  readonly acrValues?: readonly string[];
  /** Default `openid email`, plus the identity scopes when a verified level is requested. */
  readonly scope?: string;
}

/**
 * Login.gov: `acr_values` (IAL/AAL service levels), `prompt=select_account`,
 * `private_key_jwt` with the client assertion `aud` set to the token
 * endpoint, RS256 ID tokens. `state` and `nonce` are 43 characters (Login.gov
 * needs at least 22). `social_security_number` becomes the national
 * identifier; `phone` the phone number.
 *
 * @example
 * ```ts
 * const relyingParty = createRelyingParty({
 *   issuer: 'https://idp.int.identitysandbox.gov/',
 *   clientId: 'urn:gov:gsa:openidconnect.profiles:sp:sso:agency:service',
 *   clientPrivateKey: privateKey,
 *   redirectUri: 'https://service.example.gov/auth/callback',
 *   cookieSecret: secrets.loginCookie,
 *   profile: loginGovProfile({ acrValues: ['urn:acr.login.gov:verified'] }),
 * });
 * ```
 */
export function loginGovProfile(options: LoginGovProfileOptions = {}): ProviderProfile {
  const acrValues = options.acrValues ?? ['urn:acr.login.gov:auth-only'];
  const verified = acrValues.some(
    (value) => (fromLoginGovAcr(value)?.identity ?? 'none') !== 'none',
  );
  return {
    name: 'login-gov',
    scope:
      options.scope ??
      (verified
        ? 'openid email profile:name profile:birthdate phone address social_security_number'
        : 'openid email'),
    idTokenSigningAlgorithms: ['RS256'],
    pushedAuthorization: 'never',
    dpop: false,
    requireIssuerParameter: false,
    fetchUserinfo: true,
    clientAssertion: { audience: 'token-endpoint' },
    authorizationParameters: () => ({ acr_values: acrValues.join(' '), prompt: 'select_account' }),
    complete: async (context) => {
      const acr = context.idTokenClaims.acr;
      const source = mergedClaims(context);
      const standard = standardIdentityClaims({
        ...source,
        ...(typeof source.phone === 'string'
          ? { phone_number: source.phone, phone_number_verified: source.phone_verified }
          : {}),
      });
      const ssn = source.social_security_number;
      return {
        assurance: (typeof acr === 'string' ? fromLoginGovAcr(acr) : undefined) ?? {
          authentication: 'low',
          identity: 'none',
        },
        claims: {
          ...standard,
          ...(typeof ssn === 'string' && ssn !== '' ? { nationalIdentifier: ssn } : {}),
        },
        providerData: typeof acr === 'string' ? { acr } : {},
      };
    },
  };
}
