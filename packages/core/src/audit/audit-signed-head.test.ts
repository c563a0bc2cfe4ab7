import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuditError } from '../errors/core-errors.js';
import { createManualClock } from '../time/clock.js';
import { auditGenesisHash } from './audit-entry-hash.js';
import { signHead, verifySignedHead } from './audit-signed-head.js';
import { canonicalJson } from './canonical-json.js';

const head = { chain: 'consent', length: 120, hash: 'ab'.repeat(32) };

async function invalid(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return AuditError.isInstance(error) ? error.code : `not an AuditError: ${String(error)}`;
  }
  return undefined;
}

describe('signed audit heads', () => {
  it('signs a head as an ES256 JWS with kid, checked against a JWK Set or a single key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const clock = createManualClock('2026-03-01T10:00:00.000Z');
    const jws = await signHead(head, { kid: 'audit-2026-03', privateKey }, { clock });

    const [encodedHeader, encodedPayload] = jws.split('.');
    expect(JSON.parse(Buffer.from(encodedHeader as string, 'base64url').toString())).toEqual({
      alg: 'ES256',
      kid: 'audit-2026-03',
      typ: 'civicblocks-audit-head+jws',
    });
    expect(Buffer.from(encodedPayload as string, 'base64url').toString()).toBe(
      canonicalJson({ ...head, signedAt: '2026-03-01T10:00:00.000Z' }),
    );

    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'audit-2026-03', alg: 'ES256' };
    const { publicKey: otherKey } = await generateKeyPair('ES256', { extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(otherKey)), kid: 'old' }, publicJwk] };
    const expected = { ...head, kid: 'audit-2026-03', signedAt: clock.now() };
    expect(await verifySignedHead(jws, jwks, { chain: 'consent' })).toEqual(expected);
    expect(await verifySignedHead(jws, publicKey)).toEqual(expected);
    expect(await verifySignedHead(jws, publicJwk)).toEqual(expected);
  });

  it('signs with a private JWK and an empty chain head', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const empty = { chain: 'new', length: 0, hash: auditGenesisHash };
    const jws = await signHead(empty, { kid: 'k', privateKey: privateJwk });
    expect(await verifySignedHead(jws, publicKey)).toMatchObject(empty);
  });

  it('refuses another key, another chain, a changed payload, a missing kid and malformed input', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const { publicKey: strangerKey } = await generateKeyPair('ES256', { extractable: true });
    const jws = await signHead(head, { kid: 'k1', privateKey });

    expect(await invalid(verifySignedHead(jws, strangerKey))).toBe('AUDIT_SIGNED_HEAD_INVALID');
    expect(
      await invalid(
        verifySignedHead(jws, { keys: [{ ...(await exportJWK(publicKey)), kid: 'k2' }] }),
      ),
    ).toBe('AUDIT_SIGNED_HEAD_INVALID');
    expect(await invalid(verifySignedHead(jws, publicKey, { chain: 'payments' }))).toBe(
      'AUDIT_SIGNED_HEAD_INVALID',
    );
    const [encodedHeader, , signature] = jws.split('.');
    const longer = Buffer.from(
      canonicalJson({ ...head, length: 121, signedAt: new Date().toISOString() }),
    ).toString('base64url');
    expect(
      await invalid(verifySignedHead(`${encodedHeader}.${longer}.${signature}`, publicKey)),
    ).toBe('AUDIT_SIGNED_HEAD_INVALID');
    expect(await invalid(verifySignedHead('not a jws', publicKey))).toBe(
      'AUDIT_SIGNED_HEAD_INVALID',
    );
    expect(await invalid(verifySignedHead(42 as unknown as string, publicKey))).toBe(
      'AUDIT_SIGNED_HEAD_INVALID',
    );

    expect(await invalid(signHead(head, { kid: '', privateKey }))).toBe(
      'AUDIT_SIGNED_HEAD_INVALID',
    );
    expect(await invalid(signHead({ ...head, hash: 'nope' }, { kid: 'k', privateKey }))).toBe(
      'AUDIT_SIGNED_HEAD_INVALID',
    );
    expect(await invalid(signHead({ ...head, length: -1 }, { kid: 'k', privateKey }))).toBe(
      'AUDIT_SIGNED_HEAD_INVALID',
    );
    const { privateKey: rsaKey } = await generateKeyPair('RS256');
    expect(await invalid(signHead(head, { kid: 'k', privateKey: rsaKey }))).toBe(
      'AUDIT_SIGNED_HEAD_INVALID',
    );
  });

  it('refuses a JWS of another type signed with the right key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const { CompactSign } = await import('jose');
    const foreign = await new CompactSign(
      new TextEncoder().encode(canonicalJson({ ...head, signedAt: '2026-01-01T00:00:00.000Z' })),
    )
      .setProtectedHeader({ alg: 'ES256', kid: 'k' })
      .sign(privateKey);
    expect(await invalid(verifySignedHead(foreign, publicKey))).toBe('AUDIT_SIGNED_HEAD_INVALID');
    const withoutKid = await new CompactSign(
      new TextEncoder().encode(canonicalJson({ ...head, signedAt: '2026-01-01T00:00:00.000Z' })),
    )
      .setProtectedHeader({ alg: 'ES256', typ: 'civicblocks-audit-head+jws' })
      .sign(privateKey);
    expect(await invalid(verifySignedHead(withoutKid, publicKey))).toBe(
      'AUDIT_SIGNED_HEAD_INVALID',
    );
  });
});
