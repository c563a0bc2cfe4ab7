import type { Clock } from '@civicblocks/core';
import type { JWK } from 'jose';
import type { AssuranceLevel } from '../assurance/level-of-assurance.js';
import type { IdentityError } from '../errors/identity-error.js';
import type { ProviderProfile } from '../profiles/provider-profile.js';
import type { ReplayStore } from './replay-store.js';
import type { VerifiedIdentity } from './verified-identity.js';

/**
 * A private key the relying party decrypts responses with (encrypted ID
 * tokens, encrypted userinfo).
 *
 * @example
 * ```ts
 * const decryptionKey: DecryptionKey = { key: privateKey, algorithm: 'ECDH-ES+A256KW', keyId: 'enc-1' };
 * ```
 */
export interface DecryptionKey {
  /** A `CryptoKey`, or a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  readonly key: CryptoKey | string;
  /** JWE key management algorithm, e.g. `ECDH-ES+A256KW` or `RSA-OAEP-256`. */
  readonly algorithm: string;
  readonly keyId?: string;
}

/**
 * Options of `createRelyingParty`.
 *
 * @example
 * ```ts
 * const options: RelyingPartyOptions = {
 *   issuer: 'https://id.example.gov',
 *   clientId: 'my-service',
 *   clientSecret: 'from-your-secret-store',
 *   redirectUri: 'https://service.example.gov/auth/callback',
 *   cookieSecret: 'at-least-32-random-bytes-as-base64url-xxxxxxxx',
 * };
 * ```
 */
export interface RelyingPartyOptions {
  /** The provider's issuer identifier, exactly as in its discovery document. */
  readonly issuer: string;
  readonly clientId: string;
  /** For `client_secret_post` (default when given) or `client_secret_basic`. */
  readonly clientSecret?: string;
  /**
   * For `private_key_jwt` (default when given): an RSA or EC private key, as
   * a `CryptoKey` or a PKCS#8 PEM string (`-----BEGIN PRIVATE KEY-----`, the
   * form providers hand out). Checked at `createRelyingParty`.
   */
  readonly clientPrivateKey?: CryptoKey | string;
  readonly clientPrivateKeyId?: string;
  /**
   * The client assertion's signature algorithm. Default: from the key (EC
   * P-256: `ES256`; RSA: `RS256`; RSA-PSS: `PS256`). It must suit the key and
   * be one the provider advertises (`token_endpoint_auth_signing_alg_values_supported`).
   */
  readonly clientAssertionAlgorithm?: 'ES256' | 'RS256' | 'PS256';
  readonly clientAuthentication?: 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt';
  /** The callback URL registered with the provider. Its origin is the service's origin for return-to paths. */
  readonly redirectUri: string;
  readonly postLogoutRedirectUri?: string;
  /** At least 32 random bytes (base64url string or bytes) to seal the login cookie with. */
  readonly cookieSecret: string | Uint8Array;
  /** Default: {@link genericProfile}. */
  readonly profile?: ProviderProfile;
  /** The lowest assurance this service accepts (default: low authentication, no identity). */
  readonly minimumAssurance?: AssuranceLevel;
  /** Allowed clock difference with the provider, 0..30 seconds (default 30). */
  readonly clockToleranceSeconds?: number;
  /** Lifetime of a login transaction (default 600 s). */
  readonly loginLifetimeSeconds?: number;
  /** Where used login transactions are remembered (default: in memory, this process only). */
  readonly replayStore?: ReplayStore;
  /** A `fetch` for every call to the provider (default: `@civicblocks/core`'s HTTP client `fetch`, on undici). */
  readonly fetch?: typeof fetch;
  /** Timeout of each call to the provider (default 10 000 ms). */
  readonly timeoutMilliseconds?: number;
  /** Keys to decrypt encrypted ID tokens and userinfo with. */
  readonly decryptionKeys?: readonly DecryptionKey[];
  /** The time source for every expiry and freshness check (default core's `systemClock`). */
  readonly clock?: Clock;
  /** Put the raw tokens on the verified identity (default false: not kept). */
  readonly keepTokens?: boolean;
  /** Minimum time between two JWKS refetches for an unknown `kid` (default 30 s). */
  readonly jwksCooldownSeconds?: number;
  /** Cookie name (default `__Host-civicblocks-login` on https, `civicblocks-login` on http). */
  readonly cookieName?: string;
  /**
   * No longer needed and without effect: a provider on plain `http:` is
   * accepted only when the issuer (and every endpoint it publishes) is on a
   * loopback address (the dev provider), and refused on any other host,
   * whatever this option says.
   *
   * @deprecated plain http is allowed for loopback issuers only, automatically.
   */
  readonly unsafeAllowHttp?: boolean;
  /**
   * Told of every sign-in failure the handlers turn into a page (after the
   * page is built). Default: configuration mistakes (see
   * `isConfigurationError`) are written to stderr as one line with the code
   * and the developer message, loudly, since only the team can fix them;
   * other refusals are not logged. Never given personal data.
   */
  readonly onError?: (error: IdentityError, request: Request) => void;
}

