// Audit appends to 8 chains from 4 concurrent writers: @civicblocks/core's
// createAuditChain().append (salted payload digest, chain lock, previous
// hash read, entry hash, entry and payload rows in one statement) against raw
// INSERTs of the same two rows into tables of the same shape, with no lock,
// no read and no hashing. One operation = one append by each of the 4
// writers, at once. PostgreSQL when DATABASE_URL is set (a scratch schema,
// dropped afterwards), else PGlite (one connection, so the writers take
// turns); the result file says which.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreMigrations, createAuditChain, migrate } from '@civicblocks/core';
import { compare } from './lib/harness.mjs';

const name = 'core-audit-append';
const writers = 4;
const chains = 8;

async function openDatabase() {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const { createPgExecutor } = await import('@civicblocks/core/pg');
    const schema = `bench_audit_${randomBytes(6).toString('hex')}`;
    const administration = createPgExecutor({ connectionString: databaseUrl, max: 1 });
    await administration.query(`CREATE SCHEMA ${schema}`);
    const pool = (max) =>
      createPgExecutor({ connectionString: databaseUrl, max, options: `-c search_path=${schema}` });
    const ours = pool(writers);
    const baseline = pool(writers);
    const { rows } = await administration.query('SHOW server_version');
    return {
      database: `postgresql ${rows[0].server_version}`,
      ours,
      baseline,
      close: async () => {
        await ours.close();
        await baseline.close();
        await administration.query(`DROP SCHEMA ${schema} CASCADE`);
        await administration.close();
      },
    };
  }
  const { createPgliteExecutor } = await import('@civicblocks/core/pglite');
  const executor = createPgliteExecutor();
  const { rows } = await executor.query('SHOW server_version');
  return {
    database: `pglite (postgresql ${rows[0].server_version})`,
    ours: executor,
    baseline: executor,
    close: () => executor.close(),
  };
}

export default async function run() {
  const database = await openDatabase();
  try {
    await migrate(database.ours, coreMigrations);
    // The same columns, keys and indexes, without triggers.
    await database.baseline.executeScript(`
      CREATE TABLE raw_audit_entries (LIKE civicblocks_audit_entries INCLUDING ALL);
      CREATE TABLE raw_audit_payloads (LIKE civicblocks_audit_payloads INCLUDING ALL);`);

    const audits = Array.from({ length: chains }, (_, index) =>
      createAuditChain(database.ours, { chain: `bench-${index}` }),
    );
    const sequences = new Array(chains).fill(0);
    let turn = 0;
    const payloadOf = (writer) => ({ applicationId: `A-${turn}-${writer}`, decision: 'approved' });

    const ours = () => {
      turn += 1;
      return Promise.all(
        Array.from({ length: writers }, (_, writer) =>
          audits[(turn * writers + writer) % chains].append({
            type: 'application-decided',
            payload: payloadOf(writer),
            subject: `citizen-${writer}`,
          }),
        ),
      );
    };

    const rawInsert = `WITH entry AS (
        INSERT INTO raw_audit_entries
          (chain, sequence, id, recorded_at, type, format, erasable, payload_digest, previous_hash, hash)
        VALUES ($1, $2, $3, $4, $5, 2, true, $6, $7, $8)
      )
      INSERT INTO raw_audit_payloads (entry_id, chain, subject, salt, payload)
      VALUES ($3, $1, $9, $10, $11::jsonb)`;
    const filler = 'f'.repeat(64);
    const baseline = () => {
      turn += 1;
      return Promise.all(
        Array.from({ length: writers }, (_, writer) => {
          const chain = (turn * writers + writer) % chains;
          sequences[chain] += 1;
          return database.baseline.query(rawInsert, [
            `bench-${chain}`,
            sequences[chain],
            crypto.randomUUID(),
            new Date(),
            'application-decided',
            filler,
            filler,
            filler,
            `citizen-${writer}`,
            randomBytes(32),
            JSON.stringify(payloadOf(writer)),
          ]);
        }),
      );
    };

    await compare({
      name,
      ours,
      baseline: { name: 'raw INSERT of the same rows', fn: baseline },
      rounds: 30,
      batch: 100,
      warmup: 100,
    });
    for (const audit of audits.slice(0, 2)) {
      const verification = await audit.verify();
      if (!verification.ok) throw new Error(`chain ${audit.chain} does not verify after the bench`);
    }
    const inTransaction = await measureInTransaction(database.ours);
    const file = join(dirname(fileURLToPath(import.meta.url)), 'results', `${name}.json`);
    const written = JSON.parse(await readFile(file, 'utf8'));
    const annotated = {
      ...written,
      database: database.database,
      writers,
      chains,
      operation: `one append by each of ${writers} concurrent writers (${writers} rows per side per operation)`,
      inTransaction,
    };
    await writeFile(file, `${JSON.stringify(annotated, null, 2)}\n`);
    return annotated;
  } finally {
    await database.close();
  }
}

