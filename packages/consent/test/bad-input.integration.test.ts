import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentError, type ConsentErrorCode } from '../src/errors/consent-error.js';
import type { NoticePurpose } from '../src/model/notice.js';
import { exampleNotice } from '../src/testing/example-notice.js';
import { type ConsentFixture, consentFixture, notice, targets } from './consent-setup.js';

const tables = [
  'consent_notices',
  'consent_subjects',
  'consent_events',
  'consent_decisions',
  'consent_receipts',
  'consent_erasures',
  'civicblocks_audit_entries',
  'civicblocks_audit_payloads',
];

describe.each(targets)('bad input on $name', (target) => {
  let fixture: ConsentFixture;
  beforeAll(async () => {
    fixture = await consentFixture(target);
    await fixture.consent.give({ subject: 'already-there', notice, purposes: ['sms-updates'] });
  }, 120_000);
  afterAll(async () => {
    await fixture.database.drop();
  });

  async function snapshot(): Promise<string> {
    const counts: Record<string, unknown> = {};
    for (const table of tables) {
      const { rows } = await fixture.database.executor.query<{ rows: unknown }>(
        `SELECT coalesce(json_agg(t ORDER BY t::text), '[]'::json)::text AS rows FROM ${table} t`,
      );
      counts[table] = rows[0]?.rows;
    }
    return JSON.stringify(counts);
  }

  const cases: [string, ConsentErrorCode, (f: ConsentFixture) => Promise<unknown>][] = [
    [
      'an unknown purpose',
      'CONSENT_UNKNOWN_PURPOSE',
      (f) => f.consent.give({ subject: 's-1', notice, purposes: ['marketing'] }),
    ],
    [
      'a malformed purpose id',
      'CONSENT_INVALID_INPUT',
      (f) => f.consent.give({ subject: 's-1', notice, purposes: ['SMS updates!'] }),
    ],
    [
      'a malformed notice id',
      'CONSENT_INVALID_INPUT',
      (f) =>
        f.consent.give({
          subject: 's-1',
          notice: { id: '../etc', version: 1 },
          purposes: ['sms-updates'],
        }),
    ],
    [
      'an empty subject',
      'CONSENT_INVALID_INPUT',
      (f) => f.consent.give({ subject: '  ', notice, purposes: ['sms-updates'] }),
    ],
    [
      'a subject with control characters',
      'CONSENT_INVALID_INPUT',
      (f) => f.consent.give({ subject: 'a\u0000b', notice, purposes: ['sms-updates'] }),
    ],
    [
      'an oversized subject',
      'CONSENT_INVALID_INPUT',
      (f) => f.consent.give({ subject: 'x'.repeat(201), notice, purposes: ['sms-updates'] }),
    ],
    [
      'an oversized proxy id',
      'CONSENT_INVALID_INPUT',
      (f) =>
        f.consent.give({
          subject: 's-1',
          notice,
          purposes: ['sms-updates'],
          proxy: { id: 'p'.repeat(5000), relationship: 'parent' },
        }),
    ],
    [
      'an unknown proxy relationship',
      'CONSENT_INVALID_INPUT',
      (f) =>
        f.consent.give({
          subject: 's-1',
          notice,
          purposes: ['sms-updates'],
          proxy: { id: 'p', relationship: 'friend' as never },
        }),
    ],
    [
      'an oversized purpose text in a notice',
      'CONSENT_INVALID_NOTICE',
      (f) =>
        f.consent.publishNotice({
          ...exampleNotice,
          version: 9,
          purposes: [
            {
              ...(exampleNotice.purposes[0] as NoticePurpose),
              description: { vi: 'x'.repeat(2001), en: 'x' },
            },
          ],
        }),
    ],
    [
      'a notice version that does not exist',
      'CONSENT_UNKNOWN_NOTICE',
      (f) =>
        f.consent.give({
          subject: 's-1',
          notice: { id: notice.id, version: 7 },
          purposes: ['sms-updates'],
        }),
    ],
    [
      'a notice that does not exist',
      'CONSENT_UNKNOWN_NOTICE',
      (f) => f.consent.notice({ id: 'nothing-here' }),
    ],
    [
      'a withdrawal with no prior consent',
      'CONSENT_NOT_GIVEN',
      (f) => f.consent.withdraw({ subject: 'never-asked', notice: { id: notice.id } }),
    ],
    [
      'a withdrawal of a purpose never given',
      'CONSENT_NOT_GIVEN',
      (f) =>
        f.consent.withdraw({
          subject: 'already-there',
          notice: { id: notice.id },
          purposes: ['income-sharing'],
        }),
    ],
    [
      'a withdrawal naming a purpose the notice lacks',
      'CONSENT_UNKNOWN_PURPOSE',
      (f) =>
        f.consent.withdraw({
          subject: 'already-there',
          notice: { id: notice.id },
          purposes: ['sms-updates', 'marketing'],
        }),
    ],
    [
      'a renewal with no prior consent',
      'CONSENT_NOT_GIVEN',
      (f) => f.consent.renew({ subject: 'never-asked', notice: { id: notice.id } }),
    ],
    [
      'a changed notice under a published version',
      'CONSENT_NOTICE_EXISTS',
      (f) =>
        f.consent.publishNotice({
          ...exampleNotice,
          policyUrl: 'https://other.example.gov.vn/privacy',
        }),
    ],
    [
      'a malformed receipt id',
      'CONSENT_INVALID_INPUT',
      (f) => f.consent.receipt('1; DROP TABLE consent_events'),
    ],
    [
      'an unknown receipt',
      'CONSENT_UNKNOWN_RECEIPT',
      (f) => f.consent.receipt('019b8d2b-8c00-7653-ab69-9647e6cc4c35'),
    ],
    [
      'a check with a malformed controller',
      'CONSENT_INVALID_INPUT',
      (f) =>
        f.consent.check({
          subject: 's',
          controller: 'MOLISA',
          purpose: 'sms-updates',
          dataCategories: [],
        }),
    ],
    [
      'a check at an invalid date',
      'CONSENT_INVALID_INPUT',
      (f) =>
        f.consent.check({
          subject: 's',
          controller: 'molisa',
          purpose: 'sms-updates',
          dataCategories: [],
          at: new Date('nope'),
        }),
    ],
    [
      'an oversized idempotency key',
      'CONSENT_INVALID_INPUT',
      (f) =>
        f.consent.give(
          { subject: 's-1', notice, purposes: ['sms-updates'] },
          { idempotencyKey: 'k'.repeat(201) },
        ),
    ],
  ];

  it.each(cases)(
    'refuses %s with %s and changes nothing',
    { timeout: 60_000 },
    async (_name, code, attempt) => {
      const before = await snapshot();
      const error = await attempt(fixture).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(ConsentError.isInstance(error), String(error)).toBe(true);
      const consentError = error as ConsentError;
      expect(consentError.code).toBe(code);
      expect(consentError.userMessage?.vi.length).toBeGreaterThan(0);
      expect(consentError.userMessage?.en.length).toBeGreaterThan(0);
      // no personal data in what may be logged
      expect(JSON.stringify(consentError.toJSON())).not.toMatch(
        /already-there|never-asked|friend|pppp/,
      );
      expect(await snapshot()).toBe(before);
    },
  );
});
