import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach } from 'vitest';

/** The test CA, server and client certificates of fixtures/tls. */
export const tlsFixtures: {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
} = {
  ca: readFileSync(new URL('./fixtures/tls/ca.pem', import.meta.url), 'utf8'),
  serverCert: readFileSync(new URL('./fixtures/tls/server.pem', import.meta.url), 'utf8'),
  serverKey: readFileSync(new URL('./fixtures/tls/server.key', import.meta.url), 'utf8'),
  clientCert: readFileSync(new URL('./fixtures/tls/client.pem', import.meta.url), 'utf8'),
  clientKey: readFileSync(new URL('./fixtures/tls/client.key', import.meta.url), 'utf8'),
};

/** A server that counts every connection and every byte it receives. */
export interface CountingServer {
  readonly port: number;
  readonly origin: string;
  readonly connections: () => number;
  readonly bytesReceived: () => number;
  /** Request heads seen: method, url, headers; for TLS servers the client certificate's CN. */
  readonly requests: {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    clientCn?: string;
  }[];
  close(): Promise<void>;
}

function track(server: Server, host: string, scheme: string): Promise<CountingServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let bytes = 0;
  const requests: CountingServer['requests'] = [];
  server.on('request', (request) => {
    const cert = (request.socket as TLSSocket).getPeerCertificate?.();
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      ...(cert?.subject?.CN === undefined ? {} : { clientCn: String(cert.subject.CN) }),
    });
  });
  const onSocket = (socket: Socket): void => {
    connections += 1;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    socket.on('close', () => sockets.delete(socket));
  };
  // For TLS, count raw TCP connections (before any handshake).
  server.on('connection', onSocket);
  return new Promise((resolve) => {
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host === '::' ? '::1' : host}]` : host;
      resolve({
        port,
        origin: `${scheme}://${shown}:${port}`,
        connections: () => connections,
        bytesReceived: () => bytes,
        requests,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * A plain HTTP server answering every request with `status` (and
 * `location`), counting connections and bytes. Listens on `host` (`'::'`
 * takes IPv4-mapped connections too).
 */
export function startCountingServer(
  host = '127.0.0.1',
  answer: { status?: number; location?: string; body?: string } = {},
): Promise<CountingServer> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const body = answer.body ?? 'internal data';
      response.writeHead(answer.status ?? 200, {
        'content-type': 'text/plain',
        'content-length': Buffer.byteLength(body),
        ...(answer.location === undefined ? {} : { location: answer.location }),
      });
      response.end(body);
    });
  });
  return track(server, host, 'http');
}

/** An HTTPS server with the fixture certificate that requires a client certificate signed by the fixture CA. */
export function startMutualTlsServer(): Promise<CountingServer> {
  const server = createHttpsServer(
    {
      key: tlsFixtures.serverKey,
      cert: tlsFixtures.serverCert,
      ca: tlsFixtures.ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('hello over mutual TLS');
      });
    },
  );
  return track(server as unknown as Server, '127.0.0.1', 'https');
}

/** What a CONNECT proxy was asked. */
export interface ProxyRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
}

/** A loopback forward proxy speaking only CONNECT (as undici's ProxyAgent uses), written with node:http. */
export interface ConnectProxy {
  readonly port: number;
  readonly url: string;
  readonly requests: ProxyRequest[];
  readonly connections: () => number;
  close(): Promise<void>;
}

/** Starts a {@link ConnectProxy} on 127.0.0.1. A non-CONNECT request gets 405. */
export function startConnectProxy(): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const requests: ProxyRequest[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      target: request.url ?? '',
      headers: request.headers,
    });
    response.writeHead(405);
    response.end();
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    requests.push({ method: 'CONNECT', target: request.url ?? '', headers: request.headers });
    const target = new URL(`http://${request.url ?? ''}`);
    const upstream = connect(Number(target.port), target.hostname.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        requests,
        connections: () => connections,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** What undici reported while watched: connections attempted, opened and failed, request heads sent. */
export interface ConnectionWatch {
  readonly attempted: number;
  readonly connected: number;
  readonly connectErrors: unknown[];
  readonly headersSent: number;
  stop(): void;
}

/**
 * Watches undici's diagnostics channels: a refusal "before a byte is sent"
 * shows as a connect attempt that failed with the refusal, no connection
 * opened and no request head written.
 */
export function watchConnections(): ConnectionWatch {
  const watch = {
    attempted: 0,
    connected: 0,
    connectErrors: [] as unknown[],
    headersSent: 0,
    stop: () => {
      unsubscribe('undici:client:beforeConnect', onAttempt);
      unsubscribe('undici:client:connected', onConnected);
      unsubscribe('undici:client:connectError', onConnectError);
      unsubscribe('undici:client:sendHeaders', onHeaders);
    },
  };
  const onAttempt = (): void => {
    watch.attempted += 1;
  };
  const onConnected = (): void => {
    watch.connected += 1;
  };
  const onConnectError = (message: unknown): void => {
    watch.connectErrors.push((message as { error: unknown }).error);
  };
  const onHeaders = (): void => {
    watch.headersSent += 1;
  };
  subscribe('undici:client:beforeConnect', onAttempt);
  subscribe('undici:client:connected', onConnected);
  subscribe('undici:client:connectError', onConnectError);
  subscribe('undici:client:sendHeaders', onHeaders);
  return watch;
}

/**
 * Registers an `afterEach` that runs, last first, every cleanup handed to
 * the function it returns (clients to close, servers to stop).
 */
export function deferCleanups(): (cleanup: () => Promise<void> | void) => void {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}
