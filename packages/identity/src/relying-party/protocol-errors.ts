import { HttpError } from '@civicblocks/core';
import * as client from 'openid-client';
import { IdentityError, type IdentityErrorCode } from '../errors/identity-error.js';

const safeToken = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined;

/**
 * Turns an error thrown by openid-client (or by a network call it made)
 * into an {@link IdentityError} with the code of the check that failed. The
 * original error is kept as `cause`; nothing from the token is copied into
 * the message.
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
    const oauthError = safeToken(error.error);
    return new IdentityError(
      'IDENTITY_AUTHORIZATION_DENIED',
      'the provider answered the authorization request with an error',
      {
        cause: error,
        ...(oauthError === undefined ? {} : { details: { error: oauthError } }),
      },
    );
  }
  if (error instanceof client.ResponseBodyError) {
    const oauthError = safeToken(error.error);
    return new IdentityError(failed, `the provider refused the ${stage} request`, {
      cause: error,
      status: error.status,
      isRetryable: error.status >= 500,
      ...(oauthError === undefined ? {} : { details: { error: oauthError } }),
    });
  }
  if (error instanceof client.WWWAuthenticateChallengeError) {
    return new IdentityError(failed, `the provider refused the ${stage} request with a challenge`, {
      cause: error,
      status: error.status,
    });
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
