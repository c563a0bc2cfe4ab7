import { canonicalJson, type JsonValue } from '../audit/canonical-json.js';
import { IdempotencyError } from '../errors/core-errors.js';
import { acquireTransactionLock } from '../sql/advisory-lock.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { executorFor, type SqlWriteOptions } from '../sql/unit-of-work.js';
import { type Clock, systemClock } from '../time/clock.js';
import { idempotencyKeysTable, replayIdsTable } from './idempotency-migrations.js';
import { requestFingerprint } from './request-fingerprint.js';

/**
 * Options of {@link createIdempotencyStore}.
 *
 * @example
 * ```ts
 * const options: IdempotencyStoreOptions = { ttlSeconds: 24 * 60 * 60 };
 * ```
 */
export interface IdempotencyStoreOptions {
  /** Decides expiry (default core's `systemClock`). */
  readonly clock?: Clock;
  /** How long a stored outcome is replayed (default 86400, one day). */
  readonly ttlSeconds?: number;
  /** Delete expired rows every this many calls (default 200; 0 never). */
  readonly pruneEvery?: number;
}

/**
 * What {@link IdempotencyStore.run} is given.
 *
 * @example
 * ```ts
 * const input: IdempotencyRunInput = { scope: 'payments.create', key: idempotencyKeyHeader, request: body };
 * ```
 */
export interface IdempotencyRunInput {
  /** What the key belongs to (`'payments.create'`): keys of two scopes never meet. */
  readonly scope: string;
  /** The caller's idempotency key (an `Idempotency-Key` header, a message id). */
  readonly key: string;
  /** The request, fingerprinted: the same key with another request is a conflict. */
  readonly request: JsonValue;
  /** Overrides the store's `ttlSeconds` for this key. */
  readonly ttlSeconds?: number;
}

/**
 * What {@link IdempotencyStore.consume} is given.
 *
 * @example
 * ```ts
 * const input: ReplayConsumeInput = { scope: 'webhooks', key: webhookId, expiresAt: new Date(Date.now() + 300_000) };
 * ```
 */
export interface ReplayConsumeInput {
  readonly scope: string;
  /** The id to use once (a webhook id, a login state). */
  readonly key: string;
  /** Until when a second use is refused. */
  readonly expiresAt: Date;
}

/**
 * Idempotency keys and replay protection in core's SQL tables (see
 * {@link createIdempotencyStore}).
 *
 * @example
 * ```ts
 * const { value, replayed } = await store.run(
 *   { scope: 'payments.create', key, request: body },
 *   async (transaction) => createPayment(transaction, body),
 * );
 * ```
 */
export interface IdempotencyStore {
  /**
   * Runs `work` once per (scope, key) until the key expires and returns its
   * result; later calls with the same key and request get the stored result
   * with `replayed: true`, without running `work`. Concurrent callers with
   * one key wait for the first (a transaction-level advisory lock) and then
   * get its outcome. `work` runs in a transaction (a savepoint of the
   * caller's when `options.transaction` is given) and its result, which must
   * be JSON, is stored in that same transaction: if `work` throws, nothing
   * is stored and the next call runs it again. Inside a caller's REPEATABLE
   * READ or SERIALIZABLE transaction, losing a race for a new key fails with
   * `SQL_SERIALIZATION_FAILURE` before `work` runs: retry the whole
   * transaction (`withTransactionRetry`), and the retry replays the stored
   * outcome.
   *
   * @throws {@link IdempotencyError} `IDEMPOTENCY_KEY_CONFLICT` when the key
   *   was used with another request; `IDEMPOTENCY_INVALID_INPUT` for an empty
   *   scope or key, a bad ttl or a request that is not JSON;
   *   `IDEMPOTENCY_RESULT_NOT_JSON` when `work`'s result is not JSON (then
   *   nothing of `work` is kept). Whatever `work` throws, unchanged.
   */
  run<Result extends JsonValue>(
    input: IdempotencyRunInput,
    work: (transaction: SqlExecutor) => Promise<Result>,
    options?: SqlWriteOptions,
  ): Promise<{ readonly value: Result; readonly replayed: boolean }>;

