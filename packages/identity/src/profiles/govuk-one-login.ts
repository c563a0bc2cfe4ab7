import {
  type AssuranceLevel,
  fromGovukVectorOfTrust,
  type IdentityLevel,
  meetsMinimumAssurance,
} from '../assurance/level-of-assurance.js';
import { IdentityError } from '../errors/identity-error.js';
import { isSecureOrLoopback } from '../relying-party/loopback.js';
import type { IdentityAddress } from '../relying-party/verified-identity.js';
import {
  type CoreIdentitySource,
  coreIdentitySourceFor,
  createCoreIdentityVerifier,
} from './govuk-core-identity.js';
import {
  mergedClaims,
  type ProfileSettings,
  type ProviderProfile,
  standardIdentityClaims,
} from './provider-profile.js';

// Sources, GOV.UK One Login technical documentation (docs.sign-in.service.gov.uk):
// - "Authenticate your user": `vtr` is a JSON array; the ID token carries `sub`
//   (`urn:fdc:gov.uk:2022:...`), `vot` = the credential trust achieved only (`Cl.Cm`), `vtm`,
//   `sid`, `at_hash`, `nonce`; ID tokens are ES256 by default, RS256 per client.
// - "Prove your user's identity": a `claims` request for userinfo; the identity level (`P2`) is
//   carried only by the core identity JWT's `vot`; address, passport, driving permit and return
//   codes are separate claims a client must be registered for.
// - "Error messages": authorize errors (access_denied, temporarily_unavailable, server_error,
//   invalid_request "Request vtr not valid", unauthorized_client "client deactivated").
// - The GOV.UK One Login simulator (github.com/govuk-one-login/simulator) issues the same shapes.

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
 * const options: GovukOneLoginProfileOptions = { vectorsOfTrust: ['Cl.Cm.P2'], claims: ['coreIdentityJWT', 'address'] };
 * ```
 */
export interface GovukOneLoginProfileOptions {
  /** Sent as `vtr` (a JSON array). Default `['Cl.Cm']`. */
  readonly vectorsOfTrust?: readonly string[];
  /**
   * The core identity issuer and DID document of a GOV.UK environment.
   * Default: derived from the relying party's issuer
   * (`oidc.integration.account.gov.uk` -> integration, `oidc.account.gov.uk`
   * -> production). Any other issuer has no default, so a test issuer can
   * never check core identities against production's DID document: give
   * `coreIdentityIssuer` (or `coreIdentity`).
   */
  readonly environment?: 'integration' | 'production';
  /**
   * The `iss` of core identity JWTs; the `did:web` controller and DID
   * document URL are derived from it (see `coreIdentitySourceFor`). For the
   * dev provider: `devProvider.govuk.coreIdentityIssuer`.
   */
  readonly coreIdentityIssuer?: string;
  /** Everything about the core identity source, written out (overrides the two above). */
  readonly coreIdentity?: CoreIdentitySource;
  /**
   * Userinfo claims requested. Default: only what every client may ask,
   * `coreIdentityJWT` when an identity vector is requested, else none.
   * `address`, `passport`, `drivingPermit` and `returnCode` need the client's
   * registration for them: opt in.
   */
  readonly claims?: readonly GovukClaim[];
  /** ID token signature algorithms accepted: `ES256` (default) or `RS256`, as registered for the client. */
  readonly idTokenSigningAlgorithms?: readonly ('ES256' | 'RS256')[];
  /** Minimum time between two DID-document refetches for an unknown `kid` (default 30 s). */
  readonly keyRefetchCooldownSeconds?: number;
  /** Sent on every call (GOV.UK asks for one). Default `civicblocks-identity`. */
  readonly userAgent?: string;
}

const environments: Readonly<Record<'integration' | 'production', string>> = {
  integration: 'https://identity.integration.account.gov.uk/',
  production: 'https://identity.account.gov.uk/',
};

const oidcHosts: Readonly<Record<string, 'integration' | 'production'>> = {
  'oidc.integration.account.gov.uk': 'integration',
  'oidc.account.gov.uk': 'production',
};

function environmentOfIssuer(issuer: string): 'integration' | 'production' | undefined {
  try {
    const host = new URL(issuer).hostname;
    return Object.hasOwn(oidcHosts, host) ? oidcHosts[host] : undefined;
  } catch {
    return undefined;
  }
}

interface RequestedVector {
  readonly vector: string;
  readonly level: AssuranceLevel;
}

const refuseSource = (message: string): never => {
  throw new IdentityError('IDENTITY_CORE_IDENTITY_SOURCE_UNKNOWN', message);
};

/**
 * GOV.UK One Login: `vtr` as a JSON array; the ID token's `vot` (credential
 * trust only, `Cl` or `Cl.Cm`) checked against the credential trust
 * requested; the identity level taken only from the core identity JWT's
 * `vot`, which must meet the identity level requested (a missing core
 * identity is `IDENTITY_CORE_IDENTITY_MISSING`, a lower one
 * `IDENTITY_CORE_IDENTITY_VOT_MISMATCH`); a `claims` request for the core
 * identity JWT (other claims opt-in); `ui_locales` en or cy; a `User-Agent`
 * on every call. The core identity JWT is verified with ES256 against keys
 * taken only from the identity issuer's DID document, with `iss`, `aud`,
 * `exp`, `vot` and `sub` (equal to the ID token's) checked. Return codes are
 * surfaced as `providerData.returnCodes`.
 *
 * Identifiers: `subject` is the ID token's `sub`
 * (`urn:fdc:gov.uk:2022:...`, pairwise per service); names and birth date
 * come from the core identity credential.
 *
 * @example
 * ```ts
 * const relyingParty = createRelyingParty({
 *   issuer: 'https://oidc.integration.account.gov.uk/',
 *   clientId: 'my-service',
 *   clientPrivateKey: pemFromYourSecretStore,
 *   redirectUri: 'https://service.example.gov/auth/callback',
 *   cookieSecret: secrets.loginCookie,
 *   profile: govukOneLoginProfile({ vectorsOfTrust: ['Cl.Cm.P2'] }),
 * });
 * ```
 */
export function govukOneLoginProfile(options: GovukOneLoginProfileOptions = {}): ProviderProfile {
  const vectors = options.vectorsOfTrust ?? ['Cl.Cm'];
  if (vectors.length === 0) {
    throw new IdentityError('IDENTITY_CONFIGURATION_INVALID', 'vectorsOfTrust must not be empty');
  }
  const requested: RequestedVector[] = vectors.map((vector) => {
    const level = fromGovukVectorOfTrust(vector);
    if (level === undefined) {
      throw new IdentityError(
        'IDENTITY_CONFIGURATION_INVALID',
        `"${vector}" is not a GOV.UK vector of trust`,
      );
    }
    if (level.identity !== 'none' && level.authentication !== 'substantial') {
      // GOV.UK One Login answers invalid_request "Request vtr not valid"
      throw new IdentityError(
        'IDENTITY_CONFIGURATION_INVALID',
        `"${vector}": an identity vector needs two-factor credential trust (Cl.Cm), e.g. Cl.Cm.P2`,
      );
    }
    return { vector, level };
  });
  const wantsIdentity = requested.some((entry) => entry.level.identity !== 'none');
  const claims = options.claims ?? (wantsIdentity ? ['coreIdentityJWT'] : []);
  const idTokenSigningAlgorithms = options.idTokenSigningAlgorithms ?? ['ES256'];
  const sources = new Map<string, CoreIdentitySource | undefined>();

  // Where core identities come from for this issuer; never production's for a non-production issuer.
  const sourceFor = (issuer: string): CoreIdentitySource | undefined => {
    if (sources.has(issuer)) return sources.get(issuer);
    let source: CoreIdentitySource | undefined;
    const issuerEnvironment = environmentOfIssuer(issuer);
    if (options.coreIdentity !== undefined) {
      const url = new URL(options.coreIdentity.didDocumentUrl);
      if (!isSecureOrLoopback(url)) {
        throw new IdentityError(
          'IDENTITY_INSECURE_TRANSPORT',
          'the DID document URL must use https (plain http only on loopback)',
        );
      }
      source = options.coreIdentity;
    } else if (options.coreIdentityIssuer !== undefined) {
      source = coreIdentitySourceFor(options.coreIdentityIssuer);
    } else if (options.environment !== undefined) {
      if (issuerEnvironment !== options.environment) {
        refuseSource(
          `environment "${options.environment}" does not match the issuer ${issuer}; the core identity of a ${issuerEnvironment ?? 'non-GOV.UK'} issuer is not checked against ${options.environment} keys (give coreIdentityIssuer)`,
        );
      }
      source = coreIdentitySourceFor(environments[options.environment]);
    } else if (issuerEnvironment !== undefined) {
      source = coreIdentitySourceFor(environments[issuerEnvironment]);
    } else if (wantsIdentity) {
      refuseSource(
        `no core identity source for the issuer ${issuer}: it is neither GOV.UK integration nor production; give coreIdentityIssuer (for the dev provider: devProvider.govuk.coreIdentityIssuer)`,
      );
    }
    sources.set(issuer, source);
    return source;
  };

  let currentFetch: typeof fetch = fetch;
  const verifiers = new Map<string, ReturnType<typeof createCoreIdentityVerifier>>();
  const verifierFor = (issuer: string) => {
    const source = sourceFor(issuer);
    if (source === undefined) {
      return refuseSource(`no core identity source for the issuer ${issuer}`);
    }
    let verifier = verifiers.get(source.didDocumentUrl);
    if (verifier === undefined) {
      verifier = createCoreIdentityVerifier(
        source,
        () => currentFetch,
        options.keyRefetchCooldownSeconds === undefined
          ? {}
          : { keyRefetchCooldownSeconds: options.keyRefetchCooldownSeconds },
      );
      verifiers.set(source.didDocumentUrl, verifier);
    }
    return verifier;
  };

  return {
    name: 'govuk-one-login',
    scope: 'openid email phone',
    idTokenSigningAlgorithms,
    pushedAuthorization: 'never',
    dpop: false,
    requireIssuerParameter: false,
    fetchUserinfo: true,
    userAgent: options.userAgent ?? 'civicblocks-identity',
    checkConfiguration: (settings: ProfileSettings) => {
      sourceFor(settings.issuer);
    },
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
      // 1. Credential trust: the ID token's `vot` is `Cl` or `Cl.Cm` (an identity part there is
      //    ignored: the identity level is believed only from the signed core identity JWT).
      const vot = context.idTokenClaims.vot;
      const credential = typeof vot === 'string' ? fromGovukVectorOfTrust(vot) : undefined;
      const candidates =
        credential === undefined
          ? []
          : requested.filter((entry) =>
              meetsMinimumAssurance(
                { authentication: credential.authentication, identity: 'high' },
                { authentication: entry.level.authentication, identity: 'none' },
              ),
            );
      if (credential === undefined || candidates.length === 0) {
        throw new IdentityError(
          'IDENTITY_VECTOR_OF_TRUST_MISMATCH',
          'the ID token "vot" (credential trust) is lower than the vectors requested',
          {
            details: { requested: vectors, ...(typeof vot === 'string' ? { achieved: vot } : {}) },
          },
        );
      }
      const userinfo = context.userinfo ?? {};
      const returnCodes = Array.isArray(userinfo[`${vocabulary}returnCode`])
        ? (userinfo[`${vocabulary}returnCode`] as { code?: unknown }[])
            .map((entry) => entry?.code)
            .filter((code): code is string => typeof code === 'string' && /^\w{1,8}$/.test(code))
        : [];
      // 2. Identity: from the core identity JWT only, at least the lowest identity level requested.
      const identityOptional = candidates.some((entry) => entry.level.identity === 'none');
      const lowestIdentity = candidates
        .map((entry) => entry.level.identity)
        .filter((level) => level !== 'none')
        .reduce<IdentityLevel | undefined>(
          (lowest, level) =>
            lowest === undefined ||
            meetsMinimumAssurance(
              { authentication: 'low', identity: lowest },
              { authentication: 'low', identity: level },
            )
              ? level
              : lowest,
          undefined,
        );
      const token = userinfo[`${vocabulary}coreIdentityJWT`];
      const standard = standardIdentityClaims({
        ...mergedClaims(context),
        ...(typeof userinfo.phone === 'string' && userinfo.phone_number === undefined
          ? { phone_number: userinfo.phone, phone_number_verified: userinfo.phone_verified }
          : {}),
      });
      let name = standard.name;
      let birthDate = standard.birthDate;
      let identity: IdentityLevel = 'none';
      let coreIdentityVot: string | undefined;
      if (typeof token === 'string' && (lowestIdentity !== undefined || !identityOptional)) {
        const coreIdentity = await verifierFor(context.issuer).verify(token, {
          clientId: context.clientId,
          subject: String(context.idTokenClaims.sub),
          now: context.now,
          clockToleranceSeconds: context.clockToleranceSeconds,
          ...(identityOptional || lowestIdentity === undefined
            ? {}
            : { minimumIdentity: lowestIdentity }),
        });
        identity = coreIdentity.identityLevel;
        coreIdentityVot = coreIdentity.vectorOfTrust;
        const given = coreIdentity.givenNames.join(' ');
        const family = coreIdentity.familyNames.join(' ');
        name = { full: `${given} ${family}`.trim(), given, family };
        birthDate = coreIdentity.birthDate ?? birthDate;
      } else if (!identityOptional) {
        throw new IdentityError(
          'IDENTITY_CORE_IDENTITY_MISSING',
          'an identity vector was requested but no core identity JWT came (see details.returnCodes)',
          { details: { requested: vectors, returnCodes } },
        );
      }
      const addresses = userinfo[`${vocabulary}address`];
      let address: IdentityAddress | undefined = standard.address;
      if (Array.isArray(addresses) && typeof addresses[0] === 'object' && addresses[0] !== null) {
        const first = addresses[0] as Record<string, unknown>;
        const pick = (key: string): string | undefined =>
          typeof first[key] === 'string' && first[key] !== '' ? (first[key] as string) : undefined;
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
        assurance: { authentication: credential.authentication, identity },
        claims: {
          ...standard,
          ...(name === undefined ? {} : { name }),
          ...(birthDate === undefined ? {} : { birthDate }),
          ...(address === undefined ? {} : { address }),
        },
        providerData: {
          vot,
          ...(coreIdentityVot === undefined ? {} : { coreIdentityVot }),
          returnCodes,
        },
      };
    },
  };
}
