import { describe, expect, it } from 'vitest';
import { AuditError, InvalidInputError, SqlError } from '../errors/core-errors.js';
import { isUuidv7 } from '../ids/uuidv7.js';
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
import { auditEntryHashV2, auditGenesisHash, auditPayloadDigest } from './audit-entry-hash.js';

const table = 'civicblocks_audit_entries';
const payloads = 'civicblocks_audit_payloads';

describe.each(testDatabaseTargets())('audit chain on $name', (target) => {
  let executor: SqlExecutor;
  let chainNumber = 0;

  /** Tampering the way an attacker with database access would: past the triggers. */
  async function tamper(...statements: string[]): Promise<void> {
    await executor.executeScript(
      [
        'BEGIN',
        `ALTER TABLE ${table} DISABLE TRIGGER USER`,
        `ALTER TABLE ${payloads} DISABLE TRIGGER USER`,
        ...statements,
        `ALTER TABLE ${table} ENABLE TRIGGER USER`,
        `ALTER TABLE ${payloads} ENABLE TRIGGER USER`,
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
        subject: `citizen-${index}`,
      });
    }
    return audit;
  }

  useTestDatabase(target, async (created) => {
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
      subject: 'citizen-1',
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
      subject: 'citizen-1',
      previousHash: auditGenesisHash,
    });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    // The database computed the hash; JavaScript recomputes the same.
    expect(first.hash).toBe(
      auditEntryHashV2({ ...first, erasable: true, payloadDigest: first.payloadDigest }),
    );
    const { rows } = await executor.query<{ salt: Uint8Array }>(
      `SELECT salt FROM ${payloads} WHERE entry_id = $1`,
      ['id-1'],
    );
    expect(rows[0]?.salt).toHaveLength(32);
    expect(first.payloadDigest).toBe(
      auditPayloadDigest({
        salt: rows[0]?.salt as Uint8Array,
        payload: first.payload,
        subject: 'citizen-1',
      }),
    );
    expect(second).toMatchObject({
      sequence: 2,
      id: 'id-2',
      subject: null,
      previousHash: first.hash,
      payload: null,
    });
    // The chain row holds no payload, only the digest.
    const stored = await executor.query<{
      payload: unknown;
      payload_digest: string;
      format: number;
    }>(
      `SELECT payload, payload_digest, format FROM ${table} WHERE chain = 'linked' ORDER BY sequence`,
    );
    expect(stored.rows).toEqual([
      { payload: null, payload_digest: first.payloadDigest, format: 2 },
      { payload: null, payload_digest: second.payloadDigest, format: 2 },
    ]);

    expect(await audit.head()).toEqual({ length: 2, hash: second.hash });
    expect(await audit.verify()).toEqual({
      ok: true,
      length: 2,
      head: { length: 2, hash: second.hash },
      erased: 0,
      erasedSequences: [],
      entriesRead: 2,
    });
    expect(await audit.verify({ expectedHead: { length: 1, hash: first.hash } })).toMatchObject({
      ok: true,
    });
  });

  it('computes the entry hash in the database exactly as the documented test vector', async () => {
    const { rows } = await executor.query<{ hash: string }>(
      'SELECT civicblocks_audit_entry_hash($1, $2, $3, $4, $5, $6, $7, $8) AS hash',
      [
        'hồ-sơ',
        2,
        'id-2',
        '2025-05-01T08:01:00.000Z',
        'payment-refund',
        false,
        '6acc3b01b5d57fcb98129fe83e6a86c11e2a460060d7d9ae546d755f54b69a34',
        '8ca0a4f341c41f7d09298adaeb6d04a61633e1ab93077486be3323f64aa41934',
      ],
    );
    expect(rows[0]?.hash).toBe('babac51aadaff3956339d02cb866d9d3a16263b8f191e37c64cb0c74fe219926');
  });

  it('verifies an empty chain against the genesis hash', async () => {
    const audit = createAuditChain(executor, { chain: 'empty' });
    expect(await audit.head()).toEqual({ length: 0, hash: auditGenesisHash });
    expect(await audit.verify({ expectedHead: { length: 0, hash: auditGenesisHash } })).toEqual({
      ok: true,
      length: 0,
      head: { length: 0, hash: auditGenesisHash },
      erased: 0,
      erasedSequences: [],
      entriesRead: 0,
    });
  });

  it('refuses a head of no entries whose hash is not the genesis hash, on an empty chain too', async () => {
    const forged = { length: 0, hash: 'ab'.repeat(32) };
    const problem = { ok: false, problem: 'modified', sequence: 0, expected: forged.hash };
    const empty = createAuditChain(executor, { chain: 'empty-forged' });
    expect(await empty.verify({ since: forged })).toMatchObject(problem);
    expect(await empty.verify({ expectedHead: forged })).toMatchObject(problem);
    const audit = await chainWith(2);
    expect(await audit.verify({ since: forged })).toMatchObject(problem);
  });

  it('refuses changes through the triggers: entries never change, payloads are only deleted', async () => {
    const audit = await chainWith(1);
    for (const statement of [
      `UPDATE ${table} SET type = 'forged' WHERE chain = '${audit.chain}'`,
      `DELETE FROM ${table} WHERE chain = '${audit.chain}'`,
      `TRUNCATE ${table}`,
      `UPDATE ${payloads} SET payload = '{}'::jsonb WHERE chain = '${audit.chain}'`,
      `TRUNCATE ${payloads}`,
    ]) {
      const error = await rejection(executor.query(statement));
      expect(SqlError.isInstance(error) && error.details?.sqlState, statement).toBe('P0001');
    }
    expect(await audit.verify()).toMatchObject({ ok: true, length: 1, erased: 0 });
  });

  it('locates a payload, salt or subject edited in the payloads table', async () => {
    const edits = [
      `payload = jsonb_set(payload, '{consentId}', '"forged"')`,
      `salt = decode(repeat('ab', 32), 'hex')`,
      `subject = 'someone-else'`,
      'subject = NULL',
    ];
    for (const edit of edits) {
      const audit = await chainWith(5);
      await tamper(
        `UPDATE ${payloads} SET ${edit} WHERE entry_id = (SELECT id FROM ${table} WHERE chain = '${audit.chain}' AND sequence = 3)`,
      );
      const result = await audit.verify();
      expect(result, edit).toMatchObject({ ok: false, problem: 'modified', sequence: 3 });
      if (result.ok) return;
      expect(result.entryId).toEqual(expect.any(String));
      expect(result.expected).not.toBe(result.actual);
    }
  });

  it('locates other edited fields: type, time, id, digest, erasable, stored hash', async () => {
    const edits = [
      "type = 'consent-withdrawn'",
      "recorded_at = recorded_at + interval '1 second'",
      "id = 'replaced-id'",
      "payload_digest = repeat('b', 64)",
      'erasable = false',
      "hash = repeat('a', 64)",
      'format = 3',
    ];
    for (const edit of edits) {
      const audit = await chainWith(4);
      await tamper(
        `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_format`,
        `UPDATE ${table} SET ${edit} WHERE chain = '${audit.chain}' AND sequence = 2`,
      );
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

  it('tells a deleted payload of an entry without subject from an erasure', async () => {
    chainNumber += 1;
    const audit = createAuditChain(executor, { chain: `test-${chainNumber}` });
    await audit.append({ type: 'fee-set', payload: { amount: 1 } });
    const second = await audit.append({ type: 'fee-set', payload: { amount: 2 } });
    await executor.query(`DELETE FROM ${payloads} WHERE entry_id = $1`, [second.id]);
    expect(await audit.verify()).toEqual({
      ok: false,
      problem: 'payload-missing',
      sequence: 2,
      entryId: second.id,
      expected: second.payloadDigest,
    });
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
          SET (id, recorded_at, type, payload_digest, erasable, previous_hash, hash) =
              (SELECT replace(source.id, '-moving', ''), source.recorded_at, source.type,
                      source.payload_digest, source.erasable, source.previous_hash, source.hash
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
    // and incrementally: the anchored entry itself is gone
    expect(await audit.verify({ since: anchor })).toMatchObject({
      ok: false,
      problem: 'missing',
      sequence: 4,
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
    expect(await audit.verify({ since: anchor })).toMatchObject({
      ok: false,
      problem: 'modified',
      sequence: 3,
      expected: anchor.hash,
    });
  });

  it('appends inside a caller transaction and rolls back with it', async () => {
    const audit = createAuditChain(executor, { chain: 'transactional' });
    await audit.append({ type: 'kept', payload: 1 });
    await rejection(
      executor.transaction(async (transaction) => {
        await audit.append({ type: 'undone', payload: 2, subject: 'citizen-1' }, { transaction });
        throw new Error('business failure');
      }),
    );
    const committed = await executor.transaction(async (transaction) =>
      audit.append({ type: 'kept', payload: 3 }, { transaction }),
    );
    expect(committed.sequence).toBe(2);
    expect(isUuidv7(committed.id)).toBe(true);
    expect(await audit.verify()).toMatchObject({ ok: true, length: 2 });
    const { rows } = await executor.query<{ count: bigint }>(
      `SELECT count(*) AS count FROM ${payloads} WHERE chain = 'transactional'`,
    );
    expect(rows[0]?.count).toBe(2n);
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
    for (const subject of ['', 'x'.repeat(501), 'nul\u0000', '\uD800', 42]) {
      const error = await rejection(
        audit.append({ type: 'x', payload: {}, subject: subject as string }),
      );
      expect(AuditError.isInstance(error) && error.details?.field).toBe('subject');
      expect(AuditError.isInstance(await rejection(audit.erase(subject as string)))).toBe(true);
    }
    expect(() => createAuditChain(executor, { chain: '' })).toThrow(InvalidInputError);
    const badHead = await rejection(audit.verify({ expectedHead: { length: -1, hash: 'nope' } }));
    expect(InvalidInputError.isInstance(badHead)).toBe(true);
    const badSince = await rejection(
      audit.verify({ since: { length: 1.5, hash: auditGenesisHash } }),
    );
    expect(InvalidInputError.isInstance(badSince)).toBe(true);
    const both = await rejection(
      audit.verify({
        since: { length: 0, hash: auditGenesisHash },
        expectedHead: { length: 0, hash: auditGenesisHash },
      }),
    );
    expect(InvalidInputError.isInstance(both)).toBe(true);
    const reused = createAuditChain(executor, { chain: 'refusals', createId: () => 'same-id' });
    await reused.append({ type: 'x', payload: 1 });
    const duplicate = await rejection(reused.append({ type: 'x', payload: 2 }));
    expect(AuditError.isInstance(duplicate) && duplicate.code).toBe('AUDIT_DUPLICATE_ID');
    const duplicateAtCommit = await rejection(reused.appendAtCommit({ type: 'x', payload: 3 }));
    expect(AuditError.isInstance(duplicateAtCommit) && duplicateAtCommit.code).toBe(
      'AUDIT_DUPLICATE_ID',
    );
    expect(await audit.verify()).toMatchObject({ ok: true, length: 1 });
  });
});
