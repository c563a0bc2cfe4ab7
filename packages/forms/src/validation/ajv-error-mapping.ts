import type { ErrorObject } from 'ajv/dist/2020.js';
import type { FieldError } from '../components/field-error.js';
import { errorFromSchemaKeyword } from '../components/schema-errors.js';
import type { QuestionComponent } from '../definition/form-definition.js';

/**
 * Turns ajv's errors on a form's (or page's) answers into one citizen error
 * per question, in the order ajv reported them.
 */
export function mapAjvErrors(
  errors: readonly ErrorObject[] | null | undefined,
  lookup: (id: string) => QuestionComponent | undefined,
  prefix: string,
): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const segments = error.instancePath.split('/').slice(1);
    let id = segments[0];
    let rest = segments.slice(1);
    if (id === undefined) {
      const missing = (error.params as { missingProperty?: unknown }).missingProperty;
      if (typeof missing !== 'string') continue;
      id = missing;
      rest = [];
    }
    if (seen.has(id)) continue;
    const question = lookup(id);
    if (question === undefined) continue;
    seen.add(id);
    const mapped = errorFromSchemaKeyword(
      question,
      error.keyword,
      error.params as Record<string, unknown>,
      rest.length === 0 ? '' : `/${rest.join('/')}`,
    );
    out.push(prefix === '' ? mapped : { ...mapped, field: `${prefix}${mapped.field}` });
  }
  return out;
}

/** The error for answers that are not an object at all. */
export function rootError(): FieldError {
  return {
    field: '',
    href: '#main-content',
    inputs: [],
    code: 'invalid',
    message: { vi: 'Câu trả lời không hợp lệ', en: 'The answers are not valid' },
  };
}
