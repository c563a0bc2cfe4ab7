import { randomInt } from 'node:crypto';
import {
  type Clock,
  createAuditChain,
  createUuidv7Generator,
  executorFor,
  SqlError,
  type SqlExecutor,
  type SqlWriteOptions,
} from '@civicblocks/core';
import type { FormAnswers } from '@civicblocks/forms';
import { applicationsTable } from './database.js';
import type { Session } from './sessions.js';

/** The audit chain every submission is recorded in. */
export const auditChainName = 'permit-service';

/** The audit entry type of a submission. */
export const applicationSubmitted = 'permit-application-submitted';

// Crockford's base 32 without I, L, O and U: easy to read out over the phone.
const referenceAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A reference such as `BHR-7KQ2-M9XD` (street vending: "bán hàng rong"). */
export function createReference(): string {
  const part = (): string =>
    Array.from({ length: 4 }, () => referenceAlphabet[randomInt(referenceAlphabet.length)]).join(
      '',
    );
  return `BHR-${part()}-${part()}`;
}

/** A submitted application as the confirmation page needs it. */
export interface SubmittedApplication {
  readonly id: string;
  readonly reference: string;
  readonly submittedAt: Date;
}

/** Stores applications and records each in the audit chain. */
export interface ApplicationStore {
  /**
   * Stores the application of the signed-in applicant and appends an audit
   * entry holding only the application's id and reference, in one
   * transaction: both are written or neither. With `options.transaction`
   * (the form handler's, which also records the submission key) they join it.
   */
  submit(
    session: Session,
    form: { readonly id: string; readonly version: string },
    answers: FormAnswers,
    options?: SqlWriteOptions,
  ): Promise<SubmittedApplication>;
  /** The applicant's application with this reference, if it is theirs. */
  find(session: Session, reference: string): Promise<SubmittedApplication | undefined>;
  /** The applicant's most recent application, if they have one. */
  latest(session: Session): Promise<SubmittedApplication | undefined>;
}

/**
 * Creates the application store on `executor` (core's, forms' and the
 * service's migrations applied).
 *
 * @example
 * ```ts
 * const applications = createApplicationStore(executor, { clock: systemClock });
 * const { reference } = await applications.submit(session, form.definition, answers, { transaction });
 * ```
 */
export function createApplicationStore(
  executor: SqlExecutor,
  options: { readonly clock: Clock },
): ApplicationStore {
  const { clock } = options;
  const ids = createUuidv7Generator(clock);
  return {
    async submit(session, form, answers, options = {}) {
      const write = async (transaction: SqlExecutor, application: SubmittedApplication) => {
        await transaction.query(
          `INSERT INTO ${applicationsTable}
             (id, reference, issuer, subject, applicant_name, form_id, form_version, answers, submitted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
          [
            application.id,
            application.reference,
            session.issuer,
            session.subject,
            session.fullName,
            form.id,
            form.version,
            JSON.stringify(answers),
            application.submittedAt,
          ],
        );
        await createAuditChain(transaction, { chain: auditChainName, clock }).append({
          type: applicationSubmitted,
          payload: { applicationId: application.id, reference: application.reference },
        });
      };
      const draw = (): SubmittedApplication => ({
        id: ids.next(),
        reference: createReference(),
        submittedAt: clock.now(),
      });
      // Inside the caller's transaction: one try (a reference clash, vanishingly rare, fails the
      // whole submission, which the citizen sends again).
      if (options.transaction !== undefined) {
        const application = draw();
        await write(executorFor(executor, options), application);
        return application;
      }
      // A clash of references is vanishingly rare; the unique index catches it and we draw again.
      for (let attempt = 1; ; attempt += 1) {
        const application = draw();
        try {
          await executor.transaction((transaction) => write(transaction, application));
          return application;
        } catch (error) {
          if (attempt < 3 && SqlError.isInstance(error) && error.code === 'SQL_UNIQUE_VIOLATION')
            continue;
          throw error;
        }
      }
    },
    async find(session, reference) {
      const { rows } = await executor.query<{ id: string; reference: string; submitted_at: Date }>(
        `SELECT id, reference, submitted_at FROM ${applicationsTable}
         WHERE reference = $1 AND issuer = $2 AND subject = $3`,
        [reference, session.issuer, session.subject],
      );
      const row = rows[0];
      return row === undefined
        ? undefined
        : { id: row.id, reference: row.reference, submittedAt: row.submitted_at };
    },
    async latest(session) {
      const { rows } = await executor.query<{ id: string; reference: string; submitted_at: Date }>(
        `SELECT id, reference, submitted_at FROM ${applicationsTable}
         WHERE issuer = $1 AND subject = $2 ORDER BY submitted_at DESC, id DESC LIMIT 1`,
        [session.issuer, session.subject],
      );
      const row = rows[0];
      return row === undefined
        ? undefined
        : { id: row.id, reference: row.reference, submittedAt: row.submitted_at };
    },
  };
}
