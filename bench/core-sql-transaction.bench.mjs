// One small transaction (INSERT ... RETURNING, SELECT of the row, UPDATE of
// it; three statements with parameters) through @civicblocks/core's executor
// against the same statements in the driver's own transaction: PGlite's
// db.transaction() always, and, when DATABASE_URL is set, a pg.Pool client
// with BEGIN/COMMIT against core's pg executor (both pools of one
// connection, on a scratch schema dropped afterwards). One operation = one
// committed transaction. bench/results/core-sql-transaction.json holds one
// entry per adapter.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare } from './lib/harness.mjs';

const name = 'core-sql-transaction';
const createTable = `CREATE TABLE tx_rows (
  id bigserial PRIMARY KEY, label text NOT NULL, counter int8 NOT NULL DEFAULT 0)`;
const insertRow = 'INSERT INTO tx_rows (label) VALUES ($1) RETURNING id';
const selectRow = 'SELECT id, label, counter FROM tx_rows WHERE id = $1';
const updateRow = 'UPDATE tx_rows SET counter = counter + 1 WHERE id = $1';
const operation =
  'one committed transaction: INSERT ... RETURNING id, SELECT the row by id, UPDATE it by id';

// The same work for both sides: `query` runs one statement in the open transaction.
async function work(query, label) {
  const inserted = await query(insertRow, [label]);
  const id = inserted.rows[0].id;
  const selected = await query(selectRow, [id]);
  if (selected.rows.length !== 1) throw new Error('the row just inserted is missing');
  await query(updateRow, [id]);
}

async function pgliteRun() {
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgliteExecutor } = await import('@civicblocks/core/pglite');
  const db = new PGlite();
  await db.waitReady;
  await db.exec(createTable);
  const { rows } = await db.query('SHOW server_version');
  const executor = createPgliteExecutor(db);
  let turn = 0;
  try {
    const result = await compare({
      name,
      ours: () =>
        executor.transaction((transaction) =>
          work((text, values) => transaction.query(text, values), `ours ${++turn}`),
        ),
      baseline: {
        name: 'raw PGlite db.transaction()',
        fn: () =>
          db.transaction((transaction) =>
            work((text, values) => transaction.query(text, values), `raw ${++turn}`),
          ),
      },
      rounds: 30,
      batch: 200,
      warmup: 300,
    });
    return { ...result, database: `pglite (postgresql ${rows[0].server_version})` };
  } finally {
    await db.close();
  }
}

async function pgRun(databaseUrl) {
  const { default: pg } = await import('pg');
  const { createPgExecutor } = await import('@civicblocks/core/pg');
  const schema = `bench_tx_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const options = `-c search_path=${schema}`;
  const executor = createPgExecutor({ connectionString: databaseUrl, max: 1, options });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, options });
  let turn = 0;
  try {
    await pool.query(createTable);
    const { rows } = await pool.query('SHOW server_version');
    const result = await compare({
      name,
      ours: () =>
        executor.transaction((transaction) =>
          work((text, values) => transaction.query(text, values), `ours ${++turn}`),
        ),
      baseline: {
        name: 'raw pg.Pool client BEGIN/COMMIT',
        fn: async () => {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await work((text, values) => client.query(text, values), `raw ${++turn}`);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          } finally {
            client.release();
          }
        },
      },
      rounds: 20,
      batch: 100,
      warmup: 200,
    });
    return { ...result, database: `postgresql ${rows[0].server_version}` };
  } finally {
    await executor.close();
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

export default async function run() {
  const results = [await pgliteRun()];
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) results.push(await pgRun(databaseUrl));
  // The harness wrote one adapter's figures at a time; keep them all.
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results', `${name}.json`);
  await mkdir(dirname(file), { recursive: true });
  const adapters = Object.fromEntries(
    results.map((result) => [result.database.split(' ')[0], result]),
  );
  await writeFile(
    file,
    `${JSON.stringify({ name, operation, adapters, node: process.version, date: new Date().toISOString() }, null, 2)}\n`,
  );
  return results;
}
