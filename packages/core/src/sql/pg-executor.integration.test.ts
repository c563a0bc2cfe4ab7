import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestTarget, sqlRejection } from '../testing-support/sql-test-support.js';
import { createPgExecutor } from './pg-executor.js';
import type { ClosableSqlExecutor } from './sql-executor.js';

const postgres = postgresTestTarget();

describe('pg executor without a server', () => {
  it('reports a refused connection as a retryable SQL_CONNECTION_FAILED', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const executor = createPgExecutor({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    try {
      const queryError = await sqlRejection(executor.query('SELECT $1::text', ['parameter']));
      expect(queryError.code).toBe('SQL_CONNECTION_FAILED');
      expect(queryError.isRetryable).toBe(true);
      expect(queryError.details).toMatchObject({ operation: 'query', errorCode: 'ECONNREFUSED' });

      const transactionError = await sqlRejection(executor.transaction(async () => 'never'));
      expect(transactionError.code).toBe('SQL_CONNECTION_FAILED');
      expect(transactionError.details?.operation).toBe('connect');
    } finally {
      await executor.close();
    }
  });
});

describe.runIf(postgres !== undefined)('pg executor on PostgreSQL', () => {
  let pool: Pool;
  let executor: ClosableSqlExecutor;

  beforeAll(() => {
    pool = new Pool({
      connectionString: postgres?.databaseUrl ?? '',
      max: 2,
    });
    executor = createPgExecutor(pool);
  });
  afterAll(async () => {
    await pool?.end();
  });

  function expectAllClientsReturned(): void {
    expect(pool.waitingCount).toBe(0);
    expect(pool.idleCount).toBe(pool.totalCount);
  }

  it('rolls back before giving the client back when the transaction mode fails after BEGIN', async () => {
    // One connection, whose SET TRANSACTION fails in the server (as SERIALIZABLE
    // does on a hot standby): the next caller must get a clean connection.
    const faulty = new Pool({ connectionString: postgres?.databaseUrl ?? '', max: 1 });
    faulty.on('connect', (client) => {
      const original = client.query.bind(client) as (...args: unknown[]) => unknown;
      Object.assign(client, {
        query: (config: unknown, ...rest: unknown[]) =>
          original(
            typeof config === 'string' && config.startsWith('SET TRANSACTION')
              ? 'SELECT 1 / 0'
              : config,
            ...rest,
          ),
      });
    });
    const faultyExecutor = createPgExecutor(faulty);
    try {
      const error = await sqlRejection(
        faultyExecutor.transaction(async () => 'never', { isolation: 'serializable' }),
      );
      expect(error.details?.sqlState).toBe('22012');
      const { rows } = await faultyExecutor.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
      expect(faulty.totalCount).toBe(1);
    } finally {
      await faulty.end();
    }
  });

  it('gives the client back after a commit, a rollback and a refused commit', async () => {
    await executor.transaction(async (transaction) => {
      await transaction.query('CREATE TEMP TABLE scratch (id int PRIMARY KEY)');
      expect(pool.idleCount).toBeLessThan(pool.totalCount);
    });
    expectAllClientsReturned();

    await executor.transaction(async () => Promise.reject(new Error('undo'))).catch(() => {});
    expectAllClientsReturned();

    const refused = await sqlRejection(
      executor.transaction(async (transaction) => {
        await transaction.query('SELECT 1 / 0').catch(() => {});
      }),
    );
    expect(refused.details?.sqlState).toBe('25P02');
    expectAllClientsReturned();

    // With max 2, more transactions than clients only work if every client came back.
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        executor.transaction(async (transaction) => {
          const { rows } = await transaction.query<{ value: number }>('SELECT $1::int AS value', [
            index,
          ]);
          return rows[0]?.value;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expectAllClientsReturned();
  });

  it('refuses, at once, a root query inside a transaction on a pool of 2 (it used to hang)', async () => {
    // Two transactions hold both connections; each then calls the root
    // executor, which would wait for a free connection for ever.
    let bothStartedResolve: () => void = () => {};
    const bothStartedPromise = new Promise<void>((resolve) => {
      bothStartedResolve = resolve;
    });
    let started = 0;
    const misuse = () =>
      executor.transaction(async (transaction) => {
        await transaction.query('SELECT 1');
        started += 1;
        if (started === 2) bothStartedResolve();
        await bothStartedPromise;
        await executor.query('SELECT 1');
      });
    const errors = await Promise.all([sqlRejection(misuse()), sqlRejection(misuse())]);
    expect(errors.map((error) => error.code)).toEqual([
      'SQL_ROOT_EXECUTOR_IN_TRANSACTION',
      'SQL_ROOT_EXECUTOR_IN_TRANSACTION',
    ]);
    expectAllClientsReturned();
    // A second executor over the same pool is the same database: refused too.
    const sibling = createPgExecutor(pool);
    const siblingError = await sqlRejection(
      executor.transaction(async () => sibling.query('SELECT 1')),
    );
    expect(siblingError.code).toBe('SQL_ROOT_EXECUTOR_IN_TRANSACTION');
    expectAllClientsReturned();
  });

  it('discards a connection that broke inside a transaction and keeps working', async () => {
    const error = await sqlRejection(
      executor.transaction(async (transaction) => {
        await transaction.query('SELECT pg_terminate_backend(pg_backend_pid())');
      }),
    );
    expect(error.code).toBe('SQL_CONNECTION_FAILED');
    expect(error.isRetryable).toBe(true);
    expectAllClientsReturned();
    const { rows } = await executor.query<{ one: number }>('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('leaves a pool it was given open when closed, and ends a pool it opened', async () => {
    await createPgExecutor(pool).close();
    expect(pool.ended).toBe(false);
    expect((await executor.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

    const owned = createPgExecutor({
      connectionString: postgres?.databaseUrl ?? '',
    });
    await owned.query('SELECT 1');
    await owned.close();
    const closed = await sqlRejection(owned.query('SELECT 1'));
    expect(closed.code).toBe('SQL_CONNECTION_FAILED');
    expect(closed.isRetryable).toBe(false);
  });
});
