import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body read; the form handler applies its own, smaller limit. */
const maximumBodyBytes = 1_000_000;

/**
 * Adapts a web-standard handler (`Request` in, `Response` out) to
 * `node:http`. Frameworks such as Hono or Fastify do this for you; the
 * example stays on `node:http` to show there is nothing hidden.
 *
 * @example
 * ```ts
 * const server = createServer(nodeListener(origin, handle, (error) => log(error)));
 * ```
 */
export function nodeListener(
  origin: string,
  handle: (request: Request) => Promise<Response>,
  onFailure: (error: unknown) => void,
): (incoming: IncomingMessage, outgoing: ServerResponse) => void {
  return (incoming, outgoing) => {
    serve(origin, handle, incoming, outgoing).catch((error: unknown) => {
      onFailure(error);
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
      outgoing.end();
    });
  };
}

async function serve(
  origin: string,
  handle: (request: Request) => Promise<Response>,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const method = incoming.method ?? 'GET';
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of incoming) {
      total += (chunk as Buffer).byteLength;
      if (total > maximumBodyBytes) {
        outgoing.writeHead(413, { connection: 'close' }).end();
        incoming.destroy();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    body = Uint8Array.from(Buffer.concat(chunks));
  }
  // The origin is the service's own, never the Host header: it is not to be trusted.
  const url = new URL(incoming.url ?? '/', origin);
  const response = await handle(
    new Request(url, { method, headers, ...(body === undefined ? {} : { body }) }),
  );
  const outgoingHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') outgoingHeaders[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) outgoingHeaders['set-cookie'] = cookies;
  outgoing.writeHead(response.status, outgoingHeaders);
  outgoing.end(method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer()));
}
