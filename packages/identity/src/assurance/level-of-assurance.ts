/**
 * How strongly the citizen authenticated in this sign-in.
 *
 * @example
 * ```ts
 * const level: AuthenticationLevel = 'substantial';
 * ```
 */
export type AuthenticationLevel = 'low' | 'substantial' | 'high';

/**
 * How strongly the provider has proven the citizen's identity (identity
 * proofing), or `none` when the account is not tied to a proven identity.
 *
 * @example
 * ```ts
 * const level: IdentityLevel = 'medium';
 * ```
 */
export type IdentityLevel = 'none' | 'low' | 'medium' | 'high';

/**
 * The normalised level of assurance of a sign-in: an authentication level
 * and an identity level, whatever scheme the provider speaks.
 *
 * @example
 * ```ts
 * const minimum: AssuranceLevel = { authentication: 'substantial', identity: 'medium' };
 * ```
 */
export interface AssuranceLevel {
  readonly authentication: AuthenticationLevel;
  readonly identity: IdentityLevel;
}

const authenticationRank: Readonly<Record<AuthenticationLevel, number>> = {
  low: 1,
  substantial: 2,
  high: 3,
};
const identityRank: Readonly<Record<IdentityLevel, number>> = {
  none: 0,
  low: 1,
  medium: 2,
  high: 3,
};

/**
 * True when `achieved` is at least `minimum` on both axes.
 *
 * @example
 * ```ts
 * meetsMinimumAssurance(
 *   { authentication: 'high', identity: 'low' },
 *   { authentication: 'substantial', identity: 'medium' },
 * ); // false: identity too low
 * ```
 */
export function meetsMinimumAssurance(achieved: AssuranceLevel, minimum: AssuranceLevel): boolean {
  return (
    authenticationRank[achieved.authentication] >= authenticationRank[minimum.authentication] &&
    identityRank[achieved.identity] >= identityRank[minimum.identity]
  );
}

/**
 * Maps an eIDAS level of assurance URI (`http://eidas.europa.eu/LoA/low`,
 * `.../substantial`, `.../high`) to the normalised model. eIDAS levels cover
 * both identity proofing and authentication.
 *
 * @example
 * ```ts
 * fromEidasLevel('http://eidas.europa.eu/LoA/high'); // { authentication: 'high', identity: 'high' }
 * ```
 */
export function fromEidasLevel(value: string): AssuranceLevel | undefined {
  const prefix = 'http://eidas.europa.eu/LoA/';
  if (!value.startsWith(prefix)) return undefined;
  return fromEidasName(value.slice(prefix.length));
}

function fromEidasName(name: string): AssuranceLevel | undefined {
  switch (name) {
    case 'low':
      return { authentication: 'low', identity: 'low' };
    case 'substantial':
      return { authentication: 'substantial', identity: 'medium' };
    case 'high':
      return { authentication: 'high', identity: 'high' };
    default:
      return undefined;
  }
}

/**
 * Maps a GOV.UK One Login vector of trust (`Cl`, `Cl.Cm`, `P2.Cl.Cm`,
 * `Cl.Cm.P2`; the order of components does not matter) to the normalised
 * model. `Cl` is low, `Cl.Cm` substantial; `P0`..`P3` map to none, low,
 * medium, high (GPG 45 profiles). Without a `P` component the identity is none.
 *
 * @example
 * ```ts
 * fromGovukVectorOfTrust('P2.Cl.Cm'); // { authentication: 'substantial', identity: 'medium' }
 * ```
 */
export function fromGovukVectorOfTrust(value: string): AssuranceLevel | undefined {
  const components = value.split('.');
  const credential = components.filter((component) => component.startsWith('C')).sort();
  const proofing = components.filter((component) => component.startsWith('P'));
  if (credential.length + proofing.length !== components.length || proofing.length > 1) {
    return undefined;
  }
  let authentication: AuthenticationLevel;
  const joined = credential.join('.');
  if (joined === 'Cl') authentication = 'low';
  else if (joined === 'Cl.Cm') authentication = 'substantial';
  else return undefined;
  const identity = govukIdentity[proofing[0] ?? 'P0'];
  if (identity === undefined) return undefined;
  return { authentication, identity };
}

const govukIdentity: Readonly<Record<string, IdentityLevel>> = {
  P0: 'none',
  P1: 'low',
  P2: 'medium',
  P3: 'high',
};

/**
 * Maps the `vot` of a GOV.UK One Login core identity JWT (`P0`..`P3`, the
 * identity part of a vector of trust alone) to an identity level. GOV.UK One
 * Login puts the identity level only there: the ID token's `vot` holds the
 * credential trust (`Cl.Cm`) even for a `Cl.Cm.P2` request (GOV.UK One Login
 * technical documentation, "Prove your user's identity" and "Authenticate
 * your user"; its simulator issues the same shapes).
 *
 * @example
 * ```ts
 * fromGovukIdentityVector('P2'); // 'medium'
 * ```
 */
export function fromGovukIdentityVector(value: string): IdentityLevel | undefined {
  return Object.hasOwn(govukIdentity, value) ? govukIdentity[value] : undefined;
}

