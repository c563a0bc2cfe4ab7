import { createHash } from 'node:crypto';
import { OutboxError } from '../errors/core-errors.js';
import type { CloudEvent } from '../events/cloud-event.js';
import { serializeCloudEvent } from '../events/structured-mode.js';
import { deliveryHttpClientOptions } from '../http/delivery-http-client-options.js';
import { createHttpClient, type HttpClient } from '../http/http-client.js';
import { createUuidv7Generator } from '../ids/uuidv7.js';
import { checkText, invalidArgument } from '../outbox/outbox-input.js';
import { eventSubscriptionsTable } from '../outbox/outbox-migrations.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { executorFor, type SqlWriteOptions } from '../sql/unit-of-work.js';
import { systemClock } from '../time/clock.js';
import { deliverEvent } from './event-delivery-handler.js';
import type {
  EventDelivery,
  EventDeliveryOptions,
  EventPublishResult,
  EventSubscription,
  EventSubscriptionInput,
} from './event-delivery-types.js';
import { checkSubscriptionInput } from './subscription-input.js';

/** The outbox topic of deliveries when none is configured. */
const defaultTopic = 'civicblocks.event-delivery';
const defaultTimeoutMs = 10_000;
const defaultMaxAttempts = 12;

interface SubscriptionRow {
  readonly id: string;
  readonly subscriber: string;
  readonly url: string;
  readonly types: string[];
  readonly created_at: Date;
}

/**
 * What an event-delivery job carries: the subscription and the exact body,
 * serialised once at publish, so every retry signs and sends the same bytes.
 *
 * @internal
 */
export interface DeliveryPayload {
  readonly subscription: string;
  readonly body: string;
  readonly [key: string]: string;
}

/**
 * Creates {@link EventDelivery} on an {@link Outbox}: subscriptions live in
 * the database (`coreMigrations`), `publish` enqueues one job per matching
 * subscription in the caller's transaction, and `handler` (registered in an
 * {@link OutboxWorker}) POSTs each as a structured-mode CloudEvent signed
 * with Standard Webhooks, the job id as `webhook-id`.
 *
 * Deliveries go through an HTTP client with the egress policy on (https to
 * public addresses only unless `allow` lets a target through, no
 * redirects), URL paths redacted from its events, and no retries of its own:
 * a 408, 429 or 5xx answer or a network failure is retried by the outbox
 * (honouring `Retry-After`), any other non-2xx answer or a refused target
 * dead-letters the delivery.
 *
 * @example
 * ```ts
 * import { createCloudEvent, createEventDelivery, createOutbox, createOutboxWorker } from '@civicblocks/core';
 *
 * const outbox = createOutbox(executor);
 * const delivery = createEventDelivery({ executor, outbox });
 * await delivery.subscribe({
 *   subscriber: 'tax-agency',
 *   url: 'https://tax.example.gov/hooks/consent',
 *   secret: sharedSecret,
 *   types: ['gov.example.consent.consent-withdrawn'],
 * });
 * const worker = createOutboxWorker({ executor, handlers: { [delivery.topic]: delivery.handler } });
 * worker.start();
 *
 * await executor.transaction(async (transaction) => {
 *   await transaction.query('UPDATE consents SET withdrawn_at = now() WHERE id = $1', [consentId]);
 *   await delivery.publish(
 *     createCloudEvent({ source: '/consent', type: 'gov.example.consent.consent-withdrawn', subject: consentId }),
 *     { transaction },
 *   );
 * });
 * ```
 */
