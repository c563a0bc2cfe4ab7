import { createHash } from 'node:crypto';
import type { DevProviderProfile } from './dev-provider-options.js';
import type { DevPersona } from './personas.js';

// What the dev provider puts in ID tokens and userinfo, persona by persona, in
// the shape of the provider it imitates.
//
// GOV.UK One Login (technical documentation, "Authenticate your user" and
// "Prove your user's identity"; the GOV.UK One Login simulator issues the same):
// - `sub` is `urn:fdc:gov.uk:2022:<43 base64url characters>=`, pairwise per service;
// - the ID token holds `sub`, `vot` (the credential trust only: `Cl` or `Cl.Cm`), `vtm`
//   (`<issuer>/trustmark`), `nonce`, `iss`, `aud`, `iat`, `exp`; no name. The real one also
//   holds `sid` and `at_hash`: oidc-provider issues `sid` only to clients registered for
//   back-channel logout and no `at_hash` from the token endpoint (the profile's tests of the
//   recorded shapes in test/fixtures/govuk-one-login.ts carry both);
// - userinfo holds `sub`, `email`, `email_verified`, `phone_number`, `phone_number_verified`
//   and, only when asked for in the `claims` request, `https://vocab.account.gov.uk/v1/...`
//   claims: `coreIdentityJWT`, `address` (PostalAddress list with `validFrom`), `passport`
//   (`documentNumber`, `icaoIssuerCode`, `expiryDate`) and `returnCode` (`[{ code }]`).
// Singpass (FAPI 2.0 "Parsing the ID token"): `sub` is a UUID; `sub_account` (always with
// `account_type`) when the `sub_account` scope is granted; `amr`, no `acr`.

/** The names of the claims a `claims` authorization parameter asks for. */
export function claimNamesOf(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) return [];
    const names = new Set<string>();
    for (const section of [
      (parsed as Record<string, unknown>).userinfo,
      (parsed as Record<string, unknown>).id_token,
    ]) {
      if (typeof section === 'object' && section !== null)
        for (const name of Object.keys(section)) names.add(name);
    }
    return [...names];
  } catch {
    return [];
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** The `sub` of a persona in the shape of the imitated provider. */
export function subjectOf(profile: DevProviderProfile, personaId: string): string {
  switch (profile) {
    case 'govuk-one-login':
      return `urn:fdc:gov.uk:2022:${digest(`govuk:${personaId}`).toString('base64url')}=`;
    case 'singpass': {
      const hex = digest(`singpass:${personaId}`).toString('hex');
      // a version-4-shaped UUID, stable per persona
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    }
    default:
      return personaId;
  }
}

const vocabulary = 'https://vocab.account.gov.uk/v1/';

/**
 * The claims of a persona (before oidc-provider filters them by scope and
 * `claims` request). `vectorOfTrust` is the credential trust achieved
 * (GOV.UK One Login only).
 */
export function claimsOf(
  profile: DevProviderProfile,
  persona: DevPersona,
  login: {
    readonly credentialTrust?: string;
    readonly identityProven: boolean;
    readonly issuer: string;
  },
): Record<string, unknown> {
  if (profile === 'govuk-one-login') return govukClaimsOf(persona, login);
  const address =
    persona.address === undefined
      ? undefined
      : {
          formatted: persona.address.formatted,
          ...(persona.address.streetAddress === undefined
            ? {}
            : { street_address: persona.address.streetAddress }),
          ...(persona.address.locality === undefined ? {} : { locality: persona.address.locality }),
          ...(persona.address.region === undefined ? {} : { region: persona.address.region }),
          ...(persona.address.postalCode === undefined
            ? {}
            : { postal_code: persona.address.postalCode }),
          country: persona.address.country,
        };
  const claims: Record<string, unknown> = {
    sub: subjectOf(profile, persona.id),
    name: persona.name,
    given_name: persona.givenName,
    family_name: persona.familyName,
    locale: persona.locale,
    ...(persona.birthDate === undefined ? {} : { birthdate: persona.birthDate }),
    ...(persona.email === undefined ? {} : { email: persona.email, email_verified: true }),
    ...(persona.phoneNumber === undefined
      ? {}
      : { phone_number: persona.phoneNumber, phone_number_verified: true }),
    ...(address === undefined ? {} : { address }),
  };
  switch (profile) {
    case 'login-gov':
      if (persona.phoneNumber !== undefined) {
        claims.phone = persona.phoneNumber;
        claims.phone_verified = true;
      }
      if (persona.email !== undefined) claims.all_emails = [persona.email];
      if (persona.nationalIdentifier !== undefined && persona.assurance.identity !== 'none') {
        claims.social_security_number = persona.nationalIdentifier;
      }
      break;
    case 'esignet':
      if (persona.nationalIdentifier !== undefined)
        claims.individual_id = persona.nationalIdentifier;
      break;
    case 'tara':
      claims.profile_attributes = {
        given_name: persona.givenName,
        family_name: persona.familyName,
        ...(persona.birthDate === undefined ? {} : { date_of_birth: persona.birthDate }),
      };
      break;
    case 'singpass':
      // FAPI 2.0: the person's identifiers in `sub_account` (scope `sub_account`), no `acr`
      claims.sub_account = {
        account_type: 'standard',
        ...(persona.nationalIdentifier === undefined ? {} : { uinfin: persona.nationalIdentifier }),
      };
      break;
    case 'generic':
      break;
  }
  return claims;
}

function govukClaimsOf(
  persona: DevPersona,
  login: {
    readonly credentialTrust?: string;
    readonly identityProven: boolean;
    readonly issuer: string;
  },
): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    sub: subjectOf('govuk-one-login', persona.id),
    vot: login.credentialTrust ?? 'Cl.Cm',
    vtm: `${login.issuer}/trustmark`,
    ...(persona.email === undefined ? {} : { email: persona.email, email_verified: true }),
    ...(persona.phoneNumber === undefined
      ? {}
      : { phone_number: persona.phoneNumber, phone_number_verified: true }),
  };
  if (login.identityProven && persona.address !== undefined) {
    claims[`${vocabulary}address`] = [
      {
        ...(persona.address.streetAddress === undefined
          ? {}
          : { streetName: persona.address.streetAddress }),
        ...(persona.address.locality === undefined
          ? {}
          : { addressLocality: persona.address.locality }),
        ...(persona.address.postalCode === undefined
          ? {}
          : { postalCode: persona.address.postalCode }),
        addressCountry: persona.address.country,
        validFrom: '2000-01-01',
      },
    ];
  }
  if (login.identityProven && persona.nationalIdentifier !== undefined) {
    claims[`${vocabulary}passport`] = [
      {
        documentNumber: persona.nationalIdentifier,
        icaoIssuerCode: persona.address?.country === 'GB' ? 'GBR' : 'VNM',
        expiryDate: '2035-01-01',
      },
    ];
  }
  // a return code tells the service why no identity came (here: "X", the persona cannot prove it)
  claims[`${vocabulary}returnCode`] = login.identityProven ? [] : [{ code: 'X' }];
  return claims;
}
