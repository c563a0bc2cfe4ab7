/**
 * How the HTTP client retries a failed attempt. Only idempotent requests are
 * ever retried: GET, HEAD, OPTIONS, PUT, DELETE and TRACE, or any request that
 * carries an `Idempotency-Key` header.
 *
 * @example
 * ```ts
 * const retry: HttpRetryOptions = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };
 * const client = createHttpClient({ retry });
 * ```
 */
export interface HttpRetryOptions {
  /** Attempts in all, the first included. Default 3; `1` turns retries off. */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff, in milliseconds. Default 100. */
  readonly baseDelayMs?: number;
  /**
   * The longest single wait before a retry, in milliseconds. Default 10 000.
   * Caps the backoff; a `Retry-After` asking for longer gives up at once
   * instead of waiting.
   */
  readonly maxDelayMs?: number;
  /** Source of the jitter, a number in [0, 1). Default `Math.random`; inject one in tests. */
  readonly random?: () => number;
}

/**
 * Retry settings with every default applied.
 *
 * @example
 * ```ts
 * const policy: RetryPolicy = resolveRetryPolicy({ maxAttempts: 2 });
 * ```
 */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly random: () => number;
}

/**
 * Applies the defaults to {@link HttpRetryOptions}. Does not validate:
 * `createHttpClient` checks the numbers first.
 *
 * @example
 * ```ts
 * const policy = resolveRetryPolicy({ maxAttempts: 5 });
 * ```
 */
export function resolveRetryPolicy(options: HttpRetryOptions = {}): RetryPolicy {
  return {
    maxAttempts: options.maxAttempts ?? 3,
    baseDelayMs: options.baseDelayMs ?? 100,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    random: options.random ?? Math.random,
  };
}

/**
 * Exponential backoff with full jitter: a delay drawn uniformly from
 * `[0, min(maxDelayMs, baseDelayMs * 2^retryNumber))`, where `retryNumber`
 * counts retries from 0 (the first retry waits up to `baseDelayMs`). Full
 * jitter spreads the retries of many clients that failed together.
 *
 * @param retryNumber - how many retries came before this one (0 for the first).
 * @returns whole milliseconds to wait.
 * @example
 * ```ts
 * // a wait of 0 to 399 ms before the third retry
 * const delay = fullJitterDelay(2, { baseDelayMs: 100, maxDelayMs: 10_000 });
 * ```
 */
export function fullJitterDelay(
  retryNumber: number,
  options: { readonly baseDelayMs: number; readonly maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.floor(retryNumber));
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  if (!(ceiling > 0)) return 0;
  const fraction = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(fraction * ceiling), Math.max(0, Math.ceil(ceiling) - 1));
}

const deltaSecondsPattern = /^\d+$/;
// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), obsolete RFC 850
// ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994"):
// every HTTP-date starts with a day name.
const httpDatePattern = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

/**
 * Parses a `Retry-After` header value (RFC 9110 §10.2.3): either
 * delay-seconds or an HTTP-date. Returns the wait in milliseconds (0 for a
 * date in the past), or `undefined` when the header is missing or malformed.
 * A repeated header counts only when every copy agrees.
 *
 * @param value - the raw header value(s).
 * @param nowMs - the current time in epoch milliseconds, for HTTP-dates.
 * @example
 * ```ts
 * parseRetryAfter('120', Date.now()); // 120000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.now()); // 0, long past
 * parseRetryAfter('soon', Date.now()); // undefined
 * ```
 */
export function parseRetryAfter(
  value: string | readonly string[] | undefined,
  nowMs: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    const [first, ...rest] = value;
    if (first === undefined || rest.some((other) => other !== first)) return undefined;
    return parseRetryAfter(first, nowMs);
  }
  const trimmed = value.trim();
  if (deltaSecondsPattern.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : undefined;
  }
  if (!httpDatePattern.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * True for the methods RFC 9110 defines as idempotent: GET, HEAD, OPTIONS,
 * PUT, DELETE and TRACE. Expects an upper-case method.
 *
 * @example
 * ```ts
 * isIdempotentMethod('PUT'); // true
 * isIdempotentMethod('POST'); // false
 * ```
 */
export function isIdempotentMethod(method: string): boolean {
  switch (method) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
    case 'PUT':
    case 'DELETE':
    case 'TRACE':
      return true;
    default:
      return false;
  }
}