export function createEventDelivery(options: EventDeliveryOptions): EventDelivery {
  if (typeof options !== 'object' || options === null)
    throw invalidArgument('options', 'an object');
  const { executor, outbox } = options;
  if (typeof executor?.query !== 'function') throw invalidArgument('executor', 'a SqlExecutor');
  if (typeof outbox?.enqueue !== 'function') throw invalidArgument('outbox', 'an Outbox');
  const clock = options.clock ?? systemClock;
  const topic = options.topic === undefined ? defaultTopic : checkText(options.topic, 'topic', 200);
  const maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const ownsClient = options.httpClient === undefined;
  const client: HttpClient =
    options.httpClient ??
    createHttpClient(
      deliveryHttpClientOptions({
        allow: options.allow ?? [],
        headersTimeoutMs: timeoutMs,
        bodyTimeoutMs: timeoutMs,
        maxResponseBytes: 64 * 1024,
        retry: { maxAttempts: 1 },
        ...(options.onHttpEvent === undefined ? {} : { onEvent: options.onHttpEvent }),
      }),
    );
  const ids = createUuidv7Generator(clock);
  const destinationOf =
    options.destinationOf ??
    ((subscription: EventSubscription) => new URL(subscription.url).origin);

  async function subscribe(
    input: EventSubscriptionInput,
    writeOptions?: SqlWriteOptions,
  ): Promise<EventSubscription> {
    const checked = checkSubscriptionInput(input);
    const id = ids.next();
    const createdAt = clock.now();
    await executorFor(executor, writeOptions).query(
      `INSERT INTO ${eventSubscriptionsTable} (id, subscriber, url, secret, types, created_at)
       VALUES ($1, $2, $3, $4, $5::text[], $6)`,
      [id, checked.subscriber, checked.url, checked.secret, checked.types, createdAt],
    );
    return Object.freeze({
      id,
      subscriber: checked.subscriber,
      url: checked.url,
      types: Object.freeze([...checked.types]),
      createdAt,
    });
  }

  async function unsubscribe(id: string, writeOptions?: SqlWriteOptions): Promise<void> {
    checkText(id, 'id', 100);
    const { rowCount } = await executorFor(executor, writeOptions).query(
      `DELETE FROM ${eventSubscriptionsTable} WHERE id = $1::uuid`,
      [id],
    );
    if (rowCount === 0) {
      throw new OutboxError('OUTBOX_SUBSCRIPTION_NOT_FOUND', 'no event subscription has this id', {
        details: { argument: 'id' },
      });
    }
  }

  async function listSubscriptions(
    filter: { readonly subscriber?: string } = {},
  ): Promise<EventSubscription[]> {
    const parameters: string[] = [];
    let where = '';
    if (filter.subscriber !== undefined) {
      parameters.push(checkText(filter.subscriber, 'subscriber', 200));
      where = 'WHERE subscriber = $1';
    }
    const { rows } = await executor.query<SubscriptionRow>(
      `SELECT id, subscriber, url, types, created_at FROM ${eventSubscriptionsTable} ${where} ORDER BY id`,
      parameters,
    );
    return rows.map(toSubscription);
  }

  async function enqueueFor(
    transaction: SqlExecutor,
    event: CloudEvent<unknown>,
    body: string,
  ): Promise<EventPublishResult> {
    const { rows } = await transaction.query<SubscriptionRow>(
      `SELECT id, subscriber, url, types, created_at FROM ${eventSubscriptionsTable}
       WHERE $1 = ANY(types) ORDER BY id`,
      [event.type],
    );
    // source + id identify an event (CloudEvents); hashed to bound the key's length.
    const eventKey = createHash('sha256').update(`${event.source}\n${event.id}`).digest('hex');
    let jobs = 0;
    for (const row of rows) {
      const subscription = toSubscription(row);
      const payload: DeliveryPayload = { subscription: subscription.id, body };
      const result = await outbox.enqueue(
        {
          topic,
          payload,
          key: `${subscription.id}:${eventKey}`,
          destination: destinationOf(subscription),
          maxAttempts,
        },
        { transaction },
      );
      if (!result.duplicate) jobs += 1;
    }
    return { jobs };
  }

  async function publish(
    event: CloudEvent<unknown>,
    writeOptions?: SqlWriteOptions,
  ): Promise<EventPublishResult> {
    const { body } = serializeCloudEvent(event);
    if (writeOptions?.transaction !== undefined) {
      return enqueueFor(executorFor(executor, writeOptions), event, body);
    }
    return executor.transaction((transaction) => enqueueFor(transaction, event, body));
  }

  return {
    subscribe,
    unsubscribe,
    listSubscriptions,
    publish,
    topic,
    handler: (job, context) => deliverEvent({ executor, client, clock }, job, context),
    close: async () => {
      if (ownsClient) await client.close();
    },
  };
}

function toSubscription(row: SubscriptionRow): EventSubscription {
  return Object.freeze({
    id: row.id,
    subscriber: row.subscriber,
    url: row.url,
    types: Object.freeze([...row.types]),
    createdAt: row.created_at,
  });
}
