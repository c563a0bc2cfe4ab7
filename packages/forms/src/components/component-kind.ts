import type {
  ComponentDefinition,
  ContentComponent,
  QuestionComponent,
} from '../definition/form-definition.js';

/**
 * True for components that ask a question (everything but content blocks).
 *
 * @example
 * ```ts
 * isQuestion({ type: 'paragraph', id: 'intro', text: { vi: '…', en: '…' } }); // false
 * ```
 */
export function isQuestion(component: ComponentDefinition): component is QuestionComponent {
  return (
    component.type !== 'paragraph' &&
    component.type !== 'insetText' &&
    component.type !== 'details' &&
    component.type !== 'warning'
  );
}

/**
 * True for content blocks.
 *
 * @example
 * ```ts
 * isContent({ type: 'warning', id: 'fine', text: { vi: '…', en: '…' } }); // true
 * ```
 */
export function isContent(component: ComponentDefinition): component is ContentComponent {
  return !isQuestion(component);
}

/**
 * The id of the first input of a question: where the error summary and the
 * Change links point.
 *
 * @example
 * ```ts
 * firstInputId({ type: 'date', id: 'dob', label: { vi: 'Ngày sinh', en: 'Date of birth' } }); // 'dob-day'
 * ```
 */
export function firstInputId(component: QuestionComponent): string {
  switch (component.type) {
    case 'date':
      return `${component.id}-day`;
    case 'address':
      return `${component.id}-line1`;
    default:
      return component.id;
  }
}

/**
 * The three input ids of a date question (day, month, year).
 *
 * @example
 * ```ts
 * dateInputs('dob'); // ['dob-day', 'dob-month', 'dob-year']
 * ```
 */
export function dateInputs(id: string): string[] {
  return [`${id}-day`, `${id}-month`, `${id}-year`];
}
