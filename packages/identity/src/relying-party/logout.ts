import * as client from 'openid-client';
import { IdentityError } from '../errors/identity-error.js';
import type { ProviderConnection } from './provider-connection.js';
import type { BackchannelLogout } from './relying-party-options.js';

/** RP-initiated logout and back-channel logout of one relying party. */
export interface Logout {
  verifyLogoutToken(logoutToken: string): Promise<BackchannelLogout>;
  logoutUrl(options?: { readonly idTokenHint?: string; readonly state?: string }): Promise<URL>;
  handleBackchannelLogout(
    request: Request,
    onLogout: (logout: BackchannelLogout) => void | Promise<void>,
  ): Promise<Response>;
}

/**
 * Builds logout: the provider's end-session URL (OpenID Connect RP-Initiated
 * Logout) and back-channel logout tokens verified (signature, `iss`, `aud`,
 * the logout event, `sub` or `sid`, no `nonce`, used once).
 */
export function createLogout(connection: ProviderConnection): Logout {
  const { settings } = connection;
  const { options } = settings;

  const verifyLogoutToken = async (logoutToken: string): Promise<BackchannelLogout> => {
    const refuse = (reason: string, cause?: unknown): never => {
      throw new IdentityError('IDENTITY_LOGOUT_TOKEN_INVALID', `logout token refused: ${reason}`, {
        ...(cause === undefined ? {} : { cause }),
        details: { reason },
      });
    };
    const metadata = await connection.metadata();
    let claims: Record<string, unknown> = {};
    try {
      claims = await connection.verifierFor(metadata).verify(logoutToken, {
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
    const expiresAt =
      typeof claims.exp === 'number' ? claims.exp * 1000 : connection.now() + 600_000;
    if (!(await settings.replayStore.consume(`logout:${String(claims.jti)}`, new Date(expiresAt))))
      refuse('replayed');
    return {
      ...(subject === undefined ? {} : { subject }),
      ...(sessionId === undefined ? {} : { sessionId }),
    };
  };

  const logoutUrl = async (
    logoutOptions: { readonly idTokenHint?: string; readonly state?: string } = {},
  ): Promise<URL> => {
    const metadata = await connection.metadata();
    if (metadata.end_session_endpoint === undefined) {
      return new URL(options.postLogoutRedirectUri ?? '/', settings.origin);
    }
    return client.buildEndSessionUrl(
      await connection.configurationFor(metadata, connection.now()),
      {
        ...(options.postLogoutRedirectUri === undefined
          ? {}
          : { post_logout_redirect_uri: options.postLogoutRedirectUri }),
        ...(logoutOptions.idTokenHint === undefined
          ? {}
          : { id_token_hint: logoutOptions.idTokenHint }),
        ...(logoutOptions.state === undefined ? {} : { state: logoutOptions.state }),
      },
    );
  };

  return {
    verifyLogoutToken,
    logoutUrl,
    async handleBackchannelLogout(request, onLogout) {
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
  };
}
