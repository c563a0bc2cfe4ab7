import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { coreMigrations } from '../sql/core-migrations.js';
import { migrate } from '../sql/migrations.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { testDatabaseTargets, useTestDatabase } from '../testing-support/sql-test-support.js';
import { createAuditChain } from './audit-chain.js';
import { auditEntryHashV2, auditGenesisHash, auditPayloadDigest } from './audit-entry-hash.js';

const chain = 'incremental';
const bulkLength = 100_000;
const batch = 10_000;

/** An executor that counts the rows its queries return. */
function countingExecutor(inner: SqlExecutor): { executor: SqlExecutor; rowsRead: () => number } {
  let rows = 0;
  const executor: SqlExecutor = Object.create(inner, {
    query: {
      value: async (...args: Parameters<SqlExecutor['query']>) => {
        const result = await inner.query(...args);
        rows += result.rows.length;
        return result;
      },
    },
  });
  return { executor, rowsRead: () => rows };
}

describe.each(testDatabaseTargets())('incremental audit verification on $name', (target) => {
  let executor: SqlExecutor;

  useTestDatabase(target, async (created) => {
    executor = created.executor;
    await migrate(executor, coreMigrations);
  });

  // 100,000 real entries: salted digests and chained hashes computed for each
  // (in JavaScript, by the functions the documented test vectors check),
  // inserted 10,000 rows a statement rather than one round trip each.
  beforeAll(async () => {
    let previousHash = auditGenesisHash;
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    for (let first = 1; first <= bulkLength; first += batch) {
      const columns = {
        sequence: [] as string[],
        id: [] as string[],
        recordedAt: [] as string[],
        erasable: [] as boolean[],
        digest: [] as string[],
        previousHash: [] as string[],
        hash: [] as string[],
        subject: [] as (string | null)[],
        salt: [] as string[],
        payload: [] as string[],
      };
      for (let sequence = first; sequence < first + batch; sequence += 1) {
        const salt = randomBytes(32);
        const subject = sequence % 2 === 0 ? `citizen-${sequence % 1000}` : null;
        const payload = `{"n":${sequence}}`;
        const fields = {
          chain,
          sequence,
          id: `bulk-${sequence}`,
          recordedAt: new Date(start + sequence),
          type: 'bulk-recorded',
          erasable: subject !== null,
          payloadDigest: auditPayloadDigest({ salt, payload: { n: sequence }, subject }),
          previousHash,
        };
        const hash = auditEntryHashV2(fields);
        columns.sequence.push(String(sequence));
        columns.id.push(fields.id);
        columns.recordedAt.push(fields.recordedAt.toISOString());
        columns.erasable.push(fields.erasable);
        columns.digest.push(fields.payloadDigest);
        columns.previousHash.push(previousHash);
        columns.hash.push(hash);
        columns.subject.push(subject);
        columns.salt.push(salt.toString('hex'));
        columns.payload.push(payload);
        previousHash = hash;
      }
      await executor.query(
        `INSERT INTO civicblocks_audit_entries
           (chain, sequence, id, recorded_at, type, format, erasable, payload_digest, previous_hash, hash)
         SELECT $1, sequence, id, recorded_at, 'bulk-recorded', 2, erasable, digest, previous_hash, hash
           FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::boolean[], $6::text[], $7::text[], $8::text[])
             AS bulk(sequence, id, recorded_at, erasable, digest, previous_hash, hash)`,
        [
          chain,
          columns.sequence,
          columns.id,
          columns.recordedAt,
          columns.erasable,
          columns.digest,
          columns.previousHash,
          columns.hash,
        ],
      );
      await executor.query(
        `INSERT INTO civicblocks_audit_payloads (entry_id, chain, subject, salt, payload)
         SELECT id, $1, subject, decode(salt, 'hex'), payload::jsonb
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS bulk(id, subject, salt, payload)`,
        [chain, columns.id, columns.subject, columns.salt, columns.payload],
      );
    }
  }, 600_000);

  it('after 100,000 entries, verifies from a published head reading only the new entries', async () => {
    const audit = createAuditChain(executor, { chain });
    // The bulk entries are real: the whole chain verifies in JavaScript.
    const full = await audit.verify();
    expect(full).toMatchObject({
      ok: true,
      length: bulkLength,
      erased: 0,
      entriesRead: bulkLength,
    });
    if (!full.ok) return;
    const anchor = full.head;

    for (let index = 1; index <= 7; index += 1) {
      await audit.append({ type: 'later', payload: { index }, subject: 'citizen-1' });
    }
    await audit.erase('citizen-1');

    const counting = countingExecutor(executor);
    const result = await createAuditChain(counting.executor, { chain }).verify({ since: anchor });
    expect(result).toMatchObject({
      ok: true,
      length: bulkLength + 7,
      // citizen-1's bulk entries before the anchor are erased too, but not read, so not counted
      erased: 7,
      entriesRead: 7,
    });
    expect(counting.rowsRead()).toBe(7);

    // Nothing new since a head: only the anchored entry is read, to prove it is still there.
    if (!result.ok) return;
    const idle = countingExecutor(executor);
    expect(
      await createAuditChain(idle.executor, { chain }).verify({ since: result.head }),
    ).toMatchObject({ ok: true, length: bulkLength + 7, entriesRead: 1 });
    expect(idle.rowsRead()).toBe(1);
  }, 600_000);
});