  /**
   * Replay protection: true the first time (scope, key) is seen, false for
   * every later use until `expiresAt`, true again after it. One statement,
   * so two processes racing on one key cannot both get true.
   *
   * @throws {@link IdempotencyError} `IDEMPOTENCY_INVALID_INPUT`
   */
  consume(input: ReplayConsumeInput, options?: SqlWriteOptions): Promise<boolean>;
}

const maximumScopeLength = 200;
const maximumKeyLength = 512;

/**
 * Creates the {@link IdempotencyStore} on `executor`: "process this payment
 * request once per Idempotency-Key", "deliver this notification once per
 * message id", "accept this webhook id once". Its tables come with
 * {@link coreMigrations} (namespace `'core-idempotency'`). Keys, requests and
 * results may hold personal data: they stay in the database, never in error
 * messages (only their scope does).
 *
 * @example
 * ```ts
 * import { coreMigrations, createIdempotencyStore, migrate } from '@civicblocks/core';
 *
 * await migrate(executor, coreMigrations);
 * const idempotency = createIdempotencyStore(executor);
 *
 * const { value } = await idempotency.run(
 *   { scope: 'permits.submit', key: request.headers.get('idempotency-key') ?? '', request: body },
 *   async (transaction) => {
 *     const { rows } = await transaction.query<{ id: string }>(
 *       'INSERT INTO permits (applicant) VALUES ($1) RETURNING id',
 *       [body.applicant],
 *     );
 *     return { permitId: rows[0]?.id ?? '' };
 *   },
 * );
 * ```
 */
