import { createHash } from 'node:crypto';
import { type SqlExecutor, withTransactionRetry } from '@civicblocks/core';
import { withFormsTables } from './missing-migrations.js';
import { formsSubmissionsTable } from './sql-answer-store.js';

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

/**
 * The SQL ledger: the key is claimed (`INSERT … ON CONFLICT DO NOTHING`)
 * first in a transaction, then `work` runs in that transaction and the
 * reference is recorded, so the key, the service's own rows and the
 * reference commit together or not at all. A concurrent submit of the same
 * key waits on the claim; once the first commits it finds the reference,
 * and if the first rolled back it claims the key itself. The transaction
 * runs under core's `withTransactionRetry`, so a serialization failure or a
 * lost connection is retried; a retry after a commit finds the recorded key.
 */
export function createSqlSubmissionLedger(
  executor: SqlExecutor,
  formId: string,
  now: () => Date,
): SubmissionLedger {
  const find = async (
    runner: SqlExecutor,
    hash: string,
  ): Promise<RecordedSubmission | undefined> => {
    const { rows } = await withFormsTables(formsSubmissionsTable, () =>
      runner.query<{ reference: string | null }>(
        `SELECT reference FROM ${formsSubmissionsTable} WHERE form_id = $1 AND key_hash = $2`,
        [formId, hash],
      ),
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { reference: row.reference ?? undefined, replayed: true };
  };
  return {
    find: (key) => find(executor, keyHash(key)),
    async submit(key, work) {
      const hash = keyHash(key);
      const earlier = await find(executor, hash);
      if (earlier !== undefined) return earlier;
      // A serialization failure or a lost connection runs it again: the claim makes that safe.
      return withTransactionRetry(executor, async (transaction) => {
        const claim = await withFormsTables(formsSubmissionsTable, () =>
          transaction.query(
            `INSERT INTO ${formsSubmissionsTable} (form_id, key_hash, submitted_at) VALUES ($1, $2, $3)
             ON CONFLICT (form_id, key_hash) DO NOTHING`,
            [formId, hash, now()],
          ),
        );
        if (claim.rowCount === 0) {
          const recorded = await find(transaction, hash);
          if (recorded !== undefined) return recorded;
        }
        const outcome = await work(transaction);
        await transaction.query(
          `UPDATE ${formsSubmissionsTable} SET reference = $3 WHERE form_id = $1 AND key_hash = $2`,
          [formId, hash, outcome.reference ?? null],
        );
        return { reference: outcome.reference, replayed: false };
      });
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
