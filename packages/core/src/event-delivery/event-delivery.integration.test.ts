import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError, OutboxError, WebhookError } from '../errors/core-errors.js';
import { createCloudEvent } from '../events/cloud-event.js';
import { parseCloudEvent } from '../events/structured-mode.js';
import { type LoopbackServer, startLoopbackServer } from '../http/loopback-server.test-helper.js';
import { createOutbox } from '../outbox/outbox.js';
import { outboxMigrations } from '../outbox/outbox-migrations.js';
import type { Outbox, OutboxEvent } from '../outbox/outbox-types.js';
import { createOutboxWorker } from '../outbox/outbox-worker.js';
import { migrate } from '../sql/migrations.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import {
  rejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import { verifyWebhook } from '../webhooks/standard-webhooks.js';
import { createWebhookSecret } from '../webhooks/webhook-secret.js';
import { createEventDelivery } from './event-delivery.js';
import type { EventDelivery } from './event-delivery-types.js';

/** Resolves once `condition` holds, looking again after each short pause. No deadline. */
async function eventually(condition: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

const slow = 300_000;
const eventType = 'gov.example.consent.consent-withdrawn';

describe.each(testDatabaseTargets())('event delivery on $name', (target) => {
  let executor: SqlExecutor;
  let outbox: Outbox;
  let sink: LoopbackServer;
  let ok = true;
  const deliveries: EventDelivery[] = [];
  let typeNumber = 0;
  const nextType = (): string => {
    typeNumber += 1;
    return `${eventType}.${typeNumber}`;
  };

  useTestDatabase(target, async (created) => {
    executor = created.executor;
    await migrate(executor, outboxMigrations);
    outbox = createOutbox(executor);
  });

  beforeAll(async () => {
    sink = await startLoopbackServer((_request, response) => {
      response.writeHead(ok ? 204 : 400).end();
    });
  });
  afterAll(async () => {
    await Promise.all(deliveries.map((delivery) => delivery.close()));
    await sink.close();
  });

  function delivery(allow: readonly string[] = ['127.0.0.1'], timeoutMs?: number): EventDelivery {
    const created = createEventDelivery({
      executor,
      outbox,
      allow,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    deliveries.push(created);
    return created;
  }

  async function runUntil(
    events: EventDelivery,
    condition: () => Promise<boolean> | boolean,
    onEvent?: (event: OutboxEvent) => void,
  ): Promise<void> {
    const worker = createOutboxWorker({
      executor,
      handlers: { [events.topic]: events.handler },
      pollIntervalMs: 10,
      concurrency: 8,
      backoff: { baseDelayMs: 5, maxDelayMs: 50 },
      ...(onEvent === undefined ? {} : { onEvent }),
    });
    worker.start();
    await eventually(condition);
    await worker.stop();
  }

  it(
    'delivers a signed structured-mode CloudEvent whose webhook-id is the job id, only to matching subscriptions',
    async () => {
      const events = delivery();
      const type = nextType();
      const secret = createWebhookSecret();
      const subscription = await events.subscribe({
        subscriber: 'tax-agency',
        url: `${sink.origin}/hooks/secret-path-token`,
        secret,
        types: [type],
      });
      await events.subscribe({
        subscriber: 'other-agency',
        url: `${sink.origin}/other`,
        secret: createWebhookSecret(),
        types: [`${type}.other`],
      });
      const event = createCloudEvent({
        source: '/consent',
        type,
        subject: 'c-1',
        data: { consentId: 'c-1' },
      });
      const before = sink.requests.length;
      const published = await executor.transaction((transaction) =>
        events.publish(event, { transaction }),
      );
      expect(published).toEqual({ jobs: 1 });
      // The same event again: nothing new.
      expect(await events.publish(event)).toEqual({ jobs: 0 });
      // A rolled-back publish sends nothing.
      await rejection(
        executor.transaction(async (transaction) => {
          await events.publish(createCloudEvent({ source: '/consent', type }), { transaction });
          throw new Error('rolled back');
        }),
      );
      await runUntil(
        events,
        async () => (await outbox.counts()).pending === 0 && sink.requests.length > before,
      );
      const received = sink.requests.slice(before);
      expect(received).toHaveLength(1);
      const request = received[0];
      expect(request?.url).toBe('/hooks/secret-path-token');
      expect(request?.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      const verified = verifyWebhook({
        headers: request?.headers ?? {},
        body: request?.body ?? '',
        secret,
      });
      const job = await outbox.get(verified.id);
      expect(job).toMatchObject({ topic: events.topic, state: 'done', attempts: 1 });
      expect(job?.destination).toBe(sink.origin);
      expect(parseCloudEvent(request?.body ?? '')).toEqual(event);
      expect(await events.listSubscriptions({ subscriber: 'tax-agency' })).toEqual([subscription]);
    },
    slow,
  );

  it(
    'refuses a loopback receiver that is not allow-listed and dead-letters the delivery unsent',
    async () => {
      const events = delivery([]);
      const type = nextType();
      await events.subscribe({
        subscriber: 'internal',
        url: `${sink.origin}/refused`,
        secret: createWebhookSecret(),
        types: [type],
      });
      const before = sink.requests.length;
      await events.publish(createCloudEvent({ source: '/consent', type }));
      await runUntil(
        events,
        async () => (await outbox.listDeadLetters({ topic: events.topic })).length === 1,
      );
      const [dead] = await outbox.listDeadLetters({ topic: events.topic });
      expect(dead?.lastFailure).toMatchObject({
        code: 'HTTP_EGRESS_REFUSED',
        attempt: 1,
        retryable: false,
      });
      expect(sink.requests.length).toBe(before);
      await outbox.replay(dead?.id ?? '');
      // Replayed through an allow-listing delivery of the same topic, it goes out.
      await runUntil(delivery(), async () => (await outbox.get(dead?.id ?? ''))?.state === 'done');
      expect(sink.requests.length).toBe(before + 1);
    },
    slow,
  );

  it(
    'dead-letters a delivery the receiver refuses with a 4xx, and sends nothing for a removed subscription',
    async () => {
      const events = delivery();
      const type = nextType();
      const subscription = await events.subscribe({
        subscriber: 'refusing',
        url: `${sink.origin}/refusing`,
        secret: createWebhookSecret(),
        types: [type],
      });
      ok = false;
      await events.publish(createCloudEvent({ source: '/consent', type, id: 'refused-1' }));
      await runUntil(
        events,
        async () => (await outbox.listDeadLetters({ topic: events.topic })).length === 1,
      );
      ok = true;
      const [dead] = await outbox.listDeadLetters({ topic: events.topic });
      expect(dead?.lastFailure).toMatchObject({ code: 'OUTBOX_DELIVERY_FAILED', attempt: 1 });
      await outbox.replay(dead?.id ?? '');

      await events.unsubscribe(subscription.id);
      const before = sink.requests.length;
      await runUntil(events, async () => (await outbox.get(dead?.id ?? ''))?.state === 'done');
      expect(sink.requests.length).toBe(before);
      const missing = await rejection(events.unsubscribe(subscription.id));
      expect(OutboxError.isInstance(missing) && missing.code).toBe('OUTBOX_SUBSCRIPTION_NOT_FOUND');
    },
    slow,
  );

  it('refuses bad subscriptions naming the field, never echoing it', async () => {
    const events = delivery();
    const base = {
      subscriber: 's',
      url: 'https://hooks.example.gov/x',
      secret: createWebhookSecret(),
      types: ['t'],
    };
    const url = await rejection(
      events.subscribe({ ...base, url: 'ftp://hooks.example.gov/secret' }),
    );
    expect(InvalidInputError.isInstance(url) && url.details?.argument).toBe('url');
    expect(String((url as Error).message)).not.toContain('secret');
    const types = await rejection(events.subscribe({ ...base, types: [] }));
    expect(InvalidInputError.isInstance(types) && types.details?.argument).toBe('types');
    const secret = await rejection(events.subscribe({ ...base, secret: 'whsec_c2hvcnQ=' }));
    expect(WebhookError.isInstance(secret) && secret.code).toBe('WEBHOOK_INVALID_SECRET');
  });

  it(
    'ends with every delivery done when a third of requests answer 500, 429 with Retry-After, stall or reset',
    async () => {
      const count = 300;
      const type = nextType();
      const faults = { '500': 0, '429': 0, stall: 0, reset: 0 };
      const stalled: Socket[] = [];
      const delivered = new Map<string, number>();
      const flaky = await startLoopbackServer((request, response, index, socket) => {
        if (index % 3 === 0) {
          switch ((index / 3) % 4) {
            case 0:
              faults['500'] += 1;
              response.writeHead(500).end();
              return;
            case 1:
              faults['429'] += 1;
              response.writeHead(429, { 'retry-after': '1' }).end();
              return;
            case 2:
              faults.stall += 1;
              stalled.push(socket);
              return;
            default:
              faults.reset += 1;
              socket.destroy();
              return;
          }
        }
        const id = String(request.headers['webhook-id']);
        delivered.set(id, (delivered.get(id) ?? 0) + 1);
        response.writeHead(200).end();
      });
      try {
        const events = delivery(['127.0.0.1'], 300);
        await events.subscribe({
          subscriber: 'flaky',
          url: `${flaky.origin}/hooks`,
          secret: createWebhookSecret(),
          types: [type],
        });
        for (let index = 0; index < count; index += 1) {
          await events.publish(createCloudEvent({ source: '/flaky', type, data: { index } }));
        }
        const retries: OutboxEvent[] = [];
        await runUntil(
          events,
          async () => delivered.size === count && (await outbox.counts()).running === 0,
          (event) => {
            if (event.type === 'job-retry-scheduled') retries.push(event);
          },
        );
        const counts = await outbox.counts();
        expect(counts.dead).toBe(0);
        expect(delivered.size).toBe(count);
        // Every fault kind happened, and each was retried rather than lost.
        expect(Object.values(faults).every((seen) => seen > 0)).toBe(true);
        const faultTotal = Object.values(faults).reduce((sum, seen) => sum + seen, 0);
        expect(retries.length).toBe(faultTotal);
        // A 429 with Retry-After: 1 was honoured: those retries waited 1000 ms.
        expect(
          retries.filter((event) => event.type === 'job-retry-scheduled' && event.delayMs === 1000)
            .length,
        ).toBe(faults['429']);
        console.info(
          `[event delivery on ${target.name}] ${count} deliveries, ${flaky.requests.length} requests, faults ${JSON.stringify(faults)}, redelivered ${[...delivered.values()].filter((times) => times > 1).length}`,
        );
      } finally {
        for (const socket of stalled) socket.destroy();
        await flaky.close();
      }
    },
    slow,
  );
});
