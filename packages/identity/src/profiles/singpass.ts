import { type AssuranceLevel, fromSingpassAcr } from '../assurance/level-of-assurance.js';
import { IdentityError } from '../errors/identity-error.js';
import {
  mergedClaims,
  type ProfileSettings,
  type ProviderProfile,
  standardIdentityClaims,
} from './provider-profile.js';

// Sources: Singpass developer documentation, "FAPI 2.0 Authentication API", integration guide
// "4. Parsing the ID token" (docs.developer.singpass.gov.sg): the ID token is a JWS (ES256)
// nested in a JWE encrypted to the client's key (ECDH-ES+A256KW; the published examples use
// A256CBC-HS512); `sub` is a UUID, and with the `sub_account` scope a `sub_account` object
// (always with `account_type`) carries the person's identifiers; `amr` lists the methods
// (["pwd","sms"], ["face"], ["fv"], ...); there is no `acr`. The earlier Singpass
// Authentication API's `sub` is `s=<NRIC/FIN>,u=<UUID>`, and its `acr` is
// `urn:singpass:authentication:loa:1..3`.

/**
 * Options of {@link singpassProfile}.
 *
 * @example
 * ```ts
 * const options: SingpassProfileOptions = { scope: 'openid sub_account', pushedAuthorization: 'required' };
 * ```
 */
export interface SingpassProfileOptions {
  /** Default `openid`. Add `sub_account` to receive the NRIC/FIN (where the client is granted it). */
  readonly scope?: string;
  /** Default true. */
  readonly fetchUserinfo?: boolean;
  /**
   * Pushed authorization requests: `required` (default, as Singpass FAPI 2.0)
   * or `never` for an environment without a PAR endpoint (a mock, the
   * earlier Authentication API).
   */
  readonly pushedAuthorization?: 'required' | 'when-supported' | 'never';
  /** DPoP-bound tokens (default true, as Singpass FAPI 2.0). */
  readonly dpop?: boolean;
  /** Refuse a plain ID token (default true: Singpass always encrypts it). */
  readonly requireEncryptedIdToken?: boolean;
  /** Require the RFC 9207 `iss` callback parameter (default true). */
  readonly requireIssuerParameter?: boolean;
}

const legacySubject = /^s=([^,]+),u=([0-9a-fA-F-]{8,})$/;

const identifierOf = (record: unknown): string | undefined => {
  if (typeof record !== 'object' || record === null) return undefined;
  const fields = record as Record<string, unknown>;
  for (const key of ['uinfin', 'identity_number', 'uin', 'nric']) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
};

/**
 * The Singpass assurance: `acr` (`urn:singpass:authentication:loa:1..3`)
 * when present; without it (the FAPI 2.0 ID token has none) from `amr`: a
 * password alone (`["pwd"]`) or single sign-on (`["sso"]`) is low, any
 * second factor or the Singpass app (`sms`, `otp*`, `swk`, `face`, `fv*`) is
 * substantial. The identity is high: every Singpass account is tied to a
 * verified NRIC or FIN.
 */
function singpassAssurance(acr: unknown, amr: readonly string[]): AssuranceLevel {
  const fromAcr = typeof acr === 'string' ? fromSingpassAcr(acr) : undefined;
  if (fromAcr !== undefined) return fromAcr;
  const strong = amr.some((method) => !['pwd', 'sso'].includes(method));
  return { authentication: strong ? 'substantial' : 'low', identity: 'high' };
}

/**
 * Singpass (FAPI 2.0): pushed authorization requests, PKCE and DPoP, an
 * ES256 client assertion with `typ: JWT`, the RFC 9207 `iss` parameter
 * required, and the ID token a JWS nested in a JWE (`ECDH-ES+A256KW`,
 * `A256CBC-HS512`): give the relying party `decryptionKeys` (see
 * `generateClientKeys`); without them `createRelyingParty` fails with
 * `IDENTITY_DECRYPTION_KEY_MISSING`. A plain ID token is refused.
 *
 * Identifiers: `subject` is the Singpass UUID (the `u=` part of an earlier
 * `s=<NRIC>,u=<UUID>` subject, which is never used whole since it holds the
 * NRIC); `claims.nationalIdentifier` is the NRIC/FIN where granted (the `s=`
 * part, or `sub_account`); `providerData.accountType` is
 * `sub_account.account_type`. Assurance: see the `acr`/`amr` mapping above.
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
 *   profile: singpassProfile({ scope: 'openid sub_account' }),
 * });
 * ```
 */
export function singpassProfile(options: SingpassProfileOptions = {}): ProviderProfile {
  const requireEncryptedIdToken = options.requireEncryptedIdToken ?? true;
  return {
    name: 'singpass',
    scope: options.scope ?? 'openid',
    idTokenSigningAlgorithms: ['ES256'],
    pushedAuthorization: options.pushedAuthorization ?? 'required',
    dpop: options.dpop ?? true,
    requireIssuerParameter: options.requireIssuerParameter ?? true,
    requireEncryptedIdToken,
    fetchUserinfo: options.fetchUserinfo ?? true,
    clientAssertion: { audience: 'issuer', type: 'JWT' },
    clientAssertionAlgorithms: ['ES256'],
    checkConfiguration: (settings: ProfileSettings) => {
      if (settings.clientAuthentication !== 'private_key_jwt') {
        throw new IdentityError(
          'IDENTITY_CLIENT_KEY_INVALID',
          'Singpass authenticates clients with private_key_jwt: give clientPrivateKey (an EC P-256 key)',
        );
      }
      if (requireEncryptedIdToken && settings.decryptionKeyCount === 0) {
        throw new IdentityError(
          'IDENTITY_DECRYPTION_KEY_MISSING',
          'Singpass encrypts the ID token to the client: give decryptionKeys (see generateClientKeys({ encryptionAlgorithm: "ECDH-ES+A256KW" }))',
        );
      }
    },
    authorizationParameters: () => ({}),
    complete: async (context) => {
      const claims = context.idTokenClaims;
      const acr = claims.acr;
      const amr = Array.isArray(claims.amr)
        ? claims.amr.filter((method): method is string => typeof method === 'string')
        : [];
      const rawSubject = String(claims.sub);
      const legacy = legacySubject.exec(rawSubject);
      const account =
        typeof claims.sub_account === 'object' && claims.sub_account !== null
          ? (claims.sub_account as Record<string, unknown>)
          : typeof claims.sub_attributes === 'object' && claims.sub_attributes !== null
            ? (claims.sub_attributes as Record<string, unknown>)
            : undefined;
      const nationalIdentifier = legacy?.[1] ?? identifierOf(account);
      const accountType = account?.account_type;
      return {
        ...(legacy?.[2] === undefined ? {} : { subject: legacy[2] }),
        assurance: singpassAssurance(acr, amr),
        claims: {
          ...standardIdentityClaims(mergedClaims(context)),
          ...(nationalIdentifier === undefined ? {} : { nationalIdentifier }),
        },
        providerData: {
          ...(typeof acr === 'string' ? { acr } : {}),
          ...(amr.length === 0 ? {} : { amr }),
          ...(typeof accountType === 'string' ? { accountType } : {}),
        },
      };
    },
  };
}