/**
 * How long the chain lock is held inside a caller's transaction, seen as
 * appends/s to ONE chain from 4 writers whose transactions also do 2 ms of
 * other work (pg_sleep): the append as one statement before that work,
 * appendAtCommit before it (linked by a deferred trigger: the lock is held
 * for the commit only), the append after the work (held for the append and
 * the commit), and the protocol of the first release (savepoint, lock, read, insert,
 * release: five round trips, then the work, all under the lock).
 */
async function measureInTransaction(executor) {
  const transactions = 280;
  const work = (transaction) => transaction.query('SELECT pg_sleep(0.002)');
  const audit = createAuditChain(executor, { chain: 'in-transaction' });
  const append = (transaction, index) =>
    audit.append({ type: 'decided', payload: { index }, subject: 'citizen-1' }, { transaction });
  const firstRelease = async (transaction, index) => {
    await transaction.transaction(async (savepoint) => {
      await savepoint.query(
        "SELECT pg_advisory_xact_lock(hashtextextended(coalesce(current_schema(), '') || '/' || $1, 0))",
        ['civicblocks_audit_entries:first-release'],
      );
      const { rows } = await savepoint.query(
        "SELECT sequence, hash FROM civicblocks_audit_entries WHERE chain = 'first-release' ORDER BY sequence DESC LIMIT 1",
      );
      const payload = JSON.stringify({ index });
      await savepoint.query(
        `INSERT INTO civicblocks_audit_entries
           (chain, sequence, id, recorded_at, type, payload, canonical_payload, previous_hash, hash)
         VALUES ('first-release', $1, $2, now(), 'decided', $3::jsonb, $3, $4, $5)`,
        [
          Number(rows[0]?.sequence ?? 0) + 1,
          crypto.randomUUID(),
          payload,
          rows[0]?.hash ?? '0'.repeat(64),
          'f'.repeat(64),
        ],
      );
    });
  };
  const shapes = {
    appendThenWork: async (transaction, index) => {
      await append(transaction, index);
      await work(transaction);
    },
    appendAtCommitThenWork: async (transaction, index) => {
      await audit.appendAtCommit(
        { type: 'decided', payload: { index }, subject: 'citizen-1' },
        { transaction },
      );
      await work(transaction);
    },
    workThenAppend: async (transaction, index) => {
      await work(transaction);
      await append(transaction, index);
    },
    firstReleaseThenWork: async (transaction, index) => {
      await firstRelease(transaction, index);
      await work(transaction);
    },
  };
  // Rounds of every shape in turn, the order rotating, each shape's rate the
  // median of its rounds: a busy neighbour then skews all shapes alike.
  const rounds = 7;
  const perRound = Math.ceil(transactions / rounds);
  const samples = Object.fromEntries(Object.keys(shapes).map((shape) => [shape, []]));
  const names = Object.keys(shapes);
  for (let round = 0; round < rounds; round += 1) {
    const order = names.map((_, index) => names[(index + round) % names.length]);
    for (const shape of order) {
      let next = 0;
      const start = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: writers }, async () => {
          while (next < perRound) {
            const index = next;
            next += 1;
            await executor.transaction((transaction) => shapes[shape](transaction, index));
          }
        }),
      );
      samples[shape].push(perRound / (Number(process.hrtime.bigint() - start) / 1e9));
    }
  }
  const rates = Object.fromEntries(
    Object.entries(samples).map(([shape, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return [shape, Math.round(sorted[Math.floor(sorted.length / 2)])];
    }),
  );
  return {
    description: `appends/s to one chain from ${writers} writers, each transaction also doing 2 ms of other work (pg_sleep); median of ${rounds} rounds`,
    ...rates,
  };
}
