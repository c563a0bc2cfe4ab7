import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsentFixture, consentFixture, notice, targets } from './consent-setup.js';

describe.each(targets)('consent service on $name', (target) => {
  let fixture: ConsentFixture;
  beforeAll(async () => {
    fixture = await consentFixture(target);
  }, 120_000);
  afterAll(async () => {
    await fixture.database.drop();
  });

  it('gives, checks, withdraws and checks again with no stale answer', { timeout: 60_000 }, async () => {
    const { consent } = fixture;
    const subject = '079088001234';
    const given = await consent.give({ subject, notice, purposes: ['sms-updates'], method: 'web-form' });
    expect(given.event.kind).toBe('given');
    expect(given.receipt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const query = { subject, controller: 'molisa', purpose: 'sms-updates', dataCategories: ['phone'] };
    const allowed = await consent.check(query);
    expect(allowed).toMatchObject({ allowed: true, reason: 'CONSENT_IN_FORCE', record: { eventId: given.event.id, recordId: given.recordId } });
    expect(allowed.expiresAt?.toISOString()).toBe('2027-01-05T08:00:00.000Z');
    expect(await consent.check({ ...query, dataCategories: ['income'] })).toMatchObject({ allowed: false, reason: 'DATA_CATEGORY_NOT_COVERED' });
    const withdrawn = await consent.withdraw({ subject, notice: { id: notice.id } });
    expect(withdrawn.event.kind).toBe('withdrawn');
    expect(await consent.check(query)).toMatchObject({ allowed: false, reason: 'CONSENT_WITHDRAWN' });
    const again = await consent.withdraw({ subject, notice: { id: notice.id } });
    expect(again).toMatchObject({ replayed: true, event: { id: withdrawn.event.id } });
    const history = await consent.history(subject);
    expect(history.events.map((event) => event.kind)).toEqual(['given', 'withdrawn']);
    const verified = await consent.verifyHistory(subject);
    expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true, length: 2 });
  });
});
