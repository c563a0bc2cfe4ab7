import { decodeProtectedHeader, errors, importJWK, type JWK, jwtVerify } from 'jose';
import {
  fromGovukIdentityVector,
  type IdentityLevel,
  meetsMinimumAssurance,
} from '../assurance/level-of-assurance.js';
import { IdentityError } from '../errors/identity-error.js';
import { isSecureOrLoopback } from '../relying-party/loopback.js';

// GOV.UK One Login technical documentation, "Prove your user's identity" (validate the
// core identity claim): the JWT is signed with ES256 by a key published in the DID document
// of the identity issuer (did:web), `iss` is that issuer, `aud` the client id, `sub` the ID
// token's, `vot` the identity level achieved (P2), `vtm` the trust mark, with `nbf`, `iat`,
// `exp` and the `vc` credential (name parts, birth date). The `kid` is `<did>#<key id>`.

/**
 * Where GOV.UK One Login core identity JWTs come from and are checked
 * against.
 *
 * @example
 * ```ts
 * const source: CoreIdentitySource = {
 *   didDocumentUrl: 'https://identity.integration.account.gov.uk/.well-known/did.json',
 *   controller: 'did:web:identity.integration.account.gov.uk',
 *   issuer: 'https://identity.integration.account.gov.uk/',
 * };
 * ```
 */
export interface CoreIdentitySource {
  readonly didDocumentUrl: string;
  /** The DID of the document; every key must be controlled by it. */
  readonly controller: string;
  /** The expected `iss` of core identity JWTs. */
  readonly issuer: string;
}

/**
 * The verified payload of a core identity JWT.
 *
 * @example
 * ```ts
 * const given = coreIdentity.givenNames.join(' ');
 * ```
 */
export interface CoreIdentity {
  readonly subject: string;
  /** The identity vector achieved, e.g. `P2`. */
  readonly vectorOfTrust: string;
  /** That vector as a normalised identity level (`P2` -> `medium`). */
  readonly identityLevel: IdentityLevel;
  readonly givenNames: readonly string[];
  readonly familyNames: readonly string[];
  readonly birthDate?: string;
}

/**
 * The core identity source of an identity issuer: its `did:web` controller
 * and DID document URL derived from the issuer's host, as GOV.UK One Login
 * publishes them (`https://identity.integration.account.gov.uk/` ->
 * `did:web:identity.integration.account.gov.uk`, document at
 * `/.well-known/did.json`). A port's colon is percent-encoded (`%3A`) as the
 * did:web method requires; a path on the issuer is not part of the DID.
 * Plain http only on loopback (the dev provider).
 *
 * @example
 * ```ts
 * coreIdentitySourceFor('http://127.0.0.1:4000/identity/');
 * // { issuer: 'http://127.0.0.1:4000/identity/', controller: 'did:web:127.0.0.1%3A4000',
 * //   didDocumentUrl: 'http://127.0.0.1:4000/.well-known/did.json' }
 * ```
 */
export function coreIdentitySourceFor(identityIssuer: string): CoreIdentitySource {
  let url: URL;
  try {
    url = new URL(identityIssuer);
  } catch {
    throw new IdentityError(
      'IDENTITY_CONFIGURATION_INVALID',
      'the core identity issuer must be an absolute URL',
    );
  }
  if (!isSecureOrLoopback(url)) {
    throw new IdentityError(
      'IDENTITY_INSECURE_TRANSPORT',
      'the core identity issuer must use https (plain http only on loopback)',
    );
  }
  return {
    issuer: identityIssuer,
    controller: `did:web:${url.host.replaceAll(':', '%3A')}`,
    didDocumentUrl: `${url.origin}/.well-known/did.json`,
  };
}

interface AssertionKey {
  readonly id: string;
  readonly jwk: JWK;
}

/**
 * Options of {@link createCoreIdentityVerifier}.
 *
 * @example
 * ```ts
 * const options: CoreIdentityVerifierOptions = { keyRefetchCooldownSeconds: 60 };
 * ```
 */
export interface CoreIdentityVerifierOptions {
  /**
   * Minimum time between two DID-document refetches caused by an unknown
   * `kid` (default 30 s). A rotated key is picked up by one refetch; a flood
   * of forged `kid`s cannot make the service hammer the provider.
   */
  readonly keyRefetchCooldownSeconds?: number;
}

