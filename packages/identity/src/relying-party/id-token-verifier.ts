import { type Clock, systemClock } from '@civicblocks/core';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  customFetch as joseCustomFetch,
  jwtVerify,
} from 'jose';
import { IdentityError } from '../errors/identity-error.js';

/**
 * Options of {@link createIdTokenVerifier}.
 *
 * @example
 * ```ts
 * const options: IdTokenVerifierOptions = {
 *   issuer: 'https://id.example.gov',
 *   clientId: 'my-service',
 *   jwksUri: 'https://id.example.gov/jwks',
 *   algorithms: ['RS256', 'ES256'],
 * };
 * ```
 */
export interface IdTokenVerifierOptions {
  readonly issuer: string;
  readonly clientId: string;
  /** The provider's JWKS URL (fetched, cached, refetched once on an unknown `kid`). */
  readonly jwksUri?: string;
  /** Or a key resolver of your own (for example `createLocalJWKSet`). */
  readonly keySet?: JWTVerifyGetKey;
  /** The signature algorithm allow-list. */
  readonly algorithms: readonly string[];
  /** 0..30 seconds (default 30). */
  readonly clockToleranceSeconds?: number;
  /** Minimum time between two refetches for an unknown `kid` (default 30 s). */
  readonly jwksCooldownSeconds?: number;
  readonly fetch?: typeof fetch;
  readonly timeoutMilliseconds?: number;
  /** The time source (default core's `systemClock`). */
  readonly clock?: Clock;
}

/**
 * What an ID token must also match, beyond issuer, audience and time.
 *
 * @example
 * ```ts
 * const expected: IdTokenExpectations = { nonce: transaction.nonce };
 * ```
 */
export interface IdTokenExpectations {
  readonly nonce?: string;
  /** A JWT `typ` the token must carry (for logout tokens: `logout+jwt`). */
  readonly type?: string;
  /** Claims that must be present. Default `sub`, `iat`, `exp`. */
  readonly requiredClaims?: readonly string[];
}

/**
 * Verifies ID tokens (and other provider-signed JWTs) with jose.
 *
 * @example
 * ```ts
 * const claims = await verifier.verify(idToken, { nonce });
 * ```
 */
export interface IdTokenVerifier {
  verify(token: string, expected?: IdTokenExpectations): Promise<JWTPayload>;
}

/**
 * Creates an ID token verifier on jose: signature against the provider's
 * JWKS (cached; an unknown `kid` triggers at most one refetch, then none
 * within the cooldown) and an algorithm allow-list (`none` and HMAC with a
 * public key are refused), `iss`, `aud`, `azp`, `exp`, `iat` not in the
 * future, `nbf`, `sub` and `nonce`, each failure with its own
 * {@link IdentityError} code. The relying party uses it on every ID token.
 *
 * @example
 * ```ts
 * import { createIdTokenVerifier } from '@civicblocks/identity';
 *
 * const verifier = createIdTokenVerifier({
 *   issuer: 'https://id.example.gov',
 *   clientId: 'my-service',
 *   jwksUri: 'https://id.example.gov/jwks',
 *   algorithms: ['RS256'],
 * });
 * const claims = await verifier.verify(idToken, { nonce });
 * ```
 */
