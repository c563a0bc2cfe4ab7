import { OutboxError } from '../errors/core-errors.js';
import type { HttpClient } from '../http/http-client.js';
import { parseRetryAfter } from '../http/http-retry.js';
import { eventSubscriptionsTable } from '../outbox/outbox-migrations.js';
import type { OutboxHandlerContext, OutboxJob } from '../outbox/outbox-types.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import type { Clock } from '../time/clock.js';
import { signWebhook } from '../webhooks/standard-webhooks.js';

/**
 * What a delivery needs besides the job.
 *
 * @internal
 */
export interface DeliveryContext {
  readonly executor: SqlExecutor;
  readonly client: HttpClient;
  readonly clock: Clock;
}

const structuredContentType = 'application/cloudevents+json; charset=utf-8';

/**
 * Delivers one event-delivery job: reads the subscription (a removed one
 * means nothing to send), signs the stored body with the job id as
 * `webhook-id`, POSTs it and classifies the answer. 2xx: done. 408, 429, 5xx:
 * a retryable `OUTBOX_DELIVERY_FAILED` carrying `Retry-After` as
 * `details.retryAfterMs`. Any other status: a permanent one. HTTP errors
 * (network, timeout, egress refusal) pass through with their own
 * `isRetryable`.
 *
 * @internal
 */
export async function deliverEvent(
  context: DeliveryContext,
  job: OutboxJob,
  { signal }: OutboxHandlerContext,
): Promise<void> {
  const payload = job.payload as { subscription?: unknown; body?: unknown };
  if (typeof payload?.subscription !== 'string' || typeof payload.body !== 'string') {
    throw new OutboxError('OUTBOX_PERMANENT_FAILURE', 'the job is not an event delivery', {
      details: { jobId: job.id },
    });
  }
  const { rows } = await context.executor.query<{ url: string; secret: string }>(
    `SELECT url, secret FROM ${eventSubscriptionsTable} WHERE id = $1::uuid`,
    [payload.subscription],
  );
  const subscription = rows[0];
  if (subscription === undefined) return;
  const body = payload.body;
  const signature = signWebhook({
    id: job.id,
    body,
    secret: subscription.secret,
    clock: context.clock,
  });
  const response = await context.client.request({
    method: 'POST',
    url: subscription.url,
    headers: { 'content-type': structuredContentType, ...signature },
    body,
    signal,
  });
  if (response.ok) return;
  const status = response.status;
  const origin = new URL(subscription.url).origin;
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = retryable
    ? parseRetryAfter(response.headers['retry-after'], context.clock.now().getTime())
    : undefined;
  throw new OutboxError('OUTBOX_DELIVERY_FAILED', `the receiver at ${origin} answered ${status}`, {
    status,
    isRetryable: retryable,
    ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
    details: {
      status,
      origin,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  });
}
