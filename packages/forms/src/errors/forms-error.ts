import { CivicError } from '@civicblocks/core';

/**
 * Codes of {@link FormsError}. Each one is a developer mistake (a bad form
 * definition, a bad option, `FORMS_MIGRATIONS_MISSING` when the database
 * lacks the tables of `formsMigrations`) or a refused save-and-resume token —
 * never a citizen's validation error, which is data ({@link FieldError}).
 *
 * @example
 * ```ts
 * const code: FormsErrorCode = 'FORMS_INVALID_DEFINITION';
 * ```
 */
export type FormsErrorCode =
  | 'FORMS_INVALID_DEFINITION'
  | 'FORMS_INVALID_CONDITION'
  | 'FORMS_INVALID_SCHEMA'
  | 'FORMS_UNKNOWN_PAGE'
  | 'FORMS_INVALID_OPTION'
  | 'FORMS_INVALID_TOKEN'
  | 'FORMS_TOKEN_EXPIRED'
  | 'FORMS_MIGRATIONS_MISSING';

/**
 * An error thrown by `@civicblocks/forms`: a form definition that cannot be
 * used (the `details` say where), a condition that does not parse, or a
 * save-and-resume token that is forged, corrupted or too old. Messages never
 * contain a citizen's answers.
 *
 * @example
 * ```ts
 * try {
 *   compileForm(definition);
 * } catch (error) {
 *   if (FormsError.isInstance(error)) console.error(error.code, error.details?.['path']);
 * }
 * ```
 */
export class FormsError extends CivicError<FormsErrorCode> {
  static override readonly errorName: string = 'FormsError';
  declare readonly name: 'FormsError';
}
