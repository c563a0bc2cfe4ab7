import { describe, expect, it } from 'vitest';
import { CivicError, userMessageOf } from './civic-error.js';
import { HttpError, SqlError, WebhookError } from './core-errors.js';

describe('CivicError', () => {
  it('carries a stable code, a literal name and the cause', () => {
    const cause = new Error('socket hang up');
    const error = new HttpError('HTTP_NETWORK', 'connection reset by api.example.gov', {
      cause,
      status: 503,
      isRetryable: true,
      requestId: 'req-1',
    });
    expect(error.code).toBe('HTTP_NETWORK');
    expect(error.name).toBe('HttpError');
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(503);
    expect(error.isRetryable).toBe(true);
    expect(error.requestId).toBe('req-1');
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe('HttpError: connection reset by api.example.gov');
  });

  it('defaults to not retryable and has no cause unless one is given', () => {
    const error = new SqlError('SQL_QUERY_FAILED', 'query failed');
    expect(error.isRetryable).toBe(false);
    expect('cause' in error).toBe(false);
  });

  it('isInstance tells classes apart and accepts subclasses for the base', () => {
    const error = new WebhookError('WEBHOOK_SIGNATURE_MISMATCH', 'no signature matched');
    expect(CivicError.isInstance(error)).toBe(true);
    expect(WebhookError.isInstance(error)).toBe(true);
    expect(HttpError.isInstance(error)).toBe(false);
    expect(CivicError.isInstance(new Error('plain'))).toBe(false);
    expect(CivicError.isInstance(null)).toBe(false);
    expect(CivicError.isInstance('HttpError')).toBe(false);
    expect(CivicError.isInstance({ name: 'HttpError', code: 'HTTP_TIMEOUT' })).toBe(false);
  });

  it('isInstance survives a second copy of core (the marker is a registered symbol)', () => {
    // An error made by another copy of the class: same registered symbol, different constructor.
    const foreign = Object.create(Error.prototype) as Record<PropertyKey, unknown>;
    Object.defineProperty(foreign, Symbol.for('civicblocks.error'), {
      value: ['HttpError', 'CivicError'],
    });
    foreign.code = 'HTTP_TIMEOUT';
    expect(foreign instanceof HttpError).toBe(false);
    expect(HttpError.isInstance(foreign)).toBe(true);
    expect(CivicError.isInstance(foreign)).toBe(true);
    expect(SqlError.isInstance(foreign)).toBe(false);
  });

  it('serialises to JSON without the cause or anything non-enumerable', () => {
    const error = new HttpError('HTTP_STATUS', 'unexpected status 500', {
      cause: { body: 'secret response body' },
      status: 500,
      details: { origin: 'https://api.example.gov' },
    });
    const json = JSON.stringify(error);
    expect(JSON.parse(json)).toEqual({
      name: 'HttpError',
      code: 'HTTP_STATUS',
      message: 'unexpected status 500',
      status: 500,
      isRetryable: false,
      details: { origin: 'https://api.example.gov' },
    });
    expect(json).not.toContain('secret');
    expect(Object.keys(error)).not.toContain(Symbol.for('civicblocks.error'));
  });

  it('gives a citizen their own words, or a generic apology', () => {
    const error = new HttpError('HTTP_TIMEOUT', 'timed out after 10000 ms', {
      userMessage: { vi: 'Dịch vụ đang bận.', en: 'The service is busy.' },
    });
    expect(userMessageOf(error, 'vi')).toBe('Dịch vụ đang bận.');
    expect(userMessageOf(error, 'en')).toBe('The service is busy.');
    expect(userMessageOf(error, 'cy')).toBe('The service is busy.');
    expect(userMessageOf(new Error('db password wrong'), 'vi')).toBe(
      'Đã xảy ra lỗi. Vui lòng thử lại sau.',
    );
  });
});
