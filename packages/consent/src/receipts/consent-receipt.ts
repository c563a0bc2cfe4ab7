import { CompactSign, compactVerify, createLocalJWKSet, type JWK } from 'jose';
import { ConsentError } from '../errors/consent-error.js';
import type { ConsentRecord } from './consent-record.js';
import type { ConsentJwks, ReceiptSigner } from './signing-keys.js';

/** The `typ` header of every consent receipt. */
const receiptType = 'consent-receipt+jws';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A verified receipt: the record it carries and the key that signed it.
 *
 * @example
 * ```ts
 * const verified: VerifiedReceipt = await verifyReceipt(jws, jwks);
 * console.log(verified.kid, verified.record.event.event_type);
 * ```
 */
export interface VerifiedReceipt {
  readonly record: ConsentRecord;
  readonly kid: string;
}

/** Signs a record as a compact JWS (ES256, kid, typ). @internal */
export async function signReceipt(signer: ReceiptSigner, record: ConsentRecord): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(record)))
    .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: receiptType })
    .sign(signer.key);
}

/**
 * Verifies a consent receipt (a compact JWS) against a published JWKS and
 * returns the consent record it carries. Receipts signed by a retired key
 * verify as long as the JWKS still lists that key.
 *
 * @throws {@link ConsentError} `CONSENT_INVALID_RECEIPT` when the signature,
 *   the key id, the algorithm or the payload's shape is wrong.
 * @example
 * ```ts
 * import { verifyReceipt } from '@civicblocks/consent';
 *
 * const jwks = await (await fetch('https://consent.example.gov.vn/.well-known/jwks.json')).json();
 * const { record } = await verifyReceipt(receiptJws, jwks);
 * console.log(record.pii_principal_id, record.event.event_type);
 * ```
 */
export async function verifyReceipt(
  jws: string,
  jwks: ConsentJwks | { keys: JWK[] },
): Promise<VerifiedReceipt> {
  if (typeof jws !== 'string' || jws.length > 100_000) {
    throw new ConsentError('CONSENT_INVALID_RECEIPT', 'a receipt must be a compact JWS string');
  }
  let payload: Uint8Array;
  let kid: unknown;
  let typ: unknown;
  try {
    const keySet = createLocalJWKSet({ keys: [...jwks.keys] as JWK[] });
    const verified = await compactVerify(jws, keySet, { algorithms: ['ES256'] });
    payload = verified.payload;
    kid = verified.protectedHeader.kid;
    typ = verified.protectedHeader.typ;
  } catch (error) {
    throw new ConsentError(
      'CONSENT_INVALID_RECEIPT',
      'the receipt signature does not verify with the given keys',
      { cause: error },
    );
  }
  if (typ !== receiptType || typeof kid !== 'string') {
    throw new ConsentError(
      'CONSENT_INVALID_RECEIPT',
      `the receipt header must carry typ "${receiptType}" and a kid`,
    );
  }
  let record: unknown;
  try {
    record = JSON.parse(decoder.decode(payload));
  } catch (error) {
    throw new ConsentError('CONSENT_INVALID_RECEIPT', 'the receipt payload is not JSON', {
      cause: error,
    });
  }
  if (
    typeof record !== 'object' ||
    record === null ||
    (record as { schema_version?: unknown }).schema_version !== 'ISO/IEC TS 27560:2023' ||
    typeof (record as { record_id?: unknown }).record_id !== 'string' ||
    !Array.isArray((record as { processing?: unknown }).processing)
  ) {
    throw new ConsentError(
      'CONSENT_INVALID_RECEIPT',
      'the receipt payload is not a consent record',
    );
  }
  return { record: record as ConsentRecord, kid };
}
