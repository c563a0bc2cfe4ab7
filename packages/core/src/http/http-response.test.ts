import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors/core-errors.js';
import { abortError, statusError, toHttpError } from './http-failure.js';
import { createHttpResponse, requestIdOf } from './http-response.js';

const context = { method: 'GET', origin: 'https://api.example.gov', attempts: 1 };

describe('createHttpResponse', () => {
  const response = (body: string, status = 200, headers = {}) =>
    createHttpResponse({ ...context, status, headers, body: Buffer.from(body, 'utf8') });

  it('reads the body as text, JSON or bytes, as often as asked', async () => {
    const recorded = response('{"reference":"PAY-1","amount":1500}', 201, {
      'x-request-id': 'req-9',
    });
    expect(recorded.status).toBe(201);
    expect(recorded.ok).toBe(true);
    expect(recorded.requestId).toBe('req-9');
    expect(await recorded.json()).toEqual({ reference: 'PAY-1', amount: 1500 });
    expect(await recorded.json()).toEqual({ reference: 'PAY-1', amount: 1500 });
    expect(await recorded.text()).toBe('{"reference":"PAY-1","amount":1500}');
    const bytes = await recorded.bytes();
    bytes[0] = 0;
    expect(await recorded.text()).toBe('{"reference":"PAY-1","amount":1500}');
  });

  it('drops a UTF-8 byte-order mark and decodes non-ASCII text', async () => {
    expect(await response('\uFEFF{"name":"Trần Thị Ánh"}').json()).toEqual({
      name: 'Trần Thị Ánh',
    });
  });

  it('is not ok outside 2xx', () => {
    expect(response('', 199).ok).toBe(false);
    expect(response('', 304).ok).toBe(false);
    expect(response('', 500).ok).toBe(false);
  });

  it('rejects invalid JSON with HTTP_INVALID_RESPONSE and keeps the body out of the message', async () => {
    const error = await response('<html>Nguyen Van A, 012345678</html>', 502, {
      'request-id': 'r-2',
    })
      .json()
      .catch((caught: unknown) => caught);
    expect(HttpError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'HTTP_INVALID_RESPONSE', status: 502, requestId: 'r-2' });
    expect((error as Error).message).not.toContain('012345678');
    expect(JSON.stringify(error)).not.toContain('012345678');
  });

  it('joins repeated headers and looks names up case-insensitively', () => {
    const recorded = response('', 200, {
      'set-cookie': ['a=1', 'b=2'],
      'content-type': 'text/plain',
    });
    expect(recorded.header('Set-Cookie')).toBe('a=1, b=2');
    expect(recorded.header('CONTENT-TYPE')).toBe('text/plain');
    expect(recorded.header('missing')).toBeUndefined();
  });

  it('does not show the body when logged', () => {
    const recorded = response('{"nationalId":"012345678"}');
    expect(JSON.stringify(recorded)).not.toContain('012345678');
    expect(Object.values(recorded).join(' ')).not.toContain('012345678');
  });
});

describe('requestIdOf', () => {
  it('prefers x-request-id, falls back to request-id, and ignores junk', () => {
    expect(requestIdOf({ 'x-request-id': 'a', 'request-id': 'b' })).toBe('a');
    expect(requestIdOf({ 'request-id': 'b' })).toBe('b');
    expect(requestIdOf({ 'x-request-id': ['c', 'd'] })).toBe('c');
    expect(requestIdOf({ 'x-request-id': '' })).toBeUndefined();
    expect(requestIdOf({ 'x-request-id': 'x'.repeat(201) })).toBeUndefined();
    expect(requestIdOf(undefined)).toBeUndefined();
  });
});

