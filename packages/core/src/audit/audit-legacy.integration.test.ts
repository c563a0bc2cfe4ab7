import { describe, expect, it } from 'vitest';
import { coreMigrations } from '../sql/core-migrations.js';
import { type MigrationSet, migrate } from '../sql/migrations.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { testDatabaseTargets, useTestDatabase } from '../testing-support/sql-test-support.js';
import { createAuditChain } from './audit-chain.js';
import { auditEntryHash, auditGenesisHash } from './audit-entry-hash.js';
import { auditMigrations } from './audit-migrations.js';
import { canonicalJson } from './canonical-json.js';

const table = 'civicblocks_audit_entries';

// Schema version 1 only, as databases released before the erasable format hold.
const version1Only: MigrationSet = {
  namespace: 'core',
  migrations: auditMigrations.migrations.filter((migration) => migration.version === 1),
};

describe.each(testDatabaseTargets())(
  'audit chain written by schema version 1, on $name',
  (target) => {
    let executor: SqlExecutor;
    let version1Head = { length: 0, hash: auditGenesisHash };

    /** Appends as version 1 of the library did: payload in the row, format-1 hash. */
    async function appendVersion1(
      chain: string,
      sequence: number,
      payload: unknown,
    ): Promise<string> {
      const canonicalPayload = canonicalJson(payload);
      const fields = {
        chain,
        sequence,
        id: `${chain}-v1-${sequence}`,
        recordedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, sequence)),
        type: 'consent-given',
        canonicalPayload,
        previousHash: version1Head.hash,
      };
      const hash = auditEntryHash(fields);
      await executor.query(
        `INSERT INTO ${table}
         (chain, sequence, id, recorded_at, type, payload, canonical_payload, previous_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`,
        [
          chain,
          sequence,
          fields.id,
          fields.recordedAt,
          fields.type,
          canonicalPayload,
          canonicalPayload,
          fields.previousHash,
          hash,
        ],
      );
      version1Head = { length: sequence, hash };
      return hash;
    }

    useTestDatabase(target, async (created) => {
      executor = created.executor;
      await migrate(executor, version1Only);
      for (let sequence = 1; sequence <= 5; sequence += 1) {
        await appendVersion1('legacy', sequence, { consentId: `c-${sequence}`, amount: 1.5 });
      }
      await migrate(executor, coreMigrations);
    });

    it('verifies the old entries as they are and chains new ones after them', async () => {
      const audit = createAuditChain(executor, { chain: 'legacy' });
      expect(await audit.head()).toEqual(version1Head);
      expect(await audit.verify({ expectedHead: version1Head })).toMatchObject({
        ok: true,
        length: 5,
      });
      const next = await audit.append({
        type: 'consent-withdrawn',
        payload: { consentId: 'c-1' },
        subject: 'citizen-1',
      });
      expect(next).toMatchObject({ sequence: 6, previousHash: version1Head.hash });
      expect(await audit.verify({ since: version1Head })).toMatchObject({
        ok: true,
        length: 6,
        entriesRead: 1,
      });
      expect(await audit.erase('citizen-1')).toEqual({ erased: 1, sequences: [6] });
      expect(await audit.verify({ expectedHead: version1Head })).toEqual({
        ok: true,
        length: 6,
        head: { length: 6, hash: next.hash },
        erased: 1,
        erasedSequences: [6],
        entriesRead: 6,
      });
    });

    it('still locates an edit of an old entry, in either payload copy', async () => {
      for (const column of ['payload', 'canonical_payload']) {
        let result: unknown;
        await executor
          .transaction(async (transaction) => {
            await transaction.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
            await transaction.query(
              column === 'payload'
                ? `UPDATE ${table} SET payload = '{"amount":2,"consentId":"c-3"}' WHERE chain = 'legacy' AND sequence = 3`
                : `UPDATE ${table} SET canonical_payload = '{"amount":2,"consentId":"c-3"}' WHERE chain = 'legacy' AND sequence = 3`,
            );
            result = await createAuditChain(transaction, { chain: 'legacy' }).verify();
            throw new Error('roll back');
          })
          .catch(() => undefined);
        expect(result, column).toMatchObject({ ok: false, problem: 'modified', sequence: 3 });
      }
    });
  },
);
