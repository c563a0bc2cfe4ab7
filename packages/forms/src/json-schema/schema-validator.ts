import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type FieldError, makeFieldError } from '../components/field-error.js';
import { FormsError } from '../errors/forms-error.js';

/**
 * Options of {@link createSchemaValidator}.
 *
 * @example
 * ```ts
 * const options: SchemaValidatorOptions = { formats: 'annotate' };
 * ```
 */
export interface SchemaValidatorOptions {
  /**
   * `assert` (default): `format` is checked (email, date, uri, … through
   * ajv-formats), as a service usually wants. `annotate`: `format` is only an
   * annotation, as JSON Schema 2020-12 says by default.
   */
  readonly formats?: 'assert' | 'annotate';
}

/**
 * A validator for any JSON Schema 2020-12 document: ajv's full semantics
 * on the original schema, errors as a citizen reads them.
 *
 * @example
 * ```ts
 * const validator: SchemaValidator = createSchemaValidator({ type: 'integer', minimum: 0 });
 * validator.validate(-1).valid; // false
 * ```
 */
export interface SchemaValidator {
  /** ajv's verdict; on failure one error per place in the data, in vi and en. */
  validate(data: unknown): { readonly valid: boolean; readonly errors: readonly FieldError[] };
  /** ajv's own errors of the last failed `validate` (for logs and tools). */
  readonly ajvErrors: () => readonly ErrorObject[];
}

/** The ajv a schema source validates with: 2020-12, all errors, not strict about unknown keywords. */
export function compileOriginalSchema(
  schema: unknown,
  formats: 'assert' | 'annotate',
): ValidateFunction {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    ...(formats === 'annotate' ? { validateFormats: false } : {}),
  });
  if (formats === 'assert')
    addFormats.default(ajv as unknown as Parameters<typeof addFormats.default>[0]);
  try {
    return ajv.compile(schema as Record<string, unknown> | boolean);
  } catch (error) {
    throw new FormsError('FORMS_INVALID_SCHEMA', 'JSON Schema: ajv could not compile it', {
      cause: error,
    });
  }
}

/** Segments of an ajv error's place in the data, a missing property included. */
export function errorPath(error: ErrorObject): string[] {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  return (error.keyword === 'required' || error.keyword === 'dependentRequired') &&
    typeof missing === 'string'
    ? [...segments, missing]
    : segments;
}

/** A citizen error for an ajv error at a place that is not one of a form's questions. */
export function genericSchemaError(error: ErrorObject): FieldError {
  const path = errorPath(error);
  const pointer = path.map((segment) => `/${segment}`).join('');
  const name =
    path.length === 0 ? { vi: 'câu trả lời', en: 'the answer' } : { vi: pointer, en: pointer };
  const question = { type: 'text', id: pointer || 'answer', label: name, name } as const;
  const limit = (error.params as { limit?: unknown }).limit;
  const values = typeof limit === 'number' ? { min: limit, max: limit } : {};
  const code =
    error.keyword === 'required' || error.keyword === 'dependentRequired'
      ? 'required'
      : error.keyword === 'minLength'
        ? 'tooShort'
        : error.keyword === 'maxLength'
          ? 'tooLong'
          : error.keyword === 'minimum'
            ? 'tooSmall'
            : error.keyword === 'maximum'
              ? 'tooLarge'
              : error.keyword === 'pattern'
                ? 'patternMismatch'
                : error.keyword === 'enum' || error.keyword === 'const'
                  ? 'choiceInvalid'
                  : 'invalid';
  return {
    ...makeFieldError(question, code, { values }),
    field: pointer,
    href: '#main-content',
    inputs: [],
  };
}

/**
 * Makes a validator for any JSON Schema 2020-12 document, with ajv's
 * fidelity: whatever ajv says of the data, it says.
 *
 * @throws {@link FormsError} `FORMS_INVALID_SCHEMA` when ajv cannot compile the schema.
 * @example
 * ```ts
 * const { validate } = createSchemaValidator(agencySchema, { formats: 'assert' });
 * const result = validate(JSON.parse(body));
 * if (!result.valid) console.log(result.errors.map((error) => `${error.field}: ${error.message.en}`));
 * ```
 */
export function createSchemaValidator(
  schema: unknown,
  options: SchemaValidatorOptions = {},
): SchemaValidator {
  const validator = compileOriginalSchema(schema, options.formats ?? 'assert');
  let last: readonly ErrorObject[] = [];
  return {
    validate(data) {
      if (validator(data)) return { valid: true, errors: [] };
      last = validator.errors ?? [];
      const seen = new Set<string>();
      const errors: FieldError[] = [];
      for (const error of last) {
        if (error.keyword === 'if') continue;
        const mapped = genericSchemaError(error);
        if (seen.has(mapped.field)) continue;
        seen.add(mapped.field);
        errors.push(mapped);
      }
      if (errors.length === 0 && last[0] !== undefined) errors.push(genericSchemaError(last[0]));
      return { valid: false, errors };
    },
    ajvErrors: () => last,
  };
}