/**
 * Maps a Login.gov `acr` value to the normalised model. Every Login.gov
 * sign-in uses multi-factor authentication (AAL2, substantial; AAL3 or
 * phishing-resistant AAL2 with `aal/3` is high). `auth-only` and `ial/1` give
 * no proven identity; `verified` and `ial/2` are medium (IAL2);
 * `verified-facial-match-required` is high (Login.gov developer documentation,
 * "OpenID Connect: service levels" and "ACR values"). An unknown value is
 * `undefined`: the profile then takes the lowest level (low / none).
 *
 * @example
 * ```ts
 * fromLoginGovAcr('urn:acr.login.gov:verified'); // { authentication: 'substantial', identity: 'medium' }
 * ```
 */
export function fromLoginGovAcr(value: string): AssuranceLevel | undefined {
  switch (value) {
    case 'urn:acr.login.gov:auth-only':
    case 'http://idmanagement.gov/ns/assurance/ial/1':
      return { authentication: 'substantial', identity: 'none' };
    case 'urn:acr.login.gov:verified':
    case 'urn:acr.login.gov:verified-facial-match-preferred':
    case 'http://idmanagement.gov/ns/assurance/ial/2':
      return { authentication: 'substantial', identity: 'medium' };
    case 'urn:acr.login.gov:verified-facial-match-required':
      return { authentication: 'substantial', identity: 'high' };
    case 'http://idmanagement.gov/ns/assurance/aal/2':
    case 'http://idmanagement.gov/ns/assurance/aal/2?phishing_resistant=true':
    case 'http://idmanagement.gov/ns/assurance/aal/2?hspd12=true':
      return { authentication: 'substantial', identity: 'none' };
    case 'http://idmanagement.gov/ns/assurance/aal/3':
      return { authentication: 'high', identity: 'none' };
    default:
      return undefined;
  }
}

/**
 * Maps an Estonia TARA `acr` value (`low`, `substantial`, `high`, the eIDAS
 * levels by name; RIA's TARA technical specification) to the normalised
 * model. An absent or unknown `acr` leaves the profile at low / none.
 *
 * @example
 * ```ts
 * fromTaraAcr('high'); // { authentication: 'high', identity: 'high' }
 * ```
 */
export function fromTaraAcr(value: string): AssuranceLevel | undefined {
  return fromEidasName(value);
}

/**
 * Maps a MOSIP eSignet `acr` value to the normalised model. The identity is
 * medium for every method (a foundational ID registered in person);
 * authentication is low for static codes, passwords and knowledge-based
 * checks, substantial for one-time codes and high for biometrics and a
 * linked wallet (MOSIP eSignet documentation, the `mosip:idp:acr:*`
 * authentication context classes). An unknown `acr` leaves the profile at
 * low / none.
 *
 * @example
 * ```ts
 * fromEsignetAcr('mosip:idp:acr:generated-code'); // { authentication: 'substantial', identity: 'medium' }
 * ```
 */
export function fromEsignetAcr(value: string): AssuranceLevel | undefined {
  const authentication = esignetAuthentication[value];
  return authentication === undefined ? undefined : { authentication, identity: 'medium' };
}

const esignetAuthentication: Readonly<Record<string, AuthenticationLevel>> = {
  'mosip:idp:acr:static-code': 'low',
  'mosip:idp:acr:password': 'low',
  'mosip:idp:acr:knowledge': 'low',
  'mosip:idp:acr:generated-code': 'substantial',
  'mosip:idp:acr:biometrics': 'high',
  'mosip:idp:acr:linked-wallet': 'high',
};

/**
 * Maps a Singpass `acr` value (`urn:singpass:authentication:loa:1..3`) to
 * the normalised model (the earlier Singpass Authentication API's levels). A
 * Singpass account is tied to a verified NRIC or FIN, so the identity is
 * high. The FAPI 2.0 ID token has no `acr`: `singpassProfile` then decides
 * from `amr` (see its documentation).
 *
 * @example
 * ```ts
 * fromSingpassAcr('urn:singpass:authentication:loa:2'); // { authentication: 'substantial', identity: 'high' }
 * ```
 */
export function fromSingpassAcr(value: string): AssuranceLevel | undefined {
  const authentication = singpassAuthentication[value];
  return authentication === undefined ? undefined : { authentication, identity: 'high' };
}

const singpassAuthentication: Readonly<Record<string, AuthenticationLevel>> = {
  'urn:singpass:authentication:loa:1': 'low',
  'urn:singpass:authentication:loa:2': 'substantial',
  'urn:singpass:authentication:loa:3': 'high',
};

/**
 * The eIDAS level name (`low`, `substantial`, `high`) a service needs for a
 * normalised minimum: the lowest level whose both axes meet it.
 *
 * @example
 * ```ts
 * eidasNameFor({ authentication: 'substantial', identity: 'none' }); // 'substantial'
 * ```
 */
export function eidasNameFor(minimum: AssuranceLevel): 'low' | 'substantial' | 'high' {
  for (const name of ['low', 'substantial', 'high'] as const) {
    const level = fromTaraAcr(name);
    if (level !== undefined && meetsMinimumAssurance(level, minimum)) return name;
  }
  return 'high';
}
