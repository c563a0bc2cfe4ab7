import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HttpError, InvalidInputError } from '../errors/core-errors.js';
import { deliveryHttpClientOptions } from './delivery-http-client-options.js';
import {
  type ConnectionWatch,
  type CountingServer,
  deferCleanups,
  startCountingServer,
  startMutualTlsServer,
  tlsFixtures,
  watchConnections,
} from './egress-servers.test-helper.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './http-client.js';
import type { HttpEvent } from './http-events.js';

const defer = deferCleanups();

function client(options: HttpClientOptions): HttpClient {
  const created = createHttpClient({ ...options, retry: { baseDelayMs: 1, ...options.retry } });
  defer(() => created.close());
  return created;
}

async function counting(
  host?: string,
  answer?: Parameters<typeof startCountingServer>[1],
): Promise<CountingServer> {
  const server = await startCountingServer(host, answer);
  defer(() => server.close());
  return server;
}

function watch(): ConnectionWatch {
  const watching = watchConnections();
  defer(() => watching.stop());
  return watching;
}

/** A resolver that answers from a table, as dns.lookup would (`all` or not). */
function fakeLookup(
  table: Record<string, readonly string[] | (() => readonly string[])>,
  calls: string[] = [],
): LookupFunction {
  return (hostname, options, callback) => {
    calls.push(hostname);
    const entry = table[hostname];
    const addresses = typeof entry === 'function' ? entry() : entry;
    if (addresses === undefined) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
      });
      process.nextTick(() => (callback as (error: Error) => void)(error));
      return;
    }
    const all: LookupAddress[] = addresses.map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
    process.nextTick(() => {
      if ((options as { all?: boolean }).all === true) {
        (callback as (error: null, addresses: LookupAddress[]) => void)(null, all);
      } else {
        callback(null, (all[0] as LookupAddress).address, (all[0] as LookupAddress).family);
      }
    });
  };
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

/** The call was refused by the policy: typed, not retryable, and undici never opened a connection or wrote a request head. */
function expectRefusedBeforeAByte(
  error: HttpError,
  watching: ConnectionWatch,
  reason: string,
): void {
  expect(error.code).toBe('HTTP_EGRESS_REFUSED');
  expect(error.isRetryable).toBe(false);
  expect(error.details).toMatchObject({ reason });
  expect(watching.connected).toBe(0);
  expect(watching.headersSent).toBe(0);
}

