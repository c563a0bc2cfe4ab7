import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentError } from '../src/errors/consent-error.js';
import { exampleNotice } from '../src/testing/example-notice.js';
import { type ConsentFixture, consentFixture, notice, targets } from './consent-setup.js';

describe.each(targets)('consent service on $name', (target) => {
  let fixture: ConsentFixture;
  beforeAll(async () => {
    fixture = await consentFixture(target);
  }, 120_000);
  afterAll(async () => {
    await fixture.database.drop();
  });

  it('gives, checks, withdraws and checks again with no stale answer', {
    timeout: 60_000,
  }, async () => {
    const { consent } = fixture;
    const subject = '079088001234';
    const given = await consent.give({
      subject,
      notice,
      purposes: ['sms-updates'],
      method: 'web-form',
    });
    expect(given.event.kind).toBe('given');
    expect(given.receipt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const query = {
      subject,
      controller: 'molisa',
      purpose: 'sms-updates',
      dataCategories: ['phone'],
    };
    const allowed = await consent.check(query);
    expect(allowed).toMatchObject({
      allowed: true,
      reason: 'CONSENT_IN_FORCE',
      record: { eventId: given.event.id, recordId: given.recordId },
    });
    expect(allowed.expiresAt?.toISOString()).toBe('2027-01-05T08:00:00.000Z');
    expect(await consent.check({ ...query, dataCategories: ['income'] })).toMatchObject({
      allowed: false,
      reason: 'DATA_CATEGORY_NOT_COVERED',
    });
    const withdrawn = await consent.withdraw({ subject, notice: { id: notice.id } });
    expect(withdrawn.event.kind).toBe('withdrawn');
    expect(await consent.check(query)).toMatchObject({
      allowed: false,
      reason: 'CONSENT_WITHDRAWN',
    });
    const again = await consent.withdraw({ subject, notice: { id: notice.id } });
    expect(again).toMatchObject({ replayed: true, event: { id: withdrawn.event.id } });
    const history = await consent.history(subject);
    expect(history.events.map((event) => event.kind)).toEqual(['given', 'withdrawn']);
    const verified = await consent.verifyHistory(subject);
    expect(verified, JSON.stringify(verified)).toMatchObject({ ok: true, length: 2 });
  });

  it('keeps a decision in force when the page asks again (a request never hides a decision)', {
    timeout: 60_000,
  }, async () => {
    const { consent, clock } = fixture;
    const subject = 'asked-again-079088';
    const purposes = ['sms-updates', 'income-sharing'];
    await consent.request({ subject, notice, purposes });
    const query = { subject, controller: 'molisa', purpose: 'sms-updates', dataCategories: [] };
    expect(await consent.check(query)).toMatchObject({ reason: 'CONSENT_REQUESTED' });
    const given = await consent.give({ subject, notice, purposes: ['sms-updates'] });
    // the citizen comes back to the page: it is shown, and the request recorded, again
    clock.advance(60_000);
    await consent.request({ subject, notice, purposes });
    expect(await consent.check(query)).toMatchObject({
      allowed: true,
      reason: 'CONSENT_IN_FORCE',
      record: { eventId: given.event.id },
    });
    const statuses = (await consent.history(subject)).statuses;
    expect(Object.fromEntries(statuses.map((state) => [state.purpose, state.status]))).toEqual({
      'sms-updates': 'given',
      'income-sharing': 'requested',
    });
    // and it is still what a withdrawal acts on
    expect((await consent.withdraw({ subject, notice: { id: notice.id } })).event.purposes).toEqual(
      ['sms-updates'],
    );
  });

  it('replays the latest withdrawal when everything named is already withdrawn, in one call or several', {
    timeout: 60_000,
  }, async () => {
    const { consent } = fixture;
    const subject = 'withdrawn-in-steps-079088';
    await consent.give({ subject, notice, purposes: ['sms-updates', 'income-sharing'] });
    await consent.withdraw({ subject, notice: { id: notice.id }, purposes: ['sms-updates'] });
    const rest = await consent.withdraw({ subject, notice: { id: notice.id } });
    expect(rest).toMatchObject({ replayed: false, event: { purposes: ['income-sharing'] } });
    // The same "withdraw everything" sent again (a retry, a second click) is not a conflict.
    const again = await consent.withdraw({ subject, notice: { id: notice.id } });
    expect(again).toMatchObject({ replayed: true, event: { id: rest.event.id } });
    expect(again.receipt).toBe(rest.receipt);
    const history = await consent.history(subject);
    expect(history.events.map((event) => event.kind)).toEqual(['given', 'withdrawn', 'withdrawn']);
  });

  it('fingerprints the checked request: fields it ignores neither conflict nor nest too deep', {
    timeout: 60_000,
  }, async () => {
    const { consent } = fixture;
    const input = { subject: 'fingerprint-079088', notice, purposes: ['sms-updates'] };
    let deep: unknown = [];
    for (let level = 0; level < 20_000; level += 1) deep = [deep];
    const first = await consent.give({ ...input, note: deep } as typeof input, {
      idempotencyKey: 'fingerprint-1',
    });
    const retried = await consent.give(input, { idempotencyKey: 'fingerprint-1' });
    expect(retried).toMatchObject({ replayed: true, event: { id: first.event.id } });
    expect((await consent.history(input.subject)).events).toHaveLength(1);
  });

  it('never records a decision twice for one idempotency key', { timeout: 60_000 }, async () => {
    const { consent } = fixture;
    const subject = 'idempotent-079088';
    const input = { subject, notice, purposes: ['sms-updates'] };
    const first = await consent.give(input, { idempotencyKey: 'form-1' });
    const retried = await consent.give(input, { idempotencyKey: 'form-1' });
    expect(first.replayed).toBe(false);
    expect(retried).toMatchObject({
      replayed: true,
      event: { id: first.event.id },
      receipt: first.receipt,
    });
    await expect(
      consent.give({ ...input, purposes: ['income-sharing'] }, { idempotencyKey: 'form-1' }),
    ).rejects.toSatisfy(
      (error) => ConsentError.isInstance(error) && error.code === 'CONSENT_IDEMPOTENCY_CONFLICT',
    );
    const withdrawn = await consent.withdraw(
      { subject, notice: { id: notice.id } },
      { idempotencyKey: 'withdraw-1' },
    );
    const again = await consent.withdraw(
      { subject, notice: { id: notice.id } },
      { idempotencyKey: 'withdraw-1' },
    );
    expect(again).toMatchObject({ replayed: true, event: { id: withdrawn.event.id } });
    expect((await consent.history(subject)).events.map((event) => event.kind)).toEqual([
      'given',
      'withdrawn',
    ]);
  });

  it('joins the caller’s transaction: a rollback leaves nothing', { timeout: 60_000 }, async () => {
    const { consent, database } = fixture;
    const subject = 'rolled-back-079088';
    await expect(
      database.executor.transaction(async (transaction) => {
        await consent.give(
          { subject, notice, purposes: ['sms-updates'] },
          { transaction, idempotencyKey: 'rollback-1' },
        );
        expect(
          (
            await consent.check(
              { subject, controller: 'molisa', purpose: 'sms-updates', dataCategories: [] },
              { transaction },
            )
          ).allowed,
        ).toBe(true);
        throw new Error('the service’s own write failed');
      }),
    ).rejects.toThrow('the service’s own write failed');
    expect((await consent.history(subject)).events).toEqual([]);
    // the key was rolled back with the decision: it works again
    expect(
      (
        await consent.give(
          { subject, notice, purposes: ['sms-updates'] },
          { idempotencyKey: 'rollback-1' },
        )
      ).replayed,
    ).toBe(false);
  });

  it('re-asks after a notice version that says so, and carries over otherwise', {
    timeout: 60_000,
  }, async () => {
    const { consent } = fixture;
    const subject = 'versions-079088';
    const query = {
      subject,
      controller: 'molisa',
      purpose: 'sms-updates',
      dataCategories: ['phone'],
    };
    await consent.give({ subject, notice, purposes: ['sms-updates'] });
    await consent.publishNotice({ ...exampleNotice, version: 2, existingConsents: 'carry-over' });
    expect(await consent.check(query)).toMatchObject({ allowed: true });
    await consent.publishNotice({ ...exampleNotice, version: 3, existingConsents: 're-ask' });
    expect(await consent.check(query)).toMatchObject({
      allowed: false,
      reason: 'CONSENT_INVALIDATED',
    });
    await consent.give({
      subject,
      notice: { id: notice.id, version: 3 },
      purposes: ['sms-updates'],
    });
    expect(await consent.check(query)).toMatchObject({
      allowed: true,
      record: { notice: { version: 3 } },
    });
    const kinds = (await consent.history(subject)).events.map((event) => event.kind);
    expect(kinds).toEqual(['given', 'invalidated', 'given']);
    expect((await consent.notice({ id: notice.id })).version).toBe(3);
  });

  it('records a proxy with the relationship, and exports everything held', {
    timeout: 60_000,
  }, async () => {
    const { consent } = fixture;
    const subject = 'child-079088';
    await consent.give({
      subject,
      notice,
      purposes: ['income-sharing'],
      proxy: { id: 'mother-079188', relationship: 'parent' },
    });
    const exported = await consent.export(subject);
    expect(exported.events[0]?.actor).toEqual({
      kind: 'proxy',
      id: 'mother-079188',
      relationship: 'parent',
    });
    expect(exported.receipts).toHaveLength(1);
    expect(exported.notices.map((item) => `${item.id}@${item.version}`)).toEqual([
      'benefit-updates@1',
    ]);
    expect(JSON.parse(JSON.stringify(exported)).subject).toBe(subject);
  });
});