export function createIdempotencyStore(
  executor: SqlExecutor,
  options: IdempotencyStoreOptions = {},
): IdempotencyStore {
  const clock = options.clock ?? systemClock;
  const defaultTtl = checkedTtl(options.ttlSeconds ?? 86_400, 'options.ttlSeconds');
  const pruneEvery = options.pruneEvery ?? 200;
  let calls = 0;

  const maybePrune = async (on: SqlExecutor, now: Date): Promise<void> => {
    calls += 1;
    if (pruneEvery <= 0 || calls % pruneEvery !== 0) return;
    await on.query(`DELETE FROM ${idempotencyKeysTable} WHERE expires_at <= $1`, [now]);
    await on.query(`DELETE FROM ${replayIdsTable} WHERE expires_at <= $1`, [now]);
  };

  return {
    async run<Result extends JsonValue>(
      input: IdempotencyRunInput,
      work: (transaction: SqlExecutor) => Promise<Result>,
      writeOptions?: SqlWriteOptions,
    ): Promise<{ readonly value: Result; readonly replayed: boolean }> {
      const { scope, key } = checkedScopeAndKey(input);
      const ttl =
        input.ttlSeconds === undefined ? defaultTtl : checkedTtl(input.ttlSeconds, 'ttlSeconds');
      let fingerprint: string;
      try {
        fingerprint = requestFingerprint(input.request);
      } catch (error) {
        throw new IdempotencyError('IDEMPOTENCY_INVALID_INPUT', 'the request is not JSON', {
          cause: error,
          details: { scope, field: 'request' },
        });
      }
      const on = executorFor(executor, writeOptions);
      return on.transaction(async (transaction) => {
        // One caller per key at a time; the others wait here for its commit.
        await acquireTransactionLock(
          transaction,
          `civicblocks.idempotency:${scope.length}:${scope}/${key}`,
        );
        const now = clock.now();
        const { rows } = await transaction.query<{ fingerprint: string; outcome: JsonValue }>(
          `SELECT fingerprint, outcome FROM ${idempotencyKeysTable} WHERE scope = $1 AND key = $2 AND expires_at > $3`,
          [scope, key, now],
        );
        const stored = rows[0];
        if (stored !== undefined) {
          if (stored.fingerprint !== fingerprint) throw keyConflict(scope);
          return { value: stored.outcome as Result, replayed: true };
        }
        // Claim the key before the work: inside a caller's REPEATABLE READ or
        // SERIALIZABLE transaction whose snapshot cannot see a concurrent
        // winner's row, this fails (40001) before the work runs.
        await transaction.query(
          `INSERT INTO ${idempotencyKeysTable} AS stored (scope, key, fingerprint, outcome, created_at, expires_at)
           VALUES ($1, $2, $3, 'null'::jsonb, $4, $5)
           ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
             outcome = EXCLUDED.outcome, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
          [scope, key, fingerprint, now, new Date(now.getTime() + ttl * 1000)],
        );
        const result = await work(transaction);
        let outcome: string;
        try {
          outcome = canonicalJson(result);
        } catch (error) {
          throw new IdempotencyError(
            'IDEMPOTENCY_RESULT_NOT_JSON',
            'the work of an idempotency key must return JSON; nothing of it was kept',
            { cause: error, details: { scope } },
          );
        }
        await transaction.query(
          `UPDATE ${idempotencyKeysTable} SET outcome = $3::jsonb WHERE scope = $1 AND key = $2`,
          [scope, key, outcome],
        );
        await maybePrune(transaction, now);
        return { value: JSON.parse(outcome) as Result, replayed: false };
      });
    },

    async consume(input: ReplayConsumeInput, writeOptions?: SqlWriteOptions): Promise<boolean> {
      const { scope, key } = checkedScopeAndKey(input);
      if (!(input.expiresAt instanceof Date) || Number.isNaN(input.expiresAt.getTime())) {
        throw new IdempotencyError('IDEMPOTENCY_INVALID_INPUT', 'expiresAt must be a valid Date', {
          details: { scope, field: 'expiresAt' },
        });
      }
      const on = executorFor(executor, writeOptions);
      const now = clock.now();
      await maybePrune(on, now);
      const { rows } = await on.query(
        `INSERT INTO ${replayIdsTable} AS used (scope, key, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (scope, key) DO UPDATE SET expires_at = EXCLUDED.expires_at
         WHERE used.expires_at <= $4
         RETURNING key`,
        [scope, key, input.expiresAt, now],
      );
      return rows.length === 1;
    },
  };
}

function keyConflict(scope: string): IdempotencyError {
  return new IdempotencyError(
    'IDEMPOTENCY_KEY_CONFLICT',
    'this idempotency key was already used with a different request',
    {
      details: { scope },
      userMessage: {
        vi: 'Yêu cầu này trùng mã với một yêu cầu khác đã gửi trước đó. Vui lòng tạo yêu cầu mới.',
        en: 'This request reuses the key of a different request sent earlier. Please start a new request.',
      },
    },
  );
}

function checkedScopeAndKey(input: { readonly scope: unknown; readonly key: unknown }): {
  scope: string;
  key: string;
} {
  const { scope, key } = input ?? {};
  if (typeof scope !== 'string' || scope === '' || scope.length > maximumScopeLength) {
    throw new IdempotencyError(
      'IDEMPOTENCY_INVALID_INPUT',
      `scope must be a string of 1 to ${maximumScopeLength} characters`,
      { details: { field: 'scope' } },
    );
  }
  if (typeof key !== 'string' || key === '' || key.length > maximumKeyLength) {
    throw new IdempotencyError(
      'IDEMPOTENCY_INVALID_INPUT',
      `key must be a string of 1 to ${maximumKeyLength} characters`,
      { details: { scope, field: 'key' } },
    );
  }
  return { scope, key };
}

function checkedTtl(ttlSeconds: number, argument: string): number {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new IdempotencyError(
      'IDEMPOTENCY_INVALID_INPUT',
      `${argument} must be a whole number of seconds from 1`,
      { details: { field: argument } },
    );
  }
  return ttlSeconds;
}