describe('must show: refused with a typed error before a byte of the request is sent', () => {
  it('a 307 to a loopback address is never followed, and the signature header never reaches it', async () => {
    const internal = await counting('127.0.0.1');
    const redirecting = await counting('127.0.0.1', {
      status: 307,
      location: `${internal.origin}/admin`,
    });
    const events: HttpEvent[] = [];
    const http = client({
      egress: { allow: [`127.0.0.1:${redirecting.port}`] },
      onEvent: (event) => events.push(event),
    });
    const signed = { 'webhook-signature': 'v1,c2lnbmF0dXJl', authorization: 'Bearer t0k3n' };
    const watching = watch();

    // request() refuses the redirect...
    const refused = await refusal(
      http.request({
        method: 'POST',
        url: `${redirecting.origin}/hook`,
        headers: signed,
        body: '{}',
      }),
    );
    expect(refused.code).toBe('HTTP_EGRESS_REFUSED');
    expect(refused.isRetryable).toBe(false);
    expect(refused.status).toBe(307);
    expect(refused.details).toMatchObject({ reason: 'redirect', status: 307 });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'http-request-failed',
        code: 'HTTP_EGRESS_REFUSED',
        status: 307,
      }),
    ]);

    // ...and so does fetch, whose default is to follow.
    const error = await refusal(
      http.fetch(`${redirecting.origin}/hook`, { method: 'POST', headers: signed, body: '{}' }),
    );
    expect(error.code).toBe('HTTP_EGRESS_REFUSED');
    expect(error.details).toMatchObject({ reason: 'redirect', status: 307 });
    expect(error.isRetryable).toBe(false);

    // A fetch that asks for redirects by hand gets the 307 itself.
    const manual = await http.fetch(`${redirecting.origin}/hook`, { redirect: 'manual' });
    expect(manual.status).toBe(307);
    expect(manual.headers.get('location')).toBe(`${internal.origin}/admin`);

    // Even a redirect to a target the policy would let through is not followed.
    const alsoAllowed = client({
      egress: { allow: [`127.0.0.1:${redirecting.port}`, `127.0.0.1:${internal.port}`] },
    });
    const followed = await refusal(
      alsoAllowed.fetch(`${redirecting.origin}/hook`, { headers: signed }),
    );
    expect(followed.details).toMatchObject({ reason: 'redirect' });

    expect(watching.connectErrors).toEqual([]);
    expect(redirecting.requests).toHaveLength(4);
    expect(redirecting.requests[0]?.headers['webhook-signature']).toBe('v1,c2lnbmF0dXJl');
    expect(internal.connections()).toBe(0);
    expect(internal.bytesReceived()).toBe(0);
  });

  it('a host name that resolves to 127.0.0.1 is refused: through an injected resolver, and localhost through the system one', async () => {
    const internal = await counting('127.0.0.1');
    const http = client({
      egress: { lookup: fakeLookup({ 'hooks.example.org': ['127.0.0.1'] }) },
    });
    const watching = watch();
    const error = await refusal(
      http.request({
        method: 'POST',
        url: `https://hooks.example.org:${internal.port}/hook`,
        headers: { 'webhook-signature': 'v1,abc' },
        json: { id: 1 },
      }),
    );
    expectRefusedBeforeAByte(error, watching, 'address');
    expect(error.details).toMatchObject({ address: '127.0.0.1', addressKind: 'loopback' });
    expect(error.message).toBe(
      `Egress to https://hooks.example.org:${internal.port} refused: the host resolves to 127.0.0.1, a loopback address (127.0.0.0/8)`,
    );
    expect(watching.connectErrors).toEqual([error]);

    const system = client({ egress: {} });
    const localhost = await refusal(system.request({ url: `https://localhost:${internal.port}/` }));
    expectRefusedBeforeAByte(localhost, watching, 'address');
    expect(localhost.details).toMatchObject({ addressKind: 'loopback' });

    expect(internal.connections()).toBe(0);
    expect(internal.bytesReceived()).toBe(0);
  });

  it('::ffff:127.0.0.1 is refused, in both its forms, as a URL literal and as a resolved address', async () => {
    // Listening on :: so a connection to the mapped address would arrive.
    const internal = await counting('::');
    const http = client({
      egress: { lookup: fakeLookup({ 'mapped.example.org': ['::ffff:127.0.0.1'] }) },
    });
    const watching = watch();
    for (const url of [
      `https://[::ffff:127.0.0.1]:${internal.port}/`,
      `https://[::ffff:7f00:1]:${internal.port}/`,
      `https://mapped.example.org:${internal.port}/`,
    ]) {
      const error = await refusal(http.request({ url }));
      expectRefusedBeforeAByte(error, watching, 'address');
      expect(error.details).toMatchObject({ addressKind: 'loopback', range: '127.0.0.0/8' });
    }
    const fetched = await refusal(http.fetch(`https://[::ffff:7f00:1]:${internal.port}/`));
    expectRefusedBeforeAByte(fetched, watching, 'address');
    expect(internal.connections()).toBe(0);
    expect(internal.bytesReceived()).toBe(0);
  });

  it('169.254.169.254 (cloud metadata) is refused, as a literal and as a resolved address', async () => {
    const http = client({
      egress: { lookup: fakeLookup({ 'metadata.example.org': ['169.254.169.254'] }) },
    });
    const watching = watch();
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://metadata.example.org/latest/meta-data/',
      'https://[::ffff:a9fe:a9fe]/latest/meta-data/',
    ]) {
      const error = await refusal(http.request({ url }));
      expectRefusedBeforeAByte(error, watching, 'address');
      expect(error.details).toMatchObject({ addressKind: 'link-local', range: '169.254.0.0/16' });
    }
    // http to it is refused for its scheme first.
    const plain = await refusal(http.request({ url: 'http://169.254.169.254/latest/meta-data/' }));
    expectRefusedBeforeAByte(plain, watching, 'protocol');
  });

  it('a 10/8 address is refused, as a literal, as a resolved address, and in a mixed answer', async () => {
    const http = client({
      egress: {
        lookup: fakeLookup({
          'intranet.example.org': ['10.20.30.40'],
          'mixed.example.org': ['93.184.215.14', '10.0.0.1'],
        }),
      },
    });
    const watching = watch();
    for (const url of [
      'https://10.20.30.40/',
      'https://intranet.example.org/',
      'https://mixed.example.org/',
    ]) {
      const error = await refusal(http.request({ method: 'POST', url, json: { secret: true } }));
      expectRefusedBeforeAByte(error, watching, 'address');
      expect(error.details).toMatchObject({ addressKind: 'private', range: '10.0.0.0/8' });
    }
    expect(watching.attempted).toBe(3);
  });

  it('the allow list lets a loopback test server through, over http, by address or by name', async () => {
    const server = await counting('127.0.0.1');
    const byAddress = client({ egress: { allow: [`127.0.0.1:${server.port}`] } });
    const response = await byAddress.request({ url: `${server.origin}/status` });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('internal data');

    const byName = client({
      egress: {
        allow: ['hooks.internal'],
        lookup: fakeLookup({ 'hooks.internal': ['127.0.0.1'] }),
      },
    });
    const named = await byName.fetch(`http://hooks.internal:${server.port}/status`);
    expect(named.status).toBe(200);
    expect(server.requests.map((request) => request.headers.host)).toEqual([
      `127.0.0.1:${server.port}`,
      `hooks.internal:${server.port}`,
    ]);

    // Another port of the same address is not on the list.
    const other = await counting('127.0.0.1');
    const watching = watch();
    const error = await refusal(byAddress.request({ url: `${other.origin}/` }));
    expectRefusedBeforeAByte(error, watching, 'protocol');
    expect(other.connections()).toBe(0);
  });

  it('a Host header naming another host than the URL is refused before a byte is sent, from request() and fetch', async () => {
    const server = await counting('127.0.0.1');
    const http = client({ egress: { allow: [`127.0.0.1:${server.port}`] } });
    const watching = watch();
    const fromRequest = await refusal(
      http.request({ url: `${server.origin}/`, headers: { host: 'metadata.internal' } }),
    );
    expectRefusedBeforeAByte(fromRequest, watching, 'host-header');
    const fromFetch = await refusal(
      http.fetch(`${server.origin}/`, { headers: { Host: 'metadata.internal' } }),
    );
    expectRefusedBeforeAByte(fromFetch, watching, 'host-header');
    expect(server.connections()).toBe(0);
    // The URL's own host, with or without its port, passes.
    for (const host of [`127.0.0.1:${server.port}`, '127.0.0.1']) {
      expect((await http.request({ url: `${server.origin}/`, headers: { host } })).status).toBe(
        200,
      );
    }
    expect(server.requests.map((request) => request.headers.host)).toEqual([
      `127.0.0.1:${server.port}`,
      '127.0.0.1',
    ]);
  });

  it('mutual TLS against a loopback https server with the test CA works, and fails without the client certificate', async () => {
    const server = await startMutualTlsServer();
    defer(() => server.close());
    const allow = [`127.0.0.1:${server.port}`];
    const mutual = client({
      egress: { allow },
      tls: { ca: tlsFixtures.ca, cert: tlsFixtures.clientCert, key: tlsFixtures.clientKey },
    });
    const response = await mutual.request({ url: `${server.origin}/v1/ping` });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello over mutual TLS');
    expect(server.requests).toEqual([
      expect.objectContaining({ url: '/v1/ping', clientCn: 'civicblocks test client' }),
    ]);

    const withoutCertificate = client({ egress: { allow }, tls: { ca: tlsFixtures.ca } });
    const error = await refusal(withoutCertificate.request({ url: `${server.origin}/v1/ping` }));
    expect(error.code).toBe('HTTP_NETWORK');
    expect(server.requests).toHaveLength(1);

    const withoutCa = client({
      egress: { allow },
      tls: { cert: tlsFixtures.clientCert, key: tlsFixtures.clientKey },
    });
    const untrusted = await refusal(withoutCa.request({ url: `${server.origin}/v1/ping` }));
    expect(untrusted.code).toBe('HTTP_NETWORK');
    expect(server.requests).toHaveLength(1);
  });
});

