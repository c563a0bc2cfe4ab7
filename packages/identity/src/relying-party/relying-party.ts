import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type Clock,
  createHttpClient,
  escapeHtml,
  negotiateLocale,
  systemClock,
  userMessageOf,
  uuidv7,
} from '@civicblocks/core';
import { exportJWK, importJWK, type JWK } from 'jose';
import * as client from 'openid-client';
import { type AssuranceLevel, meetsMinimumAssurance } from '../assurance/level-of-assurance.js';
import { IdentityError } from '../errors/identity-error.js';
import { genericProfile } from '../profiles/generic.js';
import type { ProviderProfile } from '../profiles/provider-profile.js';
import { createDiscoveryCache, type ProviderMetadata } from './discovery.js';
import { createIdTokenVerifier, type IdTokenVerifier } from './id-token-verifier.js';
import {
  deriveCookieKey,
  type LoginTransaction,
  openLoginTransaction,
  sealLoginTransaction,
} from './login-cookie.js';
import { identityErrorFromProtocol } from './protocol-errors.js';
import { createMemoryReplayStore, type ReplayStore } from './replay-store.js';
import { safeReturnTo } from './return-to.js';
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
  readonly key: CryptoKey;
  /** JWE key management algorithm, e.g. `ECDH-ES+A256KW` or `RSA-OAEP-256`. */
  readonly algorithm: string;
  readonly keyId?: string;
}

/**
 * Options of {@link createRelyingParty}.
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
  /** For `private_key_jwt` (default when given): an RSA or EC private key. */
  readonly clientPrivateKey?: CryptoKey;
  readonly clientPrivateKeyId?: string;
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
   * Allow a provider on plain `http:` (the loopback dev provider). Never in
   * production: tokens would cross the network in clear text.
   */
  readonly unsafeAllowHttp?: boolean;
}

/**
 * Options of {@link RelyingParty.startLogin}.
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
  /** Sent as `login_hint`. */
  readonly loginHint?: string;
  /** Sent as `prompt` (for example `consent` with the `offline_access` scope), unless the profile sets one. */
  readonly prompt?: string;
}

/**
 * Options of {@link RelyingParty.refresh}.
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
 * Options of {@link RelyingParty.handleCallback}.
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
 * A relying party for one identity provider: lower-level functions and
 * Web-standard handlers (`Request` -> `Response`) built from them.
 *
 * @example
 * ```ts
 * app.get('/auth/login', (request) => relyingParty.handleLogin(request));
 * app.get('/auth/callback', (request) => relyingParty.handleCallback(request, { onSignedIn }));
 * ```
 */
export interface RelyingParty {
  readonly issuer: string;
  readonly profile: ProviderProfile;
  /** Starts a sign-in: the authorization URL and the sealed login cookie. */
  startLogin(options?: StartLoginOptions): Promise<LoginStart>;
  /** Finishes a sign-in from the callback URL and the request's `Cookie` header; every check or a typed error. */
  finishLogin(input: {
    readonly url: string | URL;
    readonly cookie: string | null;
  }): Promise<LoginResult>;
  /**
   * Refreshes tokens with a refresh token; a new ID token is verified like
   * the first. With DPoP, give the `dpopKey` kept with the tokens: the
   * refreshed tokens stay bound to it.
   */
  refresh(refreshToken: string, options?: RefreshOptions): Promise<RefreshResult>;
  /** Verifies an OpenID Connect back-channel logout token (signature, iss, aud, events, sub/sid, no nonce, single use). */
  verifyLogoutToken(logoutToken: string): Promise<BackchannelLogout>;
  /** `POST` with `logout_token` -> `onLogout`, then 200; 400 when the token is refused. */
  handleBackchannelLogout(
    request: Request,
    onLogout: (logout: BackchannelLogout) => void | Promise<void>,
  ): Promise<Response>;
  /** The provider's end-session URL (RP-initiated logout), or the post-logout URL when it has none. */
  logoutUrl(options?: { readonly idTokenHint?: string; readonly state?: string }): Promise<URL>;
  /** `GET /login?returnTo=/path&locale=vi` -> 303 to the provider with the login cookie. */
  handleLogin(request: Request): Promise<Response>;
  /** `GET /callback?code=...` -> `onSignedIn`, or `onError` when any check fails. */
  handleCallback(request: Request, options?: CallbackHandlerOptions): Promise<Response>;
  /** `GET /logout` -> 303 to the provider's end-session endpoint. */
  handleLogout(request: Request, options?: { readonly idTokenHint?: string }): Promise<Response>;
  /** Releases the connections of the default HTTP client. */
  close(): Promise<void>;
}