describe('toHttpError', () => {
  const coded = (code: string, name = 'Error') =>
    Object.assign(new Error(`low-level ${code}`), { code, name });

  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'HTTP_TIMEOUT', true],
    ['UND_ERR_HEADERS_TIMEOUT', 'HTTP_TIMEOUT', true],
    ['UND_ERR_BODY_TIMEOUT', 'HTTP_TIMEOUT', true],
    ['UND_ERR_RES_EXCEEDED_MAX_SIZE', 'HTTP_RESPONSE_TOO_LARGE', false],
    ['UND_ERR_HEADERS_OVERFLOW', 'HTTP_RESPONSE_TOO_LARGE', false],
    ['UND_ERR_SOCKET', 'HTTP_NETWORK', true],
    ['ECONNRESET', 'HTTP_NETWORK', true],
    ['ECONNREFUSED', 'HTTP_NETWORK', true],
    ['ENOTFOUND', 'HTTP_NETWORK', false],
    ['CERT_HAS_EXPIRED', 'HTTP_NETWORK', false],
    ['UND_ERR_ABORTED', 'HTTP_ABORTED', false],
    ['UND_ERR_INVALID_ARG', 'HTTP_INVALID_REQUEST', false],
    ['UND_ERR_CLOSED', 'HTTP_CLIENT_CLOSED', false],
    ['UND_ERR_DESTROYED', 'HTTP_CLIENT_CLOSED', false],
    ['HPE_INVALID_CONSTANT', 'HTTP_INVALID_RESPONSE', false],
  ])('maps %s to %s (retryable: %s)', (code, expected, isRetryable) => {
    const cause = coded(code);
    const error = toHttpError(cause, { ...context, attempts: 2 });
    expect(error).toMatchObject({ code: expected, isRetryable, cause });
    expect(error.details).toMatchObject({
      method: 'GET',
      origin: 'https://api.example.gov',
      attempts: 2,
      errorCode: code,
    });
    expect(error.message).toMatch(/^GET https:\/\/api\.example\.gov .+ after 2 attempts$/);
  });

  it('maps AbortError and TimeoutError by name, and anything else to HTTP_NETWORK', () => {
    expect(toHttpError(new DOMException('x', 'AbortError'), context).code).toBe('HTTP_ABORTED');
    expect(toHttpError(new DOMException('x', 'TimeoutError'), context).code).toBe('HTTP_TIMEOUT');
    expect(toHttpError('a string', context)).toMatchObject({
      code: 'HTTP_NETWORK',
      isRetryable: false,
    });
  });

  it('never copies the low-level message, which may quote a URL', () => {
    const error = toHttpError(coded('ECONNRESET'), context);
    expect(error.message).not.toContain('low-level');
  });

  it('carries status, request id and the size limit when known', () => {
    const error = toHttpError(coded('UND_ERR_RES_EXCEEDED_MAX_SIZE'), {
      ...context,
      status: 200,
      requestId: 'req-1',
      maxResponseBytes: 1024,
    });
    expect(error).toMatchObject({ status: 200, requestId: 'req-1', details: { limitBytes: 1024 } });
  });

  it('passes an HttpError through unchanged', () => {
    const original = new HttpError('HTTP_STATUS', 'x', { status: 500 });
    expect(toHttpError(original, context)).toBe(original);
  });
});

describe('abortError and statusError', () => {
  it('tells a caller timeout from a caller abort', () => {
    expect(abortError(new DOMException('t', 'TimeoutError'), context)).toMatchObject({
      code: 'HTTP_TIMEOUT',
      isRetryable: true,
    });
    const reason = new Error('navigated away');
    expect(abortError(reason, context)).toMatchObject({
      code: 'HTTP_ABORTED',
      isRetryable: false,
      cause: reason,
    });
  });

  it('marks 429 and 5xx gateway statuses retryable', () => {
    expect(statusError({ ...context, status: 503, requestId: 'r' })).toMatchObject({
      code: 'HTTP_STATUS',
      status: 503,
      isRetryable: true,
      requestId: 'r',
    });
    expect(statusError({ ...context, status: 422 })).toMatchObject({ isRetryable: false });
    expect(statusError({ ...context, status: 404 }).message).toBe(
      'GET https://api.example.gov answered with status 404',
    );
  });
});
