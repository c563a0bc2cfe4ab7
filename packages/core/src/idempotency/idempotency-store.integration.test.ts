// core's idempotency and replay store on PGlite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { IdempotencyError, type SqlError } from '../errors/core-errors.js';
import { migrate } from '../sql/migrations.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { withTransactionRetry } from '../sql/transaction-retry.js';
import {
  rejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import { createManualClock } from '../time/clock.js';
import { idempotencyKeysTable, idempotencyMigrations } from './idempotency-migrations.js';
import { createIdempotencyStore } from './idempotency-store.js';
import { requestFingerprint } from './request-fingerprint.js';

describe.each(testDatabaseTargets())('idempotency store on $name', (target) => {
  let executor: SqlExecutor;
  let others: SqlExecutor[];

  useTestDatabase(target, async (database) => {
    executor = database.executor;
    others = [await database.createExecutor(), await database.createExecutor()];
    await migrate(executor, [idempotencyMigrations]);
    await executor.query(
      'CREATE TABLE idem_payments (id serial PRIMARY KEY, amount int8 NOT NULL)',
    );
  });

  async function payments(): Promise<number> {
    const { rows } = await executor.query<{ count: bigint }>(
      'SELECT count(*) AS count FROM idem_payments',
    );
    return Number(rows[0]?.count);
  }

  const createPayment = async (transaction: SqlExecutor, amount: bigint) => {
    const { rows } = await transaction.query<{ id: number }>(
      'INSERT INTO idem_payments (amount) VALUES ($1) RETURNING id',
      [amount],
    );
    // Yield between the write and the commit, so racing callers really overlap.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { paymentId: rows[0]?.id ?? 0, amount: amount.toString() };
  };

  it('runs the work once for 10 concurrent uses of one key, from several executors', async () => {
    const stores = [executor, ...others].map((each) => createIdempotencyStore(each));
    let runs = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (stores[index % stores.length] ?? stores[0])?.run(
          {
            scope: 'payments.create',
            key: 'key-concurrent',
            request: { amount: 1200, currency: 'VND' },
          },
          async (transaction) => {
            runs += 1;
            return createPayment(transaction, 1200n);
          },
        ),
      ),
    );
    expect(runs).toBe(1);
    expect(await payments()).toBe(1);
    const values = outcomes.map((outcome) => outcome?.value);
    expect(new Set(values.map((value) => JSON.stringify(value))).size).toBe(1);
    expect(outcomes.filter((outcome) => outcome?.replayed === false)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome?.replayed === true)).toHaveLength(9);
  });

  it('refuses the same key with another request as a typed conflict, the same request in another key order not', async () => {
    const store = createIdempotencyStore(executor);
    const input = {
      scope: 'payments.create',
      key: 'key-conflict',
      request: { amount: 5, to: 'a' },
    };
    const first = await store.run(input, async (transaction) => createPayment(transaction, 5n));
    const again = await store.run({ ...input, request: { to: 'a', amount: 5 } }, async () => ({
      paymentId: -1,
      amount: 'never',
    }));
    expect(again).toEqual({ value: first.value, replayed: true });
    const conflict = await rejection(
      store.run({ ...input, request: { amount: 6, to: 'a' } }, async () => ({
        paymentId: -1,
        amount: '',
      })),
    );
    expect(IdempotencyError.isInstance(conflict)).toBe(true);
    expect((conflict as IdempotencyError).code).toBe('IDEMPOTENCY_KEY_CONFLICT');
    expect((conflict as IdempotencyError).userMessage?.vi).toBeTruthy();
    expect(JSON.stringify(conflict)).not.toContain('key-conflict');
    // Another scope is another key.
    const otherScope = await store.run(
      { ...input, scope: 'refunds.create', request: { amount: 6 } },
      async () => 'refund',
    );
    expect(otherScope).toEqual({ value: 'refund', replayed: false });
  });

  it('stores nothing when the work fails, so the next call runs it', async () => {
    const store = createIdempotencyStore(executor);
    const input = { scope: 'payments.create', key: 'key-failing', request: { amount: 7 } };
    const before = await payments();
    const failure = new Error('provider unavailable');
    expect(
      await rejection(
        store.run(input, async (transaction) => {
          await createPayment(transaction, 7n);
          throw failure;
        }),
      ),
    ).toBe(failure);
    expect(await payments()).toBe(before);
    const notJson = await rejection(
      store.run(input, async (transaction) => {
        await createPayment(transaction, 7n);
        return { at: new Date() } as never;
      }),
    );
    expect((notJson as IdempotencyError).code).toBe('IDEMPOTENCY_RESULT_NOT_JSON');
    expect(await payments()).toBe(before);
    const ran = await store.run(input, async () => 'second try');
    expect(ran).toEqual({ value: 'second try', replayed: false });
  });

  it('lets a caller waiting on the key run the work when the first attempt fails', async () => {
    const stores = [executor, ...others].map((each) => createIdempotencyStore(each));
    const input = { scope: 'payments.create', key: 'key-first-fails', request: { amount: 11 } };
    const before = await payments();
    let firstStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    const failure = new Error('provider unavailable');
    const ran: string[] = [];
    const first = stores[0]?.run(input, async (transaction) => {
      ran.push('first');
      await createPayment(transaction, 11n);
      firstStarted();
      // The waiters below queue on the key while this attempt is still open.
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw failure;
    });
    await started;
    const waiters = [stores[1], stores[2]].map((store, index) =>
      store?.run(input, async (transaction) => {
        ran.push(`waiter ${index}`);
        return createPayment(transaction, 11n);
      }),
    );
    expect(await rejection(first ?? Promise.resolve())).toBe(failure);
    const outcomes = await Promise.all(waiters);
    expect(ran.filter((name) => name === 'first')).toHaveLength(1);
    expect(ran.filter((name) => name !== 'first')).toHaveLength(1);
    expect(outcomes.map((outcome) => outcome?.replayed).sort()).toEqual([false, true]);
    expect(outcomes[0]?.value).toEqual(outcomes[1]?.value);
    expect(await payments()).toBe(before + 1);
  });

  it("joins the caller's transaction: the key and the work roll back with it", async () => {
    const store = createIdempotencyStore(executor);
    const input = { scope: 'payments.create', key: 'key-unit-of-work', request: { amount: 9 } };
    await rejection(
      executor.transaction(async (transaction) => {
        await store.run(input, async (inner) => createPayment(inner, 9n), { transaction });
        throw new Error('the application row failed');
      }),
    );
    const { rows } = await executor.query(
      `SELECT 1 FROM ${idempotencyKeysTable} WHERE scope = $1 AND key = $2`,
      [input.scope, input.key],
    );
    expect(rows).toEqual([]);
    const committed = await executor.transaction(async (transaction) =>
      store.run(input, async (inner) => createPayment(inner, 9n), { transaction }),
    );
    expect(committed.replayed).toBe(false);
    expect((await store.run(input, async () => ({ paymentId: 0, amount: '' }))).replayed).toBe(
      true,
    );
  });

  it('runs the work again once the key expired', async () => {
    const clock = createManualClock('2026-11-29T10:00:00Z');
    const store = createIdempotencyStore(executor, { clock, ttlSeconds: 60 });
    const input = { scope: 'notifications.send', key: 'message-1', request: { to: 'x' } };
    expect((await store.run(input, async () => 1)).replayed).toBe(false);
    clock.advance(59_000);
    expect(await store.run(input, async () => 2)).toEqual({ value: 1, replayed: true });
    clock.advance(1_000);
    expect(await store.run({ ...input, request: { to: 'changed' } }, async () => 3)).toEqual({
      value: 3,
      replayed: false,
    });
  });

  it('consumes an id once until it expires, with one winner among racing executors', async () => {
    const clock = createManualClock('2026-11-29T10:00:00Z');
    const store = createIdempotencyStore(executor, { clock });
    const expiresAt = new Date('2026-11-29T10:05:00Z');
    expect(await store.consume({ scope: 'webhooks', key: 'evt-1', expiresAt })).toBe(true);
    expect(await store.consume({ scope: 'webhooks', key: 'evt-1', expiresAt })).toBe(false);
    expect(await store.consume({ scope: 'other', key: 'evt-1', expiresAt })).toBe(true);
    clock.advance(5 * 60_000);
    expect(
      await store.consume({
        scope: 'webhooks',
        key: 'evt-1',
        expiresAt: new Date('2026-11-29T10:10:00Z'),
      }),
    ).toBe(true);

    const racing = [executor, ...others].map((each) => createIdempotencyStore(each));
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        racing[index % racing.length]?.consume({
          scope: 'webhooks',
          key: 'evt-race',
          expiresAt: new Date(Date.now() + 600_000),
        }),
      ),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);

    const invalid = await rejection(store.consume({ scope: '', key: 'x', expiresAt }));
    expect((invalid as IdempotencyError).code).toBe('IDEMPOTENCY_INVALID_INPUT');
  });

  if (target.kind === 'postgresql') {
    it('inside repeatable-read transactions, the loser of a race retries and replays', async () => {
      const store = createIdempotencyStore(executor);
      const input = {
        scope: 'payments.create',
        key: 'key-repeatable-read',
        request: { amount: 3 },
      };
      let runs = 0;
      const retried: string[] = [];
      const attempt = (from: SqlExecutor) =>
        withTransactionRetry(
          from,
          async (transaction) => {
            // Take the snapshot first, as a caller's earlier statements would.
            await transaction.query('SELECT 1');
            return store.run(
              input,
              async (inner) => {
                runs += 1;
                return createPayment(inner, 3n);
              },
              { transaction },
            );
          },
          {
            isolation: 'repeatable read',
            onRetry: ({ error }) => retried.push((error as SqlError).code),
          },
        );
      const outcomes = await Promise.all([attempt(executor), attempt(executor)]);
      expect(runs).toBe(1);
      expect(outcomes.map((outcome) => outcome.replayed).sort()).toEqual([false, true]);
      expect(retried).toEqual(['SQL_SERIALIZATION_FAILURE']);
    });
  }

  it('fingerprints canonical JSON', () => {
    expect(requestFingerprint({ a: 1, b: [1, 'x'] })).toBe(
      requestFingerprint({ b: [1, 'x'], a: 1 }),
    );
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: 2 }));
    expect(requestFingerprint('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
