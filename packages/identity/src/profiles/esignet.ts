import { fromEsignetAcr } from '../assurance/level-of-assurance.js';
import { mergedClaims, type ProviderProfile, standardIdentityClaims } from './provider-profile.js';

/**
 * Options of {@link esignetProfile}.
 *
 * @example
 * ```ts
 * const options: EsignetProfileOptions = { acrValues: ['mosip:idp:acr:biometrics'], claimsLocales: ['vi', 'en'] };
 * ```
 */
export interface EsignetProfileOptions {
  /** Sent as `acr_values`. Default `['mosip:idp:acr:generated-code']`. */
  readonly acrValues?: readonly string[];
  /** Sent as `claims_locales`; localised claims (`name#vi`) are preferred in this order. */
  readonly claimsLocales?: readonly string[];
  /** Userinfo claims requested as essential. Default name, birthdate, email, phone_number, address, individual_id. */
  readonly essentialClaims?: readonly string[];
  /** Default `openid profile`. */
  readonly scope?: string;
}

/**
 * MOSIP eSignet: `acr_values`, `claims_locales`, an essential `claims`
 * request, `private_key_jwt` with the assertion `aud` set to the token
 * endpoint, userinfo signed (JWS) or signed and encrypted (JWE: give the
 * relying party `decryptionKeys`). `individual_id` becomes the national
 * identifier.
 *
 * @example
 * ```ts
 * const relyingParty = createRelyingParty({
 *   issuer: 'https://esignet.collab.mosip.net/v1/esignet',
 *   clientId: 'my-service',
 *   clientPrivateKey: keys.signingKey,
 *   redirectUri: 'https://service.example.gov/auth/callback',
 *   cookieSecret: secrets.loginCookie,
 *   profile: esignetProfile({ claimsLocales: ['vi', 'en'] }),
 * });
 * ```
 */
export function esignetProfile(options: EsignetProfileOptions = {}): ProviderProfile {
  const acrValues = options.acrValues ?? ['mosip:idp:acr:generated-code'];
  const locales = options.claimsLocales ?? [];
  const essential = options.essentialClaims ?? [
    'name',
    'birthdate',
    'email',
    'phone_number',
    'address',
    'individual_id',
  ];
  return {
    name: 'esignet',
    scope: options.scope ?? 'openid profile',
    idTokenSigningAlgorithms: ['RS256', 'PS256', 'ES256'],
    pushedAuthorization: 'when-supported',
    dpop: false,
    requireIssuerParameter: false,
    fetchUserinfo: true,
    clientAssertion: { audience: 'token-endpoint' },
    authorizationParameters: ({ locale }) => ({
      acr_values: acrValues.join(' '),
      ...(locales.length === 0 ? {} : { claims_locales: locales.join(' ') }),
      ...(locale === undefined ? {} : { ui_locales: locale }),
      claims: JSON.stringify({
        userinfo: Object.fromEntries(essential.map((claim) => [claim, { essential: true }])),
      }),
    }),
    complete: async (context) => {
      const acr = context.idTokenClaims.acr;
      const source: Record<string, unknown> = { ...mergedClaims(context) };
      for (const claim of ['name', 'given_name', 'family_name', 'address']) {
        for (const locale of [...locales].reverse()) {
          const localised = source[`${claim}#${locale}`];
          if (localised !== undefined) source[claim] = localised;
        }
      }
      const individual = source.individual_id;
      return {
        assurance: (typeof acr === 'string' ? fromEsignetAcr(acr) : undefined) ?? {
          authentication: 'low',
          identity: 'none',
        },
        claims: {
          ...standardIdentityClaims(source),
          ...(typeof individual === 'string' && individual !== ''
            ? { nationalIdentifier: individual }
            : {}),
        },
        providerData: typeof acr === 'string' ? { acr } : {},
      };
    },
  };
}