const contentEncryptionAlgorithms = [
  'A128GCM',
  'A192GCM',
  'A256GCM',
  'A128CBC-HS256',
  'A192CBC-HS384',
  'A256CBC-HS512',
];

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(header: string | null, name: string): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name)
      return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * Creates a relying party for one OpenID Connect provider, on openid-client
 * (an OpenID-certified relying party): discovery cached per `Cache-Control`
 * with the last good copy served during an outage, PKCE S256 always, `state`
 * and `nonce` from a CSPRNG, PAR when the provider supports or requires it,
 * the login transaction sealed in a short-lived encrypted cookie bound to
 * this provider and usable once, the RFC 9207 `iss` parameter, the ID token
 * signature always verified against an algorithm allow-list, clock tolerance
 * of at most 30 s, userinfo as JSON, JWS or JWE, optional DPoP, and the
 * profile's own checks and minimum level of assurance.
 *
 * @example
 * ```ts
 * import { createRelyingParty, govukOneLoginProfile } from '@civicblocks/identity';
 *
 * const relyingParty = createRelyingParty({
 *   issuer: 'https://oidc.integration.account.gov.uk/',
 *   clientId: 'my-service',
 *   clientPrivateKey: privateKey,
 *   redirectUri: 'https://service.example.gov/auth/callback',
 *   cookieSecret: secrets.loginCookie,
 *   profile: govukOneLoginProfile({ vectorsOfTrust: ['Cl.Cm.P2'], environment: 'integration' }),
 *   minimumAssurance: { authentication: 'substantial', identity: 'medium' },
 * });
 * ```
 */