/**
 * Options of the relying party's `startLogin`.
 *
 * @example
 * ```ts
 * const options: StartLoginOptions = { returnTo: '/apply/step-2', locale: 'vi' };
 * ```
 */
export interface StartLoginOptions {
  /** A same-origin path to return to after sign-in (default `/`). */
  readonly returnTo?: string;
  /** The citizen's language, sent as `ui_locales` where the profile supports it. */
  readonly locale?: string;
  /** Sent as `login_hint` (`handleLogin` takes it from the `login_hint` query parameter). */
  readonly loginHint?: string;
  /** Sent as `prompt` (for example `consent` with the `offline_access` scope), unless the profile sets one. */
  readonly prompt?: string;
}

/**
 * Options of the relying party's `refresh`.
 *
 * @example
 * ```ts
 * await relyingParty.refresh(stored.refreshToken, { dpopKey: stored.dpopKey });
 * ```
 */
export interface RefreshOptions {
  /** The private DPoP key of the sign-in (`identity.tokens.dpopKey`). */
  readonly dpopKey?: JWK;
}

/**
 * Tokens from a refresh (RFC 6749 section 6), the ID token (when one came)
 * already verified like the first.
 *
 * @example
 * ```ts
 * const { accessToken, refreshToken } = await relyingParty.refresh(stored.refreshToken);
 * ```
 */
export interface RefreshResult {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresInSeconds?: number;
  readonly idTokenClaims?: Readonly<Record<string, unknown>>;
}

/**
 * A verified back-channel logout request: end the sessions of this subject
 * or of this provider session.
 *
 * @example
 * ```ts
 * const logout: BackchannelLogout = { subject: 'citizen-1' };
 * ```
 */
export interface BackchannelLogout {
  readonly subject?: string;
  readonly sessionId?: string;
}

/**
 * The redirect to the provider and the cookie to set with it.
 *
 * @example
 * ```ts
 * const { authorizationUrl, setCookie } = await relyingParty.startLogin();
 * ```
 */
export interface LoginStart {
  readonly authorizationUrl: URL;
  /** A `Set-Cookie` header value carrying the sealed login transaction. */
  readonly setCookie: string;
}

/**
 * A finished sign-in.
 *
 * @example
 * ```ts
 * const { identity, returnTo, setCookie } = await relyingParty.finishLogin({ url, cookie });
 * ```
 */
export interface LoginResult {
  readonly identity: VerifiedIdentity;
  /** The same-origin path the citizen asked to return to. */
  readonly returnTo: string;
  /** A `Set-Cookie` header value clearing the login cookie. */
  readonly setCookie: string;
}

/**
 * Options of the relying party's `handleCallback`.
 *
 * @example
 * ```ts
 * const options: CallbackHandlerOptions = {
 *   onSignedIn: async (identity, { returnTo }) => {
 *     const session = await sessions.create(identity);
 *     return new Response(null, { status: 303, headers: { location: returnTo, 'set-cookie': session.cookie } });
 *   },
 * };
 * ```
 */
export interface CallbackHandlerOptions {
  /** Builds the response for a signed-in citizen (default: 303 to the return-to path). */
  readonly onSignedIn?: (
    identity: VerifiedIdentity,
    context: { readonly returnTo: string; readonly request: Request },
  ) => Response | Promise<Response>;
  /** Builds the response for a refused sign-in (default: a short page in the citizen's language). */
  readonly onError?: (error: IdentityError, request: Request) => Response | Promise<Response>;
}

/**
 * Options of the relying party's `handleLogin` and `handleLogout` handlers.
 *
 * @example
 * ```ts
 * app.get('/auth/login', (request) =>
 *   relyingParty.handleLogin(request, { onError: (error) => myErrorPage(error) }),
 * );
 * ```
 */
export interface HandlerOptions {
  /** Builds the response for a failure (default: a short page in the citizen's language). */
  readonly onError?: (error: IdentityError, request: Request) => Response | Promise<Response>;
}
