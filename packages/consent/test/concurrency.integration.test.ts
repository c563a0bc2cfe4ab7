// 50 interleaved give / withdraw calls for one subject, from parallel
// connections (separate pools on PostgreSQL): every call is in the history,
// sequences have no gap, and the status is the last committed decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateConsentSigningKey } from '../src/receipts/signing-keys.js';
import type {
  ConsentDecisionResult,
  ConsentService,
} from '../src/service/consent-service-types.js';
import { createConsentService } from '../src/service/create-consent-service.js';
import { type ConsentFixture, consentFixture, notice, targets } from './consent-setup.js';

describe.each(targets)('concurrent decisions on $name', (target) => {
  let fixture: ConsentFixture;
  const services: ConsentService[] = [];
  beforeAll(async () => {
    fixture = await consentFixture(target);
    const key = await generateConsentSigningKey('consent-concurrency');
    for (let index = 0; index < 5; index += 1) {
      const executor = await fixture.database.createExecutor();
      services.push(
        await createConsentService({
          executor,
          keys: { current: key },
          clock: fixture.clock,
          attempts: 20,
        }),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await fixture.database.drop();
  });

  it('serialise per subject: every call in the history, status = last committed', {
    timeout: 300_000,
  }, async () => {
    const subject = 'concurrent-079088001234';
    await fixture.consent.give({ subject, notice, purposes: ['sms-updates'] });
    const calls = Array.from({ length: 50 }, (_, index) => index);
    const results = await Promise.all(
      calls.map(async (index): Promise<[number, ConsentDecisionResult]> => {
        const service = services[index % services.length] as ConsentService;
        const result =
          index % 2 === 0
            ? await service.give(
                { subject, notice, purposes: ['sms-updates'] },
                { idempotencyKey: `call-${index}` },
              )
            : await service.withdraw(
                { subject, notice: { id: notice.id } },
                { idempotencyKey: `call-${index}` },
              );
        return [index, result];
      }),
    );
    const history = await fixture.consent.history(subject);
    const sequences = history.events.map((event) => event.sequence);
    expect(sequences).toEqual(sequences.map((_, index) => index + 1));
    const ids = new Set(history.events.map((event) => event.id));
    for (const [index, result] of results) {
      expect(ids.has(result.event.id), `call ${index}`).toBe(true);
      expect(result.event.kind).toBe(index % 2 === 0 ? 'given' : 'withdrawn');
    }
    const gives = results.filter(([index]) => index % 2 === 0);
    const recordedWithdrawals = results.filter(
      ([index, result]) => index % 2 === 1 && !result.replayed,
    );
    expect(history.events).toHaveLength(1 + gives.length + recordedWithdrawals.length);
    // distinct events: no two calls got the same new event
    expect(
      new Set(results.filter(([, result]) => !result.replayed).map(([, result]) => result.event.id))
        .size,
    ).toBe(gives.length + recordedWithdrawals.length);
    const last = history.events.at(-1);
    const decision = await fixture.consent.check({
      subject,
      controller: 'molisa',
      purpose: 'sms-updates',
      dataCategories: ['phone'],
    });
    expect(decision.record?.eventId).toBe(last?.id);
    expect(decision.allowed).toBe(last?.kind === 'given');
    expect(history.statuses.find((state) => state.purpose === 'sms-updates')?.status).toBe(
      last?.kind,
    );
    expect(await fixture.consent.verifyHistory(subject)).toMatchObject({
      ok: true,
      length: history.events.length,
    });
    // a withdrawal only replays an earlier withdrawal: it follows another withdrawal in the history
    for (const [index, result] of results) {
      if (index % 2 === 1 && result.replayed) {
        expect(history.events.find((event) => event.id === result.event.id)?.kind).toBe(
          'withdrawn',
        );
      }
    }
  });
});