describe('egress policy', () => {
  it('checks the address of every new connection, so a name that changes its answer is refused (DNS rebinding)', async () => {
    const server = await startCountingServer('0.0.0.0');
    defer(() => server.close());
    const answers = [['127.0.0.1'], ['127.0.0.2']];
    const calls: string[] = [];
    const http = client({
      keepAliveTimeoutMs: 1,
      egress: {
        // The first answer is an address the policy lets through; the second is not.
        allow: [`127.0.0.1/32`],
        lookup: fakeLookup({ 'rebind.example.org': () => answers.shift() ?? [] }, calls),
      },
    });
    const first = await http
      .request({ url: `https://rebind.example.org:${server.port}/` })
      .catch((error: unknown) => error);
    // The server speaks plain http: the TLS handshake fails, but the connection was made.
    expect(HttpError.isInstance(first) && first.code).toBe('HTTP_NETWORK');
    expect(server.connections()).toBe(1);

    const watching = watch();
    const second = await refusal(
      http.request({ url: `https://rebind.example.org:${server.port}/` }),
    );
    expectRefusedBeforeAByte(second, watching, 'address');
    expect(second.details).toMatchObject({ address: '127.0.0.2', addressKind: 'loopback' });
    expect(calls).toEqual(['rebind.example.org', 'rebind.example.org']);
    expect(server.connections()).toBe(1);
  });

  it('refuses the other spellings of loopback and unspecified addresses the URL parser accepts', async () => {
    const http = client({ egress: {} });
    const watching = watch();
    for (const url of [
      'https://2130706433/',
      'https://0x7f.1/',
      'https://127.1/',
      'https://0177.0.0.1/',
      'https://0.0.0.0/',
      'https://0/',
      'https://[::]/',
      'https://[::1]/',
      'https://[0:0:0:0:0:ffff:7f00:1]/',
      'https://[::127.0.0.1]/',
      'https://[64:ff9b::7f00:1]/',
      'https://[2002:7f00:1::]/',
      'https://[fe80::1]/',
      'https://[fd00:ec2::254]/',
    ]) {
      const error = await refusal(http.request({ url }));
      expectRefusedBeforeAByte(error, watching, 'address');
    }
  });

  it('refuses plain http to a target not on the list, whatever it resolves to', async () => {
    const calls: string[] = [];
    const http = client({
      egress: { lookup: fakeLookup({ 'hooks.example.org': ['93.184.215.14'] }, calls) },
    });
    const watching = watch();
    const error = await refusal(http.request({ url: 'http://hooks.example.org/hook' }));
    expectRefusedBeforeAByte(error, watching, 'protocol');
    expect(error.message).toBe(
      'Egress to http://hooks.example.org:80 refused: only https is allowed, except to targets on the allow list',
    );
    expect(calls).toEqual([]);
  });

  it('never retries a refusal, even for an idempotent request', async () => {
    const events: HttpEvent[] = [];
    const http = client({
      egress: {},
      retry: { maxAttempts: 4 },
      onEvent: (event) => events.push(event),
    });
    const error = await refusal(http.request({ url: 'https://10.0.0.1/' }));
    expect(error.code).toBe('HTTP_EGRESS_REFUSED');
    expect(events.map((event) => event.type)).toEqual(['http-request-failed']);
    expect(events[0]).toMatchObject({ code: 'HTTP_EGRESS_REFUSED', attempt: 1 });
  });

  it('lets a name resolving inside a listed range through over https, but not over http', async () => {
    const server = await startMutualTlsServer();
    defer(() => server.close());
    const http = client({
      egress: { allow: ['127.0.0.0/8'], lookup: fakeLookup({ 'api.test.invalid': ['127.0.0.1'] }) },
      tls: { ca: tlsFixtures.ca, cert: tlsFixtures.clientCert, key: tlsFixtures.clientKey },
    });
    const response = await http.request({ url: `https://api.test.invalid:${server.port}/` });
    expect(response.status).toBe(200);
    const plain = await refusal(http.request({ url: `http://api.test.invalid:${server.port}/` }));
    expect(plain.details).toMatchObject({ reason: 'protocol' });
  });

  it('pins the TLS servername: the certificate is checked against it, whatever the URL host', async () => {
    const server = await startMutualTlsServer();
    defer(() => server.close());
    const tls = { ca: tlsFixtures.ca, cert: tlsFixtures.clientCert, key: tlsFixtures.clientKey };
    const allow = [`127.0.0.1:${server.port}`];
    const pinned = client({ egress: { allow }, tls: { ...tls, servername: 'api.test.invalid' } });
    expect((await pinned.request({ url: `${server.origin}/` })).status).toBe(200);

    const wrong = client({ egress: { allow }, tls: { ...tls, servername: 'other.test.invalid' } });
    const error = await refusal(wrong.request({ url: `${server.origin}/` }));
    expect(error.code).toBe('HTTP_NETWORK');
    expect(error.details).toMatchObject({ errorCode: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a bad allow entry or TLS option when the client is created', () => {
    for (const options of [
      { egress: { allow: ['not a host'] } },
      { egress: { allow: ['10.0.0.0/33'] } },
      { egress: { allow: ['host:99999'] } },
      { egress: { allow: 'hooks.internal' as unknown as string[] } },
      { tls: { cert: tlsFixtures.clientCert } },
      { tls: { servername: '' } },
      { redactPath: 'yes' as unknown as boolean },
    ] satisfies HttpClientOptions[]) {
      expect(() => createHttpClient(options)).toThrow(InvalidInputError);
    }
  });
});

describe('redaction', () => {
  it('a secret in a webhook URL path never reaches an event of a client with egress', async () => {
    const server = await counting('127.0.0.1', { status: 503 });
    const events: HttpEvent[] = [];
    const http = client({
      egress: { allow: [`127.0.0.1:${server.port}`] },
      retry: { maxAttempts: 2 },
      onEvent: (event) => events.push(event),
    });
    const url = `${server.origin}/services/T0001/B0002/s3cr3tT0k3n?token=q5ecret`;
    await http.request({ url });
    await http.fetch(url);
    await refusal(http.request({ url: 'https://10.0.0.1/hooks/s3cr3tT0k3n' }));

    expect(events.map((event) => event.type)).toEqual([
      'http-retry-scheduled',
      'http-response-received',
      'http-retry-scheduled',
      'http-response-received',
      'http-request-failed',
    ]);
    for (const event of events.slice(0, 4)) {
      expect(event).toMatchObject({
        origin: server.origin,
        path: '/:redacted/:redacted/:redacted/:redacted',
      });
    }
    expect(events[4]).toMatchObject({ origin: 'https://10.0.0.1', path: '/:redacted/:redacted' });
    const everything = JSON.stringify(events);
    expect(everything).not.toContain('s3cr3t');
    expect(everything).not.toContain('q5ecret');
    expect(everything).not.toContain('T0001');
  });

  it('a client without egress reports paths unless told to redact, and one with egress may opt out', async () => {
    const server = await counting('127.0.0.1');
    const paths: string[] = [];
    const onEvent = (event: HttpEvent): void => {
      paths.push(event.path);
    };
    await client({ onEvent }).request({ url: `${server.origin}/a/b?c=d` });
    await client({ onEvent, redactPath: true }).request({ url: `${server.origin}/a/b?c=d` });
    await client({ onEvent, redactPath: false, egress: { allow: ['127.0.0.1'] } }).request({
      url: `${server.origin}/a/b?c=d`,
    });
    await client({ onEvent, ...deliveryHttpClientOptions({ allow: ['127.0.0.1'] }) }).request({
      url: `${server.origin}/a/b/`,
    });
    expect(paths).toEqual(['/a/b', '/:redacted/:redacted', '/a/b', '/:redacted/:redacted/']);
  });
});
