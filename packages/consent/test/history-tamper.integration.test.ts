// Tamper tests: events edited, deleted or swapped straight in SQL are found
// and located by verifyHistory; erase leaves no personal data of the subject
// in any column of any table, and the history still verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsentFixture, consentFixture, notice, targets } from './consent-setup.js';

describe.each(targets)('history on $name', (target) => {
  let fixture: ConsentFixture;
  beforeAll(async () => {
    fixture = await consentFixture(target);
  }, 120_000);
  afterAll(async () => {
    await fixture.database.drop();
  });

  async function threeEvents(subject: string): Promise<string> {
    const { consent, clock } = fixture;
    const first = await consent.give({
      subject,
      notice,
      purposes: ['sms-updates', 'income-sharing'],
    });
    clock.advance(60_000);
    await consent.withdraw({ subject, notice: { id: notice.id }, purposes: ['income-sharing'] });
    clock.advance(60_000);
    await consent.refuse({ subject, notice, purposes: ['income-sharing'] });
    expect(await consent.verifyHistory(subject)).toMatchObject({ ok: true, length: 3, erased: 0 });
    return first.recordId;
  }

  it('locates an event edited in SQL', { timeout: 60_000 }, async () => {
    const recordId = await threeEvents('tamper-edit');
    await fixture.database.executor.query(
      "UPDATE consent_events SET kind = 'given' WHERE record_id = $1 AND sequence = 2",
      [recordId],
    );
    expect(await fixture.consent.verifyHistory('tamper-edit')).toMatchObject({
      ok: false,
      problem: 'modified',
      sequence: 2,
      table: 'events',
    });
  });

  it('locates a decision row edited in SQL (what check reads)', { timeout: 60_000 }, async () => {
    const recordId = await threeEvents('tamper-decision');
    const query = {
      subject: 'tamper-decision',
      controller: 'molisa',
      purpose: 'income-sharing',
      dataCategories: ['income'],
    };
    await fixture.database.executor.query(
      "UPDATE consent_decisions SET kind = 'given', expires_at = NULL WHERE record_id = $1 AND sequence = 3",
      [recordId],
    );
    expect((await fixture.consent.check(query)).allowed).toBe(true);
    expect(await fixture.consent.verifyHistory('tamper-decision')).toMatchObject({
      ok: false,
      problem: 'modified',
      sequence: 3,
      table: 'decisions',
    });
  });

  it('locates an event deleted in SQL', { timeout: 60_000 }, async () => {
    const recordId = await threeEvents('tamper-delete');
    await fixture.database.executor.query(
      'DELETE FROM consent_events WHERE record_id = $1 AND sequence = 2',
      [recordId],
    );
    expect(await fixture.consent.verifyHistory('tamper-delete')).toMatchObject({
      ok: false,
      problem: 'missing',
      sequence: 2,
      table: 'events',
    });
  });

  it('locates two events swapped in SQL', { timeout: 60_000 }, async () => {
    const recordId = await threeEvents('tamper-swap');
    await fixture.database.executor.transaction(async (transaction) => {
      await transaction.query(
        'UPDATE consent_events SET sequence = 100 WHERE record_id = $1 AND sequence = 1',
        [recordId],
      );
      await transaction.query(
        'UPDATE consent_events SET sequence = 1 WHERE record_id = $1 AND sequence = 2',
        [recordId],
      );
      await transaction.query(
        'UPDATE consent_events SET sequence = 2 WHERE record_id = $1 AND sequence = 100',
        [recordId],
      );
    });
    expect(await fixture.consent.verifyHistory('tamper-swap')).toMatchObject({
      ok: false,
      problem: 'reordered',
      sequence: 1,
      table: 'events',
    });
  });

  it('locates an event added in SQL', { timeout: 60_000 }, async () => {
    const recordId = await threeEvents('tamper-add');
    await fixture.database.executor.query(
      `INSERT INTO consent_events (id, record_id, sequence, kind, notice_id, notice_version, controller_id, purposes, decided_at, actor, method)
       SELECT '019b8d2b-8c00-7653-ab69-000000000001', record_id, 4, 'given', notice_id, notice_version, controller_id, purposes, decided_at, actor, method
         FROM consent_events WHERE record_id = $1 AND sequence = 1`,
      [recordId],
    );
    expect(await fixture.consent.verifyHistory('tamper-add')).toMatchObject({
      ok: false,
      problem: 'added',
      sequence: 4,
      table: 'events',
    });
  });

  it('locates an event rewritten consistently in the tables and the chain payload (by someone able to lift the triggers)', {
    timeout: 60_000,
  }, async () => {
    const recordId = await threeEvents('tamper-chain');
    const { executor } = fixture.database;
    await executor.query(
      `UPDATE consent_events SET purposes = '{sms-updates}' WHERE record_id = $1 AND sequence = 2`,
      [recordId],
    );
    await executor.query(
      "UPDATE consent_decisions SET purpose = 'sms-updates', data_categories = '{phone}', recipients = '{sms-provider}' WHERE record_id = $1 AND sequence = 2",
      [recordId],
    );
    await executor.query('ALTER TABLE civicblocks_audit_payloads DISABLE TRIGGER USER');
    try {
      await executor.query(
        `UPDATE civicblocks_audit_payloads SET payload = jsonb_set(payload, '{purposes}', '["sms-updates"]')
          WHERE entry_id = (SELECT id FROM civicblocks_audit_entries WHERE chain = $1 AND sequence = 2)`,
        [`consent:${recordId}`],
      );
    } finally {
      await executor.query('ALTER TABLE civicblocks_audit_payloads ENABLE TRIGGER USER');
    }
    expect(await fixture.consent.verifyHistory('tamper-chain')).toMatchObject({
      ok: false,
      problem: 'modified',
      sequence: 2,
      table: 'chain',
    });
  });

  it('erases a subject: no personal data in any column of any table, history still verifies', {
    timeout: 120_000,
  }, async () => {
    const { consent, database } = fixture;
    const subject = 'ERASE-ME-079088009999';
    const proxy = 'GUARDIAN-ID-0912345678';
    // A service may well build its idempotency keys from the subject's identifier.
    const given = await consent.give(
      {
        subject,
        notice,
        purposes: ['sms-updates', 'income-sharing'],
        proxy: { id: proxy, relationship: 'guardian' },
      },
      { idempotencyKey: `consent-form-${subject}` },
    );
    await consent.withdraw({
      subject,
      notice: { id: notice.id },
      purposes: ['sms-updates'],
      proxy: { id: proxy, relationship: 'guardian' },
    });
    // someone else's data stays
    await consent.give({ subject: 'KEEP-ME-0001', notice, purposes: ['sms-updates'] });

    async function columnsHolding(value: string): Promise<string[]> {
      const { rows: columns } = await database.executor.query<{
        table_name: string;
        column_name: string;
      }>(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = current_schema() ORDER BY table_name, column_name`,
      );
      const found: string[] = [];
      for (const { table_name, column_name } of columns) {
        const { rows } = await database.executor.query<{ hits: bigint }>(
          `SELECT count(*) AS hits FROM "${table_name}" WHERE position($1 in "${column_name}"::text) > 0`,
          [value],
        );
        if (Number(rows[0]?.hits ?? 0) > 0) found.push(`${table_name}.${column_name}`);
      }
      return found;
    }
    expect(await columnsHolding(subject)).not.toEqual([]);
    expect(await columnsHolding(proxy)).not.toEqual([]);

    const tombstone = await consent.erase(subject);
    expect(tombstone).toMatchObject({
      recordId: given.recordId,
      events: 2,
      chain: `consent:${given.recordId}`,
    });
    expect(await columnsHolding(subject)).toEqual([]);
    // nor the digest of the request, which names the subject
    const { rows: keys } = await database.executor.query(
      `SELECT key FROM civicblocks_idempotency_keys WHERE outcome->>'recordId' = $1`,
      [given.recordId],
    );
    expect(keys).toEqual([]);
    expect(await columnsHolding(proxy)).toEqual([]);
    expect(await columnsHolding('KEEP-ME-0001')).not.toEqual([]);

    expect(await consent.verifyHistory({ recordId: given.recordId })).toMatchObject({
      ok: true,
      length: 2,
      erased: 2,
    });
    expect(await consent.verifyHistory('KEEP-ME-0001')).toMatchObject({ ok: true, erased: 0 });
    expect(
      await consent.check({
        subject,
        controller: 'molisa',
        purpose: 'income-sharing',
        dataCategories: [],
      }),
    ).toMatchObject({ allowed: false, reason: 'NO_CONSENT' });
    expect((await consent.history(subject)).events).toEqual([]);
    const { rows } = await database.executor.query(
      'SELECT * FROM consent_erasures WHERE record_id = $1',
      [given.recordId],
    );
    expect(rows).toHaveLength(1);
  });
});