export function createIdTokenVerifier(options: IdTokenVerifierOptions): IdTokenVerifier {
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  if (!(clockTolerance >= 0 && clockTolerance <= 30)) {
    throw new IdentityError(
      'IDENTITY_CONFIGURATION_INVALID',
      'clockToleranceSeconds must be between 0 and 30',
    );
  }
  let keySet = options.keySet;
  if (keySet === undefined) {
    if (options.jwksUri === undefined) {
      throw new IdentityError('IDENTITY_CONFIGURATION_INVALID', 'give jwksUri or keySet');
    }
    const providerFetch = options.fetch;
    keySet = createRemoteJWKSet(new URL(options.jwksUri), {
      cooldownDuration: (options.jwksCooldownSeconds ?? 30) * 1000,
      cacheMaxAge: 600_000,
      timeoutDuration: options.timeoutMilliseconds ?? 10_000,
      ...(providerFetch === undefined
        ? {}
        : {
            [joseCustomFetch]: (url: string, init: object) =>
              providerFetch(url, init as RequestInit),
          }),
    });
  }
  const resolveKey = keySet;
  const algorithms = [...options.algorithms];
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now().getTime();

  return {
    async verify(token: string, expected: IdTokenExpectations = {}): Promise<JWTPayload> {
      let alg: unknown;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch (cause) {
        throw new IdentityError('IDENTITY_ID_TOKEN_MALFORMED', 'the token is not a JWS', { cause });
      }
      if (alg === 'none')
        throw new IdentityError('IDENTITY_ID_TOKEN_UNSIGNED', 'the token is unsigned (alg "none")');
      const time = now();
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, resolveKey, {
          issuer: options.issuer,
          audience: options.clientId,
          algorithms,
          clockTolerance,
          currentDate: new Date(time),
          requiredClaims: [...(expected.requiredClaims ?? ['sub', 'iat', 'exp'])],
          ...(expected.type === undefined ? {} : { typ: expected.type }),
        }));
      } catch (cause) {
        throw mapJoseError(cause);
      }
      if (typeof payload.iat === 'number' && payload.iat * 1000 > time + clockTolerance * 1000) {
        throw new IdentityError(
          'IDENTITY_ID_TOKEN_ISSUED_IN_FUTURE',
          'the token "iat" is in the future beyond the tolerance',
        );
      }
      const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if ((payload.azp !== undefined || audiences.length > 1) && payload.azp !== options.clientId) {
        throw new IdentityError(
          'IDENTITY_ID_TOKEN_AUTHORIZED_PARTY_MISMATCH',
          'the token "azp" is not this client',
        );
      }
      if (expected.nonce !== undefined) {
        if (payload.nonce === undefined)
          throw new IdentityError('IDENTITY_ID_TOKEN_NONCE_MISSING', 'the token has no "nonce"');
        if (payload.nonce !== expected.nonce) {
          throw new IdentityError(
            'IDENTITY_ID_TOKEN_NONCE_MISMATCH',
            'the token "nonce" is not the one sent',
          );
        }
      }
      return payload;
    },
  };
}

function mapJoseError(cause: unknown): IdentityError {
  if (cause instanceof errors.JWTExpired) {
    return new IdentityError('IDENTITY_ID_TOKEN_EXPIRED', 'the token has expired', { cause });
  }
  if (cause instanceof errors.JWTClaimValidationFailed) {
    switch (cause.claim) {
      case 'iss':
        return new IdentityError(
          'IDENTITY_ID_TOKEN_ISSUER_MISMATCH',
          'the token "iss" is not the provider',
          { cause },
        );
      case 'aud':
        return new IdentityError(
          'IDENTITY_ID_TOKEN_AUDIENCE_MISMATCH',
          'the token "aud" is not this client',
          { cause },
        );
      case 'sub':
        return new IdentityError('IDENTITY_ID_TOKEN_SUBJECT_MISSING', 'the token has no "sub"', {
          cause,
        });
      case 'nbf':
        return new IdentityError(
          'IDENTITY_ID_TOKEN_ISSUED_IN_FUTURE',
          'the token is not valid yet ("nbf")',
          { cause },
        );
      default:
        return new IdentityError(
          'IDENTITY_ID_TOKEN_INVALID',
          `the token failed the "${cause.claim}" check`,
          { cause },
        );
    }
  }
  if (cause instanceof errors.JOSEAlgNotAllowed) {
    return new IdentityError(
      'IDENTITY_ID_TOKEN_ALGORITHM_NOT_ALLOWED',
      'the token algorithm is not on the allow-list',
      {
        cause,
      },
    );
  }
  if (
    cause instanceof errors.JWKSNoMatchingKey ||
    cause instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new IdentityError(
      'IDENTITY_ID_TOKEN_KEY_NOT_FOUND',
      'no provider key matches the token "kid"',
      { cause },
    );
  }
  if (cause instanceof errors.JWSSignatureVerificationFailed) {
    return new IdentityError(
      'IDENTITY_ID_TOKEN_SIGNATURE_INVALID',
      'the token signature does not verify',
      { cause },
    );
  }
  if (cause instanceof errors.JWSInvalid || cause instanceof errors.JWTInvalid) {
    return new IdentityError('IDENTITY_ID_TOKEN_MALFORMED', 'the token is malformed', { cause });
  }
  if (cause instanceof errors.JWKSTimeout || !(cause instanceof errors.JOSEError)) {
    return new IdentityError(
      'IDENTITY_PROVIDER_REQUEST_FAILED',
      'the provider keys could not be fetched',
      {
        cause,
        isRetryable: true,
      },
    );
  }
  return new IdentityError('IDENTITY_ID_TOKEN_INVALID', 'the token could not be verified', {
    cause,
  });
}
