import * as client from 'openid-client';
import { meetsMinimumAssurance } from '../assurance/level-of-assurance.js';
import { IdentityError } from '../errors/identity-error.js';
import { readCookie, sameText } from './cookies.js';
import { openLoginTransaction } from './login-cookie.js';
import { authorizationErrorFor, identityErrorFromProtocol } from './protocol-errors.js';
import type { ProviderConnection } from './provider-connection.js';
import type { LoginResult } from './relying-party-options.js';
import type { VerifiedIdentity } from './verified-identity.js';

/**
 * Finishes a sign-in from the callback: the login cookie (bound to this
 * provider and client, used once), `state`, RFC 9207 `iss`, the provider's
 * OAuth error if any, the token request (openid-client's checks), the ID
 * token signature (always, with jose), userinfo, the profile's own checks
 * and the service's minimum level of assurance.
 */
export function createCallback(
  connection: ProviderConnection,
): (input: { readonly url: string | URL; readonly cookie: string | null }) => Promise<LoginResult> {
  const { settings } = connection;
  const { profile, issuer, options } = settings;
  return async (input) => {
    const time = connection.now();
    const sealed = readCookie(input.cookie, settings.cookieName);
    if (sealed === undefined || sealed === '') {
      throw new IdentityError(
        'IDENTITY_LOGIN_COOKIE_MISSING',
        'the request carries no login cookie',
      );
    }
    const transaction = openLoginTransaction(sealed, settings.cookieKey, time);
    if (transaction.provider !== issuer || transaction.clientId !== settings.clientId) {
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
    if (!(await settings.replayStore.consume(transaction.id, new Date(transaction.expiresAt)))) {
      throw new IdentityError('IDENTITY_LOGIN_REPLAYED', 'this login transaction was already used');
    }
    const metadata = await connection.metadata();
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
      throw authorizationErrorFor(oauthError, parameters.get('error_description'));
    }
    const configuration = await connection.configurationFor(metadata, time);
    const dpopHandle =
      transaction.dpopPrivateKey === undefined
        ? undefined
        : await connection.dpopHandleFor(configuration, transaction.dpopPrivateKey);
    const callbackUrl = new URL(settings.redirectUri);
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
    const signature = connection
      .verifierFor(metadata)
      .verify(innerIdToken, { nonce: transaction.nonce });
    const userinfoCall =
      profile.fetchUserinfo && metadata.userinfo_endpoint !== undefined
        ? connection.configurationFor(metadata, time, true).then((userinfoConfiguration) =>
            client
              .fetchUserInfo(
                userinfoConfiguration,
                tokens.access_token,
                subject,
                dpopHandle === undefined ? undefined : { DPoP: dpopHandle },
              )
              .then(
                (response) => response as Record<string, unknown>,
                (cause: unknown) => {
                  throw identityErrorFromProtocol(cause, 'userinfo');
                },
              ),
          )
        : Promise.resolve(undefined);
    const [signatureOutcome, userinfoOutcome] = await Promise.allSettled([signature, userinfoCall]);
    if (signatureOutcome.status === 'rejected') throw signatureOutcome.reason;
    if (userinfoOutcome.status === 'rejected') throw userinfoOutcome.reason;
    const userinfo = userinfoOutcome.value;
    const result = await profile.complete({
      issuer,
      clientId: settings.clientId,
      idTokenClaims: claims,
      userinfo,
      minimumAssurance: settings.minimumAssurance,
      fetch: connection.fetch,
      now: time,
      clockToleranceSeconds: settings.clockTolerance,
    });
    if (!meetsMinimumAssurance(result.assurance, settings.minimumAssurance)) {
      throw new IdentityError(
        'IDENTITY_ASSURANCE_TOO_LOW',
        'the sign-in is below the minimum level of assurance',
        {
          details: { achieved: result.assurance, minimum: settings.minimumAssurance },
        },
      );
    }
    const identity: VerifiedIdentity = {
      subject: result.subject ?? subject,
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
              // the verified JWS: for an encrypted ID token, the one inside the JWE
              idToken: innerIdToken,
              accessToken: tokens.access_token,
              ...(tokens.refresh_token === undefined ? {} : { refreshToken: tokens.refresh_token }),
              ...(transaction.dpopPrivateKey === undefined
                ? {}
                : { dpopKey: transaction.dpopPrivateKey }),
            },
          }
        : {}),
    };
    return { identity, returnTo: transaction.returnTo, setCookie: settings.clearCookie };
  };
}
