import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { questionSchema } from '../components/question-schema.js';
import type { QuestionComponent } from '../definition/form-definition.js';

/** The JSON Schema dialect every generated schema declares. */
export const schemaDialect = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The ajv instance a compiled form uses: 2020-12, all errors, strict, with
 * the `date` and `email` formats.
 */
export function createFormAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    unicodeRegExp: true,
  });
  addFormats.default(ajv, ['date', 'email']);
  return ajv;
}

/** An object schema of the given questions, closed to other properties. */
export function objectSchema(
  questions: readonly QuestionComponent[],
  required: readonly string[],
): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const question of questions) properties[question.id] = questionSchema(question);
  return { type: 'object', properties, required: [...required], additionalProperties: false };
}
