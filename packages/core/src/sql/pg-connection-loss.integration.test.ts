// Connection loss on PostgreSQL (runs only where DATABASE_URL is set): every
// pooled connection is terminated every 250 ms for 30 s while 50 callers run
// transactions on a pool of 10. The process must live, every failure must be
// a typed, retryable SqlError, and the pool (and the listener) must serve
// afterwards.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlError } from '../errors/core-errors.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { postgresTestTarget } from '../testing-support/sql-test-support.js';
import { notify } from './notify.js';
import { createPgExecutor } from './pg-executor.js';
import type { ClosableSqlExecutor } from './sql-executor.js';
import { isTransactionRetryable, withTransactionRetry } from './transaction-retry.js';

const postgres = postgresTestTarget();
const stormMilliseconds = 30_000;
const terminateEveryMilliseconds = 250;
const callers = 50;

describe.runIf(postgres !== undefined)('pg executor when connections are terminated', () => {
  const databaseUrl = postgres?.databaseUrl ?? '';
  const applicationName = `civicblocks-fault-${randomBytes(6).toString('hex')}`;
  let database: TestDatabase;
  let executor: ClosableSqlExecutor;
  let admin: Client;
  const connectionErrors: SqlError[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(postgres ?? { kind: 'pglite', name: 'pglite' });
    await database.executor.query(
      'CREATE TABLE fault_rows (id bigserial PRIMARY KEY, caller int NOT NULL, round int NOT NULL)',
    );
    executor = createPgExecutor({
      connectionString: databaseUrl,
      max: 10,
      application_name: applicationName,
      options: `-c search_path=${database.schema}`,
      onConnectionError: (error) => connectionErrors.push(error),
    });
    // The terminations come from a separate connection, not from the pool under test.
    admin = new Client({
      connectionString: databaseUrl,
      application_name: `${applicationName}-admin`,
    });
    admin.on('error', () => {});
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await executor?.close();
    await admin?.end();
    await database?.drop();
  });

  it('lives through 30 s of terminations every 250 ms, fails only with retryable SqlErrors, and heals', async () => {
    const notifications: string[] = [];
    const listener = await executor.listen('fault_wake', (payload) => {
      notifications.push(payload);
    });

    let terminations = 0;
    let terminationRounds = 0;
    const terminate = async (): Promise<void> => {
      const { rows } = await admin.query<{ terminated: boolean }>(
        'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      terminationRounds += 1;
      terminations += rows.filter((row) => row.terminated).length;
    };
    let terminating: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      terminating = terminating.then(terminate, terminate);
    }, terminateEveryMilliseconds);

    const deadline = Date.now() + stormMilliseconds;
    let committed = 0;
    let retries = 0;
    const failures: unknown[] = [];
    const failureCodes = new Map<string, number>();
    const run = async (caller: number): Promise<void> => {
      for (let round = 0; Date.now() < deadline; round += 1) {
        // Half the callers retry the whole transaction themselves.
        const runTransaction =
          caller % 2 === 0
            ? executor.transaction.bind(executor)
            : (work: Parameters<typeof executor.transaction>[0]) =>
                withTransactionRetry(executor, work, {
                  attempts: 5,
                  onRetry: () => {
                    retries += 1;
                  },
                });
        try {
          await runTransaction(async (transaction) => {
            await transaction.query('INSERT INTO fault_rows (caller, round) VALUES ($1, $2)', [
              caller,
              round,
            ]);
            await transaction.query('SELECT pg_sleep(0.01)');
            await transaction.query('SELECT count(*) FROM fault_rows WHERE caller = $1', [caller]);
          });
          committed += 1;
        } catch (error) {
          failures.push(error);
          const code = SqlError.isInstance(error) ? error.code : 'untyped';
          failureCodes.set(code, (failureCodes.get(code) ?? 0) + 1);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: callers }, (_, caller) => run(caller)));
    } finally {
      clearInterval(timer);
      await terminating;
    }

    const figures = {
      callers,
      pool: 10,
      stormMilliseconds,
      terminationRounds,
      terminatedConnections: terminations,
      committed,
      failed: failures.length,
      wholeTransactionRetries: retries,
      failureCodes: Object.fromEntries(failureCodes),
      connectionErrorsReported: connectionErrors.length,
    };
    console.log(`connection-loss figures ${JSON.stringify(figures)}`);

    expect(terminationRounds).toBeGreaterThan(stormMilliseconds / terminateEveryMilliseconds / 2);
    expect(terminations).toBeGreaterThan(0);
    expect(failures.length).toBeGreaterThan(0);
    expect(retries).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(SqlError.isInstance(failure)).toBe(true);
      expect(isTransactionRetryable(failure)).toBe(true);
    }

    // Exactly the committed transactions left a row: none half-written.
    const { rows } = await executor.query<{ count: bigint }>(
      'SELECT count(*) AS count FROM fault_rows',
    );
    expect(rows[0]?.count).toBe(BigInt(committed));

    // The pool serves again, to more callers than it has connections.
    const after = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        withTransactionRetry(executor, async (transaction) => {
          const result = await transaction.query<{ value: number }>('SELECT $1::int AS value', [
            index,
          ]);
          return result.rows[0]?.value;
        }),
      ),
    );
    expect(after).toEqual(Array.from({ length: 20 }, (_, index) => index));

    // The listening connection came back and listens again.
    const marker = `after-${randomBytes(4).toString('hex')}`;
    for (let attempt = 0; !notifications.includes(marker); attempt += 1) {
      await notify(executor, 'fault_wake', marker);
      await new Promise((resolve) => setTimeout(resolve, 100 * Math.min(attempt + 1, 10)));
    }
    expect(notifications).toContain(marker);
    await listener.close();
  }, 180_000);
});
