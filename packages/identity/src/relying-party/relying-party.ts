import type { ProviderProfile } from '../profiles/provider-profile.js';
import { createCallback } from './callback.js';
import { createHandlers } from './handlers.js';
import { createLoginStart } from './login-start.js';
import { createLogout } from './logout.js';
import { createProviderConnection } from './provider-connection.js';
import type {
  BackchannelLogout,
  CallbackHandlerOptions,
  HandlerOptions,
  LoginResult,
  LoginStart,
  RefreshOptions,
  RefreshResult,
  RelyingPartyOptions,
  StartLoginOptions,
} from './relying-party-options.js';
import { resolveSettings } from './settings.js';
import { createTokenRefresh } from './token-refresh.js';

// The relying party is assembled from parts a reader finds by file name:
// settings.ts (options checked at creation), provider-connection.ts (fetch,
// discovery, openid-client configuration, ID token verifier), login-start.ts,
// callback.ts, token-refresh.ts, logout.ts, handlers.ts and error-page.ts.

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
  /**
   * `GET /login?returnTo=/path&locale=vi&login_hint=...` -> 303 to the
   * provider with the login cookie. `login_hint` is passed through (the dev
   * provider signs in the persona it names).
   */
  handleLogin(request: Request, options?: HandlerOptions): Promise<Response>;
  /** `GET /callback?code=...` -> `onSignedIn`, or `onError` when any check fails. */
  handleCallback(request: Request, options?: CallbackHandlerOptions): Promise<Response>;
  /**
   * `GET /logout` -> 303 to the provider's end-session endpoint. It ends the
   * provider's session only: clear your own session before calling it.
   */
  handleLogout(
    request: Request,
    options?: HandlerOptions & { readonly idTokenHint?: string },
  ): Promise<Response>;
  /** Releases the connections of the default HTTP client. */
  close(): Promise<void>;
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
 * profile's own checks and minimum level of assurance. Configuration
 * mistakes that can be seen without the provider (a broken PEM key, a key
 * that does not suit the assertion algorithm, plain http to a host that is
 * not loopback, a key or core identity source the profile needs) throw here,
 * each with its own code.
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
  const settings = resolveSettings(options);
  const connection = createProviderConnection(settings);
  const startLogin = createLoginStart(connection);
  const finishLogin = createCallback(connection);
  const logout = createLogout(connection);
  const handlers = createHandlers(settings, { startLogin, finishLogin, logout });
  return {
    issuer: settings.issuer,
    profile: settings.profile,
    startLogin,
    finishLogin,
    refresh: createTokenRefresh(connection),
    verifyLogoutToken: logout.verifyLogoutToken,
    logoutUrl: logout.logoutUrl,
    handleBackchannelLogout: logout.handleBackchannelLogout,
    handleLogin: handlers.handleLogin,
    handleCallback: handlers.handleCallback,
    handleLogout: handlers.handleLogout,
    close: connection.close,
  };
}
