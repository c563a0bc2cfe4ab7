// The outbox across processes, on PostgreSQL only (PGlite is one process's
// embedded database). The workers are separate Node.js processes running
// fixtures/outbox-worker-process.mjs, which imports core from a JavaScript
// build of the current source that this file makes first (tsup without type
// declarations, into node_modules/.cache, so dist/ is never touched).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventDelivery } from '../event-delivery/event-delivery.js';
import { createCloudEvent } from '../events/cloud-event.js';
import { migrate } from '../sql/migrations.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { postgresTestTarget } from '../testing-support/sql-test-support.js';
import { verifyWebhook } from '../webhooks/standard-webhooks.js';
import { createWebhookSecret } from '../webhooks/webhook-secret.js';
import { createOutbox } from './outbox.js';
import { outboxJobsTable, outboxMigrations } from './outbox-migrations.js';

const packageDirectory = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/outbox-worker-process.mjs', import.meta.url));
const buildDirectory = `${packageDirectory}node_modules/.cache/outbox-test-build`;
const jobCount = 10_000;
const concurrency = 16;
const slow = 900_000;
const target = postgresTestTarget();

async function eventually(condition: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** A loopback receiver that checks every signature and counts deliveries by webhook-id. */
interface CountingSink {
  readonly url: string;
  readonly counts: Map<string, number>;
  readonly badSignatures: () => number;
  close(): Promise<void>;
}

async function startCountingSink(secret: string): Promise<CountingSink> {
  const counts = new Map<string, number>();
  let bad = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const { id } = verifyWebhook({
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          secret,
        });
        counts.set(id, (counts.get(id) ?? 0) + 1);
        response.writeHead(204).end();
      } catch {
        bad += 1;
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    counts,
    badSignatures: () => bad,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly lines: string[];
}

function startWorker(database: TestDatabase, leaseSeconds: number): WorkerProcess {
  if (target === undefined) throw new Error('PostgreSQL only');
  const child = spawn(process.execPath, [fixture], {
    env: {
      ...process.env,
      OUTBOX_CORE_BUILD: buildDirectory,
      OUTBOX_DATABASE_URL: target.databaseUrl,
      OUTBOX_SCHEMA: database.schema,
      OUTBOX_LEASE_SECONDS: String(leaseSeconds),
      OUTBOX_CONCURRENCY: String(concurrency),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, lines };
}

/** Builds the JavaScript of the current source for the worker processes. */
function buildCore(): void {
  execFileSync('npx', ['tsup', '--no-dts', '--silent', '--out-dir', buildDirectory], {
    cwd: packageDirectory,
    stdio: 'inherit',
  });
}

describe.runIf(target !== undefined)('outbox worker processes on PostgreSQL', () => {
  let database: TestDatabase;
  let sink: CountingSink;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    buildCore();
  }, slow);

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
  });

  async function prepare(): Promise<{ jobIds: () => Promise<Set<string>> }> {
    if (target === undefined) throw new Error('PostgreSQL only');
    database = await createTestDatabase(target);
    await migrate(database.executor, outboxMigrations);
    const secret = createWebhookSecret();
    sink = await startCountingSink(secret);
    const outbox = createOutbox(database.executor);
    const delivery = createEventDelivery({ executor: database.executor, outbox });
    await delivery.subscribe({
      subscriber: 'counting-sink',
      url: sink.url,
      secret,
      types: ['gov.example.test.job-enqueued'],
    });
    for (let batch = 0; batch < jobCount / 500; batch += 1) {
      await database.executor.transaction(async (transaction) => {
        for (let index = 0; index < 500; index += 1) {
          await delivery.publish(
            createCloudEvent({
              source: '/outbox-test',
              type: 'gov.example.test.job-enqueued',
              data: { n: batch * 500 + index },
            }),
            { transaction },
          );
        }
      });
    }
    await delivery.close();
    return {
      jobIds: async () => {
        const { rows } = await database.executor.query<{ id: string }>(
          `SELECT id FROM ${outboxJobsTable}`,
        );
        return new Set(rows.map((row) => row.id));
      },
    };
  }

  async function countsByState(): Promise<Record<string, number>> {
    const { rows } = await database.executor.query<{ state: string; count: bigint }>(
      `SELECT state, count(*) AS count FROM ${outboxJobsTable} GROUP BY state`,
    );
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
  }

  it(
    'loses no job when a worker is killed with SIGKILL in the middle of 10,000 and another restarts',
    async () => {
      const { jobIds } = await prepare();
      try {
        const first = startWorker(database, 3);
        workers.push(first);
        await eventually(() => sink.counts.size >= 3_000);
        first.child.kill('SIGKILL');
        await first.exited;
        const atKill = await countsByState();
        expect(atKill.done ?? 0).toBeLessThan(jobCount);

        const second = startWorker(database, 30);
        workers.push(second);
        await eventually(async () => (await countsByState()).done === jobCount);
        second.child.kill('SIGTERM');
        await second.exited;

        const ids = await jobIds();
        expect(ids.size).toBe(jobCount);
        expect(sink.counts.size).toBe(jobCount);
        for (const id of sink.counts.keys()) expect(ids.has(id)).toBe(true);
        expect(await countsByState()).toEqual({ done: jobCount });
        expect(sink.badSignatures()).toBe(0);
        // At least once: only jobs in flight when the process died may arrive twice.
        const twice = [...sink.counts.values()].filter((times) => times > 1).length;
        expect(twice).toBeLessThanOrEqual(concurrency);
        console.info(
          `[SIGKILL] killed with ${atKill.done ?? 0} done and ${atKill.running ?? 0} claimed; after restart all ${jobCount} done, ${twice} delivered twice`,
        );
      } finally {
        await sink.close();
        await database.drop();
      }
    },
    slow,
  );

  it(
    'completes 10,000 jobs with three worker processes, none run twice to completion',
    async () => {
      const { jobIds } = await prepare();
      try {
        const three = [0, 1, 2].map(() => startWorker(database, 30));
        workers.push(...three);
        await eventually(async () => (await countsByState()).done === jobCount);
        for (const worker of three) worker.child.kill('SIGTERM');
        const codes = await Promise.all(three.map((worker) => worker.exited));
        expect(codes).toEqual([0, 0, 0]);

        const completed = three.map((worker) => {
          const last = worker.lines.at(-1) ?? '{}';
          return (JSON.parse(last) as { completed?: number }).completed ?? -1;
        });
        expect(completed.reduce((sum, value) => sum + value, 0)).toBe(jobCount);
        for (const share of completed) expect(share).toBeGreaterThan(0);
        const ids = await jobIds();
        expect(sink.counts.size).toBe(jobCount);
        for (const [id, times] of sink.counts) {
          expect(ids.has(id)).toBe(true);
          if (times !== 1) expect.fail(`job ${id} was delivered ${times} times`);
        }
        expect(sink.badSignatures()).toBe(0);
        console.info(`[three workers] completed per process: ${completed.join(', ')}`);
      } finally {
        await sink.close();
        await database.drop();
      }
    },
    slow,
  );
});
