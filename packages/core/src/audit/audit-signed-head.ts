import {
  CompactSign,
  type CryptoKey,
  compactVerify,
  createLocalJWKSet,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type KeyObject,
} from 'jose';
import { AuditError } from '../errors/core-errors.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { AuditHead } from './audit-types.js';
import { canonicalJson } from './canonical-json.js';

/**
 * A chain's head together with the chain's name: what {@link signHead}
 * signs, so a signature for one chain cannot pass for another.
 *
 * @example
 * ```ts
 * const anchor: AuditAnchor = { chain: audit.chain, ...(await audit.head()) };
 * ```
 */
export interface AuditAnchor extends AuditHead {
  readonly chain: string;
}

/**
 * A head read back from a verified signature ({@link verifySignedHead}).
 *
 * @example
 * ```ts
 * const signed: SignedAuditHead = await verifySignedHead(jws, jwks);
 * await audit.verify({ since: signed });
 * ```
 */
export interface SignedAuditHead extends AuditAnchor {
  /** The `kid` of the key that signed it. */
  readonly kid: string;
  /** When it was signed (the signer's clock). */
  readonly signedAt: Date;
}

/**
 * The private key {@link signHead} signs with: an ES256 (P-256) key and the
 * `kid` under which its public key is published.
 *
 * @example
 * ```ts
 * const { privateKey } = await generateKeyPair('ES256');
 * const key: AuditHeadSigningKey = { kid: 'audit-2026-01', privateKey };
 * ```
 */
export interface AuditHeadSigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey | KeyObject | JWK;
}

/**
 * The public keys {@link verifySignedHead} accepts: a JWK Set (the key is
 * chosen by `kid`), or one public key.
 *
 * @example
 * ```ts
 * const keys: AuditHeadVerificationKeys = { keys: [publicJwk] };
 * ```
 */
export type AuditHeadVerificationKeys = JSONWebKeySet | CryptoKey | KeyObject | JWK;

/**
 * Options of {@link signHead}.
 *
 * @example
 * ```ts
 * const options: SignHeadOptions = { clock: systemClock };
 * ```
 */
export interface SignHeadOptions {
  /** Stamps `signedAt`. Defaults to the system clock. */
  readonly clock?: Clock;
}

/**
 * Options of {@link verifySignedHead}.
 *
 * @example
 * ```ts
 * const options: VerifySignedHeadOptions = { chain: 'consent' };
 * ```
 */
export interface VerifySignedHeadOptions {
  /** Refuse a head signed for any other chain. */
  readonly chain?: string;
}

/** The media type in the JWS `typ` header of a signed head. */
const signedHeadType = 'civicblocks-audit-head+jws';
const hashPattern = /^[0-9a-f]{64}$/;

/**
 * Signs a chain's head as a compact JWS (ES256, with `kid` and `typ`
 * `civicblocks-audit-head+jws` in the protected header). The payload is the
 * RFC 8785 canonical JSON of `{ chain, hash, length, signedAt }`. Publish
 * the JWS (and the public key as a JWK Set) where others can fetch it: any
 * JOSE library checks it, and {@link verifySignedHead} reads it back.
 *
 * @throws {@link AuditError} `AUDIT_SIGNED_HEAD_INVALID` for a malformed
 *   head or key (not a P-256 private key, no `kid`).
 * @example
 * ```ts
 * import { generateKeyPair } from 'jose';
 *
 * const { privateKey } = await generateKeyPair('ES256');
 * const jws = await signHead({ chain: audit.chain, ...(await audit.head()) }, { kid: 'audit-1', privateKey });
 * ```
 */
