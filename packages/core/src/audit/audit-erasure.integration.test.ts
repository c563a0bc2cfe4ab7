import { beforeAll, describe, expect, it } from 'vitest';
import { coreMigrations } from '../sql/core-migrations.js';
import { migrate } from '../sql/migrations.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import {
  rejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import { createManualClock } from '../time/clock.js';
import { type AuditChain, createAuditChain } from './audit-chain.js';
import type { AuditHead, AuditVerification } from './audit-types.js';

const table = 'civicblocks_audit_entries';
const payloads = 'civicblocks_audit_payloads';
const chain = 'erasure';
const length = 10_000;

/** Subject of entry `sequence`: 100 citizens in turn; every tenth entry has none. */
function subjectOf(sequence: number): string | undefined {
  return sequence % 10 === 0 ? undefined : `citizen-${sequence % 100}`;
}

describe.each(testDatabaseTargets())('audit chain erasure on $name', (target) => {
  let executor: SqlExecutor;
  let audit: AuditChain;
  let anchor: AuditHead;

  /** Runs `statements` past the triggers and verifies, in a transaction that is then rolled back. */
  async function verifyTampered(...statements: string[]): Promise<AuditVerification> {
    let result: AuditVerification | undefined;
    await rejection(
      executor.transaction(async (transaction) => {
        await transaction.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
        await transaction.query(`ALTER TABLE ${payloads} DISABLE TRIGGER USER`);
        for (const statement of statements) await transaction.query(statement);
        result = await createAuditChain(transaction, { chain }).verify();
        throw new Error('roll back the tampering');
      }),
    );
    if (result === undefined) throw new Error('verify did not run');
    return result;
  }

  useTestDatabase(target, async (created) => {
    executor = created.executor;
    await migrate(executor, coreMigrations);
  });

  beforeAll(async () => {
    const clock = createManualClock('2026-01-01T00:00:00.000Z');
    audit = createAuditChain(executor, { chain, clock });
    // 10,000 appends through the API, 500 to a transaction (fewer commits to wait for).
    for (let first = 1; first <= length; first += 500) {
      await executor.transaction(async (transaction) => {
        for (let sequence = first; sequence < first + 500; sequence += 1) {
          clock.advance(10);
          const subject = subjectOf(sequence);
          await audit.append(
            {
              type: 'consent-given',
              payload: { consentId: `c-${sequence}`, purpose: 'benefits' },
              ...(subject === undefined ? {} : { subject }),
            },
            { transaction },
          );
        }
      });
    }
    anchor = await audit.head();
  }, 600_000);

  it("erases one subject's entries from a 10,000-entry chain and still verifies, counting them", async () => {
    const expected = Array.from({ length }, (_, index) => index + 1).filter(
      (sequence) => subjectOf(sequence) === 'citizen-7',
    );
    expect(expected.length).toBe(100);

    // An erasure inside a transaction that rolls back erases nothing.
    await rejection(
      executor.transaction(async (transaction) => {
        expect((await audit.erase('citizen-7', { transaction })).erased).toBe(100);
        throw new Error('changed my mind');
      }),
    );
    expect(await audit.verify()).toMatchObject({ ok: true, erased: 0 });

    const erasure = await audit.erase('citizen-7');
    expect(erasure).toEqual({ erased: 100, sequences: expected });
    const { rows } = await executor.query<{ left: number }>(
      `SELECT count(*)::int AS left FROM ${payloads} WHERE subject = 'citizen-7' OR payload->>'consentId' = 'c-7'`,
    );
    expect(rows[0]?.left).toBe(0);

    const result = await audit.verify({ expectedHead: anchor });
    expect(result).toEqual({
      ok: true,
      length,
      head: anchor,
      erased: 100,
      erasedSequences: expected,
      entriesRead: length,
    });
    // Erasing again finds nothing; other subjects are untouched.
    expect(await audit.erase('citizen-7')).toEqual({ erased: 0, sequences: [] });
    expect(await audit.erase('nobody')).toEqual({ erased: 0, sequences: [] });
  }, 120_000);

  it('still locates every other edit in the erased chain', async () => {
    const id = (sequence: number): string =>
      `(SELECT id FROM ${table} WHERE chain = '${chain}' AND sequence = ${sequence})`;
    // a payload edited (entry 4321 is about citizen-21)
    expect(
      await verifyTampered(
        `UPDATE ${payloads} SET payload = jsonb_set(payload, '{purpose}', '"marketing"') WHERE entry_id = ${id(4321)}`,
      ),
    ).toMatchObject({ ok: false, problem: 'modified', sequence: 4321 });
    // an erasure faked for an entry that had no subject (entry 5000)
    expect(
      await verifyTampered(`DELETE FROM ${payloads} WHERE entry_id = ${id(5000)}`),
    ).toMatchObject({ ok: false, problem: 'payload-missing', sequence: 5000 });
    // an erased entry's chain row edited: erasure does not weaken the chain (entry 7007 was erased)
    expect(
      await verifyTampered(
        `UPDATE ${table} SET type = 'consent-withdrawn' WHERE chain = '${chain}' AND sequence = 7007`,
      ),
    ).toMatchObject({ ok: false, problem: 'modified', sequence: 7007 });
    // an entry deleted
    expect(
      await verifyTampered(`DELETE FROM ${table} WHERE chain = '${chain}' AND sequence = 9001`),
    ).toMatchObject({ ok: false, problem: 'missing', sequence: 9001 });
    // two entries swapped
    expect(
      await verifyTampered(
        `UPDATE ${table} SET sequence = 100000 WHERE chain = '${chain}' AND sequence = 2000`,
        `UPDATE ${table} SET sequence = 2000 WHERE chain = '${chain}' AND sequence = 2001`,
        `UPDATE ${table} SET sequence = 2001 WHERE chain = '${chain}' AND sequence = 100000`,
      ),
    ).toMatchObject({ ok: false, problem: 'reordered', sequence: 2000, originalSequence: 2001 });
    // a payload moved to another entry of the same subject
    expect(
      await verifyTampered(
        `DELETE FROM ${payloads} WHERE entry_id = ${id(1021)}`,
        `INSERT INTO ${payloads} (entry_id, chain, subject, salt, payload)
           SELECT ${id(1021)}, chain, subject, salt, payload FROM ${payloads} WHERE entry_id = ${id(1121)}`,
      ),
    ).toMatchObject({ ok: false, problem: 'modified', sequence: 1021 });
    // and untouched, the chain is still fine
    expect(await audit.verify()).toMatchObject({ ok: true, length, erased: 100 });
  }, 120_000);
});
