import type { LocalizedText } from '@civicblocks/core';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { ChoiceOption, FormLocale, QuestionComponent } from '../definition/form-definition.js';
import { formatIsoDate } from './date-parts.js';

function optionLabel(options: readonly ChoiceOption[], value: unknown, locale: FormLocale): string {
  const option = options.find((candidate) => candidate.value === value);
  return option === undefined ? String(value) : option.label[locale];
}

function addressLines(value: Readonly<Record<string, unknown>>): string[] {
  const keys = [
    'line1',
    'line2',
    'commune',
    'district',
    'town',
    'province',
    'region',
    'postcode',
    'postalCode',
    'country',
  ];
  return keys
    .map((key) => value[key])
    .filter((line): line is string => typeof line === 'string' && line !== '');
}

const yesNoText: Readonly<Record<'yes' | 'no', LocalizedText>> = {
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
};

/**
 * An answer as a citizen reads it on check your answers (plain text; lines
 * separated by `\n`; the renderer escapes it).
 *
 * @example
 * ```ts
 * formatAnswer(dateComponent, '2000-03-05', 'en'); // '5 March 2000'
 * ```
 */
export function formatAnswer(
  component: QuestionComponent,
  value: unknown,
  locale: FormLocale,
): string {
  if (value === undefined || value === null) return '';
  switch (component.type) {
    case 'date':
      return typeof value === 'string' ? formatIsoDate(value, locale) : '';
    case 'phone': {
      const phone = typeof value === 'string' ? parsePhoneNumberFromString(value) : undefined;
      return phone?.formatInternational() ?? String(value);
    }
    case 'yesNo':
      return value === true ? yesNoText.yes[locale] : yesNoText.no[locale];
    case 'radios':
    case 'select':
    case 'autocomplete':
      return optionLabel(component.options, value, locale);
    case 'checkboxes':
      return Array.isArray(value)
        ? value.map((item) => optionLabel(component.options, item, locale)).join('\n')
        : '';
    case 'address':
      return typeof value === 'object'
        ? addressLines(value as Record<string, unknown>).join('\n')
        : '';
    case 'file':
      return Array.isArray(value)
        ? value.map((file) => String((file as { name?: unknown }).name ?? '')).join('\n')
        : '';
    case 'declaration':
      return value === true ? component.label[locale] : '';
    case 'number':
      return typeof value === 'number'
        ? value.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB')
        : '';
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/**
 * A stored answer turned back into input values, to show again in the form
 * when the citizen returns to a page (Back or Change).
 *
 * @example
 * ```ts
 * answerToInputs(dateComponent, '2000-03-05'); // { 'dob-day': '5', 'dob-month': '3', 'dob-year': '2000' }
 * ```
 */
export function answerToInputs(
  component: QuestionComponent,
  value: unknown,
): Record<string, string | string[]> {
  if (value === undefined || value === null) return {};
  const id = component.id;
  switch (component.type) {
    case 'date': {
      if (typeof value !== 'string') return {};
      const [year = '', month = '', day = ''] = value.split('-');
      return {
        [`${id}-day`]: String(Number(day)),
        [`${id}-month`]: String(Number(month)),
        [`${id}-year`]: year,
      };
    }
    case 'yesNo':
      return { [id]: value === true ? 'yes' : 'no' };
    case 'declaration':
      return value === true ? { [id]: 'yes' } : {};
    case 'checkboxes':
      return Array.isArray(value) ? { [id]: value.map(String) } : {};
    case 'address': {
      if (typeof value !== 'object') return {};
      const out: Record<string, string> = {};
      for (const [key, part] of Object.entries(value as Record<string, unknown>)) {
        if (typeof part === 'string' && key !== 'scheme' && key !== 'provinceCode')
          out[`${id}-${key}`] = part;
      }
      return out;
    }
    case 'file':
      return {};
    default:
      return { [id]: String(value) };
  }
}
