import { HttpError } from '@civicblocks/core';
import * as client from 'openid-client';
import { IdentityError, type IdentityErrorCode } from '../errors/identity-error.js';

const safeToken = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined;

/**
 * The provider's `error_description`, when it is short printable text: it
 * says why a client assertion or a redirect URI was refused, which the team
 * needs to see. Anything long or odd is dropped.
 */
export function safeErrorDescription(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.slice(0, 300);
  return /^[\x20-\x7e]+$/.test(text) && !/eyJ/.test(text) ? text : undefined;
}

// RFC 6749 section 4.1.2.1 and OpenID Connect Core 3.1.2.6 error codes, by what they mean for the service.
const citizenStopped: ReadonlySet<string> = new Set([
  'access_denied',
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
]);
const providerBusy: ReadonlySet<string> = new Set(['temporarily_unavailable', 'server_error']);

/**
 * The error for an OAuth `error` the provider sent back on the callback or
 * from an endpoint: `access_denied` and friends mean the citizen stopped
 * (`IDENTITY_AUTHORIZATION_DENIED`); `temporarily_unavailable` and
 * `server_error` are retryable (`IDENTITY_PROVIDER_UNAVAILABLE`); anything
 * else means the provider refused the service's request as configured
 * (`IDENTITY_AUTHORIZATION_REQUEST_REJECTED`), with its `error_description`.
 */
export function authorizationErrorFor(
  oauthError: string,
  description: unknown,
  cause?: unknown,
): IdentityError {
  const error = safeToken(oauthError) ?? 'invalid';
  const errorDescription = safeErrorDescription(description);
  const details = {
    error,
    ...(errorDescription === undefined ? {} : { errorDescription }),
  };
  const withCause = cause === undefined ? {} : { cause };
  if (citizenStopped.has(error)) {
    return new IdentityError(
      'IDENTITY_AUTHORIZATION_DENIED',
      `the citizen did not finish signing in (${error})`,
      { ...withCause, details },
    );
  }
  if (providerBusy.has(error)) {
    return new IdentityError(
      'IDENTITY_PROVIDER_UNAVAILABLE',
      `the provider is unavailable (${error})`,
      { ...withCause, details, isRetryable: true },
    );
  }
  if (error === 'invalid_redirect_uri' || /redirect_uri/i.test(errorDescription ?? '')) {
    return new IdentityError(
      'IDENTITY_REDIRECT_URI_NOT_REGISTERED',
      `the provider refused the redirect URI: ${errorDescription ?? error}; register it exactly (127.0.0.1 and localhost differ)`,
      { ...withCause, details },
    );
  }
  return new IdentityError(
    'IDENTITY_AUTHORIZATION_REQUEST_REJECTED',
    `the provider rejected the authorization request: ${error}${errorDescription === undefined ? '' : ` (${errorDescription})`}`,
    { ...withCause, details },
  );
}

/** The error for a token, userinfo or pushed-authorization endpoint that answered with an OAuth error body. */
function endpointErrorFor(
  error: client.ResponseBodyError,
  stage: 'token' | 'userinfo' | 'authorization',
): IdentityError {
  const oauthError = safeToken(error.error);
  const errorDescription = safeErrorDescription(error.error_description);
  const details = {
    ...(oauthError === undefined ? {} : { error: oauthError }),
    ...(errorDescription === undefined ? {} : { errorDescription }),
  };
  const described = errorDescription === undefined ? '' : `: ${errorDescription}`;
  if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client') {
    return new IdentityError(
      'IDENTITY_CLIENT_AUTHENTICATION_FAILED',
      `the provider refused the client's authentication at the ${stage} endpoint (${oauthError})${described}`,
      { cause: error, status: error.status, details },
    );
  }
  if (
    oauthError === 'invalid_redirect_uri' ||
    (oauthError !== 'invalid_grant' && /redirect_uri/i.test(errorDescription ?? ''))
  ) {
    return authorizationErrorFor(oauthError ?? 'invalid_request', errorDescription, error);
  }
  if (error.status >= 500 || (oauthError !== undefined && providerBusy.has(oauthError))) {
    return new IdentityError(
      'IDENTITY_PROVIDER_UNAVAILABLE',
      `the provider's ${stage} endpoint is unavailable (status ${error.status})${described}`,
      { cause: error, status: error.status, isRetryable: true, details },
    );
  }
  if (stage === 'authorization') {
    return authorizationErrorFor(oauthError ?? 'invalid_request', errorDescription, error);
  }
  return new IdentityError(
    stage === 'userinfo' ? 'IDENTITY_USERINFO_FAILED' : 'IDENTITY_TOKEN_REQUEST_FAILED',
    `the provider refused the ${stage} request${oauthError === undefined ? '' : ` (${oauthError})`}${described}`,
    { cause: error, status: error.status, details },
  );
}

/**
 * Turns an error thrown by openid-client (or by a network call it made)
 * into an {@link IdentityError} with the code of the check that failed. The
 * cause kept is a sanitised copy (see `IdentityError`); the provider's
 * `error` and `error_description` are in `details` (and the message) when it
 * refused the client or its redirect URI; nothing from a token is copied.
 *
 * @example
 * ```ts
 * try {
 *   await client.authorizationCodeGrant(config, url, checks);
 * } catch (error) {
 *   throw identityErrorFromProtocol(error, 'token');
 * }
 * ```
 */
