import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HttpError, InvalidInputError } from '../errors/core-errors.js';
import {
  type ConnectProxy,
  type CountingServer,
  deferCleanups,
  startConnectProxy,
  startCountingServer,
  startMutualTlsServer,
  tlsFixtures,
} from './egress-servers.test-helper.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './http-client.js';

const defer = deferCleanups();

function client(options: HttpClientOptions): HttpClient {
  const created = createHttpClient({ ...options, retry: { maxAttempts: 1 } });
  defer(() => created.close());
  return created;
}

async function server(): Promise<CountingServer> {
  const started = await startCountingServer('127.0.0.1');
  defer(() => started.close());
  return started;
}

async function proxy(): Promise<ConnectProxy> {
  const started = await startConnectProxy();
  defer(() => started.close());
  return started;
}

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (HttpError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

const toLoopback: LookupFunction = (_hostname, options, callback) => {
  process.nextTick(() => {
    if ((options as { all?: boolean }).all === true) {
      (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [
        { address: '127.0.0.1', family: 4 },
      ]);
    } else {
      callback(null, '127.0.0.1', 4);
    }
  });
};

describe('proxy', () => {
  it('tunnels every call through the proxy with CONNECT: the proxy never sees a request header or body', async () => {
    const target = await server();
    const forward = await proxy();
    const http = client({
      proxy: forward.url,
      egress: { allow: [`127.0.0.1:${forward.port}`, `127.0.0.1:${target.port}`] },
    });
    const response = await http.request({
      method: 'POST',
      url: `${target.origin}/hook`,
      headers: { 'webhook-signature': 'v1,c2ln', authorization: 'Bearer t0k3n' },
      json: { event: 'consent-withdrawn' },
    });
    expect(response.status).toBe(200);
    expect(forward.requests).toEqual([
      { method: 'CONNECT', target: `127.0.0.1:${target.port}`, headers: expect.any(Object) },
    ]);
    const proxyHeaders = forward.requests[0]?.headers ?? {};
    expect(Object.keys(proxyHeaders).sort()).toEqual(['connection', 'host', 'proxy-connection']);
    expect(target.requests[0]?.headers['webhook-signature']).toBe('v1,c2ln');
  });

  it('still applies the egress policy to the target: a name resolving to loopback is refused before the proxy is contacted', async () => {
    const target = await server();
    const forward = await proxy();
    const http = client({
      proxy: { url: forward.url },
      egress: { allow: [`127.0.0.1:${forward.port}`], lookup: toLoopback },
    });
    for (const url of [
      `https://hooks.example.org:${target.port}/`,
      `https://127.0.0.1:${target.port}/`,
      'https://169.254.169.254/',
      `http://hooks.example.org:${target.port}/`,
    ]) {
      const error = await refusal(http.request({ url }));
      expect(error.code).toBe('HTTP_EGRESS_REFUSED');
      expect(error.isRetryable).toBe(false);
    }
    const fetched = await refusal(http.fetch(`https://hooks.example.org:${target.port}/`));
    expect(fetched.code).toBe('HTTP_EGRESS_REFUSED');
    // A listed target with a Host header naming another host: refused too.
    const listed = client({
      proxy: { url: forward.url },
      egress: { allow: [`127.0.0.1:${forward.port}`, `127.0.0.1:${target.port}`] },
    });
    const steered = await refusal(
      listed.request({ url: `${target.origin}/`, headers: { host: 'metadata.internal' } }),
    );
    expect(steered.details).toMatchObject({ reason: 'host-header' });
    expect(forward.connections()).toBe(0);
    expect(target.connections()).toBe(0);
  });

  it('requires the proxy itself to be on the allow list of a client with egress', () => {
    expect(() =>
      createHttpClient({ proxy: 'http://127.0.0.1:3128', egress: { allow: ['127.0.0.1:8080'] } }),
    ).toThrow(InvalidInputError);
    expect(() => createHttpClient({ proxy: 'not a url' })).toThrow(InvalidInputError);
    expect(() => createHttpClient({ proxy: { url: 'ftp://proxy.internal' } })).toThrow(
      InvalidInputError,
    );
    // Without an egress policy any proxy is accepted.
    const unguarded = createHttpClient({ proxy: 'http://127.0.0.1:3128' });
    defer(() => unguarded.close());
  });

  it('connects directly to hosts matching noProxy, with NO_PROXY semantics', async () => {
    const target = await server();
    const forward = await proxy();
    const http = client({ proxy: { url: forward.url, noProxy: 'localhost, 127.0.0.1' } });
    expect((await http.request({ url: `${target.origin}/` })).status).toBe(200);
    expect(forward.connections()).toBe(0);
    expect(target.connections()).toBe(1);

    // An empty URL, as from an unset HTTPS_PROXY, is no proxy.
    const unset = client({ proxy: { url: '', noProxy: undefined } });
    expect((await unset.request({ url: `${target.origin}/` })).status).toBe(200);
    expect(forward.connections()).toBe(0);
    expect(target.connections()).toBe(2);
  });

  it("'environment' takes the proxy from HTTPS_PROXY / NO_PROXY as undici's EnvHttpProxyAgent reads them", async () => {
    const target = await server();
    const forward = await proxy();
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    defer(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
    process.env.HTTP_PROXY = forward.url;
    process.env.NO_PROXY = '';
    expect(() =>
      createHttpClient({ proxy: 'environment', egress: { allow: [`127.0.0.1:${target.port}`] } }),
    ).toThrow(InvalidInputError);
    const http = client({
      proxy: 'environment',
      egress: { allow: [`127.0.0.1:${forward.port}`, `127.0.0.1:${target.port}`] },
    });
    expect((await http.request({ url: `${target.origin}/` })).status).toBe(200);
    expect(forward.requests.map((request) => request.target)).toEqual([`127.0.0.1:${target.port}`]);
  });

  it('speaks mutual TLS to the target through the tunnel', async () => {
    const target = await startMutualTlsServer();
    defer(() => target.close());
    const forward = await proxy();
    const http = client({
      proxy: forward.url,
      egress: { allow: [`127.0.0.1:${forward.port}`, `127.0.0.1:${target.port}`] },
      tls: {
        ca: tlsFixtures.ca,
        cert: tlsFixtures.clientCert,
        key: tlsFixtures.clientKey,
        servername: 'api.test.invalid',
      },
    });
    const response = await http.request({ url: `${target.origin}/v1/ping` });
    expect(response.status).toBe(200);
    expect(target.requests[0]?.clientCn).toBe('civicblocks test client');
    expect(forward.requests.map((request) => request.method)).toEqual(['CONNECT']);
  });
});
