import { createHash } from 'node:crypto';
import {
  createIdempotencyStore,
  idempotencyKeysTable,
  type SqlExecutor,
  withTransactionRetry,
} from '@civicblocks/core';
import { withFormsTables } from './missing-migrations.js';

/** The outcome of a submission: its reference, and whether it was recorded by an earlier submit. */
export interface RecordedSubmission {
  readonly reference: string | undefined;
  readonly replayed: boolean;
}

/**
 * Makes one form's submissions happen once per submission key. `submit`
 * runs `work` for the first submit of a key and gives every later (or
 * concurrent) submit of that key the first one's reference.
 */
export interface SubmissionLedger {
  submit(
    key: string,
    work: (transaction: SqlExecutor | undefined) => Promise<{ readonly reference?: string }>,
  ): Promise<RecordedSubmission>;
  /** The reference of a key already submitted, or `undefined` when it was not. */
  find(key: string): Promise<RecordedSubmission | undefined>;
}

const keyHash = (key: string): string =>
  createHash('sha256').update(key, 'utf8').digest('base64url');

/** Thrown inside a lookup's work so that nothing is stored: the key was never submitted. */
class NotSubmitted extends Error {}

/**
 * The SQL ledger, on core's idempotency store (scope `forms:<form id>`, key
 * the SHA-256 of the submission key, request the form id): `work` runs once
 * per key, in the transaction that stores its reference, so the key, the
 * service's own rows and the reference commit together or not at all.
 * Concurrent submits of one key wait on the store's lock and get the first
 * one's reference; if the first rolled back, the next runs `work` itself.
 * Everything runs under core's `withTransactionRetry`, so a serialization
 * failure or a lost connection is retried; a retry after a commit finds
 * the stored reference. Needs `coreMigrations` ('core-idempotency').
 */
export function createSqlSubmissionLedger(
  executor: SqlExecutor,
  formId: string,
  keepSeconds: number,
  clock: { now(): Date },
): SubmissionLedger {
  const store = createIdempotencyStore(executor, { clock });
  const input = (key: string) => ({
    scope: `forms:${formId}`.slice(0, 200),
    key: keyHash(key),
    request: { form: formId },
    ttlSeconds: Math.max(86_400, Math.ceil(keepSeconds)),
  });
  const run = (
    key: string,
    work: (transaction: SqlExecutor) => Promise<{ readonly reference: string | null }>,
  ) =>
    withFormsTables(idempotencyKeysTable, 'core-idempotency', () =>
      withTransactionRetry(executor, (transaction) => store.run(input(key), work, { transaction })),
    );
  return {
    async find(key) {
      try {
        const { value } = await run(key, async () => {
          throw new NotSubmitted();
        });
        return { reference: value.reference ?? undefined, replayed: true };
      } catch (error) {
        if (error instanceof NotSubmitted) return undefined;
        throw error;
      }
    },
    async submit(key, work) {
      const { value, replayed } = await run(key, async (transaction) => {
        const outcome = await work(transaction);
        return { reference: outcome.reference ?? null };
      });
      return { reference: value.reference ?? undefined, replayed };
    },
  };
}

/**
 * The in-process ledger of a handler without an executor: concurrent and
 * repeated submits of one key in this process share the first one's outcome
 * (kept for `keepSeconds`, at most 10,000 keys). It does not survive a
 * restart and is not shared between processes.
 */
export function createMemorySubmissionLedger(
  keepSeconds: number,
  now: () => Date,
): SubmissionLedger {
  const outcomes = new Map<string, { promise: Promise<RecordedSubmission>; until: number }>();
  const prune = (): void => {
    const time = now().getTime();
    for (const [key, entry] of outcomes) if (entry.until <= time) outcomes.delete(key);
    while (outcomes.size >= 10_000) {
      const oldest = outcomes.keys().next().value;
      if (oldest === undefined) break;
      outcomes.delete(oldest);
    }
  };
  return {
    async find(key) {
      const entry = outcomes.get(key);
      if (entry === undefined || entry.until <= now().getTime()) return undefined;
      return { ...(await entry.promise), replayed: true };
    },
    async submit(key, work) {
      const entry = outcomes.get(key);
      if (entry !== undefined && entry.until > now().getTime())
        return { ...(await entry.promise), replayed: true };
      prune();
      const promise = work(undefined).then((outcome) => ({
        reference: outcome.reference,
        replayed: false,
      }));
      outcomes.set(key, { promise, until: now().getTime() + keepSeconds * 1000 });
      // A failed submit is not remembered: the next submit tries again.
      promise.catch(() => outcomes.delete(key));
      return promise;
    },
  };
}
