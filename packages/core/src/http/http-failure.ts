import { HttpError, type HttpErrorCode } from '../errors/core-errors.js';
import { isRetryableErrorCode, isRetryableStatus } from './http-retry.js';

/**
 * What a failure message and its details may say about the request: the
 * method and origin only (paths and query strings may hold personal data).
 *
 * @example
 * ```ts
 * const context: FailureContext = { method: 'GET', origin: 'https://api.example.gov', attempts: 3 };
 * ```
 */
export interface FailureContext {
  readonly method: string;
  readonly origin: string;
  /** Attempts made, the failed one included, when known. */
  readonly attempts?: number | undefined;
  /** The response status, when headers arrived before the failure. */
  readonly status?: number | undefined;
  /** The remote request id, when headers arrived before the failure. */
  readonly requestId?: string | undefined;
  /** The wait a `Retry-After` asked for, when the client gave up on it. */
  readonly retryAfterMs?: number | undefined;
  /** The client's response size limit, for `HTTP_RESPONSE_TOO_LARGE`. */
  readonly maxResponseBytes?: number | undefined;
}

interface Classified {
  readonly code: HttpErrorCode;
  readonly isRetryable: boolean;
  readonly what: string;
}

function classify(code: string | undefined, name: string | undefined): Classified {
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 'HTTP_TIMEOUT', isRetryable: true, what: 'timed out while connecting' };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return {
        code: 'HTTP_TIMEOUT',
        isRetryable: true,
        what: 'timed out waiting for the response headers',
      };
    case 'UND_ERR_BODY_TIMEOUT':
      return {
        code: 'HTTP_TIMEOUT',
        isRetryable: true,
        what: 'timed out waiting for the response body',
      };
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return {
        code: 'HTTP_RESPONSE_TOO_LARGE',
        isRetryable: false,
        what: 'sent a response body larger than the limit',
      };
    case 'UND_ERR_HEADERS_OVERFLOW':
      return {
        code: 'HTTP_RESPONSE_TOO_LARGE',
        isRetryable: false,
        what: 'sent response headers larger than the limit',
      };
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return {
        code: 'HTTP_CLIENT_CLOSED',
        isRetryable: false,
        what: 'was refused: the client is closed',
      };
    case 'UND_ERR_ABORTED':
    case 'UND_ERR_ABORT':
      return { code: 'HTTP_ABORTED', isRetryable: false, what: 'was aborted' };
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
    case 'ERR_INVALID_ARG_TYPE':
    case 'ERR_INVALID_ARG_VALUE':
    case 'ERR_INVALID_URL':
      return { code: 'HTTP_INVALID_REQUEST', isRetryable: false, what: 'is not a valid request' };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return {
        code: 'HTTP_INVALID_RESPONSE',
        isRetryable: true,
        what: 'sent a body that does not match its Content-Length',
      };
    case 'UND_ERR_SOCKET':
      return { code: 'HTTP_NETWORK', isRetryable: true, what: 'failed: the connection was closed' };
    default:
      break;
  }
  if (code?.startsWith('HPE_') === true) {
    return {
      code: 'HTTP_INVALID_RESPONSE',
      isRetryable: false,
      what: 'sent a malformed HTTP response',
    };
  }
  if (name === 'AbortError')
    return { code: 'HTTP_ABORTED', isRetryable: false, what: 'was aborted' };
  if (name === 'TimeoutError')
    return { code: 'HTTP_TIMEOUT', isRetryable: true, what: 'timed out' };
  if (code !== undefined && isRetryableErrorCode(code)) {
    return {
      code: 'HTTP_NETWORK',
      isRetryable: true,
      what: `failed to connect or was cut off (${code})`,
    };
  }
  return {
    code: 'HTTP_NETWORK',
    isRetryable: false,
    what: code === undefined ? 'failed' : `failed (${code})`,
  };
}

function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : undefined;
}

function errorNameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

function describe(context: FailureContext, what: string): string {
  const attempts =
    context.attempts !== undefined && context.attempts > 1
      ? ` after ${context.attempts} attempts`
      : '';
  return `${context.method} ${context.origin} ${what}${attempts}`;
}

