import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the loopback server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** `performance.now()` when the request head arrived. */
  readonly at: number;
  /** Which connection carried it, numbered from 0 in order of arrival. */
  readonly socket: number;
}

/** A real node:http server on 127.0.0.1 with a scripted handler. */
export interface LoopbackServer {
  readonly origin: string;
  readonly requests: ReceivedRequest[];
  /** Connections accepted so far. */
  readonly connectionCount: () => number;
  close(): Promise<void>;
}

/**
 * Starts a loopback HTTP server. `handle` gets the request (body already
 * read), its 0-based index and the raw socket, and answers however it likes,
 * including never, or by destroying the socket.
 */
export async function startLoopbackServer(
  handle: (
    request: IncomingMessage,
    response: ServerResponse,
    index: number,
    socket: Socket,
  ) => void,
): Promise<LoopbackServer> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Map<Socket, number>();
  const server = createServer((request, response) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = requests.length;
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at,
        socket: sockets.get(request.socket) ?? -1,
      });
      handle(request, response, index, request.socket);
    });
  });
  server.keepAliveTimeout = 10_000;
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, sockets.size);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    connectionCount: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
