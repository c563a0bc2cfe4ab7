import { describe, expect, it } from 'vitest';
import { AuditError, InvalidInputError, SqlError } from '../errors/core-errors.js';
import { isUuidv7 } from '../ids/uuidv7.js';
import { coreMigrations } from '../sql/core-migrations.js';
import { migrate } from '../sql/migrations.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import type { TestDatabase } from '../testing/test-database.js';
import {
  rejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import { createManualClock } from '../time/clock.js';
import { type AuditChain, createAuditChain } from './audit-chain.js';
import { auditEntryHash, auditGenesisHash } from './audit-entry-hash.js';
import { canonicalJson } from './canonical-json.js';

const table = 'civicblocks_audit_entries';

describe.each(testDatabaseTargets())('audit chain on $name', (target) => {
  let database: TestDatabase;
  let executor: SqlExecutor;
  let chainNumber = 0;

  /** Tampering the way an attacker with database access would: past the append-only trigger. */
  async function tamper(...statements: string[]): Promise<void> {
    await executor.executeScript(
      [
        'BEGIN',
        `ALTER TABLE ${table} DISABLE TRIGGER USER`,
        ...statements,
        `ALTER TABLE ${table} ENABLE TRIGGER USER`,
        'COMMIT',
      ].join(';\n'),
    );
  }

  async function chainWith(count: number): Promise<AuditChain> {
    chainNumber += 1;
    const clock = createManualClock('2025-05-01T08:00:00.000Z');
    const audit = createAuditChain(executor, { chain: `test-${chainNumber}`, clock });
    for (let index = 1; index <= count; index += 1) {
      clock.advance(1000);
      await audit.append({
        type: 'consent-given',
        payload: { consentId: `c-${index}`, scopes: ['email'] },
      });
    }
    return audit;
  }

  useTestDatabase(target, async (created) => {
    database = created;
    executor = created.executor;
    await migrate(executor, coreMigrations);
  });

  it('appends linked, hashed entries and verifies an untouched chain', async () => {
    const clock = createManualClock('2025-05-01T08:00:00.000Z');
    const ids = ['id-1', 'id-2'];
    const audit = createAuditChain(executor, {
      chain: 'linked',
      clock,
      createId: () => ids.shift() ?? 'id-extra',
    });
    const first = await audit.append({
      type: 'consent-given',
      payload: { subject: 's-1', purposes: ['benefits'], amount: 1.5, nested: { b: 2, a: 1 } },
    });
    clock.advance(60_000);
    const second = await audit.append({ type: 'consent-withdrawn', payload: null });

    expect(first).toMatchObject({
      chain: 'linked',
      sequence: 1,
      id: 'id-1',
      recordedAt: new Date('2025-05-01T08:00:00.000Z'),
      type: 'consent-given',
      payload: { subject: 's-1', purposes: ['benefits'], amount: 1.5, nested: { a: 1, b: 2 } },
      previousHash: auditGenesisHash,
    });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.hash).toBe(
      auditEntryHash({ ...first, canonicalPayload: canonicalJson(first.payload) }),
    );
    expect(second).toMatchObject({
      sequence: 2,
      id: 'id-2',
      previousHash: first.hash,
      payload: null,
    });

    expect(await audit.head()).toEqual({ length: 2, hash: second.hash });
    expect(await audit.verify()).toEqual({
      ok: true,
      length: 2,
      head: { length: 2, hash: second.hash },
    });
    expect(await audit.verify({ expectedHead: { length: 1, hash: first.hash } })).toMatchObject({
      ok: true,
    });
  });

  it('verifies an empty chain against the genesis hash', async () => {
    const audit = createAuditChain(executor, { chain: 'empty' });
    expect(await audit.head()).toEqual({ length: 0, hash: auditGenesisHash });
    expect(await audit.verify({ expectedHead: { length: 0, hash: auditGenesisHash } })).toEqual({
      ok: true,
      length: 0,
      head: { length: 0, hash: auditGenesisHash },
    });
  });

  it('refuses UPDATE, DELETE and TRUNCATE through the append-only trigger', async () => {
    const audit = await chainWith(1);
    for (const statement of [
      `UPDATE ${table} SET type = 'forged' WHERE chain = '${audit.chain}'`,
      `DELETE FROM ${table} WHERE chain = '${audit.chain}'`,
      `TRUNCATE ${table}`,
    ]) {
      const error = await rejection(executor.query(statement));
      expect(SqlError.isInstance(error) && error.details?.sqlState).toBe('P0001');
    }
    expect(await audit.verify()).toMatchObject({ ok: true, length: 1 });
  });

  it('locates a payload edited in the database (jsonb column, canonical text, or both)', async () => {
    const audit = await chainWith(5);
    const before = await audit.verify();
    if (!before.ok) throw new Error('chain should start valid');

    await tamper(
      `UPDATE ${table} SET payload = jsonb_set(payload, '{consentId}', '"forged"') WHERE chain = '${audit.chain}' AND sequence = 3`,
    );
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: false, problem: 'modified', sequence: 3 });
    if (result.ok) return;
    expect(result.entryId).toEqual(expect.any(String));
    expect(result.expected).not.toBe(result.actual);

    const other = await chainWith(5);
    const forged = '{"consentId":"forged","scopes":["email"]}';
    await tamper(
      `UPDATE ${table} SET payload = '${forged}'::jsonb, canonical_payload = '${forged}' WHERE chain = '${other.chain}' AND sequence = 2`,
    );
    expect(await other.verify()).toMatchObject({ ok: false, problem: 'modified', sequence: 2 });
  });

  it('locates other edited fields: type, time, id, stored hash', async () => {
    const edits = [
      "type = 'consent-withdrawn'",
      "recorded_at = recorded_at + interval '1 second'",
      "id = 'replaced-id'",
      "hash = repeat('a', 64)",
    ];
    for (const edit of edits) {
      const audit = await chainWith(4);
      await tamper(`UPDATE ${table} SET ${edit} WHERE chain = '${audit.chain}' AND sequence = 2`);
      expect(await audit.verify(), edit).toMatchObject({
        ok: false,
        problem: 'modified',
        sequence: 2,
      });
    }
  });

  it('locates a deleted entry, in the middle and at the start', async () => {
    const audit = await chainWith(5);
    await tamper(`DELETE FROM ${table} WHERE chain = '${audit.chain}' AND sequence = 3`);
    expect(await audit.verify()).toMatchObject({ ok: false, problem: 'missing', sequence: 3 });

    const other = await chainWith(3);
    await tamper(`DELETE FROM ${table} WHERE chain = '${other.chain}' AND sequence = 1`);
    expect(await other.verify()).toMatchObject({ ok: false, problem: 'missing', sequence: 1 });
  });

  it('locates a deleted entry even when the later ones were renumbered to close the gap', async () => {
    const audit = await chainWith(5);
    const where = `chain = '${audit.chain}'`;
    await tamper(
      `DELETE FROM ${table} WHERE ${where} AND sequence = 2`,
      // Two steps, so no row collides with another on the primary key.
      `UPDATE ${table} SET sequence = sequence + 1000 WHERE ${where} AND sequence > 2`,
      `UPDATE ${table} SET sequence = sequence - 1001 WHERE ${where} AND sequence > 1000`,
    );
    const { rows } = await executor.query<{ sequence: bigint }>(
      `SELECT sequence FROM ${table} WHERE chain = $1 ORDER BY sequence`,
      [audit.chain],
    );
    expect(rows.map((row) => Number(row.sequence))).toEqual([1, 2, 3, 4]);
    expect(await audit.verify()).toMatchObject({ ok: false, problem: 'missing', sequence: 2 });
  });

  it('locates two entries swapped by renumbering them', async () => {
    const audit = await chainWith(6);
    const { rows } = await executor.query<{ id: string }>(
      `SELECT id FROM ${table} WHERE chain = $1 AND sequence = 5`,
      [audit.chain],
    );
    const where = `chain = '${audit.chain}'`;
    await tamper(
      `UPDATE ${table} SET sequence = 1000 WHERE ${where} AND sequence = 3`,
      `UPDATE ${table} SET sequence = 3 WHERE ${where} AND sequence = 5`,
      `UPDATE ${table} SET sequence = 5 WHERE ${where} AND sequence = 1000`,
    );
    const result = await audit.verify();
    expect(result).toEqual({
      ok: false,
      problem: 'reordered',
      sequence: 3,
      entryId: rows[0]?.id,
      originalSequence: 5,
      expected: expect.any(String),
      actual: expect.any(String),
    });
  });

  it('locates two adjacent entries swapped by exchanging their contents', async () => {
    const audit = await chainWith(5);
    const where = `chain = '${audit.chain}' AND sequence IN (2, 3)`;
    await tamper(
      // Rename the ids first so the exchange never holds one id twice.
      `UPDATE ${table} SET id = id || '-moving' WHERE ${where}`,
      `UPDATE ${table} AS target
          SET (id, recorded_at, type, payload, canonical_payload, previous_hash, hash) =
              (SELECT replace(source.id, '-moving', ''), source.recorded_at, source.type, source.payload,
                      source.canonical_payload, source.previous_hash, source.hash
                 FROM ${table} AS source
                WHERE source.chain = target.chain AND source.sequence = 5 - target.sequence)
        WHERE target.chain = '${audit.chain}' AND target.sequence IN (2, 3)`,
    );
    expect(await audit.verify()).toMatchObject({
      ok: false,
      problem: 'reordered',
      sequence: 2,
      originalSequence: 3,
    });
  });

  it('detects a cut-off tail only against a published head', async () => {
    const audit = await chainWith(4);
    const anchor = await audit.head();
    await tamper(`DELETE FROM ${table} WHERE chain = '${audit.chain}' AND sequence > 2`);
    // Without an anchor the shorter chain is internally consistent.
    expect(await audit.verify()).toMatchObject({ ok: true, length: 2 });
    expect(await audit.verify({ expectedHead: anchor })).toEqual({
      ok: false,
      problem: 'missing',
      sequence: 3,
      expected: anchor.hash,
    });
  });

  it('detects a tail rewritten after the anchor was published', async () => {
    const audit = await chainWith(3);
    const anchor = await audit.head();
    await tamper(`DELETE FROM ${table} WHERE chain = '${audit.chain}' AND sequence = 3`);
    await audit.append({ type: 'consent-given', payload: { consentId: 'replacement' } });
    expect(await audit.verify()).toMatchObject({ ok: true, length: 3 });
    expect(await audit.verify({ expectedHead: anchor })).toMatchObject({
      ok: false,
      problem: 'modified',
      sequence: 3,
      expected: anchor.hash,
    });
  });

  it('keeps the chain whole under concurrent appends, from one executor and from several', async () => {
    const audit = createAuditChain(executor, { chain: 'concurrent' });
    const others = await Promise.all([database.createExecutor(), database.createExecutor()]);
    const chains = [
      audit,
      ...others.map((other) => createAuditChain(other, { chain: 'concurrent' })),
    ];
    const entries = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        (chains[index % chains.length] as AuditChain).append({
          type: 'event-recorded',
          payload: { index },
        }),
      ),
    );
    expect(entries.map((entry) => entry.sequence).sort((left, right) => left - right)).toEqual(
      Array.from({ length: 30 }, (_, index) => index + 1),
    );
    expect(entries.every((entry) => isUuidv7(entry.id))).toBe(true);
    expect(await audit.verify()).toMatchObject({ ok: true, length: 30 });
  }, 30_000);

  it('appends inside a caller transaction and rolls back with it', async () => {
    const audit = createAuditChain(executor, { chain: 'transactional' });
    await audit.append({ type: 'kept', payload: 1 });
    await rejection(
      executor.transaction(async (transaction) => {
        await createAuditChain(transaction, { chain: 'transactional' }).append({
          type: 'undone',
          payload: 2,
        });
        throw new Error('business failure');
      }),
    );
    expect(await audit.verify()).toMatchObject({ ok: true, length: 1 });
  });

  it('refuses entries JSON cannot represent, and malformed arguments', async () => {
    const audit = createAuditChain(executor, { chain: 'refusals' });
    const invalidPayloads: unknown[] = [
      { amount: 10n },
      { when: new Date() },
      { missing: undefined },
      Number.NaN,
      { text: 'nul \u0000 inside' },
    ];
    for (const payload of invalidPayloads) {
      const error = await rejection(audit.append({ type: 'x', payload }));
      expect(AuditError.isInstance(error) && error.code).toBe('AUDIT_INVALID_ENTRY');
    }
    const emptyType = await rejection(audit.append({ type: '', payload: {} }));
    expect(AuditError.isInstance(emptyType) && emptyType.details?.field).toBe('type');
    expect(() => createAuditChain(executor, { chain: '' })).toThrow(InvalidInputError);
    const badHead = await rejection(audit.verify({ expectedHead: { length: -1, hash: 'nope' } }));
    expect(InvalidInputError.isInstance(badHead)).toBe(true);
    expect(await audit.verify()).toMatchObject({ ok: true, length: 0 });
  });
});
