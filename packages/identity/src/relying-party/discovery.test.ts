import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscoveryCache } from './discovery.js';

describe('discovery cache (real loopback server)', () => {
  let issuer: string;
  let requests = 0;
  let mode: 'ok' | 'down' | 'wrong-issuer' = 'ok';
  let cacheControl = 'max-age=60';
  const server = createServer((_request, response) => {
    requests += 1;
    if (mode === 'down') {
      response.writeHead(503);
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': cacheControl });
    response.end(
      JSON.stringify({
        issuer: mode === 'wrong-issuer' ? 'https://evil.example' : issuer,
        version: requests,
      }),
    );
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('honours Cache-Control max-age and shares one request between concurrent callers', async () => {
    requests = 0;
    mode = 'ok';
    cacheControl = 'max-age=60';
    let time = 1_000_000;
    const cache = createDiscoveryCache({ issuer, fetch, clock: { now: () => new Date(time) } });
    const [first, second] = await Promise.all([cache.get(), cache.get()]);
    expect(first).toBe(second);
    expect(requests).toBe(1);
    time += 59_000;
    await cache.get();
    expect(requests).toBe(1);
    time += 2_000;
    expect((await cache.get()).version).toBe(2);
  });

  it('refetches every time on no-store', async () => {
    requests = 0;
    mode = 'ok';
    cacheControl = 'no-store';
    const cache = createDiscoveryCache({ issuer, fetch });
    await cache.get();
    await cache.get();
    expect(requests).toBe(2);
  });

  it('serves the last good copy while the provider is down, and fails without one', async () => {
    mode = 'ok';
    cacheControl = 'max-age=1';
    let time = 0;
    const cache = createDiscoveryCache({ issuer, fetch, clock: { now: () => new Date(time) } });
    const good = await cache.get();
    mode = 'down';
    time += 5_000;
    expect(await cache.get()).toBe(good);
    const cold = createDiscoveryCache({ issuer, fetch });
    await expect(cold.get()).rejects.toMatchObject({
      code: 'IDENTITY_DISCOVERY_FAILED',
      status: 503,
      isRetryable: true,
    });
  });

  it('refuses a document whose issuer is not exactly the configured one', async () => {
    mode = 'wrong-issuer';
    const cache = createDiscoveryCache({ issuer, fetch });
    await expect(cache.get()).rejects.toMatchObject({
      code: 'IDENTITY_DISCOVERY_ISSUER_MISMATCH',
      details: { configured: issuer, published: 'https://evil.example' },
    });
    mode = 'ok';
  });
});
