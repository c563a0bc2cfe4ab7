import type { FieldError } from '../components/field-error.js';

/**
 * Answers to a form: answer id to typed value (repeaters hold an array of
 * item objects).
 *
 * @example
 * ```ts
 * const answers: FormAnswers = { fullName: 'Nguyễn Văn A', dateOfBirth: '1990-05-01' };
 * ```
 */
export type FormAnswers = Readonly<Record<string, unknown>>;

/**
 * Options of {@link compileForm}.
 *
 * @example
 * ```ts
 * const options: CompileFormOptions = { timeZone: 'Asia/Ho_Chi_Minh' };
 * ```
 */
export interface CompileFormOptions {
  /** Where "today" is for date limits; default `UTC`. */
  readonly timeZone?: string;
  /** The clock (`@civicblocks/core`'s `Clock` fits); default the system clock. */
  readonly clock?: { now(): Date };
  /**
   * A further whole-form check (for example ajv on the original JSON Schema a
   * form was made from). `validate()` runs it after the form's own checks,
   * and each page runs it too, keeping the errors of that page's questions,
   * so a citizen sees them on the page they can fix them on.
   */
  readonly additionalValidation?: (answers: FormAnswers) => readonly FieldError[];
}

/**
 * The outcome of validating answers: the answers, or the errors.
 *
 * @example
 * ```ts
 * const result: ValidationResult = { valid: false, errors: [] };
 * ```
 */
export type ValidationResult<Answers = FormAnswers> =
  | { readonly valid: true; readonly answers: Answers }
  | { readonly valid: false; readonly errors: readonly FieldError[] };

/**
 * The outcome of reading a posted page: the typed values of its visible
 * questions and the errors, in page order.
 *
 * @example
 * ```ts
 * const outcome: PageReading = { values: { fullName: 'Nguyễn Văn A' }, errors: [] };
 * ```
 */
export interface PageReading {
  readonly values: Readonly<Record<string, unknown>>;
  readonly errors: readonly FieldError[];
}
