import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../audit/canonical-json.js';

/**
 * The fingerprint {@link IdempotencyStore.run} keeps of a request: SHA-256 in
 * hex of its canonical JSON (RFC 8785), so the same data in another key order
 * is the same request.
 *
 * @throws {@link InvalidInputError} `INVALID_ARGUMENT` if `request` is not JSON.
 * @example
 * ```ts
 * requestFingerprint({ amount: 1200, currency: 'VND' }) === requestFingerprint({ currency: 'VND', amount: 1200 }); // true
 * ```
 */
export function requestFingerprint(request: JsonValue): string {
  return createHash('sha256').update(canonicalJson(request), 'utf8').digest('hex');
}