export function createRelyingParty(options: RelyingPartyOptions): RelyingParty {
  const profile = options.profile ?? genericProfile();
  const issuer = options.issuer;
  const invalid = (message: string): never => {
    throw new IdentityError('IDENTITY_CONFIGURATION_INVALID', message);
  };
  let issuerUrl: URL;
  let redirectUrl: URL;
  try {
    issuerUrl = new URL(issuer);
    redirectUrl = new URL(options.redirectUri);
  } catch (cause) {
    throw new IdentityError(
      'IDENTITY_CONFIGURATION_INVALID',
      'issuer and redirectUri must be absolute URLs',
      { cause },
    );
  }
  if (
    issuerUrl.protocol !== 'https:' &&
    !(issuerUrl.protocol === 'http:' && options.unsafeAllowHttp === true)
  ) {
    invalid('the issuer must use https (set unsafeAllowHttp only for the loopback dev provider)');
  }
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  if (!(clockTolerance >= 0 && clockTolerance <= 30))
    invalid('clockToleranceSeconds must be between 0 and 30');
  const loginLifetime = options.loginLifetimeSeconds ?? 600;
  if (!(loginLifetime > 0 && loginLifetime <= 3600))
    invalid('loginLifetimeSeconds must be between 1 and 3600');
  const authenticationMethod =
    options.clientAuthentication ??
    (options.clientPrivateKey !== undefined ? 'private_key_jwt' : 'client_secret_post');
  if (authenticationMethod === 'private_key_jwt' && options.clientPrivateKey === undefined) {
    invalid('private_key_jwt needs clientPrivateKey');
  }
  if (authenticationMethod !== 'private_key_jwt' && options.clientSecret === undefined) {
    invalid(`${authenticationMethod} needs clientSecret`);
  }
  const cookieKey = deriveCookieKey(options.cookieSecret);
  const secure = redirectUrl.protocol === 'https:';
  const cookieName =
    options.cookieName ?? (secure ? '__Host-civicblocks-login' : 'civicblocks-login');
  const origin = redirectUrl.origin;
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now().getTime();
  const minimumAssurance = options.minimumAssurance ?? { authentication: 'low', identity: 'none' };
  const replayStore = options.replayStore ?? createMemoryReplayStore(clock);
  const timeout = options.timeoutMilliseconds ?? 10_000;
  // core's HTTP client (undici Agent: pools, timeouts, size limit, safe retries) unless the caller brings a fetch
  const ownClient =
    options.fetch === undefined
      ? createHttpClient({
          userAgent: profile.userAgent ?? 'civicblocks-identity',
          connectTimeoutMs: timeout,
          headersTimeoutMs: timeout,
          bodyTimeoutMs: timeout,
          now,
        })
      : undefined;
  const baseFetch: typeof fetch = options.fetch ?? (ownClient?.fetch as typeof fetch);
  // openid-client and jose set their own User-Agent; the profile's (GOV.UK asks for one) wins on every call.
  const userAgent = profile.userAgent ?? 'civicblocks-identity';
  const providerFetch = ((input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    // openid-client hands over a Headers of its own making: set the agent on it
    if (init?.headers instanceof Headers) {
      init.headers.set('user-agent', userAgent);
      return baseFetch(input, init);
    }
    const headers = new Headers(init?.headers);
    headers.set('user-agent', userAgent);
    return baseFetch(input, { ...init, headers });
  }) as typeof fetch;
  const discovery = createDiscoveryCache({ issuer, fetch: providerFetch, clock });
  const verifiers = new Map<string, IdTokenVerifier>();

  const cookieAttributes = `Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  const clearCookie = `${cookieName}=; Max-Age=0; ${cookieAttributes}`;

  // Configurations are cheap but not free: reuse one per discovery document, clock skew and mode.
  const configurations = new WeakMap<ProviderMetadata, Map<string, client.Configuration>>();
  const configurationFor = (
    metadata: ProviderMetadata,
    time: number,
    nonRepudiation = false,
  ): client.Configuration => {
    const skew = Math.round((time - Date.now()) / 1000);
    const key = `${skew}:${nonRepudiation}`;
    let byKey = configurations.get(metadata);
    if (byKey === undefined) {
      byKey = new Map();
      configurations.set(metadata, byKey);
    }
    const existing = byKey.get(key);
    if (existing !== undefined) return existing;
    if (byKey.size > 16) byKey.clear();
    const created = buildConfiguration(metadata, skew, nonRepudiation);
    byKey.set(key, created);
    return created;
  };

  const buildConfiguration = (
    metadata: ProviderMetadata,
    skew: number,
    nonRepudiation: boolean,
  ): client.Configuration => {
    const serverMetadata: client.ServerMetadata = {
      ...(metadata as client.ServerMetadata),
      id_token_signing_alg_values_supported: [...profile.idTokenSigningAlgorithms],
      ...(profile.requireIssuerParameter
        ? { authorization_response_iss_parameter_supported: true }
        : {}),
    };
    const clientMetadata: Partial<client.ClientMetadata> = {
      [client.clockTolerance]: clockTolerance,
      [client.clockSkew]: skew,
    };
    let authentication: client.ClientAuth;
    if (authenticationMethod === 'private_key_jwt') {
      const assertion = profile.clientAssertion;
      authentication = client.PrivateKeyJwt(
        {
          key: options.clientPrivateKey as CryptoKey,
          ...(options.clientPrivateKeyId === undefined ? {} : { kid: options.clientPrivateKeyId }),
        },
        {
          [client.modifyAssertion]: (header, payload) => {
            if (assertion?.type !== undefined) header.typ = assertion.type;
            if (assertion?.audience === 'token-endpoint' && metadata.token_endpoint !== undefined) {
              payload.aud = metadata.token_endpoint;
            }
          },
        },
      );
    } else if (authenticationMethod === 'client_secret_basic') {
      authentication = client.ClientSecretBasic(options.clientSecret);
    } else {
      authentication = client.ClientSecretPost(options.clientSecret);
    }
    const configuration = new client.Configuration(
      serverMetadata,
      options.clientId,
      clientMetadata,
      authentication,
    );
    configuration[client.customFetch] = (url, init) => providerFetch(url, init as RequestInit);
    if (options.timeoutMilliseconds !== undefined)
      configuration.timeout = Math.ceil(options.timeoutMilliseconds / 1000);
    if (options.unsafeAllowHttp === true) client.allowInsecureRequests(configuration);
    if (options.decryptionKeys !== undefined && options.decryptionKeys.length > 0) {
      client.enableDecryptingResponses(
        configuration,
        contentEncryptionAlgorithms,
        ...options.decryptionKeys.map((decryptionKey) => ({
          key: decryptionKey.key,
          alg: decryptionKey.algorithm,
          ...(decryptionKey.keyId === undefined ? {} : { kid: decryptionKey.keyId }),
        })),
      );
    }
    if (nonRepudiation) client.enableNonRepudiationChecks(configuration);
    return configuration;
  };

  const verifierFor = (metadata: ProviderMetadata): IdTokenVerifier => {
    if (metadata.jwks_uri === undefined) {
      throw new IdentityError('IDENTITY_DISCOVERY_FAILED', 'the provider publishes no jwks_uri');
    }
    let verifier = verifiers.get(metadata.jwks_uri);
    if (verifier === undefined) {
      verifier = createIdTokenVerifier({
        issuer,
        clientId: options.clientId,
        jwksUri: metadata.jwks_uri,
        algorithms: profile.idTokenSigningAlgorithms,
        clockToleranceSeconds: clockTolerance,
        jwksCooldownSeconds: options.jwksCooldownSeconds ?? 30,
        fetch: providerFetch,
        clock,
        ...(options.timeoutMilliseconds === undefined
          ? {}
          : { timeoutMilliseconds: options.timeoutMilliseconds }),
      });
      verifiers.set(metadata.jwks_uri, verifier);
    }
    return verifier;
  };

  const dpopHandleFor = async (
    configuration: client.Configuration,
    privateJwk: JWK,
  ): Promise<client.DPoPHandle> => {
    const { d: _private, ...publicJwk } = privateJwk;
    const privateKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
    const publicKey = (await importJWK({ ...publicJwk, ext: true }, 'ES256', {
      extractable: true,
    })) as CryptoKey;
    return client.getDPoPHandle(configuration, { privateKey, publicKey });
  };

  const startLogin = async (startOptions: StartLoginOptions = {}): Promise<LoginStart> => {
    const returnTo = safeReturnTo(startOptions.returnTo ?? '/', origin);
    const time = now();
    const metadata = await discovery.get();
    const configuration = configurationFor(metadata, time);
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    let dpopPrivateKey: JWK | undefined;
    let dpopHandle: client.DPoPHandle | undefined;
    if (profile.dpop) {
      const keyPair = await client.randomDPoPKeyPair('ES256', { extractable: true });
      dpopPrivateKey = await exportJWK(keyPair.privateKey);
      dpopHandle = client.getDPoPHandle(configuration, keyPair);
    }
    const transaction: LoginTransaction = {
      // time-ordered, so a SQL replay store indexes and prunes it cheaply
      id: uuidv7(clock),
      provider: issuer,
      clientId: options.clientId,
      state,
      nonce,
      codeVerifier,
      returnTo,
      ...(dpopPrivateKey === undefined ? {} : { dpopPrivateKey }),
      expiresAt: time + loginLifetime * 1000,
    };
    // RFC 7636 S256, hashed in place: WebCrypto's digest would cost a trip to the thread pool
    const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
    const sealed = sealLoginTransaction(transaction, cookieKey);
    const parameters: Record<string, string> = {
      redirect_uri: options.redirectUri,
      scope: profile.scope,
      ...(startOptions.loginHint === undefined ? {} : { login_hint: startOptions.loginHint }),
      ...(startOptions.prompt === undefined ? {} : { prompt: startOptions.prompt }),
      ...profile.authorizationParameters({
        minimumAssurance,
        ...(startOptions.locale === undefined ? {} : { locale: startOptions.locale }),
      }),
      state,
      nonce,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    };
    const usePushed =
      profile.pushedAuthorization === 'required' ||
      metadata.require_pushed_authorization_requests === true ||
      (profile.pushedAuthorization === 'when-supported' &&
        metadata.pushed_authorization_request_endpoint !== undefined);
    let authorizationUrl: URL;
    try {
      authorizationUrl = usePushed
        ? await client.buildAuthorizationUrlWithPAR(
            configuration,
            parameters,
            dpopHandle === undefined ? undefined : { DPoP: dpopHandle },
          )
        : client.buildAuthorizationUrl(configuration, parameters);
    } catch (cause) {
      throw identityErrorFromProtocol(cause, 'authorization');
    }
    return {
      authorizationUrl,
      setCookie: `${cookieName}=${sealed}; Max-Age=${loginLifetime}; ${cookieAttributes}`,
    };
  };

  const finishLogin = async (input: {
    readonly url: string | URL;
    readonly cookie: string | null;
  }): Promise<LoginResult> => {
    const time = now();
    const sealed = readCookie(input.cookie, cookieName);
    if (sealed === undefined || sealed === '') {
      throw new IdentityError(
        'IDENTITY_LOGIN_COOKIE_MISSING',
        'the request carries no login cookie',
      );
    }
    const transaction = openLoginTransaction(sealed, cookieKey, time);
    if (transaction.provider !== issuer || transaction.clientId !== options.clientId) {
      throw new IdentityError(
        'IDENTITY_LOGIN_PROVIDER_MISMATCH',
        'the login cookie belongs to a sign-in with another provider or client',
      );
    }
    const incoming = new URL(input.url);
    const parameters = incoming.searchParams;
    const state = parameters.get('state');
    if (state === null || !sameText(state, transaction.state)) {
      throw new IdentityError(
        'IDENTITY_STATE_MISMATCH',
        'the callback "state" is not the one of this login',
      );
    }
    if (!(await replayStore.consume(transaction.id, new Date(transaction.expiresAt)))) {
      throw new IdentityError('IDENTITY_LOGIN_REPLAYED', 'this login transaction was already used');
    }
    const metadata = await discovery.get();
    const responseIssuer = parameters.get('iss');
    if (responseIssuer !== null && responseIssuer !== metadata.issuer) {
      throw new IdentityError(
        'IDENTITY_ISSUER_MIX_UP',
        'the callback "iss" is not this provider (mix-up attack?)',
      );
    }
    if (
      responseIssuer === null &&
      (metadata.authorization_response_iss_parameter_supported === true ||
        profile.requireIssuerParameter)
    ) {
      throw new IdentityError(
        'IDENTITY_ISSUER_PARAMETER_MISSING',
        'the callback lacks the RFC 9207 "iss" parameter',
      );
    }
    const oauthError = parameters.get('error');
    if (oauthError !== null) {
      const safe = /^[\w.-]{1,64}$/.test(oauthError) ? oauthError : 'invalid';
      throw new IdentityError(
        'IDENTITY_AUTHORIZATION_DENIED',
        'the provider answered with an error',
        {
          details: { error: safe },
        },
      );
    }
    const configuration = configurationFor(metadata, time);
    const dpopHandle =
      transaction.dpopPrivateKey === undefined
        ? undefined
        : await dpopHandleFor(configuration, transaction.dpopPrivateKey);
    const callbackUrl = new URL(options.redirectUri);
    callbackUrl.search = incoming.search;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(
        configuration,
        callbackUrl,
        {
          pkceCodeVerifier: transaction.codeVerifier,
          expectedState: transaction.state,
          expectedNonce: transaction.nonce,
          idTokenExpected: true,
        },
        undefined,
        dpopHandle === undefined ? undefined : { DPoP: dpopHandle },
      );
    } catch (cause) {
      throw identityErrorFromProtocol(cause, 'token');
    }
    const idToken = tokens.id_token as string;
    const claims = tokens.claims() as Record<string, unknown>;
    const innerIdToken = client.getDecryptedResponses(tokens)?.id_token?.token_endpoint ?? idToken;
    if (profile.requireEncryptedIdToken === true && innerIdToken === idToken) {
      throw new IdentityError(
        'IDENTITY_ID_TOKEN_INVALID',
        'the profile requires an encrypted ID token and got a plain one',
      );
    }
    const subject = claims.sub;
    if (typeof subject !== 'string' || subject === '') {
      throw new IdentityError('IDENTITY_ID_TOKEN_SUBJECT_MISSING', 'ID token has no "sub"');
    }
    // openid-client has checked the claims; the signature is checked here, always, with the claims
    // once more. The userinfo call runs meanwhile (the access token only goes back to the provider
    // that issued it); nothing from it is used unless the signature verified.
    const signature = verifierFor(metadata).verify(innerIdToken, { nonce: transaction.nonce });
    const userinfoCall =
      profile.fetchUserinfo && metadata.userinfo_endpoint !== undefined
        ? client
            .fetchUserInfo(
              configurationFor(metadata, time, true),
              tokens.access_token,
              subject,
              dpopHandle === undefined ? undefined : { DPoP: dpopHandle },
            )
            .then(
              (response) => response as Record<string, unknown>,
              (cause: unknown) => {
                throw identityErrorFromProtocol(cause, 'userinfo');
              },
            )
        : Promise.resolve(undefined);
    const [signatureOutcome, userinfoOutcome] = await Promise.allSettled([signature, userinfoCall]);
    if (signatureOutcome.status === 'rejected') throw signatureOutcome.reason;
    if (userinfoOutcome.status === 'rejected') throw userinfoOutcome.reason;
    const userinfo = userinfoOutcome.value;
    const result = await profile.complete({
      issuer,
      clientId: options.clientId,
      idTokenClaims: claims,
      userinfo,
      minimumAssurance,
      fetch: providerFetch,
      now: time,
      clockToleranceSeconds: clockTolerance,
    });
    if (!meetsMinimumAssurance(result.assurance, minimumAssurance)) {
      throw new IdentityError(
        'IDENTITY_ASSURANCE_TOO_LOW',
        'the sign-in is below the minimum level of assurance',
        {
          details: { achieved: result.assurance, minimum: minimumAssurance },
        },
      );
    }
    const identity: VerifiedIdentity = {
      subject,
      provider: profile.name,
      issuer,
      assurance: result.assurance,
      ...(typeof claims.auth_time === 'number'
        ? { authenticatedAt: new Date(claims.auth_time * 1000) }
        : {}),
      claims: result.claims,
      providerData: result.providerData ?? {},
      ...(options.keepTokens === true
        ? {
            tokens: {
              idToken,
              accessToken: tokens.access_token,
              ...(tokens.refresh_token === undefined ? {} : { refreshToken: tokens.refresh_token }),
              ...(transaction.dpopPrivateKey === undefined
                ? {}
                : { dpopKey: transaction.dpopPrivateKey }),
            },
          }
        : {}),
    };
    return { identity, returnTo: transaction.returnTo, setCookie: clearCookie };
  };

  const refresh = async (
    refreshToken: string,
    refreshOptions: RefreshOptions = {},
  ): Promise<RefreshResult> => {
    const metadata = await discovery.get();
    const configuration = configurationFor(metadata, now());
    let tokens: Awaited<ReturnType<typeof client.refreshTokenGrant>>;
    try {
      const dpopHandle =
        refreshOptions.dpopKey === undefined
          ? undefined
          : await dpopHandleFor(configuration, refreshOptions.dpopKey);
      tokens = await client.refreshTokenGrant(
        configuration,
        refreshToken,
        undefined,
        dpopHandle === undefined ? undefined : { DPoP: dpopHandle },
      );
    } catch (cause) {
      throw identityErrorFromProtocol(cause, 'token');
    }
    let idTokenClaims: Record<string, unknown> | undefined;
    if (typeof tokens.id_token === 'string') {
      // an encrypted ID token is verified as the JWS inside it, as at sign-in
      const inner = client.getDecryptedResponses(tokens) ?? tokens.id_token;
      idTokenClaims = await verifierFor(metadata).verify(inner);
    }
    return {
      accessToken: tokens.access_token,
      ...(tokens.refresh_token === undefined ? {} : { refreshToken: tokens.refresh_token }),
      ...(tokens.expires_in === undefined ? {} : { expiresInSeconds: tokens.expires_in }),
      ...(idTokenClaims === undefined ? {} : { idTokenClaims }),
    };
  };

  const verifyLogoutToken = async (logoutToken: string): Promise<BackchannelLogout> => {
    const refuse = (reason: string, cause?: unknown): never => {
      throw new IdentityError('IDENTITY_LOGOUT_TOKEN_INVALID', `logout token refused: ${reason}`, {
        ...(cause === undefined ? {} : { cause }),
        details: { reason },
      });
    };
    const metadata = await discovery.get();
    let claims: Record<string, unknown> = {};
    try {
      claims = await verifierFor(metadata).verify(logoutToken, {
        requiredClaims: ['iat', 'jti', 'events'],
      });
    } catch (cause) {
      refuse(IdentityError.isInstance(cause) ? cause.code : 'not verifiable', cause);
    }
    const events = claims.events;
    const event =
      typeof events === 'object' && events !== null
        ? (events as Record<string, unknown>)['http://schemas.openid.net/event/backchannel-logout']
        : undefined;
    if (typeof event !== 'object' || event === null) refuse('no back-channel logout event');
    if (claims.nonce !== undefined) refuse('a logout token must not carry a nonce');
    const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
    const sessionId = typeof claims.sid === 'string' ? claims.sid : undefined;
    if (subject === undefined && sessionId === undefined) refuse('neither sub nor sid');
    const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : now() + 600_000;
    if (!(await replayStore.consume(`logout:${String(claims.jti)}`, new Date(expiresAt))))
      refuse('replayed');
    return {
      ...(subject === undefined ? {} : { subject }),
      ...(sessionId === undefined ? {} : { sessionId }),
    };
  };

  const logoutUrl = async (
    logoutOptions: { readonly idTokenHint?: string; readonly state?: string } = {},
  ): Promise<URL> => {
    const metadata = await discovery.get();
    if (metadata.end_session_endpoint === undefined) {
      return new URL(options.postLogoutRedirectUri ?? '/', origin);
    }
    return client.buildEndSessionUrl(configurationFor(metadata, now()), {
      ...(options.postLogoutRedirectUri === undefined
        ? {}
        : { post_logout_redirect_uri: options.postLogoutRedirectUri }),
      ...(logoutOptions.idTokenHint === undefined
        ? {}
        : { id_token_hint: logoutOptions.idTokenHint }),
      ...(logoutOptions.state === undefined ? {} : { state: logoutOptions.state }),
    });
  };

  const errorResponse = (error: IdentityError, request: Request): Response => {
    const language = negotiateLocale(request.headers.get('accept-language'), ['vi', 'en'], 'en');
    const text = userMessageOf(error, language);
    // the provider failing is a 502 (try again later); a refused sign-in is a 400
    const status =
      error.isRetryable ||
      error.code === 'IDENTITY_PROVIDER_REQUEST_FAILED' ||
      error.code === 'IDENTITY_DISCOVERY_FAILED'
        ? 502
        : 400;
    return new Response(
      `<!doctype html><html lang="${language}"><meta charset="utf-8"><title>${escapeHtml(text)}</title><p>${escapeHtml(text)}</p></html>`,
      {
        status,
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
      },
    );
  };

  const asIdentityError = (error: unknown): IdentityError =>
    IdentityError.isInstance(error)
      ? error
      : new IdentityError('IDENTITY_PROVIDER_REQUEST_FAILED', 'sign-in failed unexpectedly', {
          cause: error,
        });

  return {
    issuer,
    profile,
    startLogin,
    finishLogin,
    refresh,
    verifyLogoutToken,
    logoutUrl,
    async handleBackchannelLogout(
      request: Request,
      onLogout: (logout: BackchannelLogout) => void | Promise<void>,
    ): Promise<Response> {
      const headers = { 'cache-control': 'no-store' };
      try {
        const form = new URLSearchParams(await request.text());
        const token = form.get('logout_token');
        if (request.method !== 'POST' || token === null) {
          throw new IdentityError(
            'IDENTITY_LOGOUT_TOKEN_INVALID',
            'logout token refused: not a POST with logout_token',
          );
        }
        await onLogout(await verifyLogoutToken(token));
        return new Response(null, { status: 200, headers });
      } catch (error) {
        if (!IdentityError.isInstance(error) || error.code !== 'IDENTITY_LOGOUT_TOKEN_INVALID')
          throw error;
        return new Response(JSON.stringify({ error: 'invalid_request' }), {
          status: 400,
          headers: { ...headers, 'content-type': 'application/json' },
        });
      }
    },
    async handleLogin(request: Request): Promise<Response> {
      const url = new URL(request.url);
      try {
        const returnTo = url.searchParams.get('returnTo');
        const locale = url.searchParams.get('locale');
        const loginHint = url.searchParams.get('login_hint');
        const start = await startLogin({
          ...(returnTo === null ? {} : { returnTo }),
          ...(locale === null ? {} : { locale }),
          ...(loginHint === null ? {} : { loginHint }),
        });
        return new Response(null, {
          status: 303,
          headers: {
            location: start.authorizationUrl.href,
            'set-cookie': start.setCookie,
            'cache-control': 'no-store',
          },
        });
      } catch (error) {
        return errorResponse(asIdentityError(error), request);
      }
    },
    async handleCallback(
      request: Request,
      handlerOptions: CallbackHandlerOptions = {},
    ): Promise<Response> {
      let result: LoginResult;
      try {
        result = await finishLogin({ url: request.url, cookie: request.headers.get('cookie') });
      } catch (error) {
        const identityError = asIdentityError(error);
        const response =
          handlerOptions.onError === undefined
            ? errorResponse(identityError, request)
            : await handlerOptions.onError(identityError, request);
        const copy = new Response(response.body, response);
        copy.headers.append('set-cookie', clearCookie);
        return copy;
      }
      const response =
        handlerOptions.onSignedIn === undefined
          ? new Response(null, { status: 303, headers: { location: result.returnTo } })
          : await handlerOptions.onSignedIn(result.identity, {
              returnTo: result.returnTo,
              request,
            });
      const copy = new Response(response.body, response);
      copy.headers.append('set-cookie', result.setCookie);
      copy.headers.set('cache-control', 'no-store');
      return copy;
    },
    async handleLogout(
      request: Request,
      logoutOptions: { readonly idTokenHint?: string } = {},
    ): Promise<Response> {
      try {
        const location = await logoutUrl(logoutOptions);
        return new Response(null, {
          status: 303,
          headers: { location: location.href, 'cache-control': 'no-store' },
        });
      } catch (error) {
        return errorResponse(asIdentityError(error), request);
      }
    },
    close: async () => {
      await ownClient?.close();
    },
  };
}
