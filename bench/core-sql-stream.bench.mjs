// Streaming 1,000,000 rows: @civicblocks/core's executor.stream() (a
// server-side cursor fetched 1000 rows at a time) against the raw driver
// reading the same SELECT in one go (PGlite's db.query(), pg's pool.query()).
// Reported: peak heap growth over the heap before the read (sampled every
// 5 ms and every 1000 rows, after a forced GC), as well as RSS and external
// memory, and the time. Each side of each adapter runs in its own child
// process started with --expose-gc, so one side's garbage never counts
// against the other. PostgreSQL runs when DATABASE_URL is set (a scratch
// schema, dropped afterwards); PGlite always.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startMemorySampler } from './lib/memory.mjs';

const name = 'core-sql-stream';
const rowCount = 1_000_000;
const flatLimitMB = 64;
const here = fileURLToPath(import.meta.url);
const resultsDirectory = join(dirname(here), 'results');

const createTable = `CREATE TABLE stream_rows (
  id int8 PRIMARY KEY, label text NOT NULL, amount numeric NOT NULL, created_at timestamptz NOT NULL)`;
const fillTable = `INSERT INTO stream_rows
  SELECT g, 'row ' || g || ' ' || md5(g::text), (g % 100000) / 100.0, timestamptz '2026-01-01' + g * interval '1 second'
  FROM generate_series(1, ${rowCount}) AS g`;
const selectAll = 'SELECT id, label, amount, created_at FROM stream_rows ORDER BY id';

// ---- child: one side of one adapter ------------------------------------------------

async function measure(read) {
  const sampler = startMemorySampler();
  const started = process.hrtime.bigint();
  const rows = await read(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const memory = sampler.stop();
  if (rows !== rowCount) throw new Error(`read ${rows} rows, expected ${rowCount}`);
  return {
    ...memory,
    seconds: Math.round(seconds * 100) / 100,
    rowsPerSecond: Math.round(rows / seconds),
  };
}

async function streamWithCore(executor, sampler) {
  let rows = 0;
  let checksum = 0n;
  for await (const row of executor.stream(selectAll)) {
    rows += 1;
    checksum += row.id;
    if (rows % 1000 === 0) sampler.sample();
  }
  return checksum > 0n ? rows : 0;
}

async function child(adapter, side, schema) {
  if (adapter === 'pglite' || adapter === 'pglite-datadir') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { createPgliteExecutor } = await import('@civicblocks/core/pglite');
    // On a data directory PGlite's temporary files (the WITH HOLD cursor's
    // result past work_mem) go to disk rather than to its in-memory file system.
    const directory =
      adapter === 'pglite-datadir'
        ? await mkdtemp(join(tmpdir(), 'civicblocks-stream-'))
        : undefined;
    process.on('exit', () => {
      if (directory) rmSync(directory, { recursive: true, force: true });
    });
    const db = new PGlite(directory);
    await db.waitReady;
    await db.exec(createTable);
    await db.exec(fillTable);
    if (side === 'ours') {
      const executor = createPgliteExecutor(db);
      return measure((sampler) => streamWithCore(executor, sampler));
    }
    return measure(async (sampler) => {
      const result = await db.query(selectAll);
      sampler.sample();
      return result.rows.length;
    });
  }
  const databaseUrl = process.env.DATABASE_URL;
  const options = `-c search_path=${schema}`;
  if (side === 'ours') {
    const { createPgExecutor } = await import('@civicblocks/core/pg');
    const executor = createPgExecutor({ connectionString: databaseUrl, max: 2, options });
    await executor.query('SELECT 1');
    try {
      return await measure((sampler) => streamWithCore(executor, sampler));
    } finally {
      await executor.close();
    }
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, options });
  await pool.query('SELECT 1');
  try {
    return await measure(async (sampler) => {
      const result = await pool.query(selectAll);
      sampler.sample();
      return result.rows.length;
    });
  } finally {
    await pool.end();
  }
}

// ---- parent: set up, run the children, write the result ---------------------------

async function runChild(adapter, side, schema) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', here, '--child', adapter, side, schema ?? ''],
    { env: process.env, maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

async function compareAdapter(adapter, schema, database) {
  const ours = await runChild(adapter, 'ours', schema);
  const baseline = await runChild(adapter, 'baseline', schema);
  return {
    database,
    ours: { name: 'executor.stream()', ...ours },
    baseline: {
      name: adapter.startsWith('pglite') ? 'PGlite db.query()' : 'pg pool.query()',
      ...baseline,
    },
    heapRatio: Math.round((ours.peakHeapGrowthMB / baseline.peakHeapGrowthMB) * 10000) / 10000,
    flat: ours.peakHeapGrowthMB < flatLimitMB,
  };
}

export default async function run() {
  const adapters = {};
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pgliteManifest = join(entry.slice(0, entry.lastIndexOf('/dist/')), 'package.json');
  const { version } = JSON.parse(await readFile(pgliteManifest, 'utf8'));
  adapters.pglite = await compareAdapter('pglite', undefined, `pglite ${version} (in memory)`);
  adapters['pglite-datadir'] = await compareAdapter(
    'pglite-datadir',
    undefined,
    `pglite ${version} (data directory)`,
  );

  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const { default: pg } = await import('pg');
    const schema = `bench_stream_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.query(`SET search_path = ${schema}`);
      await admin.query(createTable);
      await admin.query(fillTable);
      await admin.query('ANALYZE stream_rows');
      const { rows } = await admin.query('SHOW server_version');
      adapters.postgresql = await compareAdapter(
        'postgresql',
        schema,
        `postgresql ${rows[0].server_version}`,
      );
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }

  const result = {
    name,
    kind: 'memory',
    rows: rowCount,
    batchSize: 1000,
    flatLimitMB,
    adapters,
    flat: Object.values(adapters).every((each) => each.flat),
    node: process.version,
    date: new Date().toISOString(),
  };
  await mkdir(resultsDirectory, { recursive: true });
  await writeFile(join(resultsDirectory, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (process.argv[2] === '--child') {
  const [, , , adapter, side, schema] = process.argv;
  const figures = await child(adapter, side, schema);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else if (process.argv[1] === here) {
  console.log(JSON.stringify(await run(), null, 2));
}
