import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../errors/core-errors.js';
import {
  createHttpClient,
  defaultUserAgent,
  type HttpClient,
  type HttpClientOptions,
} from './http-client.js';
import type { HttpEvent } from './http-events.js';
import { type LoopbackServer, startLoopbackServer } from './loopback-server.test-helper.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handle: Parameters<typeof startLoopbackServer>[0]): Promise<LoopbackServer> {
  const server = await startLoopbackServer(handle);
  cleanups.push(() => server.close());
  return server;
}

function client(options: HttpClientOptions = {}): HttpClient {
  // Fast, deterministic backoff unless a test says otherwise.
  const created = createHttpClient({
    ...options,
    retry: { baseDelayMs: 10, random: () => 0.5, ...options.retry },
  });
  cleanups.push(() => created.close());
  return created;
}

async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (HttpError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

function json(
  response: import('node:http').ServerResponse,
  status: number,
  value: unknown,
  headers = {},
): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

describe('retries', () => {
  it('honours Retry-After on a 503: the second attempt comes at least a second later', async () => {
    const server = await serve((_request, response, index) => {
      if (index === 0) json(response, 503, { error: 'busy' }, { 'retry-after': '1' });
      else json(response, 200, { ok: true });
    });
    const events: HttpEvent[] = [];
    const http = client({ onEvent: (event) => events.push(event) });

    const response = await http.request({ url: `${server.origin}/status?token=secret` });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'http-retry-scheduled',
        status: 503,
        attempt: 1,
        delayMs: 1000,
        path: '/status',
      }),
      expect.objectContaining({
        type: 'http-response-received',
        status: 200,
        attempt: 2,
        path: '/status',
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('secret');
  });

  it.each([429, 500, 502, 504])('retries a GET answered with %i', async (status) => {
    const server = await serve((_request, response, index) => {
      if (index === 0) json(response, status, { error: 'try again' });
      else json(response, 200, { ok: true });
    });
    const response = await client().request({ url: `${server.origin}/items` });
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 4xx other than 429', async () => {
    const server = await serve((_request, response) => json(response, 404, { error: 'missing' }));
    const response = await client().request({ url: `${server.origin}/items/1` });
    expect(response.status).toBe(404);
    expect(server.requests).toHaveLength(1);
  });

  it('returns the last response once the attempts are used up', async () => {
    const server = await serve((_request, response) => json(response, 503, { error: 'down' }));
    const response = await client({ retry: { maxAttempts: 3 } }).request({
      url: `${server.origin}/`,
    });
    expect(response.status).toBe(503);
    expect(response.attempts).toBe(3);
    expect(await response.json()).toEqual({ error: 'down' });
    expect(server.requests).toHaveLength(3);
  });

  it('never retries a POST without an Idempotency-Key', async () => {
    const server = await serve((_request, response) => json(response, 503, { error: 'down' }));
    const response = await client().request({
      method: 'POST',
      url: `${server.origin}/payments`,
      json: { amount: 1 },
    });
    expect(response.status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it('never retries a PATCH whose connection was reset, without an Idempotency-Key', async () => {
    const server = await serve((_request, _response, _index, socket) => socket.destroy());
    const error = await rejection(
      client().request({
        method: 'PATCH',
        url: `${server.origin}/payments/1`,
        json: { note: 'x' },
      }),
    );
    expect(error.code).toBe('HTTP_NETWORK');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a POST that carries an Idempotency-Key, sending the same key and body again', async () => {
    const server = await serve((_request, response, index) => {
      if (index === 0) json(response, 503, { error: 'down' });
      else json(response, 201, { id: 'payment-1' });
    });
    const response = await client().request({
      method: 'POST',
      url: `${server.origin}/payments`,
      json: { amount: 1500 },
      idempotencyKey: 'key-123',
    });
    expect(response.status).toBe(201);
    expect(server.requests).toHaveLength(2);
    for (const received of server.requests) {
      expect(received.headers['idempotency-key']).toBe('key-123');
      expect(received.body).toBe('{"amount":1500}');
      expect(received.headers['content-type']).toBe('application/json');
    }
  });

  it('retries a GET whose connection is reset, then succeeds', async () => {
    const server = await serve((_request, response, index, socket) => {
      if (index === 0) socket.destroy();
      else json(response, 200, { ok: true });
    });
    const response = await client().request({ url: `${server.origin}/` });
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('surfaces HTTP_NETWORK when every attempt is reset', async () => {
    const server = await serve((_request, _response, _index, socket) => socket.destroy());
    const events: HttpEvent[] = [];
    const error = await rejection(
      client({ retry: { maxAttempts: 3 }, onEvent: (event) => events.push(event) }).request({
        url: `${server.origin}/?q=private`,
      }),
    );
    expect(error.code).toBe('HTTP_NETWORK');
    expect(error.isRetryable).toBe(true);
    expect(error.cause).toBeDefined();
    expect(error.details).toMatchObject({ attempts: 3, method: 'GET' });
    expect(error.message).not.toContain('private');
    expect(server.requests).toHaveLength(3);
    expect(events.map((event) => event.type)).toEqual([
      'http-retry-scheduled',
      'http-retry-scheduled',
      'http-request-failed',
    ]);
  });

  it('surfaces HTTP_NETWORK for a refused connection after retrying', async () => {
    const server = await startLoopbackServer(() => {});
    const origin = server.origin;
    await server.close();
    const events: HttpEvent[] = [];
    const error = await rejection(
      client({ retry: { maxAttempts: 2 }, onEvent: (event) => events.push(event) }).request({
        url: `${origin}/`,
      }),
    );
    expect(error.code).toBe('HTTP_NETWORK');
    expect(error.details).toMatchObject({ errorCode: 'ECONNREFUSED', attempts: 2 });
    expect(events[0]).toMatchObject({ type: 'http-retry-scheduled', errorCode: 'ECONNREFUSED' });
  });

  it('gives up at once when Retry-After asks for longer than the maximum delay', async () => {
    const server = await serve((_request, response) =>
      json(
        response,
        503,
        { error: 'maintenance' },
        { 'retry-after': '3600', 'x-request-id': 'req-42' },
      ),
    );
    const error = await rejection(
      client({ retry: { maxDelayMs: 5_000 } }).request({
        url: `${server.origin}/`,
        throwOnStatus: true,
      }),
    );
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.status).toBe(503);
    expect(error.isRetryable).toBe(true);
    expect(error.requestId).toBe('req-42');
    expect(error.details).toMatchObject({ retryAfterMs: 3_600_000, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('understands Retry-After as an HTTP-date', async () => {
    const server = await serve((_request, response, index) => {
      if (index === 0)
        json(response, 429, {}, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() });
      else json(response, 200, {});
    });
    const events: HttpEvent[] = [];
    // The injected clock says the date is already 59.9 s closer.
    const http = client({ now: () => Date.now() + 59_900, onEvent: (event) => events.push(event) });
    const response = await http.request({ url: `${server.origin}/` });
    expect(response.status).toBe(200);
    const scheduled = events.find((event) => event.type === 'http-retry-scheduled');
    expect(scheduled).toMatchObject({ status: 429 });
    expect(scheduled?.type === 'http-retry-scheduled' && scheduled.delayMs).toBeLessThanOrEqual(
      1_100,
    );
  });
});

describe('timeouts', () => {
  it('cuts off a server that never sends headers with HTTP_TIMEOUT (and retries a GET)', async () => {
    const server = await serve(() => {});
    const error = await rejection(
      client({ headersTimeoutMs: 150, retry: { maxAttempts: 2 } }).request({
        url: `${server.origin}/slow`,
      }),
    );
    expect(error.code).toBe('HTTP_TIMEOUT');
    expect(error.isRetryable).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('cuts off a server that stalls mid-body with HTTP_TIMEOUT, without retrying', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, {
        'content-type': 'text/plain',
        'content-length': '100',
        'x-request-id': 'req-7',
      });
      response.write('the first part of the body');
    });
    const error = await rejection(
      client({ bodyTimeoutMs: 150 }).request({ url: `${server.origin}/` }),
    );
    expect(error.code).toBe('HTTP_TIMEOUT');
    expect(error.status).toBe(200);
    expect(error.requestId).toBe('req-7');
    expect(server.requests).toHaveLength(1);
  });

  it('maps an AbortSignal.timeout() to HTTP_TIMEOUT', async () => {
    const server = await serve(() => {});
    const error = await rejection(
      client().request({ url: `${server.origin}/`, signal: AbortSignal.timeout(100) }),
    );
    expect(error.code).toBe('HTTP_TIMEOUT');
    expect(error.cause).toMatchObject({ name: 'TimeoutError' });
  });
});

describe('aborting', () => {
  it('rejects with HTTP_ABORTED when aborted while waiting to retry, and sends nothing more', async () => {
    const server = await serve((_request, response) =>
      json(response, 503, {}, { 'retry-after': '2' }),
    );
    const controller = new AbortController();
    const pending = client().request({ url: `${server.origin}/`, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(pending);
    expect(error.code).toBe('HTTP_ABORTED');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(1);
  });

  it('rejects with HTTP_ABORTED when aborted while the server is silent', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const pending = client().request({ url: `${server.origin}/`, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 100);
    const error = await rejection(pending);
    expect(error.code).toBe('HTTP_ABORTED');
    expect(error.cause).toMatchObject({ message: 'user left' });
  });

  it('rejects at once for a signal that is already aborted', async () => {
    const server = await serve((_request, response) => json(response, 200, {}));
    const error = await rejection(
      client().request({ url: `${server.origin}/`, signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe('HTTP_ABORTED');
    expect(server.requests).toHaveLength(0);
  });
});

describe('response size', () => {
  it('refuses a body larger than the limit, declared by Content-Length', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': '4096' });
      response.end('x'.repeat(4096));
    });
    const error = await rejection(
      client({ maxResponseBytes: 1024 }).request({ url: `${server.origin}/` }),
    );
    expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
    expect(error.isRetryable).toBe(false);
    expect(error.details).toMatchObject({ limitBytes: 1024 });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a chunked body that grows past the limit', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      for (let index = 0; index < 8; index += 1) response.write('y'.repeat(512));
      response.end();
    });
    const error = await rejection(
      client({ maxResponseBytes: 1024 }).request({ url: `${server.origin}/` }),
    );
    expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
    expect(server.requests).toHaveLength(1);
  });

  it('accepts a body exactly at the limit', async () => {
    const server = await serve((_request, response) => response.end('z'.repeat(1024)));
    const response = await client({ maxResponseBytes: 1024 }).request({ url: `${server.origin}/` });
    expect((await response.bytes()).byteLength).toBe(1024);
  });
});

describe('requests and responses', () => {
  it('sends the default User-Agent, a configured one, or the request’s own', async () => {
    const server = await serve((_request, response) => json(response, 200, {}));
    await client().request({ url: `${server.origin}/` });
    await client({ userAgent: 'permits/1.0' }).request({ url: `${server.origin}/` });
    await client().request({ url: `${server.origin}/`, headers: { 'User-Agent': 'mine/2' } });
    expect(server.requests.map((received) => received.headers['user-agent'])).toEqual([
      defaultUserAgent,
      'permits/1.0',
      'mine/2',
    ]);
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const server = await serve((_request, response) => json(response, 200, { ok: true }));
    const http = client();
    for (let index = 0; index < 5; index += 1) {
      const response = await http.request({ url: `${server.origin}/items/${index}` });
      expect(await response.json()).toEqual({ ok: true });
      // undici hands a connection back to the pool one event-loop turn after
      // its response ends (in case the server closes it despite keep-alive).
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.requests).toHaveLength(5);
    expect(server.connectionCount()).toBe(1);
    expect(new Set(server.requests.map((received) => received.socket))).toEqual(new Set([0]));
  });

  it('keeps at most two connections for back-to-back requests with no pause', async () => {
    const server = await serve((_request, response) => json(response, 200, { ok: true }));
    const http = client();
    for (let index = 0; index < 10; index += 1) {
      await http.request({ url: `${server.origin}/items/${index}` });
    }
    expect(server.requests).toHaveLength(10);
    expect(server.connectionCount()).toBeLessThanOrEqual(2);
  });

  it('resolves relative URLs against baseUrl and keeps the query string on the wire', async () => {
    const server = await serve((request, response) => json(response, 200, { url: request.url }));
    const response = await client({ baseUrl: `${server.origin}/v1/` }).request({
      url: 'items?page=2',
    });
    expect(await response.json()).toEqual({ url: '/v1/items?page=2' });
  });

  it('exposes status, headers, request id and the three readers', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'request-id': 'abc',
        'set-cookie': ['a=1', 'b=2'],
      });
      response.end('\uFEFF{"name":"Nguyễn"}');
    });
    const response = await client().request({ url: `${server.origin}/` });
    expect(response.ok).toBe(true);
    expect(response.requestId).toBe('abc');
    expect(response.header('Content-Type')).toBe('application/json');
    expect(response.header('set-cookie')).toBe('a=1, b=2');
    expect(await response.json()).toEqual({ name: 'Nguyễn' });
    expect(await response.text()).toBe('{"name":"Nguyễn"}');
    expect((await response.bytes())[0]).toBe(0xef);
  });

  it('rejects with HTTP_STATUS under throwOnStatus, and HTTP_INVALID_RESPONSE for bad JSON', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/missing')
        json(response, 404, { error: 'no such item' }, { 'x-request-id': 'r-1' });
      else response.end('<html>secret page</html>');
    });
    const http = client();
    const statusFailure = await rejection(
      http.request({ url: `${server.origin}/missing`, throwOnStatus: true }),
    );
    expect(statusFailure).toMatchObject({
      code: 'HTTP_STATUS',
      status: 404,
      isRetryable: false,
      requestId: 'r-1',
    });
    expect(statusFailure.message).not.toContain('no such item');
    const response = await http.request({ url: `${server.origin}/page` });
    const parseFailure = await rejection(response.json());
    expect(parseFailure.code).toBe('HTTP_INVALID_RESPONSE');
    expect(parseFailure.message).not.toContain('secret');
  });

  it('skips a 103 Early Hints and returns the final response, on every path', async () => {
    const server = await serve((_request, response) => {
      response.writeEarlyHints({ link: '</style.css>; rel=preload' });
      json(response, 200, { ok: true });
    });
    const http = client();
    for (const method of ['GET', 'POST']) {
      const response = await http.request({ method, url: `${server.origin}/` });
      expect(response.status, method).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
    }
    const fetched = await http.fetch(`${server.origin}/`);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual({ ok: true });
  });

  it('refuses requests after close() with HTTP_CLIENT_CLOSED', async () => {
    const server = await serve((_request, response) => json(response, 200, {}));
    const http = createHttpClient();
    await http.request({ url: `${server.origin}/` });
    await http.close();
    const error = await rejection(http.request({ url: `${server.origin}/` }));
    expect(error.code).toBe('HTTP_CLIENT_CLOSED');
    await expect(http.fetch(`${server.origin}/`)).rejects.toMatchObject({
      code: 'HTTP_CLIENT_CLOSED',
    });
  });

  it('rejects an invalid request before sending anything', async () => {
    const server = await serve((_request, response) => json(response, 200, {}));
    const error = await rejection(
      client().request({ url: `${server.origin}/`, headers: { 'x-note': 'line\r\nbreak' } }),
    );
    expect(error.code).toBe('HTTP_INVALID_REQUEST');
    expect(error.message).not.toContain('line');
    expect(server.requests).toHaveLength(0);
  });
});

