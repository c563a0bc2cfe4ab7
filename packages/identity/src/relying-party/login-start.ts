import { createHash } from 'node:crypto';
import { uuidv7 } from '@civicblocks/core';
import { exportJWK, type JWK } from 'jose';
import * as client from 'openid-client';
import { type LoginTransaction, sealLoginTransaction } from './login-cookie.js';
import { identityErrorFromProtocol } from './protocol-errors.js';
import type { ProviderConnection } from './provider-connection.js';
import type { LoginStart, StartLoginOptions } from './relying-party-options.js';
import { safeReturnTo } from './return-to.js';

/**
 * Starts a sign-in: the authorization URL (pushed first when the profile or
 * provider wants PAR) and the sealed login cookie holding state, nonce, the
 * PKCE verifier, the return-to path and the DPoP key.
 */
export function createLoginStart(
  connection: ProviderConnection,
): (startOptions?: StartLoginOptions) => Promise<LoginStart> {
  const { settings } = connection;
  const { profile } = settings;
  return async (startOptions = {}) => {
    const returnTo = safeReturnTo(startOptions.returnTo ?? '/', settings.origin);
    const time = connection.now();
    const metadata = await connection.metadata();
    const configuration = await connection.configurationFor(metadata, time);
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
      id: uuidv7(settings.clock),
      provider: settings.issuer,
      clientId: settings.clientId,
      state,
      nonce,
      codeVerifier,
      returnTo,
      ...(dpopPrivateKey === undefined ? {} : { dpopPrivateKey }),
      expiresAt: time + settings.loginLifetime * 1000,
    };
    // RFC 7636 S256, hashed in place: WebCrypto's digest would cost a trip to the thread pool
    const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
    const sealed = sealLoginTransaction(transaction, settings.cookieKey);
    const parameters: Record<string, string> = {
      redirect_uri: settings.redirectUri,
      scope: profile.scope,
      ...(startOptions.loginHint === undefined ? {} : { login_hint: startOptions.loginHint }),
      ...(startOptions.prompt === undefined ? {} : { prompt: startOptions.prompt }),
      ...profile.authorizationParameters({
        minimumAssurance: settings.minimumAssurance,
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
      setCookie: `${settings.cookieName}=${sealed}; Max-Age=${settings.loginLifetime}; ${settings.cookieAttributes}`,
    };
  };
}
