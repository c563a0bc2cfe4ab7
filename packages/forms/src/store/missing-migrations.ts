import { FormsError } from '../errors/forms-error.js';

/**
 * Runs a query of the tables forms uses (its own, or core's idempotency
 * keys), turning "relation does not exist" (SQLSTATE 42P01) into a
 * {@link FormsError} `FORMS_MIGRATIONS_MISSING` that says which migrations
 * to run.
 */
export async function withFormsTables<Result>(
  table: string,
  namespace: 'forms' | 'core-idempotency',
  query: () => Promise<Result>,
): Promise<Result> {
  try {
    return await query();
  } catch (error) {
    const details = (error as { details?: { sqlState?: unknown } } | null)?.details;
    if (details?.sqlState === '42P01') {
      const set = namespace === 'forms' ? 'formsMigrations' : 'coreMigrations';
      throw new FormsError(
        'FORMS_MIGRATIONS_MISSING',
        `@civicblocks/forms: table ${table} does not exist; run migrate(executor, ${set}) (from @civicblocks/core) at start-up`,
        { cause: error, details: { migrations: [namespace], table } },
      );
    }
    throw error;
  }
}
