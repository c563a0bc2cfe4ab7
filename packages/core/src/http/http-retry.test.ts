import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideRetry,
  type FailedAttempt,
  fullJitterDelay,
  isIdempotentMethod,
  parseRetryAfter,
  resolveRetryPolicy,
} from './http-retry.js';

const now = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });

  it('reads an IMF-fixdate as the time until then', () => {
    expect(parseRetryAfter('Wed, 15 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
  });

  it('reads the obsolete RFC 850 and asctime date forms', () => {
    expect(parseRetryAfter('Wednesday, 15-Jan-25 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed Jan 15 12:00:05 2025', now)).toBe(5_000);
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(0);
  });

  it('rejects what is neither delay-seconds nor an HTTP-date', () => {
    for (const value of [
      '',
      'soon',
      '-1',
      '1.5',
      '2025-01-15T12:00:30Z',
      '1e3',
      '0x10',
      'Wed, nonsense',
    ]) {
      expect(parseRetryAfter(value, now), value).toBeUndefined();
    }
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('9'.repeat(30), now)).toBeUndefined();
  });

  it('accepts a repeated header only when the copies agree', () => {
    expect(parseRetryAfter(['5', '5'], now)).toBe(5000);
    expect(parseRetryAfter(['5', '6'], now)).toBeUndefined();
    expect(parseRetryAfter([], now)).toBeUndefined();
  });

  it('returns a non-negative whole number of milliseconds for any digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds * 1000);
      }),
    );
  });
});

describe('fullJitterDelay', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it('draws from [0, base * 2^retry)', () => {
    expect(fullJitterDelay(0, options, () => 0)).toBe(0);
    expect(fullJitterDelay(0, options, () => 0.5)).toBe(50);
    expect(fullJitterDelay(2, options, () => 0.5)).toBe(200);
    expect(fullJitterDelay(2, options, () => 0.999_999)).toBe(399);
  });

  it('never exceeds the cap', () => {
    expect(fullJitterDelay(10, options, () => 0.999_999)).toBe(999);
    expect(fullJitterDelay(1_000, options, () => 0.5)).toBe(500);
  });

  it('stays below min(cap, base * 2^retry) for any retry and any random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (retry, random, baseDelayMs, maxDelayMs) => {
          const delay = fullJitterDelay(retry, { baseDelayMs, maxDelayMs }, () => random);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(Math.min(maxDelayMs, baseDelayMs * 2 ** retry));
        },
      ),
    );
  });

  it('is zero with a zero base', () => {
    expect(fullJitterDelay(3, { baseDelayMs: 0, maxDelayMs: 1_000 }, () => 0.9)).toBe(0);
  });
});

describe('isIdempotentMethod', () => {
  it('accepts the idempotent methods of RFC 9110 only', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']) {
      expect(isIdempotentMethod(method), method).toBe(true);
    }
    for (const method of ['POST', 'PATCH', 'CONNECT', 'get', 'PROPFIND']) {
      expect(isIdempotentMethod(method), method).toBe(false);
    }
  });
});

describe('decideRetry', () => {
  const policy = resolveRetryPolicy({
    maxAttempts: 3,
    baseDelayMs: 100,
    maxDelayMs: 5_000,
    random: () => 0.5,
  });
  const failed = (overrides: Partial<FailedAttempt>): FailedAttempt => ({
    attempt: 1,
    retryableRequest: true,
    responseStarted: false,
    ...overrides,
  });

  it('retries 429, 500, 502, 503 and 504 with jittered backoff', () => {
    for (const status of [429, 500, 502, 503, 504]) {
      expect(decideRetry(failed({ status }), policy, now)).toEqual({ retry: true, delayMs: 50 });
    }
    expect(decideRetry(failed({ status: 503, attempt: 2 }), policy, now)).toEqual({
      retry: true,
      delayMs: 100,
    });
  });

  it('does not retry other statuses', () => {
    for (const status of [200, 301, 400, 401, 404, 409, 501, 505]) {
      expect(decideRetry(failed({ status }), policy, now)).toEqual({
        retry: false,
        reason: 'not-retryable',
      });
    }
  });

  it('retries connection failures and timeouts, not other errors', () => {
    for (const errorCode of [
      'ECONNRESET',
      'ECONNREFUSED',
      'UND_ERR_SOCKET',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_HEADERS_TIMEOUT',
    ]) {
      expect(decideRetry(failed({ errorCode }), policy, now).retry, errorCode).toBe(true);
    }
    for (const errorCode of [
      'UND_ERR_RES_EXCEEDED_MAX_SIZE',
      'UND_ERR_ABORTED',
      'CERT_HAS_EXPIRED',
      undefined,
    ]) {
      expect(decideRetry(failed({ errorCode }), policy, now)).toEqual({
        retry: false,
        reason: 'not-retryable',
      });
    }
  });

  it('never retries a request that is not idempotent', () => {
    expect(decideRetry(failed({ retryableRequest: false, status: 503 }), policy, now)).toEqual({
      retry: false,
      reason: 'not-idempotent',
    });
    expect(
      decideRetry(failed({ retryableRequest: false, errorCode: 'ECONNRESET' }), policy, now),
    ).toEqual({
      retry: false,
      reason: 'not-idempotent',
    });
  });

  it('never retries once part of the response reached the caller', () => {
    expect(
      decideRetry(failed({ responseStarted: true, errorCode: 'UND_ERR_SOCKET' }), policy, now),
    ).toEqual({
      retry: false,
      reason: 'response-started',
    });
  });

  it('stops at the maximum number of attempts', () => {
    expect(decideRetry(failed({ attempt: 3, status: 503 }), policy, now)).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
    });
    expect(decideRetry(failed({ attempt: 3, status: 503, retryAfter: '2' }), policy, now)).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
      retryAfterMs: 2000,
    });
  });

  it('waits exactly as long as Retry-After says', () => {
    expect(decideRetry(failed({ status: 503, retryAfter: '1' }), policy, now)).toEqual({
      retry: true,
      delayMs: 1000,
    });
    expect(
      decideRetry(
        failed({ status: 429, retryAfter: 'Wed, 15 Jan 2025 12:00:02 GMT' }),
        policy,
        now,
      ),
    ).toEqual({
      retry: true,
      delayMs: 2000,
    });
  });

  it('gives up rather than wait beyond the maximum delay', () => {
    expect(decideRetry(failed({ status: 503, retryAfter: '3600' }), policy, now)).toEqual({
      retry: false,
      reason: 'retry-after-too-long',
      retryAfterMs: 3_600_000,
    });
  });

  it('falls back to backoff for a malformed Retry-After', () => {
    expect(decideRetry(failed({ status: 503, retryAfter: 'later' }), policy, now)).toEqual({
      retry: true,
      delayMs: 50,
    });
  });
});
