import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookError } from '../errors/core-errors.js';
import { signWebhook, verifyWebhook } from './standard-webhooks.js';
import { createWebhookSecret } from './webhook-secret.js';

// A real receiver on loopback: Node's http server hands over raw bytes and
// IncomingHttpHeaders, which is what verifyWebhook sees behind Express or Fastify.
describe('Standard Webhooks over a real HTTP connection', () => {
  const secret = createWebhookSecret();
  const received: { id: string; event: unknown }[] = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      try {
        const { id } = verifyWebhook({ headers: request.headers, body, secret });
        received.push({ id, event: JSON.parse(body.toString('utf8')) });
        response.writeHead(204).end();
      } catch (error) {
        response
          .writeHead(WebhookError.isInstance(error) ? 400 : 500)
          .end(WebhookError.isInstance(error) ? error.code : '');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('accepts a signed delivery and refuses a tampered one', async () => {
    const body = JSON.stringify({ type: 'payment-captured', description: 'Lệ phí cấp hộ chiếu' });
    const headers = signWebhook({ id: 'msg_http_1', body, secret });

    const accepted = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    expect(accepted.status).toBe(204);
    expect(received).toEqual([{ id: 'msg_http_1', event: JSON.parse(body) }]);

    const refused = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: body.replace('captured', 'refunded'),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe('WEBHOOK_SIGNATURE_MISMATCH');
    expect(received).toHaveLength(1);
  });
});
