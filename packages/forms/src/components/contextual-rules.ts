import type { DateLimit, QuestionComponent } from '../definition/form-definition.js';
import { dateInputs } from './component-kind.js';
import { formatIsoDate, shiftIsoDate } from './date-parts.js';
import { type FieldError, makeFieldError } from './field-error.js';
import { readVietnamCitizenId } from './national-id.js';

function resolveLimit(limit: DateLimit, today: string): string {
  return typeof limit === 'string' ? limit : shiftIsoDate(today, limit);
}

/**
 * Checks that JSON Schema cannot express because they depend on the clock
 * or on another answer: date limits relative to today, and a citizen ID's
 * birth year against today and against the date of birth answer.
 *
 * @example
 * ```ts
 * contextualErrors(dateComponent, '2030-01-01', { today: '2026-11-23', answers: {} }); // [dateNotPast error]
 * ```
 */
export function contextualErrors(
  component: QuestionComponent,
  value: unknown,
  context: { readonly today: string; readonly answers: Readonly<Record<string, unknown>> },
): FieldError[] {
  if (component.type === 'date' && typeof value === 'string') {
    const inputs = dateInputs(component.id);
    if (component.past === true && value >= context.today)
      return [makeFieldError(component, 'dateNotPast', { inputs })];
    if (component.future === true && value <= context.today)
      return [makeFieldError(component, 'dateNotFuture', { inputs })];
    if (component.earliest !== undefined) {
      const earliest = resolveLimit(component.earliest, context.today);
      if (value < earliest) {
        return [
          makeFieldError(component, 'dateTooEarly', {
            inputs,
            values: {
              date: { vi: formatIsoDate(earliest, 'vi'), en: formatIsoDate(earliest, 'en') },
            },
          }),
        ];
      }
    }
    if (component.latest !== undefined) {
      const latest = resolveLimit(component.latest, context.today);
      if (value > latest) {
        return [
          makeFieldError(component, 'dateTooLate', {
            inputs,
            values: { date: { vi: formatIsoDate(latest, 'vi'), en: formatIsoDate(latest, 'en') } },
          }),
        ];
      }
    }
  }
  if (
    component.type === 'nationalId' &&
    typeof value === 'string' &&
    value.length === 12 &&
    /^[0-9]+$/.test(value)
  ) {
    const currentYear = Number(context.today.slice(0, 4));
    const reading = readVietnamCitizenId(value, currentYear);
    if (!reading.valid) {
      return [
        makeFieldError(
          component,
          reading.reason === 'birthYearFuture'
            ? 'vnCitizenIdBirthYearFuture'
            : reading.reason === 'province'
              ? 'vnCitizenIdProvince'
              : 'vnCitizenIdLength',
        ),
      ];
    }
    if (component.dateOfBirthField !== undefined) {
      const dateOfBirth = context.answers[component.dateOfBirthField];
      if (
        typeof dateOfBirth === 'string' &&
        /^[0-9]{4}-/.test(dateOfBirth) &&
        Number(dateOfBirth.slice(0, 4)) !== reading.birthYear
      ) {
        return [makeFieldError(component, 'vnCitizenIdDateOfBirthMismatch')];
      }
    }
  }
  return [];
}

/**
 * True when a question needs {@link contextualErrors} (so validation can skip
 * the rest quickly).
 *
 * @example
 * ```ts
 * hasContextualRules({ type: 'date', id: 'dob', label: { vi: 'Ngày sinh', en: 'Date of birth' }, past: true }); // true
 * ```
 */
export function hasContextualRules(component: QuestionComponent): boolean {
  if (component.type === 'date') {
    return (
      component.past === true ||
      component.future === true ||
      component.earliest !== undefined ||
      component.latest !== undefined
    );
  }
  return component.type === 'nationalId' && component.schemes.includes('vn-citizen-id');
}
