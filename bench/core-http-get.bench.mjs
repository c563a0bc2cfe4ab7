// A keep-alive GET of a small JSON body from a loopback server, body read:
// @civicblocks/core's HTTP client (undici Agent + retry interceptor, timeouts,
// size limit, User-Agent) against a bare undici.request on an equivalent Agent.
import { createServer } from 'node:http';
import { createHttpClient, defaultUserAgent } from '@civicblocks/core';
import { Agent, request } from 'undici';
import { compare } from './lib/harness.mjs';

const payload = JSON.stringify({ id: 'item-42', status: 'ready', amount: 1500, currency: 'GBP' });

export default async function run() {
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
    });
    response.end(payload);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/items/42`;

  const client = createHttpClient();
  // The same settings createHttpClient gives its Agent by default.
  const agent = new Agent({
    connect: { timeout: 10_000 },
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
    keepAliveTimeout: 4_000,
    maxResponseSize: 10 * 1024 * 1024,
  });
  const headers = { 'user-agent': defaultUserAgent };

  try {
    return await compare({
      name: 'core-http-get',
      ours: async () => {
        const response = await client.request({ url });
        return response.text();
      },
      baseline: {
        name: 'undici.request',
        fn: async () => {
          const response = await request(url, { dispatcher: agent, headers });
          return response.body.text();
        },
      },
    });
  } finally {
    await client.close();
    await agent.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
