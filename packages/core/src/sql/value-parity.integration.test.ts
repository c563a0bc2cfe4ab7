// One parity test: both adapters return identical JS values for every type
// the blocks use (the table on SqlExecutor), read back from a table and
// bound as parameters.
import { describe, expect, it } from 'vitest';
import { testDatabaseTargets, useTestDatabase } from '../testing-support/sql-test-support.js';
import { createPgliteExecutor } from './pglite-executor.js';
import type { SqlExecutor } from './sql-executor.js';

const expected = {
  big: 9007199254740993n,
  bigs: [1n, -9007199254740993n, null, 0n],
  exact: '12345678901234567890.000000000000000001',
  exacts: ['1.50', '-0.000001', null, 'NaN'],
  day: '2025-03-01',
  days: ['2025-03-01', '1999-12-31', null],
  moment: new Date('2025-03-01T09:30:00.123Z'),
  moments: [new Date('2025-03-01T09:30:00.123Z'), null, new Date('1970-01-01T00:00:00.000Z')],
  period: '1 year 2 mons 3 days 04:05:06.789',
  periods: ['1 day', '-00:00:01', null],
  bytes: new Uint8Array([0, 255, 7, 92, 34]),
  document: { purpose: 'benefits', amount: 12.5, nested: [null, true, 'vi: Nguyễn'] },
  identifiers: ['0190c1f2-7d3e-7a8b-9c0d-1e2f3a4b5c6d', '00000000-0000-0000-0000-000000000000'],
  total: '6',
  count: 3n,
  words: ['a', 'b"c', 'd\\e', 'with space', null, 'NULL'],
};

const columns = `big int8, bigs int8[], exact numeric, exacts numeric[], day date, days date[],
  moment timestamptz, moments timestamptz[], period interval, periods interval[], bytes bytea,
  document jsonb, identifiers uuid[], words text[]`;

const insertParameters = [
  expected.big,
  expected.bigs,
  expected.exact,
  expected.exacts,
  expected.day,
  expected.days,
  expected.moment,
  expected.moments,
  expected.period,
  expected.periods,
  expected.bytes,
  JSON.stringify(expected.document),
  expected.identifiers,
  expected.words,
] as const;

function expectParity(row: Record<string, unknown>): void {
  expect(row.big).toBe(expected.big);
  expect(row.bigs).toEqual(expected.bigs);
  expect(row.exact).toBe(expected.exact);
  expect(row.exacts).toEqual(expected.exacts);
  expect(row.day).toBe(expected.day);
  expect(row.days).toEqual(expected.days);
  expect(row.moment).toEqual(expected.moment);
  expect(row.moments).toEqual(expected.moments);
  expect(row.period).toBe(expected.period);
  expect(row.periods).toEqual(expected.periods);
  // A plain Uint8Array on both (not a Node Buffer on pg).
  expect(Object.getPrototypeOf(row.bytes)).toBe(Uint8Array.prototype);
  expect([...(row.bytes as Uint8Array)]).toEqual([...expected.bytes]);
  expect(row.document).toEqual(expected.document);
  expect(row.identifiers).toEqual(expected.identifiers);
  expect(row.words).toEqual(expected.words);
}

const boundSelect = `SELECT $1::int8 AS big, $2::int8[] AS bigs, $3::numeric AS exact, $4::numeric[] AS exacts,
  $5::date AS day, $6::date[] AS days, $7::timestamptz AS moment,
  $8::timestamptz[] AS moments, $9::interval AS period, $10::interval[] AS periods,
  $11::bytea AS bytes, $12::jsonb AS document, $13::uuid[] AS identifiers,
  $14::text[] AS words`;

describe.each(testDatabaseTargets())('value parity on $name', (target) => {
  let executor: SqlExecutor;

  useTestDatabase(target, async (database) => {
    executor = database.executor;
    await executor.query(`CREATE TABLE parity (${columns})`);
    await executor.query(
      `INSERT INTO parity VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14)`,
      [...insertParameters],
    );
  });

  it('reads every type back as the same JS value', async () => {
    const { rows } = await executor.query('SELECT * FROM parity');
    expect(rows).toHaveLength(1);
    expectParity(rows[0] ?? {});
  });

  it('returns the same values for bound parameters, and through a cursor', async () => {
    const { rows } = await executor.query(boundSelect, [...insertParameters]);
    expectParity(rows[0] ?? {});
    const streamed: Record<string, unknown>[] = [];
    for await (const row of executor.stream('SELECT * FROM parity')) streamed.push(row);
    expect(streamed).toHaveLength(1);
    expectParity(streamed[0] ?? {});
  });

  it('returns aggregates as PostgreSQL types them: SUM(int8) numeric, count int8', async () => {
    const { rows } = await executor.query<{ total: unknown; count: unknown; cast: unknown }>(
      'SELECT sum(value) AS total, count(*) AS count, sum(value)::int8 AS cast FROM unnest($1::int8[]) AS value',
      [[1n, 2n, 3n]],
    );
    expect(rows[0]).toEqual({ total: expected.total, count: expected.count, cast: 6n });
  });
});

// An instance the executor starts itself is created with civicblocks' parsers
// (no parser map handed over per query): the same values, outside and inside a
// transaction.
describe('value parity on a PGlite instance the executor starts', () => {
  it('reads, binds, streams and transacts with the same JS values', async () => {
    const owned = createPgliteExecutor();
    try {
      await owned.query(`CREATE TABLE parity (${columns})`);
      await owned.query(
        `INSERT INTO parity VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14)`,
        [...insertParameters],
      );
      expectParity((await owned.query('SELECT * FROM parity')).rows[0] ?? {});
      expectParity((await owned.query(boundSelect, [...insertParameters])).rows[0] ?? {});
      const streamed: Record<string, unknown>[] = [];
      for await (const row of owned.stream('SELECT * FROM parity')) streamed.push(row);
      expectParity(streamed[0] ?? {});
      const inside = await owned.transaction(
        async (transaction) => (await transaction.query('SELECT * FROM parity')).rows[0],
      );
      expectParity(inside ?? {});
    } finally {
      await owned.close();
    }
  });
});
