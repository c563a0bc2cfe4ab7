import type { LocalizedText } from '@civicblocks/core';
import type { QuestionComponent } from '../definition/form-definition.js';
import { type FieldErrorCode, fieldMessage, fillMessage } from '../i18n/form-messages.js';

/**
 * A citizen's validation error: data, not an exception. `field` is the
 * answer id, `href` the fragment of the input to focus (the error summary
 * links to it), `inputs` the ids of the inputs to highlight, `message` the
 * text in both languages.
 *
 * @example
 * ```ts
 * const error: FieldError = {
 *   field: 'dateOfBirth', href: '#dateOfBirth-day', inputs: ['dateOfBirth-day'],
 *   code: 'dateNotPast', message: { vi: 'Ngày sinh phải là một ngày trong quá khứ', en: 'Date of birth must be in the past' },
 * };
 * ```
 */
export interface FieldError {
  readonly field: string;
  readonly href: string;
  readonly inputs: readonly string[];
  readonly code: FieldErrorCode;
  readonly message: LocalizedText;
}

/**
 * Values for message placeholders: plain, or different per language.
 *
 * @example
 * ```ts
 * const values: MessageValues = { max: 100, date: { vi: 'ngày 1 tháng 1 năm 2000', en: '1 January 2000' } };
 * ```
 */
export type MessageValues = Readonly<Record<string, string | number | LocalizedText>>;

function lowerFirst(text: string): string {
  if (
    text.length > 1 &&
    text.charAt(1) === text.charAt(1).toLocaleUpperCase() &&
    /[A-Z]/.test(text.charAt(1))
  ) {
    return text;
  }
  return text.charAt(0).toLocaleLowerCase() + text.slice(1);
}

function pick(values: MessageValues, locale: 'vi' | 'en'): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(values)) {
    out[key] = typeof value === 'object' ? value[locale] : value;
  }
  return out;
}

/**
 * Makes a {@link FieldError} for a question: the catalogue message (or the
 * field's own override for that code), filled with the field's name and the
 * given values, in vi and en.
 *
 * @example
 * ```ts
 * const error = makeFieldError(component, 'required');
 * error.message.en; // 'Enter full name'
 * ```
 */
export function makeFieldError(
  component: QuestionComponent,
  code: FieldErrorCode,
  options: {
    readonly input?: string;
    readonly inputs?: readonly string[];
    readonly values?: MessageValues;
  } = {},
): FieldError {
  const name = component.name ?? {
    vi: lowerFirst(component.label.vi),
    en: lowerFirst(component.label.en),
  };
  const values = options.values ?? {};
  const inputs = options.inputs ?? [options.input ?? component.id];
  const override = component.messages?.[code];
  const message = (locale: 'vi' | 'en'): string => {
    const referredTo = name[locale].replace(/[?:]$/, '');
    const filled = {
      name: referredTo,
      Name: referredTo.charAt(0).toLocaleUpperCase() + referredTo.slice(1),
      ...pick(values, locale),
    };
    return override === undefined
      ? fieldMessage(locale, code, filled)
      : fillMessage(override[locale], filled);
  };
  return {
    field: component.id,
    href: `#${inputs[0] ?? component.id}`,
    inputs,
    code,
    message: { vi: message('vi'), en: message('en') },
  };
}
