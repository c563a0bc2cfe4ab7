import type { JWK } from 'jose';
import type { AssuranceLevel } from '../assurance/level-of-assurance.js';

/**
 * A postal address, normalised from the provider's format.
 *
 * @example
 * ```ts
 * const address: IdentityAddress = { formatted: '12 Phố Hàng Bạc, Hà Nội', country: 'VN' };
 * ```
 */
export interface IdentityAddress {
  readonly formatted?: string;
  readonly streetAddress?: string;
  readonly locality?: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly country?: string;
}

/**
 * The claims a service usually needs, normalised across providers (Unicode
 * NFC). Each is present only when the provider gave it.
 *
 * @example
 * ```ts
 * const claims: IdentityClaims = { name: { full: 'Nguyễn Văn An' }, birthDate: '1985-04-12' };
 * ```
 */
export interface IdentityClaims {
  readonly name?: { readonly full?: string; readonly given?: string; readonly family?: string };
  /** ISO 8601 date (YYYY-MM-DD). */
  readonly birthDate?: string;
  readonly email?: string;
  readonly emailVerified?: boolean;
  readonly phoneNumber?: string;
  readonly phoneNumberVerified?: boolean;
  readonly address?: IdentityAddress;
  /** A national identifier, where the provider gives one. */
  readonly nationalIdentifier?: string;
}

/**
 * A signed-in citizen: every check passed. Holds no raw token unless the
 * relying party was told to keep them (`keepTokens`).
 *
 * @example
 * ```ts
 * function greet(identity: VerifiedIdentity): string {
 *   return `Xin chào ${identity.claims.name?.full ?? ''}`;
 * }
 * ```
 */
export interface VerifiedIdentity {
  /** The provider's stable identifier of the citizen (`sub`). */
  readonly subject: string;
  /** The profile name, e.g. `govuk-one-login`. */
  readonly provider: string;
  readonly issuer: string;
  readonly assurance: AssuranceLevel;
  readonly authenticatedAt?: Date;
  readonly claims: IdentityClaims;
  /** Provider-specific, non-personal data: `acr`, `amr`, `vot`, return codes. */
  readonly providerData: Readonly<Record<string, unknown>>;
  /** Only with `keepTokens: true`: for logout (`idToken`) and API calls. */
  readonly tokens?: {
    readonly idToken: string;
    readonly accessToken: string;
    readonly refreshToken?: string;
    /**
     * The private DPoP key the tokens are bound to (DPoP profiles such as
     * Singpass): pass it to `refresh()`. As secret as the tokens themselves.
     */
    readonly dpopKey?: JWK;
  };
}
