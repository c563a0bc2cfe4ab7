import { createHash } from 'node:crypto';
import {
  type Clock,
  executorFor,
  type MigrationSet,
  type SqlExecutor,
  type SqlWriteOptions,
  systemClock,
} from '@civicblocks/core';
import { FormsError } from '../errors/forms-error.js';
import type { FormAnswers } from '../validation/compiled-form.js';
import { type AnswerStore, isSessionId, type StoredAnswers } from './answer-store.js';
import { withFormsTables } from './missing-migrations.js';

/**
 * The table {@link createSqlAnswerStore} keeps answers in, created by
 * {@link formsMigrations}.
 *
 * @example
 * ```ts
 * await executor.query(`SELECT count(*) FROM ${formsAnswersTable} WHERE form_id = $1`, ['register-birth']);
 * ```
 */
export const formsAnswersTable = 'civicblocks_forms_answers';

/**
 * The schema `@civicblocks/forms` needs (namespace `'forms'`): the answers
 * table of {@link createSqlAnswerStore}. Run it with core's `migrate()` at
 * start-up (a handler with an `executor` also needs core's
 * `coreMigrations`, for its idempotency keys); without them the handler's
 * `onError` gets `FormsError` `FORMS_MIGRATIONS_MISSING` naming them.
 *
 * @example
 * ```ts
 * import { migrate } from '@civicblocks/core';
 *
 * await migrate(executor, formsMigrations);
 * ```
 */
export const formsMigrations: MigrationSet = Object.freeze({
  namespace: 'forms',
  migrations: Object.freeze([
    Object.freeze({
      version: 1,
      name: 'create forms answers',
      sql: `CREATE TABLE ${formsAnswersTable} (
  session_hash text PRIMARY KEY,
  form_id text NOT NULL,
  form_version text NOT NULL,
  answers jsonb NOT NULL,
  saved_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX ${formsAnswersTable}_expires_at ON ${formsAnswersTable} (expires_at);`,
    }),
  ]),
});

/**
 * Options of {@link createSqlAnswerStore}.
 *
 * @example
 * ```ts
 * const options: SqlAnswerStoreOptions = { clock: { now: () => new Date() } };
 * ```
 */
export interface SqlAnswerStoreOptions {
  /** Decides what has expired and stamps `saved_at` (default core's `systemClock`). */
  readonly clock?: Clock;
}

/**
 * An {@link AnswerStore} with a way to clear out expired rows.
 *
 * @example
 * ```ts
 * const store: SqlAnswerStore = createSqlAnswerStore(executor);
 * const removed = await store.deleteExpired();
 * ```
 */
export interface SqlAnswerStore extends AnswerStore {
  put(
    sessionId: string,
    entry: Parameters<AnswerStore['put']>[1],
    options?: SqlWriteOptions,
  ): Promise<void>;
  delete(sessionId: string, options?: SqlWriteOptions): Promise<void>;
  /** Deletes every expired row; returns how many went. Run it on a schedule. */
  deleteExpired(options?: SqlWriteOptions): Promise<number>;
}

/** Rows are keyed by a hash of the session id, so a copy of the table cannot be replayed as cookies. */
function sessionHash(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('base64url');
}

/**
 * An {@link AnswerStore} on `@civicblocks/core`'s SQL layer (PGlite or
 * PostgreSQL): answers as `jsonb` with the form id and version, keyed by a
 * SHA-256 hash of the session id. Expired rows read as absent. Run
 * {@link formsMigrations} first.
 *
 * @throws {@link FormsError} `FORMS_INVALID_OPTION` from `put` when the
 *   session id was not made by {@link createSessionId}; core's `SqlError`
 *   when the database fails.
 * @example
 * ```ts
 * import { migrate } from '@civicblocks/core';
 * import { createPgliteExecutor } from '@civicblocks/core/pglite';
 *
 * const executor = createPgliteExecutor();
 * await migrate(executor, formsMigrations);
 * const answerStore = createSqlAnswerStore(executor);
 * ```
 */
export function createSqlAnswerStore(
  executor: SqlExecutor,
  options: SqlAnswerStoreOptions = {},
): SqlAnswerStore {
  const clock = options.clock ?? systemClock;
  return {
    async get(sessionId) {
      if (!isSessionId(sessionId)) return undefined;
      const { rows } = await withFormsTables(formsAnswersTable, 'forms', () =>
        executor.query<{
          form_id: string;
          form_version: string;
          answers: unknown;
          saved_at: Date;
          expires_at: Date;
        }>(
          `SELECT form_id, form_version, answers, saved_at, expires_at FROM ${formsAnswersTable}
         WHERE session_hash = $1 AND expires_at > $2`,
          [sessionHash(sessionId), clock.now()],
        ),
      );
      const row = rows[0];
      if (
        row === undefined ||
        typeof row.answers !== 'object' ||
        row.answers === null ||
        Array.isArray(row.answers)
      )
        return undefined;
      const stored: StoredAnswers = {
        formId: row.form_id,
        version: row.form_version,
        answers: row.answers as FormAnswers,
        savedAt: row.saved_at,
        expiresAt: row.expires_at,
      };
      return stored;
    },
    async put(sessionId, entry, options) {
      if (!isSessionId(sessionId)) {
        throw new FormsError(
          'FORMS_INVALID_OPTION',
          'answer store: the session id must come from createSessionId()',
        );
      }
      await withFormsTables(formsAnswersTable, 'forms', () =>
        executorFor(executor, options).query(
          `INSERT INTO ${formsAnswersTable} (session_hash, form_id, form_version, answers, saved_at, expires_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6)
         ON CONFLICT (session_hash) DO UPDATE SET form_id = EXCLUDED.form_id,
           form_version = EXCLUDED.form_version, answers = EXCLUDED.answers,
           saved_at = EXCLUDED.saved_at, expires_at = EXCLUDED.expires_at`,
          [
            sessionHash(sessionId),
            entry.formId,
            entry.version,
            JSON.stringify(entry.answers),
            clock.now(),
            entry.expiresAt,
          ],
        ),
      );
    },
    async delete(sessionId, options) {
      if (!isSessionId(sessionId)) return;
      await withFormsTables(formsAnswersTable, 'forms', () =>
        executorFor(executor, options).query(
          `DELETE FROM ${formsAnswersTable} WHERE session_hash = $1`,
          [sessionHash(sessionId)],
        ),
      );
    },
    async deleteExpired(options) {
      const { rowCount } = await withFormsTables(formsAnswersTable, 'forms', () =>
        executorFor(executor, options).query(
          `DELETE FROM ${formsAnswersTable} WHERE expires_at <= $1`,
          [clock.now()],
        ),
      );
      return rowCount;
    },
  };
}