/**
 * True for the statuses worth another attempt: 429, 500, 502, 503 and 504.
 *
 * @example
 * ```ts
 * isRetryableStatus(503); // true
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * True for connection-level failures (undici and Node.js error codes) after
 * which the same request may succeed: resets, refusals, unreachable networks
 * and timeouts.
 *
 * @example
 * ```ts
 * isRetryableErrorCode('ECONNRESET'); // true
 * isRetryableErrorCode('UND_ERR_RES_EXCEEDED_MAX_SIZE'); // false
 * ```
 */
export function isRetryableErrorCode(code: string | undefined): boolean {
  switch (code) {
    case 'ECONNRESET':
    case 'ECONNREFUSED':
    case 'ECONNABORTED':
    case 'EPIPE':
    case 'ETIMEDOUT':
    case 'ENETDOWN':
    case 'ENETRESET':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'EHOSTUNREACH':
    case 'EAI_AGAIN':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return true;
    default:
      return false;
  }
}

/**
 * One failed attempt, as the retry decision sees it.
 *
 * @example
 * ```ts
 * const failed: FailedAttempt = { attempt: 1, retryableRequest: true, responseStarted: false, status: 503 };
 * ```
 */
export interface FailedAttempt {
  /** Number of the attempt that failed, counting from 1. */
  readonly attempt: number;
  /** The method is idempotent or the request carries an Idempotency-Key. */
  readonly retryableRequest: boolean;
  /** Part of this response was already handed to the caller. */
  readonly responseStarted: boolean;
  /** The status the server answered with, when it answered. */
  readonly status?: number | undefined;
  /** The undici or Node.js error code, when the attempt failed without a status. */
  readonly errorCode?: string | undefined;
  /** The response's `Retry-After` header, if any. */
  readonly retryAfter?: string | readonly string[] | undefined;
}

/**
 * Why a failed attempt is not retried.
 *
 * @example
 * ```ts
 * const reason: RetryRefusal = 'retry-after-too-long';
 * ```
 */
export type RetryRefusal =
  | 'not-idempotent'
  | 'response-started'
  | 'not-retryable'
  | 'attempts-exhausted'
  | 'retry-after-too-long';

/**
 * The outcome of {@link decideRetry}.
 *
 * @example
 * ```ts
 * const decision: RetryDecision = { retry: true, delayMs: 250 };
 * ```
 */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | {
      readonly retry: false;
      readonly reason: RetryRefusal;
      readonly retryAfterMs?: number;
    };

/**
 * Decides whether to retry a failed attempt and how long to wait first: the
 * server's `Retry-After` when it sent one (giving up if it exceeds
 * `maxDelayMs`), else {@link fullJitterDelay}. Pure: no timers, no I/O.
 *
 * @example
 * ```ts
 * const decision = decideRetry(
 *   { attempt: 1, retryableRequest: true, responseStarted: false, status: 503, retryAfter: '1' },
 *   resolveRetryPolicy(),
 *   Date.now(),
 * );
 * // { retry: true, delayMs: 1000 }
 * ```
 */
export function decideRetry(
  failed: FailedAttempt,
  policy: RetryPolicy,
  nowMs: number,
): RetryDecision {
  if (!failed.retryableRequest) return { retry: false, reason: 'not-idempotent' };
  if (failed.responseStarted) return { retry: false, reason: 'response-started' };
  if (failed.status === undefined) {
    if (!isRetryableErrorCode(failed.errorCode)) return { retry: false, reason: 'not-retryable' };
  } else if (!isRetryableStatus(failed.status)) {
    return { retry: false, reason: 'not-retryable' };
  }
  const retryAfterMs =
    failed.status === undefined ? undefined : parseRetryAfter(failed.retryAfter, nowMs);
  if (failed.attempt >= policy.maxAttempts) {
    return retryAfterMs === undefined
      ? { retry: false, reason: 'attempts-exhausted' }
      : { retry: false, reason: 'attempts-exhausted', retryAfterMs };
  }
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > policy.maxDelayMs) {
      return { retry: false, reason: 'retry-after-too-long', retryAfterMs };
    }
    return { retry: true, delayMs: retryAfterMs };
  }
  return { retry: true, delayMs: fullJitterDelay(failed.attempt - 1, policy, policy.random) };
}
