import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  rejection,
  sqlRejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import type { SqlExecutor } from './sql-executor.js';

describe.each(testDatabaseTargets())('SQL executor on $name', (target) => {
  let executor: SqlExecutor;
  let tableNumber = 0;

  async function createTable(columns = 'id int PRIMARY KEY, body text'): Promise<string> {
    tableNumber += 1;
    const table = `items_${tableNumber}`;
    await executor.query(`CREATE TABLE ${table} (${columns})`);
    return table;
  }

  async function count(table: string): Promise<number> {
    const { rows } = await executor.query<{ count: bigint }>(
      `SELECT count(*) AS count FROM ${table}`,
    );
    return Number(rows[0]?.count);
  }

  useTestDatabase(target, (database) => {
    executor = database.executor;
  });

  it('binds parameters instead of splicing them into the SQL', async () => {
    const table = await createTable();
    const hostile = "x'); DROP TABLE items_1; --";
    await executor.query(`INSERT INTO ${table} (id, body) VALUES ($1, $2)`, [1, hostile]);
    const { rows } = await executor.query<{ body: string }>(
      `SELECT body FROM ${table} WHERE body = $1`,
      [hostile],
    );
    expect(rows).toEqual([{ body: hostile }]);
    expect(await count(table)).toBe(1);
  });

  it('returns the same value types on both adapters', async () => {
    const { rows } = await executor.query(
      `SELECT $1::int8 AS big, $2::int AS small, $3::numeric AS exact, $4::date AS day,
              $5::timestamptz AS moment, $6::jsonb AS document, $7::bytea AS bytes,
              $8::boolean AS flag, $9::text[] AS words, $10::text AS nothing`,
      [
        9007199254740993n,
        42,
        '12.50',
        '2025-03-01',
        new Date('2025-03-01T09:30:00.123Z'),
        JSON.stringify({ purpose: 'benefits', scopes: ['email'] }),
        new Uint8Array([0, 255, 7]),
        true,
        ['a', 'b"c'],
        null,
      ],
    );
    const row = rows[0] ?? {};
    expect(row.big).toBe(9007199254740993n);
    expect(row.small).toBe(42);
    expect(row.exact).toBe('12.50');
    expect(row.day).toBe('2025-03-01');
    expect(row.moment).toEqual(new Date('2025-03-01T09:30:00.123Z'));
    expect(row.document).toEqual({ purpose: 'benefits', scopes: ['email'] });
    expect([...(row.bytes as Uint8Array)]).toEqual([0, 255, 7]);
    expect(row.flag).toBe(true);
    expect(row.words).toEqual(['a', 'b"c']);
    expect(row.nothing).toBeNull();
  });

  it('reports rowCount for SELECT, INSERT, UPDATE and DELETE', async () => {
    const table = await createTable();
    const inserted = await executor.query(
      `INSERT INTO ${table} (id, body) VALUES (1, $1), (2, $1), (3, $1)`,
      ['x'],
    );
    expect(inserted.rowCount).toBe(3);
    expect(
      (await executor.query(`UPDATE ${table} SET body = $1 WHERE id < 3`, ['y'])).rowCount,
    ).toBe(2);
    expect((await executor.query(`SELECT * FROM ${table} WHERE body = $1`, ['y'])).rowCount).toBe(
      2,
    );
    expect((await executor.query(`DELETE FROM ${table} WHERE id = $1`, [3])).rowCount).toBe(1);
    expect((await executor.query(`DELETE FROM ${table} WHERE id = $1`, [99])).rowCount).toBe(0);
  });

  it('refuses several statements in one query but runs them as a script', async () => {
    const table = await createTable();
    const error = await sqlRejection(
      executor.query(`INSERT INTO ${table} VALUES (1, 'a'); INSERT INTO ${table} VALUES (2, 'b')`),
    );
    expect(error.code).toBe('SQL_QUERY_FAILED');
    expect(error.details?.sqlState).toBe('42601');
    expect(await count(table)).toBe(0);

    await executor.executeScript(
      `INSERT INTO ${table} VALUES (1, 'a'); INSERT INTO ${table} VALUES (2, 'b');`,
    );
    expect(await count(table)).toBe(2);
  });

  it('commits a transaction whose callback fulfils and returns its result', async () => {
    const table = await createTable();
    const result = await executor.transaction(async (transaction) => {
      await transaction.query(`INSERT INTO ${table} VALUES ($1, $2)`, [1, 'a']);
      await transaction.query(`INSERT INTO ${table} VALUES ($1, $2)`, [2, 'b']);
      const { rows } = await transaction.query<{ count: bigint }>(
        `SELECT count(*) AS count FROM ${table}`,
      );
      return rows[0]?.count;
    });
    expect(result).toBe(2n);
    expect(await count(table)).toBe(2);
  });

  it('rolls back a transaction whose callback rejects and passes the rejection on unchanged', async () => {
    const table = await createTable();
    const failure = new Error('business rule broken');
    const error = await rejection(
      executor.transaction(async (transaction) => {
        await transaction.query(`INSERT INTO ${table} VALUES ($1, $2)`, [1, 'a']);
        await transaction.executeScript(`CREATE TABLE ${table}_created_inside (id int)`);
        throw failure;
      }),
    );
    expect(error).toBe(failure);
    expect(await count(table)).toBe(0);
    const { rows } = await executor.query(`SELECT to_regclass($1) AS found`, [
      `${table}_created_inside`,
    ]);
    expect(rows[0]?.found).toBeNull();
  });

  it('refuses to commit a transaction in which a statement failed, even if the callback caught it', async () => {
    const table = await createTable();
    const error = await sqlRejection(
      executor.transaction(async (transaction) => {
        await transaction.query(`INSERT INTO ${table} VALUES ($1, $2)`, [1, 'a']);
        await transaction
          .query(`INSERT INTO ${table} VALUES ($1, $2)`, [1, 'duplicate'])
          .catch(() => {});
      }),
    );
    expect(error.code).toBe('SQL_QUERY_FAILED');
    expect(error.details?.sqlState).toBe('25P02');
    expect(await count(table)).toBe(0);
  });

  it('nests savepoints: an inner failure is undone alone and the outer transaction commits', async () => {
    const table = await createTable();
    await executor.transaction(async (transaction) => {
      await transaction.query(`INSERT INTO ${table} VALUES (1, 'outer')`);
      const innerError = await rejection(
        transaction.transaction(async (inner) => {
          await inner.query(`INSERT INTO ${table} VALUES (2, 'inner')`);
          throw new Error('inner failure');
        }),
      );
      expect((innerError as Error).message).toBe('inner failure');
      const kept = await transaction.transaction(async (inner) => {
        await inner.query(`INSERT INTO ${table} VALUES (3, 'inner kept')`);
        return inner.transaction(async (deepest) => {
          await deepest.query(`INSERT INTO ${table} VALUES (4, 'deepest')`);
          return 'deepest done';
        });
      });
      expect(kept).toBe('deepest done');
    });
    const { rows } = await executor.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`);
    expect(rows.map((row) => row.id)).toEqual([1, 3, 4]);
  });

  it('refuses overlapping nested transactions on one executor, and use after the transaction ended', async () => {
    let leaked: SqlExecutor | undefined;
    const overlap = await sqlRejection(
      executor.transaction(async (transaction) => {
        leaked = transaction;
        let release: () => void = () => {};
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        const first = transaction.transaction(() => released);
        const secondError = await rejection(transaction.transaction(async () => 'never'));
        release();
        await first;
        throw secondError;
      }),
    );
    expect(overlap.code).toBe('SQL_QUERY_FAILED');
    expect(overlap.details?.reason).toBe('nested-transaction-overlap');

    const afterEnd = await sqlRejection((leaked as SqlExecutor).query('SELECT 1'));
    expect(afterEnd.details?.reason).toBe('transaction-ended');
  });

  it('maps a unique violation without putting the values in the message', async () => {
    const table = await createTable('id int PRIMARY KEY, email text UNIQUE');
    const email = 'citizen.secret@example.gov';
    await executor.query(`INSERT INTO ${table} VALUES ($1, $2)`, [1, email]);
    const error = await sqlRejection(
      executor.query(`INSERT INTO ${table} VALUES ($1, $2)`, [2, email]),
    );
    expect(error.code).toBe('SQL_UNIQUE_VIOLATION');
    expect(error.isRetryable).toBe(false);
    expect(error.details).toMatchObject({
      sqlState: '23505',
      table,
      constraint: `${table}_email_key`,
    });
    expect(error.message).not.toContain(email);
    expect(JSON.stringify(error)).not.toContain(email);
    // The cause is kept, sanitised: the SQLSTATE and object names, never the
    // detail ("Key (email)=(...) already exists"), the bound values or the query.
    expect(error.cause).toMatchObject({ code: '23505', constraint: `${table}_email_key` });
    const chain: unknown[] = [];
    for (let link: unknown = error; link !== undefined; link = (link as Error).cause) {
      chain.push(link);
    }
    expect(chain.length).toBeGreaterThan(1);
    for (const link of chain) {
      const everything = [
        JSON.stringify(link),
        JSON.stringify(link, Object.getOwnPropertyNames(link as object)),
        inspect(link, { depth: 10, showHidden: true }),
        String((link as Error).stack),
      ].join('\n');
      expect(everything).not.toContain(email);
      expect(everything).not.toContain('already exists');
    }
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(email);
  });

  it('maps other failures to SQL_QUERY_FAILED, naming the SQL problem but never a value', async () => {
    const badValue = 'not-a-number-NI-123456';
    const invalid = await sqlRejection(executor.query('SELECT $1::int AS value', [badValue]));
    expect(invalid.code).toBe('SQL_QUERY_FAILED');
    expect(invalid.details).toMatchObject({
      sqlState: '22P02',
      condition: 'invalid_text_representation',
    });
    expect(invalid.message).not.toContain(badValue);

    const missing = await sqlRejection(
      executor.query('SELECT * FROM no_such_table WHERE id = $1', [1]),
    );
    expect(missing.code).toBe('SQL_QUERY_FAILED');
    expect(missing.details?.sqlState).toBe('42P01');
    expect(missing.message).toContain('no_such_table');
  });
});