function detailsOf(
  context: FailureContext,
  extra: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return {
    method: context.method,
    origin: context.origin,
    ...(context.attempts === undefined ? {} : { attempts: context.attempts }),
    ...(context.retryAfterMs === undefined ? {} : { retryAfterMs: context.retryAfterMs }),
    ...extra,
  };
}

/**
 * Maps anything undici, Node.js or an abort signal throws to an
 * {@link HttpError} with the right code, `isRetryable`, `status`, `requestId`
 * and the original `cause`. The message names the method, origin and what
 * went wrong; never a path, query string, header value or body. An
 * `HttpError` passes through unchanged.
 *
 * @example
 * ```ts
 * const error = toHttpError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), {
 *   method: 'GET', origin: 'https://api.example.gov', attempts: 3,
 * });
 * error.code; // 'HTTP_NETWORK'
 * ```
 */
export function toHttpError(error: unknown, context: FailureContext): HttpError {
  if (HttpError.isInstance(error)) return error;
  const code = errorCodeOf(error);
  const classified = classify(code, errorNameOf(error));
  const extra: Record<string, unknown> = {};
  if (code !== undefined) extra.errorCode = code;
  if (classified.code === 'HTTP_RESPONSE_TOO_LARGE' && context.maxResponseBytes !== undefined) {
    extra.limitBytes = context.maxResponseBytes;
  }
  return new HttpError(classified.code, describe(context, classified.what), {
    cause: error,
    isRetryable: classified.isRetryable,
    ...(context.status === undefined ? {} : { status: context.status }),
    ...(context.requestId === undefined ? {} : { requestId: context.requestId }),
    details: detailsOf(context, extra),
  });
}

/**
 * The error for a request cancelled through its `AbortSignal`:
 * `HTTP_TIMEOUT` when the signal's reason is a `TimeoutError` (as from
 * `AbortSignal.timeout()`), else `HTTP_ABORTED`. The reason is the `cause`.
 *
 * @example
 * ```ts
 * const error = abortError(new DOMException('gone', 'AbortError'), { method: 'GET', origin: 'https://api.example.gov', attempts: 1 });
 * error.code; // 'HTTP_ABORTED'
 * ```
 */
export function abortError(reason: unknown, context: FailureContext): HttpError {
  const timedOut = errorNameOf(reason) === 'TimeoutError';
  return new HttpError(
    timedOut ? 'HTTP_TIMEOUT' : 'HTTP_ABORTED',
    describe(
      context,
      timedOut ? 'timed out (the caller’s signal fired)' : 'was aborted by the caller',
    ),
    {
      cause: reason,
      isRetryable: timedOut,
      ...(context.status === undefined ? {} : { status: context.status }),
      ...(context.requestId === undefined ? {} : { requestId: context.requestId }),
      details: detailsOf(context, {}),
    },
  );
}

/**
 * The `HTTP_STATUS` error for a response whose status is not 2xx.
 * `isRetryable` is true for 429, 500, 502, 503 and 504.
 *
 * @example
 * ```ts
 * const error = statusError({ method: 'GET', origin: 'https://api.example.gov', attempts: 3, status: 503 });
 * error.isRetryable; // true
 * ```
 */
export function statusError(context: FailureContext & { readonly status: number }): HttpError {
  return new HttpError('HTTP_STATUS', describe(context, `answered with status ${context.status}`), {
    status: context.status,
    isRetryable: isRetryableStatus(context.status),
    ...(context.requestId === undefined ? {} : { requestId: context.requestId }),
    details: detailsOf(context, {}),
  });
}

/**
 * The `HTTP_CLIENT_CLOSED` error for a request made after `close()`.
 *
 * @example
 * ```ts
 * const error = closedError('GET', 'https://api.example.gov');
 * error.code; // 'HTTP_CLIENT_CLOSED'
 * ```
 */
export function closedError(method: string, origin: string): HttpError {
  return new HttpError(
    'HTTP_CLIENT_CLOSED',
    `${method} ${origin} was refused: the client is closed`,
    {
      details: { method, origin },
    },
  );
}
