import { type FieldError, makeFieldError } from '../components/field-error.js';
import type { RepeaterPage } from '../definition/form-definition.js';
import type { FormAnswers } from './compiled-form.js';

/**
 * A repeater's errors: too few or too many items, then each item's own
 * errors (from `itemErrors`) with `field` like `children.0.name`.
 */
export function repeaterErrors(
  page: RepeaterPage,
  answers: FormAnswers,
  itemErrors: (values: Readonly<Record<string, unknown>>, index: number) => FieldError[],
): FieldError[] {
  const items = Array.isArray(answers[page.id]) ? (answers[page.id] as unknown[]) : [];
  const errors: FieldError[] = [];
  const countQuestion = (count: number) =>
    ({
      type: 'text',
      id: page.id,
      label: page.title,
      name: count === 1 ? page.itemName : (page.itemNamePlural ?? page.itemName),
    }) as const;
  const minItems = page.minItems ?? 0;
  if (items.length < minItems) {
    errors.push(
      makeFieldError(countQuestion(minItems), 'repeaterTooFew', { values: { min: minItems } }),
    );
  }
  if (page.maxItems !== undefined && items.length > page.maxItems) {
    errors.push(
      makeFieldError(countQuestion(page.maxItems), 'repeaterTooMany', {
        values: { max: page.maxItems },
      }),
    );
  }
  items.forEach((item, index) => {
    const values =
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? (item as Record<string, unknown>)
        : {};
    for (const error of itemErrors(values, index)) {
      errors.push({ ...error, field: `${page.id}.${index}.${error.field}` });
    }
  });
  return errors;
}
