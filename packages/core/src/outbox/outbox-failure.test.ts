import { describe, expect, it } from 'vitest';
import { HttpError, InvalidInputError, OutboxError } from '../errors/core-errors.js';
import { decideFailure, describeFailure, resolveBackoff } from './outbox-failure.js';

const now = new Date('2026-01-01T00:00:00Z');

describe('outbox failure decisions', () => {
  it('backs off exponentially with full jitter, capped', () => {
    const ceilings = [1, 2, 3, 4, 10].map((attempt) => {
      const decision = decideFailure(
        new Error('down'),
        attempt,
        20,
        resolveBackoff({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 }),
        now,
      );
      return decision.kind === 'retry' ? decision.delayMs : -1;
    });
    expect(ceilings).toEqual([99, 199, 399, 799, 999]);
    const lowest = decideFailure(
      new Error('down'),
      3,
      20,
      resolveBackoff({ random: () => 0 }),
      now,
    );
    expect(lowest).toMatchObject({ kind: 'retry', delayMs: 0 });
  });

  it('honours retryAfterMs, cut to maxRetryAfterMs', () => {
    const error = new OutboxError('OUTBOX_RETRY_LATER', 'later', {
      isRetryable: true,
      details: { retryAfterMs: 120_000 },
    });
    expect(decideFailure(error, 1, 5, resolveBackoff(), now)).toMatchObject({
      kind: 'retry',
      delayMs: 120_000,
    });
    expect(
      decideFailure(error, 1, 5, resolveBackoff({ maxRetryAfterMs: 60_000 }), now),
    ).toMatchObject({ kind: 'retry', delayMs: 60_000 });
  });

  it('dead-letters permanent failures at once and the last attempt', () => {
    const refused = new HttpError('HTTP_STATUS', 'POST https://a.example answered 400', {
      status: 400,
      isRetryable: false,
    });
    expect(decideFailure(refused, 1, 10, resolveBackoff(), now).kind).toBe('dead');
    expect(
      decideFailure(new InvalidInputError('INVALID_ARGUMENT', 'bad'), 1, 10, resolveBackoff(), now)
        .kind,
    ).toBe('dead');
    const retryable = new HttpError('HTTP_TIMEOUT', 'timed out', { isRetryable: true });
    expect(decideFailure(retryable, 9, 10, resolveBackoff(), now).kind).toBe('retry');
    expect(decideFailure(retryable, 10, 10, resolveBackoff(), now)).toMatchObject({
      kind: 'dead',
      failure: { code: 'HTTP_TIMEOUT', attempt: 10, retryable: false },
    });
  });

  it('records name, code and message only, never the cause', () => {
    const error = new OutboxError('OUTBOX_DELIVERY_FAILED', 'the receiver answered 503', {
      cause: new Error('secret-bearing cause'),
      details: { token: 'never stored' },
    });
    const failure = describeFailure(error, 2, now, true);
    expect(failure).toEqual({
      name: 'OutboxError',
      code: 'OUTBOX_DELIVERY_FAILED',
      message: 'the receiver answered 503',
      attempt: 2,
      at: '2026-01-01T00:00:00.000Z',
      retryable: true,
    });
    expect(describeFailure('a string', 1, now, true)).toMatchObject({ name: 'string' });
    expect(describeFailure(new Error('x'.repeat(2000)), 1, now, true).message).toHaveLength(500);
  });
});
