import { describe, expect, it } from 'vitest';
import { InvalidInputError, WebhookError } from '../errors/core-errors.js';
import { createManualClock } from '../time/clock.js';
import { signWebhook } from './standard-webhooks.js';
import { verifyWebhookRequest } from './webhook-request.js';
import { createWebhookSecret } from './webhook-secret.js';

const secret = createWebhookSecret();
const clock = createManualClock('2025-06-01T08:00:00Z');
const body = JSON.stringify({ type: 'notification-delivered', reference: 'Thông báo số 1' });

function signedRequest(init: { body?: BodyInit | null; headers?: Record<string, string> } = {}) {
  const headers = signWebhook({ id: 'msg_request_1', body, secret, clock });
  return new Request('https://agency.example.gov/hooks', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, ...init.headers },
    body: init.body === undefined ? body : init.body,
    ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

function streamOf(chunks: readonly Uint8Array[], failAfter = false): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks[index];
      index += 1;
      if (chunk !== undefined) controller.enqueue(chunk);
      else if (failAfter) controller.error(new Error('connection reset'));
      else controller.close();
    },
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('verifyWebhookRequest', () => {
  it('verifies a Request and hands back its raw body', async () => {
    const verified = await verifyWebhookRequest(signedRequest(), { secret, clock });
    expect(verified.id).toBe('msg_request_1');
    expect(verified.timestamp.toISOString()).toBe('2025-06-01T08:00:00.000Z');
    expect(verified.text()).toBe(body);
    expect(verified.body).toEqual(new TextEncoder().encode(body));
  });

  it('reads a streamed body in several chunks', async () => {
    const bytes = new TextEncoder().encode(body);
    const request = signedRequest({
      body: streamOf([bytes.subarray(0, 5), bytes.subarray(5, 20), bytes.subarray(20)]),
    });
    const verified = await verifyWebhookRequest(request, { secret, clock });
    expect(verified.text()).toBe(body);
  });

  it('refuses a tampered body', async () => {
    const error = await rejection(
      verifyWebhookRequest(signedRequest({ body: body.replace('1', '2') }), { secret, clock }),
    );
    expect(WebhookError.isInstance(error) && error.code).toBe('WEBHOOK_SIGNATURE_MISMATCH');
  });

  it('refuses bad headers before reading the body', async () => {
    const request = signedRequest({ headers: { 'webhook-timestamp': '1' } });
    const error = await rejection(verifyWebhookRequest(request, { secret, clock }));
    expect(WebhookError.isInstance(error) && error.code).toBe('WEBHOOK_TIMESTAMP_TOO_OLD');
    expect(request.bodyUsed).toBe(false);
  });

  it('refuses a body larger than the limit, by content-length or while streaming', async () => {
    const declared = await rejection(
      verifyWebhookRequest(signedRequest(), { secret, clock, maximumBodyBytes: 10 }),
    );
    expect(WebhookError.isInstance(declared) && declared.code).toBe('WEBHOOK_BODY_TOO_LARGE');
    const bytes = new TextEncoder().encode(body);
    const streamed = await rejection(
      verifyWebhookRequest(signedRequest({ body: streamOf([bytes, bytes]) }), {
        secret,
        clock,
        maximumBodyBytes: bytes.length + 1,
      }),
    );
    expect(WebhookError.isInstance(streamed) && streamed.code).toBe('WEBHOOK_BODY_TOO_LARGE');
    expect(WebhookError.isInstance(streamed) && streamed.details?.maximumBytes).toBe(
      bytes.length + 1,
    );
  });

  it('reports a body already read, or a failing stream, as WEBHOOK_BODY_UNREADABLE', async () => {
    const used = signedRequest();
    await used.text();
    const error = await rejection(verifyWebhookRequest(used, { secret, clock }));
    expect(WebhookError.isInstance(error) && error.code).toBe('WEBHOOK_BODY_UNREADABLE');

    const failing = signedRequest({ body: streamOf([new Uint8Array(3)], true) });
    const streamError = await rejection(verifyWebhookRequest(failing, { secret, clock }));
    expect(WebhookError.isInstance(streamError) && streamError.code).toBe(
      'WEBHOOK_BODY_UNREADABLE',
    );
    expect(WebhookError.isInstance(streamError) && streamError.cause).toBeInstanceOf(Error);
  });

  it('verifies an empty body', async () => {
    const headers = signWebhook({ id: 'msg_empty', body: '', secret, clock });
    const request = new Request('https://agency.example.gov/hooks', { method: 'POST', headers });
    const verified = await verifyWebhookRequest(request, { secret, clock });
    expect(verified.body).toHaveLength(0);
    expect(verified.text()).toBe('');
  });

  it('refuses an invalid maximumBodyBytes', async () => {
    const error = await rejection(
      verifyWebhookRequest(signedRequest(), { secret, clock, maximumBodyBytes: Number.NaN }),
    );
    expect(InvalidInputError.isInstance(error) && error.code).toBe('INVALID_ARGUMENT');
  });
});
