import type { AssuranceLevel } from '../assurance/level-of-assurance.js';
import type { IdentityAddress, IdentityClaims } from '../relying-party/verified-identity.js';

/**
 * What a profile sees when it turns a verified sign-in into an identity:
 * ID token claims (signature and protocol checks already done), userinfo
 * (subject already checked) and the relying party's settings.
 *
 * @example
 * ```ts
 * const complete = async (context: ProfileContext) => ({
 *   assurance: { authentication: 'low', identity: 'none' },
 *   claims: standardIdentityClaims(context.userinfo ?? context.idTokenClaims),
 * });
 * ```
 */
export interface ProfileContext {
  readonly issuer: string;
  readonly clientId: string;
  readonly idTokenClaims: Readonly<Record<string, unknown>>;
  readonly userinfo: Readonly<Record<string, unknown>> | undefined;
  readonly minimumAssurance: AssuranceLevel;
  readonly fetch: typeof fetch;
  /** Milliseconds since the epoch. */
  readonly now: number;
  readonly clockToleranceSeconds: number;
}

/**
 * What a profile is told at `createRelyingParty`, to refuse a configuration
 * it cannot work with (a missing key, an unknown core identity source)
 * before any citizen meets it.
 *
 * @example
 * ```ts
 * const settings: ProfileSettings = {
 *   issuer: 'https://oidc.integration.account.gov.uk/',
 *   clientId: 'my-service',
 *   clientAuthentication: 'private_key_jwt',
 *   clientAssertionAlgorithm: 'ES256',
 *   decryptionKeyCount: 0,
 *   minimumAssurance: { authentication: 'substantial', identity: 'medium' },
 * };
 * ```
 */
export interface ProfileSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientAuthentication: 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt';
  /** The `private_key_jwt` signature algorithm, when that is the method. */
  readonly clientAssertionAlgorithm?: string;
  readonly decryptionKeyCount: number;
  readonly minimumAssurance: AssuranceLevel;
}

/**
 * What a profile returns: the assurance achieved, the normalised claims and
 * any provider-specific, non-personal data (return codes, `vot`, `acr`).
 *
 * @example
 * ```ts
 * const result: ProfileResult = {
 *   assurance: { authentication: 'substantial', identity: 'none' },
 *   claims: { email: 'a@example.gov' },
 *   providerData: { acr: 'urn:acr.login.gov:auth-only' },
 * };
 * ```
 */
export interface ProfileResult {
  /**
   * The citizen's stable identifier, when the raw `sub` is not fit to be one
   * (Singpass's legacy `s=<NRIC>,u=<UUID>` becomes the UUID). Default: `sub`.
   */
  readonly subject?: string;
  readonly assurance: AssuranceLevel;
  readonly claims: IdentityClaims;
  readonly providerData?: Readonly<Record<string, unknown>>;
}

/**
 * A provider profile: the quirks of one identity provider, as data and two
 * small functions. Use a built-in one ({@link genericProfile},
 * `govukOneLoginProfile`, `loginGovProfile`, `singpassProfile`,
 * `esignetProfile`, `taraProfile`) or write your own.
 *
 * @example
 * ```ts
 * const profile: ProviderProfile = { ...genericProfile(), name: 'my-provider', scope: 'openid email' };
 * ```
 */
export interface ProviderProfile {
  readonly name: string;
  readonly scope: string;
  /** ID token signature algorithms accepted (the allow-list). */
  readonly idTokenSigningAlgorithms: readonly string[];
  /** Pushed authorization requests: always, when the provider advertises them, or never. */
  readonly pushedAuthorization: 'required' | 'when-supported' | 'never';
  /** Sender-constrain tokens with DPoP (RFC 9449). */
  readonly dpop: boolean;
  /** Require the RFC 9207 `iss` response parameter even when discovery does not advertise it. */
  readonly requireIssuerParameter: boolean;
  /** Refuse ID tokens that were not encrypted to the client (Singpass). */
  readonly requireEncryptedIdToken?: boolean;
  /** Call the userinfo endpoint after the token request. */
  readonly fetchUserinfo: boolean;
  /** `User-Agent` on every call to the provider. */
  readonly userAgent?: string;
  /** Shape of the `private_key_jwt` client assertion. */
  readonly clientAssertion?: {
    readonly audience: 'issuer' | 'token-endpoint';
    readonly type?: string;
  };
  /**
   * Client assertion algorithms the provider accepts (default: any the key
   * suits and discovery advertises).
   */
  readonly clientAssertionAlgorithms?: readonly string[];
  /**
   * Checks the relying party's settings at `createRelyingParty`; throws an
   * `IdentityError` with a configuration code to refuse them.
   */
  checkConfiguration?(settings: ProfileSettings): void;
  /** Extra authorization request parameters (`vtr`, `acr_values`, `claims`, `ui_locales`, `prompt`). */
  authorizationParameters(input: {
    readonly minimumAssurance: AssuranceLevel;
    readonly locale?: string;
  }): Readonly<Record<string, string>>;
  /** Provider-specific checks and normalisation; throws an `IdentityError` to refuse. */
  complete(context: ProfileContext): Promise<ProfileResult>;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value.normalize('NFC') : undefined;

/**
 * Normalises the standard OpenID Connect claims (`name`, `given_name`,
 * `family_name`, `birthdate`, `email`, `phone_number`, `address`) into
 * {@link IdentityClaims}, in Unicode NFC. Unknown or malformed claims are
 * left out.
 *
 * @example
 * ```ts
 * standardIdentityClaims({ given_name: 'An', family_name: 'Nguyễn', email: 'an@example.vn' });
 * ```
 */
export function standardIdentityClaims(source: Readonly<Record<string, unknown>>): IdentityClaims {
  const given = text(source.given_name);
  const family = text(source.family_name);
  const full =
    text(source.name) ??
    (given !== undefined && family !== undefined ? `${given} ${family}` : undefined);
  const rawAddress = source.address;
  let address: IdentityAddress | undefined;
  if (typeof rawAddress === 'object' && rawAddress !== null) {
    const record = rawAddress as Record<string, unknown>;
    const parts = {
      formatted: text(record.formatted),
      streetAddress: text(record.street_address),
      locality: text(record.locality),
      region: text(record.region),
      postalCode: text(record.postal_code),
      country: text(record.country),
    };
    address = Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== undefined));
  }
  const birthDate = text(source.birthdate);
  const email = text(source.email);
  const phoneNumber = text(source.phone_number);
  return {
    ...(full === undefined && given === undefined && family === undefined
      ? {}
      : {
          name: {
            ...(full === undefined ? {} : { full }),
            ...(given === undefined ? {} : { given }),
            ...(family === undefined ? {} : { family }),
          },
        }),
    ...(birthDate !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? { birthDate } : {}),
    ...(email === undefined ? {} : { email, emailVerified: source.email_verified === true }),
    ...(phoneNumber === undefined
      ? {}
      : { phoneNumber, phoneNumberVerified: source.phone_number_verified === true }),
    ...(address === undefined ? {} : { address }),
  };
}

/**
 * The userinfo claims when present, else the ID token claims, merged so
 * userinfo wins.
 *
 * @example
 * ```ts
 * const source = mergedClaims(context);
 * ```
 */
export function mergedClaims(context: ProfileContext): Readonly<Record<string, unknown>> {
  return { ...context.idTokenClaims, ...(context.userinfo ?? {}) };
}