export function identityErrorFromProtocol(
  error: unknown,
  stage: 'token' | 'userinfo' | 'authorization',
): IdentityError {
  if (IdentityError.isInstance(error)) return error;
  const failed: IdentityErrorCode =
    stage === 'userinfo' ? 'IDENTITY_USERINFO_FAILED' : 'IDENTITY_TOKEN_REQUEST_FAILED';
  if (error instanceof client.AuthorizationResponseError) {
    return authorizationErrorFor(error.error, error.error_description, error);
  }
  if (error instanceof client.ResponseBodyError) return endpointErrorFor(error, stage);
  if (error instanceof client.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    const oauthError = safeToken(challenge?.parameters.error);
    const errorDescription = safeErrorDescription(challenge?.parameters.error_description);
    return new IdentityError(
      oauthError === 'invalid_client' ? 'IDENTITY_CLIENT_AUTHENTICATION_FAILED' : failed,
      `the provider refused the ${stage} request with a challenge${oauthError === undefined ? '' : ` (${oauthError})`}${errorDescription === undefined ? '' : `: ${errorDescription}`}`,
      {
        cause: error,
        status: error.status,
        details: {
          ...(oauthError === undefined ? {} : { error: oauthError }),
          ...(errorDescription === undefined ? {} : { errorDescription }),
        },
      },
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  // openid-client wraps oauth4webapi's processing errors in a ClientError whose cause holds the details
  const inner =
    error instanceof client.ClientError && error.cause instanceof Error ? error.cause : error;
  const cause = (inner as { cause?: unknown } | null)?.cause as Record<string, unknown> | undefined;
  const message = inner instanceof Error ? inner.message : '';
  const claim = typeof cause?.claim === 'string' ? cause.claim : undefined;
  const make = (identityCode: IdentityErrorCode, text: string): IdentityError =>
    new IdentityError(identityCode, text, { cause: error });

  switch (code) {
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      switch (claim) {
        case 'iss':
          return make('IDENTITY_ID_TOKEN_ISSUER_MISMATCH', 'ID token "iss" is not the provider');
        case 'aud':
          return make('IDENTITY_ID_TOKEN_AUDIENCE_MISMATCH', 'ID token "aud" is not this client');
        case 'azp':
          return make(
            'IDENTITY_ID_TOKEN_AUTHORIZED_PARTY_MISMATCH',
            'ID token "azp" is not this client',
          );
        case 'nonce': {
          const claims = cause?.claims as Record<string, unknown> | undefined;
          return claims?.nonce === undefined
            ? make('IDENTITY_ID_TOKEN_NONCE_MISSING', 'ID token has no "nonce"')
            : make('IDENTITY_ID_TOKEN_NONCE_MISMATCH', 'ID token "nonce" is not the one sent');
        }
        default:
          return make(
            'IDENTITY_ID_TOKEN_INVALID',
            `ID token claim check failed (${claim ?? 'unknown claim'})`,
          );
      }
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      if (claim === 'exp') return make('IDENTITY_ID_TOKEN_EXPIRED', 'ID token has expired');
      return make(
        'IDENTITY_ID_TOKEN_INVALID',
        `ID token time check failed (${claim ?? 'unknown claim'})`,
      );
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      if (cause?.attribute === 'sub') {
        return make(
          'IDENTITY_USERINFO_SUBJECT_MISMATCH',
          'userinfo "sub" is not the ID token subject',
        );
      }
      return make(failed, `the provider's ${stage} response failed a check`);
    case 'OAUTH_DECRYPTION_FAILED':
      return make(
        'IDENTITY_DECRYPTION_FAILED',
        `the ${stage} response could not be decrypted with the client's keys`,
      );
    case 'OAUTH_PARSE_ERROR':
      return make('IDENTITY_ID_TOKEN_MALFORMED', `the ${stage} response holds a malformed JWT`);
    case 'OAUTH_INVALID_RESPONSE': {
      if (message.includes('"alg" header parameter')) {
        const header = cause?.header as Record<string, unknown> | undefined;
        return header?.alg === 'none'
          ? make('IDENTITY_ID_TOKEN_UNSIGNED', 'ID token is unsigned (alg "none")')
          : make(
              'IDENTITY_ID_TOKEN_ALGORITHM_NOT_ALLOWED',
              'ID token signature algorithm is not on the allow-list',
            );
      }
      if (message.startsWith('JWT "sub"'))
        return make('IDENTITY_ID_TOKEN_SUBJECT_MISSING', 'ID token has no "sub"');
      if (message.startsWith('JWT "nonce"'))
        return make('IDENTITY_ID_TOKEN_NONCE_MISSING', 'ID token has no "nonce"');
      if (message === 'Invalid JWT')
        return make('IDENTITY_ID_TOKEN_MALFORMED', `the ${stage} response holds a malformed JWT`);
      if (message.includes('JWT'))
        return make('IDENTITY_ID_TOKEN_INVALID', 'ID token is not valid');
      return make(failed, `the provider's ${stage} response is not valid`);
    }
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
    case 'OAUTH_RESPONSE_IS_NOT_JSON':
      return make(failed, `the provider's ${stage} response is not valid`);
    default:
      break;
  }
  const httpFailure = HttpError.isInstance(error)
    ? error
    : HttpError.isInstance(inner)
      ? inner
      : undefined;
  if (httpFailure !== undefined) {
    return new IdentityError(
      'IDENTITY_PROVIDER_REQUEST_FAILED',
      `the ${stage} request did not reach the provider`,
      {
        cause: error,
        isRetryable: httpFailure.isRetryable,
      },
    );
  }
  const name = error instanceof Error ? error.name : '';
  if (
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    (error instanceof TypeError && message === 'fetch failed')
  ) {
    return new IdentityError(
      'IDENTITY_PROVIDER_REQUEST_FAILED',
      `the ${stage} request did not reach the provider`,
      {
        cause: error,
        isRetryable: true,
      },
    );
  }
  return make(failed, `the ${stage} step failed`);
}
