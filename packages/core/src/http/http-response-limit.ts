import type { HttpError } from '../errors/core-errors.js';
import { type FailureContext, toHttpError } from './http-failure.js';

/**
 * Whether a response head declares a body larger than the limit, so the
 * request can fail before the body is read. undici's `maxResponseSize`
 * enforces the limit on bodies that declare no length (or a false one).
 *
 * @example
 * ```ts
 * declaredLengthExceeds('GET', { 'content-length': '2048' }, 1024); // true
 * ```
 */
export function declaredLengthExceeds(
  method: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  maxResponseBytes: number,
): boolean {
  const declaredLength = headers['content-length'];
  return (
    typeof declaredLength === 'string' &&
    method !== 'HEAD' &&
    Number(declaredLength) > maxResponseBytes
  );
}

/**
 * The `HTTP_RESPONSE_TOO_LARGE` error of a response whose declared length
 * exceeds the limit, as undici reports a body that outgrows it.
 *
 * @example
 * ```ts
 * const error = declaredLengthError({ method: 'GET', origin: 'https://api.example.gov', maxResponseBytes: 1024 });
 * ```
 */
export function declaredLengthError(context: FailureContext): HttpError {
  return toHttpError(
    Object.assign(new Error('Content-Length exceeds the response size limit'), {
      code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE',
    }),
    context,
  );
}
