// consent-given / consent-withdrawn / consent-expired as CloudEvents through
// core's outbox and event delivery: a subscribed loopback agency receives a
// withdrawal, signed, even when it fails its first attempts; a decision
// rolled back with the caller's transaction sends nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEventDelivery,
  createOutbox,
  createOutboxWorker,
  createWebhookSecret,
  type EventDelivery,
  migrate,
  outboxMigrations,
  parseCloudEvent,
  verifyWebhook,
} from '@civicblocks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentCloudEventData } from '../src/service/consent-events-out.js';
import { type ConsentFixture, consentFixture, notice, targets } from './consent-setup.js';

interface Received {
  headers: Record<string, string>;
  body: string;
  status: number;
}

async function eventually(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe.each(targets)('consent events on $name', (target) => {
  let fixture: ConsentFixture;
  let delivery: EventDelivery;
  let server: Server;
  let url: string;
  const received: Received[] = [];
  let failuresLeft = 0;
  const secret = createWebhookSecret();

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const status = failuresLeft > 0 ? 503 : 204;
      if (failuresLeft > 0) failuresLeft -= 1;
      received.push({
        headers: request.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      response.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/consent`;
    // the service needs the delivery at creation: make the database first, then the service on it
    const base = await consentFixture(target);
    await migrate(base.database.executor, outboxMigrations);
    const outbox = createOutbox(base.database.executor);
    delivery = createEventDelivery({
      executor: base.database.executor,
      outbox,
      allow: ['127.0.0.1'],
    });
    const { createConsentService } = await import('../src/service/create-consent-service.js');
    const { generateConsentSigningKey } = await import('../src/receipts/signing-keys.js');
    fixture = {
      ...base,
      consent: await createConsentService({
        executor: base.database.executor,
        keys: { current: await generateConsentSigningKey('consent-events') },
        clock: base.clock,
        events: { delivery, source: 'https://consent.example.gov.vn' },
      }),
    };
    await delivery.subscribe({
      subscriber: 'tax-office',
      url,
      secret,
      types: [
        'org.civicblocks.consent.consent-withdrawn',
        'org.civicblocks.consent.consent-given',
        'org.civicblocks.consent.consent-expired',
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await delivery?.close();
    await new Promise((resolve) => server?.close(resolve));
    await fixture?.database.drop();
  });

  async function deliverAll(): Promise<void> {
    const worker = createOutboxWorker({
      executor: fixture.database.executor,
      handlers: { [delivery.topic]: delivery.handler },
      pollIntervalMs: 10,
      backoff: { baseDelayMs: 5, maxDelayMs: 40 },
    });
    worker.start();
    const outbox = createOutbox(fixture.database.executor);
    await eventually(async () => {
      const counts = await outbox.counts();
      return counts.pending === 0 && counts.running === 0;
    });
    await worker.stop();
  }

  it('delivers a signed withdrawal to a receiver that fails its first attempts', {
    timeout: 300_000,
  }, async () => {
    const subject = 'events-citizen-1';
    const given = await fixture.consent.give({ subject, notice, purposes: ['income-sharing'] });
    await deliverAll();
    failuresLeft = 2;
    const withdrawn = await fixture.consent.withdraw({ subject, notice: { id: notice.id } });
    await deliverAll();
    const withdrawals = received.filter((request) => request.body.includes('consent-withdrawn'));
    expect(withdrawals.map((request) => request.status)).toEqual([503, 503, 204]);
    const delivered = withdrawals.at(-1) as Received;
    const verified = verifyWebhook({ headers: delivered.headers, body: delivered.body, secret });
    expect(verified.id).toBe(withdrawals[0]?.headers['webhook-id']);
    const event = parseCloudEvent(delivered.body);
    expect(event).toMatchObject({
      type: 'org.civicblocks.consent.consent-withdrawn',
      id: withdrawn.event.id,
      subject: given.recordId,
    });
    const data = event.data as ConsentCloudEventData;
    expect(data).toMatchObject({
      recordId: given.recordId,
      kind: 'withdrawn',
      purposes: ['income-sharing'],
      controller: 'molisa',
    });
    // no personal data leaves in an event
    expect(delivered.body).not.toContain(subject);
    expect(
      received.some(
        (request) =>
          request.body.includes(given.event.id) && request.body.includes('consent-given'),
      ),
    ).toBe(true);
  });

  it('sends nothing for a decision rolled back with the caller’s transaction', {
    timeout: 300_000,
  }, async () => {
    const before = received.length;
    const subject = 'events-citizen-rollback';
    await expect(
      fixture.database.executor.transaction(async (transaction) => {
        await fixture.consent.give({ subject, notice, purposes: ['sms-updates'] }, { transaction });
        await fixture.consent.withdraw({ subject, notice: { id: notice.id } }, { transaction });
        throw new Error('the service’s own write failed');
      }),
    ).rejects.toThrow('the service’s own write failed');
    await deliverAll();
    expect(received.length).toBe(before);
    expect((await fixture.consent.history(subject)).events).toEqual([]);
  });

  it('publishes consent-expired when expiry is recorded', { timeout: 300_000 }, async () => {
    const subject = 'events-citizen-expiry';
    await fixture.consent.give({ subject, notice, purposes: ['sms-updates'] });
    fixture.clock.advance(366 * 24 * 3600 * 1000);
    expect(await fixture.consent.recordExpiries()).toBeGreaterThanOrEqual(1);
    await deliverAll();
    const expired = received
      .filter((request) => request.body.includes('consent-expired'))
      .map((request) => parseCloudEvent(request.body));
    expect(
      expired.some((event) =>
        (event.data as ConsentCloudEventData).purposes.includes('sms-updates'),
      ),
    ).toBe(true);
    expect((await fixture.consent.history(subject)).events.map((event) => event.kind)).toEqual([
      'given',
      'expired',
    ]);
  });
});