describe('fetch', () => {
  it('works as a standard fetch, with the client’s User-Agent', async () => {
    const server = await serve((request, response) =>
      json(response, 200, { method: request.method }),
    );
    const response = await client().fetch(`${server.origin}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ method: 'GET' });
    expect(server.requests[0]?.headers['user-agent']).toBe(defaultUserAgent);
  });

  it('posts a form body, returns error statuses instead of throwing, and does not retry the POST', async () => {
    const server = await serve((_request, response) =>
      json(response, 503, { error: 'temporarily_unavailable' }),
    );
    const response = await client().fetch(`${server.origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'abc' }),
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: 'temporarily_unavailable' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toBe('grant_type=authorization_code&code=abc');
  });

  it('retries an idempotent fetch and accepts a Request from the global fetch', async () => {
    const server = await serve((_request, response, index) => {
      if (index === 0) json(response, 502, {});
      else json(response, 200, { ok: true });
    });
    const response = await client().fetch(
      new Request(`${server.origin}/jwks`, { headers: { accept: 'application/json' } }),
    );
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers.accept).toBe('application/json');
  });

  it('answers a fetch with redirect: manual from the buffered path, as fetch would', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/authorize') {
        response.writeHead(302, {
          location: '/callback?code=abc',
          'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
        });
        response.end();
      } else if (request.url === '/empty') {
        response.writeHead(204).end();
      } else {
        json(response, 200, { method: request.method });
      }
    });
    const http = client();
    const redirect = await http.fetch(`${server.origin}/authorize`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/callback?code=abc');
    expect(redirect.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(redirect.url).toBe(`${server.origin}/authorize`);
    const empty = await http.fetch(`${server.origin}/empty`, { redirect: 'manual' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const head = await http.fetch(`${server.origin}/`, { method: 'HEAD', redirect: 'manual' });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    const form = await http.fetch(`${server.origin}/token`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ grant_type: 'authorization_code' }),
    });
    expect(await form.json()).toEqual({ method: 'POST' });
    const sent = server.requests.at(-1);
    expect(sent?.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(sent?.body).toBe('grant_type=authorization_code');
    expect(sent?.headers['user-agent']).toBe(defaultUserAgent);
    // undici's fetch adds the Fetch metadata headers; the buffered path sends what it was given
    expect(sent?.headers['sec-fetch-mode']).toBeUndefined();
    await http.fetch(`${server.origin}/`);
    expect(server.requests.at(-1)?.headers['sec-fetch-mode']).toBe('cors');
  });

  it('keeps the retry rules on the buffered path and hands other bodies to undici', async () => {
    const server = await serve((_request, response, index) => {
      if (index < 2) json(response, 503, {});
      else json(response, 200, { ok: true });
    });
    const http = client();
    const unkeyed = await http.fetch(`${server.origin}/pay`, {
      method: 'POST',
      redirect: 'manual',
      body: '{}',
    });
    expect(unkeyed.status).toBe(503);
    expect(server.requests).toHaveLength(1);
    const keyed = await http.fetch(`${server.origin}/pay`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'idempotency-key': 'k-1' },
      body: new TextEncoder().encode('{}'),
    });
    expect(keyed.status).toBe(200);
    expect(server.requests).toHaveLength(3);
    const blob = await http.fetch(`${server.origin}/upload`, {
      method: 'PUT',
      redirect: 'manual',
      body: new Blob(['bytes']),
    });
    expect(blob.status).toBe(200);
    expect(server.requests.at(-1)?.body).toBe('bytes');
    expect(server.requests.at(-1)?.headers['sec-fetch-mode']).toBe('cors');
  });

  it('maps fetch failures to HttpError', async () => {
    const server = await serve((_request, _response, _index, socket) => socket.destroy());
    const http = client({ retry: { maxAttempts: 2 } });
    await expect(http.fetch(`${server.origin}/`)).rejects.toMatchObject({ code: 'HTTP_NETWORK' });
    expect(server.requests).toHaveLength(2);
    await expect(http.fetch('not a url')).rejects.toMatchObject({ code: 'HTTP_INVALID_REQUEST' });
    const controller = new AbortController();
    controller.abort();
    await expect(
      http.fetch(`${server.origin}/`, { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'HTTP_ABORTED',
    });
  });
});
