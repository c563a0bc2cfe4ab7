import {
  type AssuranceLevel,
  fromGovukVectorOfTrust,
  meetsMinimumAssurance,
} from '../assurance/level-of-assurance.js';
import { IdentityError } from '../errors/identity-error.js';
import type { IdentityAddress } from '../relying-party/verified-identity.js';
import { type CoreIdentitySource, createCoreIdentityVerifier } from './govuk-core-identity.js';
import { mergedClaims, type ProviderProfile, standardIdentityClaims } from './provider-profile.js';

const vocabulary = 'https://vocab.account.gov.uk/v1/';

/**
 * Claims of the GOV.UK One Login `claims` request (userinfo).
 *
 * @example
 * ```ts
 * const claims: GovukClaim[] = ['coreIdentityJWT', 'address', 'returnCode'];
 * ```
 */
export type GovukClaim =
  | 'coreIdentityJWT'
  | 'address'
  | 'passport'
  | 'drivingPermit'
  | 'returnCode';

/**
 * Options of {@link govukOneLoginProfile}.
 *
 * @example
 * ```ts
 * const options: GovukOneLoginProfileOptions = { vectorsOfTrust: ['Cl.Cm.P2'], environment: 'integration' };
 * ```
 */
export interface GovukOneLoginProfileOptions {
  /** Sent as `vtr` (a JSON array). Default `['Cl.Cm']`. */
  readonly vectorsOfTrust?: readonly string[];
  /** Sets the core identity issuer and DID document (default `production`). */
  readonly environment?: 'integration' | 'production';
  /** Overrides `environment` (for the dev provider: `devProvider.govuk`). */
  readonly coreIdentity?: CoreIdentitySource;
  /** Default: core identity, address, passport and return codes when an identity vector is requested, else none. */
  readonly claims?: readonly GovukClaim[];
  /** Minimum time between two DID-document refetches for an unknown `kid` (default 30 s). */
  readonly keyRefetchCooldownSeconds?: number;
  /** Sent on every call (GOV.UK asks for one). Default `civicblocks-identity`. */
  readonly userAgent?: string;
}

const environments: Readonly<Record<'integration' | 'production', CoreIdentitySource>> = {
  integration: {
    didDocumentUrl: 'https://identity.integration.account.gov.uk/.well-known/did.json',
    controller: 'did:web:identity.integration.account.gov.uk',
    issuer: 'https://identity.integration.account.gov.uk/',
  },
  production: {
    didDocumentUrl: 'https://identity.account.gov.uk/.well-known/did.json',
    controller: 'did:web:identity.account.gov.uk',
    issuer: 'https://identity.account.gov.uk/',
  },
};

/**
 * GOV.UK One Login: `vtr` as a JSON array, `vot` checked against what was
 * requested, a `claims` request for the core identity JWT (and address,
 * passport, return codes), `ui_locales` en or cy, a `User-Agent` on every
 * call, `private_key_jwt`, ES256 ID tokens. The core identity JWT is verified
 * with ES256 against keys taken only from the fixed DID document, with `iss`,
 * `aud`, `exp`, `vot` and `sub` (equal to the ID token's) checked. Return codes
 * are surfaced as `providerData.returnCodes`.
 *
 * @example
 * ```ts
 * const relyingParty = createRelyingParty({
 *   issuer: 'https://oidc.integration.account.gov.uk/',
 *   clientId: 'my-service',
 *   clientPrivateKey: privateKey,
 *   redirectUri: 'https://service.example.gov/auth/callback',
 *   cookieSecret: secrets.loginCookie,
 *   profile: govukOneLoginProfile({ vectorsOfTrust: ['Cl.Cm.P2'], environment: 'integration' }),
 * });
 * ```
 */
