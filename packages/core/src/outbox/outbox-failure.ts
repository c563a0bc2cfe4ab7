import { CivicError } from '../errors/civic-error.js';
import { fullJitterDelay } from '../http/http-retry.js';
import type { OutboxBackoffOptions, OutboxFailure } from './outbox-types.js';

/**
 * Backoff settings with every default applied.
 *
 * @internal
 */
export interface ResolvedBackoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly random: () => number;
}

/**
 * Applies the defaults of {@link OutboxBackoffOptions}.
 *
 * @internal
 */
export function resolveBackoff(options: OutboxBackoffOptions = {}): ResolvedBackoff {
  return {
    baseDelayMs: options.baseDelayMs ?? 1_000,
    maxDelayMs: options.maxDelayMs ?? 3_600_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 86_400_000,
    random: options.random ?? Math.random,
  };
}

/**
 * What to do with a job whose attempt failed.
 *
 * @internal
 */
export type FailureDecision =
  | { readonly kind: 'retry'; readonly delayMs: number; readonly failure: OutboxFailure }
  | { readonly kind: 'dead'; readonly failure: OutboxFailure };

/**
 * True when the error says the same job may succeed later: anything but a
 * {@link CivicError} marked not retryable (an `OUTBOX_RETRY_LATER` always is).
 *
 * @internal
 */
export function isRetryableFailure(error: unknown): boolean {
  if (!CivicError.isInstance(error)) return true;
  return error.isRetryable || error.code === 'OUTBOX_RETRY_LATER';
}

/**
 * The wait a failure asks for (`details.retryAfterMs`, what a `Retry-After`
 * said), if any.
 *
 * @internal
 */
export function retryAfterOf(error: unknown): number | undefined {
  if (!CivicError.isInstance(error)) return undefined;
  const value = error.details?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Retry (after backoff with full jitter, or the server's `Retry-After`) or
 * dead-letter: permanent failures and the last allowed attempt go dead.
 *
 * @internal
 */
export function decideFailure(
  error: unknown,
  attempt: number,
  maxAttempts: number,
  backoff: ResolvedBackoff,
  now: Date,
): FailureDecision {
  const retryable = isRetryableFailure(error);
  const willRetry = retryable && attempt < maxAttempts;
  const failure = describeFailure(error, attempt, now, willRetry);
  if (!willRetry) return { kind: 'dead', failure };
  const retryAfter = retryAfterOf(error);
  const delayMs =
    retryAfter === undefined
      ? fullJitterDelay(attempt - 1, backoff, backoff.random)
      : Math.min(retryAfter, backoff.maxRetryAfterMs);
  return { kind: 'retry', delayMs, failure };
}

const maximumMessageLength = 500;

/**
 * What is stored of a failure: name, code and message of the error, never
 * its cause, stack or details. Messages of errors that are not
 * {@link CivicError}s are kept too (cut to 500 characters): handlers must not
 * put secrets in theirs.
 *
 * @internal
 */
export function describeFailure(
  error: unknown,
  attempt: number,
  at: Date,
  retryable: boolean,
): OutboxFailure {
  const name =
    error instanceof Error ? error.name : typeof error === 'object' ? 'object' : typeof error;
  const message =
    error instanceof Error ? error.message : 'a value that is not an Error was thrown';
  const code = CivicError.isInstance(error) ? error.code : undefined;
  return {
    name: name.slice(0, 100),
    ...(code === undefined ? {} : { code }),
    message: message.slice(0, maximumMessageLength),
    attempt,
    at: at.toISOString(),
    retryable,
  };
}
