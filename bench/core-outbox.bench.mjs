// Jobs through enqueue -> claim -> a loopback HTTP sink -> done.
// Ours: @civicblocks/core's outbox — each job enqueued in its own transaction
// (with the wake-up notification), an outbox worker (concurrency 8, woken by
// LISTEN/NOTIFY) claiming with FOR UPDATE SKIP LOCKED under a lease and POSTing
// through core's HTTP client with the egress policy on (the loopback sink
// allow-listed). Baseline: the same rows in a bare table, each inserted in
// its own transaction, drained by 8 bare loops each running, in one
// transaction, "SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1", undici.request and
// "UPDATE ... SET done". One operation = 20 jobs enqueued and delivered.
//
// PostgreSQL when DATABASE_URL is set (a fresh schema, dropped at the end),
// else PGlite in memory.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import {
  coreMigrations,
  createHttpClient,
  createOutbox,
  createOutboxWorker,
  defaultUserAgent,
  deliveryHttpClientOptions,
  migrate,
} from '@civicblocks/core';
import { Agent, request } from 'undici';
import { compare } from './lib/harness.mjs';

const jobsPerOperation = 20;
const concurrency = 8;

async function openDatabase() {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const { default: pg } = await import('pg');
    const { createPgExecutor } = await import('@civicblocks/core/pg');
    const schema = `bench_outbox_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const options = `-c search_path=${schema}`;
    const executor = createPgExecutor({ connectionString: databaseUrl, max: 10, options });
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options });
    return {
      name: 'postgresql',
      executor,
      raw: {
        query: (text, values) => pool.query(text, values),
        transaction: async (work) => {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const result = await work((text, values) => client.query(text, values));
            await client.query('COMMIT');
            return result;
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          } finally {
            client.release();
          }
        },
      },
      close: async () => {
        await executor.close();
        await pool.end();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgliteExecutor } = await import('@civicblocks/core/pglite');
  const database = new PGlite();
  await database.waitReady;
  return {
    name: 'pglite',
    executor: createPgliteExecutor(database),
    raw: {
      query: (text, values) => database.query(text, values),
      transaction: (work) =>
        database.transaction((transaction) =>
          work((text, values) => transaction.query(text, values)),
        ),
    },
    close: () => database.close(),
  };
}

export default async function run() {
  let received = 0;
  const server = createServer((incoming, response) => {
    incoming.resume();
    incoming.on('end', () => {
      received += 1;
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/sink`;

  const database = await openDatabase();
  const { executor, raw } = database;
  await migrate(executor, coreMigrations);
  await raw.query(
    'CREATE TABLE bare_jobs (id bigserial PRIMARY KEY, payload jsonb NOT NULL, done boolean NOT NULL DEFAULT false)',
  );
  await raw.query('CREATE INDEX bare_jobs_ready ON bare_jobs (id) WHERE NOT done');

  // Ours: the outbox and a long-running worker.
  const outbox = createOutbox(executor);
  const client = createHttpClient(
    deliveryHttpClientOptions({ allow: ['127.0.0.1'], retry: { maxAttempts: 1 } }),
  );
  let completed = 0;
  let waiting;
  const worker = createOutboxWorker({
    executor,
    concurrency,
    handlers: {
      'bench.job': async (job, { signal }) => {
        const response = await client.request({
          method: 'POST',
          url,
          json: job.payload,
          signal,
        });
        if (!response.ok) throw new Error(`sink answered ${response.status}`);
      },
    },
    onEvent: (event) => {
      if (event.type === 'job-completed') {
        completed += 1;
        if (waiting !== undefined && completed >= waiting.target) waiting.resolve();
      }
    },
  });
  worker.start();
  let sequence = 0;

  async function ours() {
    const target = completed + jobsPerOperation;
    const done = new Promise((resolve) => {
      waiting = { target, resolve };
    });
    for (let index = 0; index < jobsPerOperation; index += 1) {
      sequence += 1;
      const payload = { sequence, kind: 'bench' };
      await executor.transaction((transaction) =>
        outbox.enqueue({ topic: 'bench.job', payload }, { transaction }),
      );
    }
    if (completed < target) await done;
  }

  // Baseline: a bare SKIP LOCKED loop on the same database and sink.
  const agent = new Agent({
    connect: { timeout: 10_000 },
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
    keepAliveTimeout: 4_000,
  });
  // The classic bare at-least-once loop: claim with SKIP LOCKED, send, mark
  // done, all in one transaction that holds the row lock while sending.
  const deliverOne = (query) =>
    query(
      'SELECT id, payload FROM bare_jobs WHERE NOT done ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED',
    ).then(async (claimed) => {
      const row = claimed.rows[0];
      if (row === undefined) return false;
      const response = await request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', 'user-agent': defaultUserAgent },
        body: JSON.stringify(row.payload),
      });
      await response.body.dump();
      if (response.statusCode >= 300) throw new Error(`sink answered ${response.statusCode}`);
      await query('UPDATE bare_jobs SET done = true WHERE id = $1', [row.id]);
      return true;
    });
  async function drainOne() {
    while (await raw.transaction(deliverOne)) {
      // next job
    }
  }
  async function baseline() {
    for (let index = 0; index < jobsPerOperation; index += 1) {
      sequence += 1;
      const payload = JSON.stringify({ sequence, kind: 'bench' });
      await raw.transaction((query) =>
        query('INSERT INTO bare_jobs (payload) VALUES ($1::jsonb)', [payload]),
      );
    }
    await Promise.all(Array.from({ length: concurrency }, drainOne));
  }

  try {
    await compare({
      name: 'core-outbox',
      ours,
      baseline: { name: `bare FOR UPDATE SKIP LOCKED loop (${database.name})`, fn: baseline },
      rounds: 12,
      batch: 5,
      warmup: 3,
    });
    if (received === 0) throw new Error('the sink received nothing');
    // The harness counts operations; say what that is in jobs per second too.
    const file = new URL('./results/core-outbox.json', import.meta.url);
    const written = JSON.parse(await readFile(file, 'utf8'));
    const withJobs = {
      ...written,
      database: database.name,
      jobsPerOperation,
      workerConcurrency: concurrency,
      ours: { ...written.ours, jobsPerSecond: Math.round(written.ours.hz * jobsPerOperation) },
      baseline: {
        ...written.baseline,
        jobsPerSecond: Math.round(written.baseline.hz * jobsPerOperation),
      },
    };
    await writeFile(file, `${JSON.stringify(withJobs, null, 2)}\n`);
    return withJobs;
  } finally {
    await worker.stop();
    await client.close();
    await agent.close();
    await database.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