export function govukOneLoginProfile(options: GovukOneLoginProfileOptions = {}): ProviderProfile {
  const vectors = options.vectorsOfTrust ?? ['Cl.Cm'];
  const requestedLevels: AssuranceLevel[] = vectors.map((vector) => {
    const level = fromGovukVectorOfTrust(vector);
    if (level === undefined) {
      throw new IdentityError(
        'IDENTITY_CONFIGURATION_INVALID',
        `"${vector}" is not a GOV.UK vector of trust`,
      );
    }
    return level;
  });
  const wantsIdentity = requestedLevels.some((level) => level.identity !== 'none');
  const claims =
    options.claims ??
    (wantsIdentity ? ['coreIdentityJWT', 'address', 'passport', 'returnCode'] : []);
  const source = options.coreIdentity ?? environments[options.environment ?? 'production'];
  let currentFetch: typeof fetch = fetch;
  const verifier = createCoreIdentityVerifier(
    source,
    () => currentFetch,
    options.keyRefetchCooldownSeconds === undefined
      ? {}
      : { keyRefetchCooldownSeconds: options.keyRefetchCooldownSeconds },
  );

  return {
    name: 'govuk-one-login',
    scope: 'openid email phone',
    idTokenSigningAlgorithms: ['ES256'],
    pushedAuthorization: 'never',
    dpop: false,
    requireIssuerParameter: false,
    fetchUserinfo: true,
    userAgent: options.userAgent ?? 'civicblocks-identity',
    authorizationParameters: ({ locale }) => ({
      vtr: JSON.stringify(vectors),
      ui_locales: locale === 'cy' ? 'cy' : 'en',
      ...(claims.length === 0
        ? {}
        : {
            claims: JSON.stringify({
              userinfo: Object.fromEntries(claims.map((claim) => [`${vocabulary}${claim}`, null])),
            }),
          }),
    }),
    complete: async (context) => {
      currentFetch = context.fetch;
      const vot = context.idTokenClaims.vot;
      const achieved = typeof vot === 'string' ? fromGovukVectorOfTrust(vot) : undefined;
      if (
        achieved === undefined ||
        !requestedLevels.some((level) => meetsMinimumAssurance(achieved, level))
      ) {
        throw new IdentityError(
          'IDENTITY_VECTOR_OF_TRUST_MISMATCH',
          'the ID token "vot" is lower than the vectors requested',
          {
            details: { requested: vectors, ...(typeof vot === 'string' ? { achieved: vot } : {}) },
          },
        );
      }
      const userinfo = context.userinfo ?? {};
      const returnCodes = Array.isArray(userinfo[`${vocabulary}returnCode`])
        ? (userinfo[`${vocabulary}returnCode`] as { code?: unknown }[])
            .map((entry) => entry.code)
            .filter((code): code is string => typeof code === 'string')
        : [];
      const standard = standardIdentityClaims(mergedClaims(context));
      let name = standard.name;
      let birthDate = standard.birthDate;
      if (achieved.identity !== 'none') {
        const token = userinfo[`${vocabulary}coreIdentityJWT`];
        if (typeof token !== 'string') {
          throw new IdentityError(
            'IDENTITY_CORE_IDENTITY_MISSING',
            'an identity vector was achieved but no core identity JWT came',
          );
        }
        const coreIdentity = await verifier.verify(token, {
          clientId: context.clientId,
          subject: String(context.idTokenClaims.sub),
          now: context.now,
          clockToleranceSeconds: context.clockToleranceSeconds,
        });
        const identityVector = fromGovukVectorOfTrust(`Cl.${coreIdentity.vectorOfTrust}`);
        if (
          identityVector === undefined ||
          !meetsMinimumAssurance(
            { ...identityVector, authentication: achieved.authentication },
            achieved,
          )
        ) {
          throw new IdentityError(
            'IDENTITY_CORE_IDENTITY_VOT_MISMATCH',
            'the core identity "vot" is lower than the ID token "vot"',
          );
        }
        const given = coreIdentity.givenNames.join(' ');
        const family = coreIdentity.familyNames.join(' ');
        name = { full: `${given} ${family}`.trim(), given, family };
        birthDate = coreIdentity.birthDate ?? birthDate;
      }
      const addresses = userinfo[`${vocabulary}address`];
      let address: IdentityAddress | undefined = standard.address;
      if (Array.isArray(addresses) && typeof addresses[0] === 'object' && addresses[0] !== null) {
        const first = addresses[0] as Record<string, unknown>;
        const pick = (key: string): string | undefined =>
          typeof first[key] === 'string' ? (first[key] as string) : undefined;
        const street = [pick('buildingNumber'), pick('buildingName'), pick('streetName')]
          .filter(Boolean)
          .join(' ');
        const parts = {
          streetAddress: street === '' ? undefined : street,
          locality: pick('addressLocality'),
          postalCode: pick('postalCode'),
          country: pick('addressCountry'),
        };
        address = Object.fromEntries(
          Object.entries(parts).filter(([, value]) => value !== undefined),
        );
      }
      return {
        assurance: achieved,
        claims: {
          ...standard,
          ...(name === undefined ? {} : { name }),
          ...(birthDate === undefined ? {} : { birthDate }),
          ...(address === undefined ? {} : { address }),
        },
        providerData: { vot, returnCodes },
      };
    },
  };
}