export async function signHead(
  head: AuditAnchor,
  key: AuditHeadSigningKey,
  options: SignHeadOptions = {},
): Promise<string> {
  if (!isAnchor(head)) {
    throw new AuditError(
      'AUDIT_SIGNED_HEAD_INVALID',
      'head must be { chain, length: a whole number from 0, hash: 64 lower-case hex digits }',
      { details: { argument: 'head' } },
    );
  }
  if (typeof key?.kid !== 'string' || key.kid.length === 0) {
    throw new AuditError('AUDIT_SIGNED_HEAD_INVALID', 'the signing key needs a kid', {
      details: { argument: 'key.kid' },
    });
  }
  const signedAt = (options.clock ?? systemClock).now();
  const payload = canonicalJson({
    chain: head.chain,
    hash: head.hash,
    length: head.length,
    signedAt: signedAt.toISOString(),
  });
  try {
    const privateKey = isJwk(key.privateKey)
      ? await importJWK(key.privateKey, 'ES256')
      : key.privateKey;
    return await new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: signedHeadType })
      .sign(privateKey);
  } catch (error) {
    throw new AuditError(
      'AUDIT_SIGNED_HEAD_INVALID',
      'the head could not be signed: the key must be an ES256 (P-256) private key',
      { cause: error, details: { argument: 'key.privateKey' } },
    );
  }
}

/**
 * Checks a head signed by {@link signHead}: the ES256 signature against the
 * key named by its `kid` (or the one key given), the `typ`, and the payload's
 * shape. Returns the head, ready for `audit.verify({ since })` or
 * `audit.verify({ expectedHead })`.
 *
 * @throws {@link AuditError} `AUDIT_SIGNED_HEAD_INVALID` when the signature
 *   does not verify, no key has its `kid`, the payload is malformed, or it
 *   names another chain than `options.chain`.
 * @example
 * ```ts
 * const head = await verifySignedHead(publishedJws, { keys: [publishedPublicJwk] }, { chain: 'consent' });
 * const result = await audit.verify({ since: head });
 * ```
 */
export async function verifySignedHead(
  jws: string,
  keys: AuditHeadVerificationKeys,
  options: VerifySignedHeadOptions = {},
): Promise<SignedAuditHead> {
  if (typeof jws !== 'string') refuse('the signed head must be a compact JWS string');
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    const verifyOptions = { algorithms: ['ES256'] };
    if (isJwkSet(keys)) {
      verified = await compactVerify(jws, createLocalJWKSet(keys), verifyOptions);
    } else {
      const key = isJwk(keys) ? await importJWK(keys, 'ES256') : keys;
      verified = await compactVerify(jws, key, verifyOptions);
    }
  } catch (error) {
    refuse('the signed head does not verify against the keys given', error);
  }
  const { protectedHeader } = verified;
  if (protectedHeader.typ !== signedHeadType) refuse(`the JWS typ is not ${signedHeadType}`);
  if (typeof protectedHeader.kid !== 'string' || protectedHeader.kid === '') {
    refuse('the JWS header has no kid');
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(verified.payload));
  } catch (error) {
    refuse('the signed head payload is not JSON', error);
  }
  const record = claims as Record<string, unknown>;
  const signedAt = typeof record?.signedAt === 'string' ? new Date(record.signedAt) : undefined;
  if (!isAnchor(record) || signedAt === undefined || Number.isNaN(signedAt.getTime())) {
    refuse('the signed head payload is not { chain, hash, length, signedAt }');
  }
  if (options.chain !== undefined && record.chain !== options.chain) {
    refuse('the head was signed for another chain');
  }
  return {
    chain: record.chain,
    length: record.length,
    hash: record.hash,
    kid: protectedHeader.kid,
    signedAt,
  };
}

function refuse(message: string, cause?: unknown): never {
  throw new AuditError('AUDIT_SIGNED_HEAD_INVALID', message, {
    ...(cause === undefined ? {} : { cause }),
  });
}

function isAnchor(value: unknown): value is AuditAnchor {
  const head = value as Partial<AuditAnchor> | null;
  return (
    typeof head === 'object' &&
    head !== null &&
    typeof head.chain === 'string' &&
    head.chain.length > 0 &&
    typeof head.length === 'number' &&
    Number.isSafeInteger(head.length) &&
    head.length >= 0 &&
    typeof head.hash === 'string' &&
    hashPattern.test(head.hash)
  );
}

function isJwkSet(value: unknown): value is JSONWebKeySet {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys)
  );
}

function isJwk(value: unknown): value is JWK {
  // CryptoKey and KeyObject have no `kty`; a JWK always has one.
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kty?: unknown }).kty === 'string'
  );
}