/**
 * Verifies GOV.UK One Login core identity JWTs: ES256 only, `vot` at least
 * the identity level asked for (`minimumIdentity`), with keys taken
 * only from the provider's DID document (`assertionMethod` entries whose
 * controller is the expected DID), cached per `Cache-Control`. An unknown
 * `kid` causes one refetch of the document (at most one per cooldown), then
 * is refused.
 *
 * @example
 * ```ts
 * const verifier = createCoreIdentityVerifier(source, () => fetch);
 * const identity = await verifier.verify(jwt, { clientId, subject, now: Date.now(), clockToleranceSeconds: 30 });
 * ```
 */
export function createCoreIdentityVerifier(
  source: CoreIdentitySource,
  fetchImplementation: () => typeof fetch,
  options: CoreIdentityVerifierOptions = {},
): {
  verify(
    token: string,
    expected: {
      clientId: string;
      subject: string;
      now: number;
      clockToleranceSeconds: number;
      /** The lowest identity level the request accepts: a lower `vot` is refused. */
      minimumIdentity?: IdentityLevel;
    },
  ): Promise<CoreIdentity>;
} {
  const cooldown = (options.keyRefetchCooldownSeconds ?? 30) * 1000;
  let cached: { keys: readonly AssertionKey[]; freshUntil: number } | undefined;
  // when the document was last fetched or a refetch for an unknown kid was tried
  let lastLookAt = Number.NEGATIVE_INFINITY;

  const loadKeys = async (now: number, force = false): Promise<readonly AssertionKey[]> => {
    if (!force && cached !== undefined && now < cached.freshUntil) return cached.keys;
    lastLookAt = now;
    let document: unknown;
    let maxAge = 3600;
    try {
      const response = await fetchImplementation()(source.didDocumentUrl, {
        headers: { accept: 'application/did+json, application/json' },
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new IdentityError(
          'IDENTITY_PROVIDER_REQUEST_FAILED',
          `DID document answered status ${response.status}`,
          {
            status: response.status,
            isRetryable: response.status >= 500,
          },
        );
      }
      const match = /max-age\s*=\s*(\d+)/i.exec(response.headers.get('cache-control') ?? '');
      if (match?.[1] !== undefined) maxAge = Math.min(Number(match[1]), 86_400);
      document = await response.json();
    } catch (cause) {
      if (cached !== undefined) return cached.keys;
      if (IdentityError.isInstance(cause)) throw cause;
      throw new IdentityError(
        'IDENTITY_PROVIDER_REQUEST_FAILED',
        'the DID document could not be fetched',
        {
          cause,
          isRetryable: true,
        },
      );
    }
    const record = document as { id?: unknown; assertionMethod?: unknown } | null;
    if (
      record === null ||
      typeof record !== 'object' ||
      record.id !== source.controller ||
      !Array.isArray(record.assertionMethod)
    ) {
      throw new IdentityError(
        'IDENTITY_CORE_IDENTITY_DID_DOCUMENT_INVALID',
        "the DID document is not the expected controller's or has no assertionMethod",
      );
    }
    const keys: AssertionKey[] = [];
    for (const entry of record.assertionMethod as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const method = entry as {
        id?: unknown;
        controller?: unknown;
        type?: unknown;
        publicKeyJwk?: unknown;
      };
      if (
        typeof method.id === 'string' &&
        method.id.startsWith(`${source.controller}#`) &&
        method.controller === source.controller &&
        typeof method.publicKeyJwk === 'object' &&
        method.publicKeyJwk !== null &&
        (method.publicKeyJwk as JWK).kty === 'EC' &&
        (method.publicKeyJwk as JWK).crv === 'P-256'
      ) {
        keys.push({ id: method.id, jwk: method.publicKeyJwk as JWK });
      }
    }
    if (keys.length === 0) {
      throw new IdentityError(
        'IDENTITY_CORE_IDENTITY_DID_DOCUMENT_INVALID',
        'the DID document holds no usable ES256 key',
      );
    }
    cached = { keys, freshUntil: now + maxAge * 1000 };
    return keys;
  };

  return {
    async verify(token, expected): Promise<CoreIdentity> {
      let header: ReturnType<typeof decodeProtectedHeader>;
      try {
        header = decodeProtectedHeader(token);
      } catch (cause) {
        throw new IdentityError(
          'IDENTITY_CORE_IDENTITY_INVALID',
          'the core identity JWT is malformed',
          { cause },
        );
      }
      if (header.alg !== 'ES256') {
        throw new IdentityError(
          'IDENTITY_CORE_IDENTITY_INVALID',
          'the core identity JWT is not signed with ES256',
        );
      }
      let keys = await loadKeys(expected.now);
      let key = keys.find((candidate) => candidate.id === header.kid);
      if (key === undefined && expected.now - lastLookAt >= cooldown) {
        // the provider may have rotated its key: look once more, then not again within the cooldown
        keys = await loadKeys(expected.now, true);
        key = keys.find((candidate) => candidate.id === header.kid);
      }
      if (key === undefined) {
        throw new IdentityError(
          'IDENTITY_CORE_IDENTITY_KEY_NOT_FOUND',
          'the core identity JWT "kid" is not an assertionMethod of the DID document',
        );
      }
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, await importJWK(key.jwk, 'ES256'), {
          algorithms: ['ES256'],
          issuer: source.issuer,
          audience: expected.clientId,
          currentDate: new Date(expected.now),
          clockTolerance: expected.clockToleranceSeconds,
          requiredClaims: ['sub', 'exp', 'vot', 'vc'],
        }));
      } catch (cause) {
        if (cause instanceof errors.JWTExpired) {
          throw new IdentityError(
            'IDENTITY_CORE_IDENTITY_EXPIRED',
            'the core identity JWT has expired',
            { cause },
          );
        }
        if (cause instanceof errors.JWTClaimValidationFailed && cause.claim === 'iss') {
          throw new IdentityError(
            'IDENTITY_CORE_IDENTITY_ISSUER_MISMATCH',
            'the core identity JWT "iss" is not expected',
            {
              cause,
            },
          );
        }
        if (cause instanceof errors.JWTClaimValidationFailed && cause.claim === 'aud') {
          throw new IdentityError(
            'IDENTITY_CORE_IDENTITY_AUDIENCE_MISMATCH',
            'the core identity JWT "aud" is not this client',
            { cause },
          );
        }
        if (cause instanceof errors.JWSSignatureVerificationFailed) {
          throw new IdentityError(
            'IDENTITY_CORE_IDENTITY_SIGNATURE_INVALID',
            'the core identity JWT signature does not verify',
            {
              cause,
            },
          );
        }
        throw new IdentityError(
          'IDENTITY_CORE_IDENTITY_INVALID',
          'the core identity JWT is not valid',
          { cause },
        );
      }
      if (payload.sub !== expected.subject) {
        throw new IdentityError(
          'IDENTITY_CORE_IDENTITY_SUBJECT_MISMATCH',
          'the core identity JWT "sub" is not the ID token subject',
        );
      }
      const level =
        typeof payload.vot === 'string' ? fromGovukIdentityVector(payload.vot) : undefined;
      if (level === undefined) {
        throw new IdentityError(
          'IDENTITY_CORE_IDENTITY_INVALID',
          'the core identity JWT "vot" is not an identity vector (P0..P3)',
        );
      }
      const minimum = expected.minimumIdentity;
      if (
        minimum !== undefined &&
        !meetsMinimumAssurance(
          { authentication: 'low', identity: level },
          { authentication: 'low', identity: minimum },
        )
      ) {
        throw new IdentityError(
          'IDENTITY_CORE_IDENTITY_VOT_MISMATCH',
          'the core identity "vot" is lower than the identity level requested',
          { details: { achieved: payload.vot, minimumIdentity: minimum } },
        );
      }
      const subject = credentialSubjectOf(payload.vc);
      const nameParts = Array.isArray(subject.name)
        ? ((subject.name[0] as { nameParts?: unknown })?.nameParts ?? [])
        : [];
      const parts = Array.isArray(nameParts)
        ? (nameParts as { type?: unknown; value?: unknown }[])
        : [];
      const valuesOf = (type: string): string[] =>
        parts
          .filter((part) => part.type === type && typeof part.value === 'string')
          .map((part) => (part.value as string).normalize('NFC'));
      const birth = Array.isArray(subject.birthDate)
        ? (subject.birthDate[0] as { value?: unknown })?.value
        : undefined;
      return {
        subject: payload.sub as string,
        vectorOfTrust: String(payload.vot),
        identityLevel: level,
        givenNames: valuesOf('GivenName'),
        familyNames: valuesOf('FamilyName'),
        ...(typeof birth === 'string' ? { birthDate: birth } : {}),
      };
    },
  };
}

function credentialSubjectOf(vc: unknown): Record<string, unknown> {
  if (typeof vc !== 'object' || vc === null) return {};
  const subject = (vc as { credentialSubject?: unknown }).credentialSubject;
  return typeof subject === 'object' && subject !== null
    ? (subject as Record<string, unknown>)
    : {};
}
