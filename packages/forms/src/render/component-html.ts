import type { LocalizedText } from '@civicblocks/core';
import { escapeHtml } from '@civicblocks/core';
import type { FieldError } from '../components/field-error.js';
import type { PostedForm } from '../components/posted-form.js';
import { currentProvinces, legacyProvinces } from '../components/vietnam-provinces.js';
import type {
  AddressComponent,
  ChoiceOption,
  ContentComponent,
  FormLocale,
  QuestionComponent,
} from '../definition/form-definition.js';
import { type InterfaceTextKey, interfaceText } from '../i18n/form-messages.js';
import { escapeLines } from './escape-html.js';

/**
 * What rendering one question needs: the locale, whether the question is
 * the page heading, the values to show in the inputs and the errors.
 *
 * @example
 * ```ts
 * const context: QuestionRenderContext = { locale: 'vi', isPageHeading: true, inputs: {}, errors: [] };
 * ```
 */
export interface QuestionRenderContext {
  readonly locale: FormLocale;
  readonly isPageHeading: boolean;
  readonly inputs: PostedForm;
  readonly errors: readonly FieldError[];
}

const e = escapeHtml;

function first(value: string | readonly string[] | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : (value[0] ?? '');
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function text(value: LocalizedText, locale: FormLocale): string {
  return value[locale];
}

function errorMessage(id: string, error: FieldError | undefined, locale: FormLocale): string {
  if (error === undefined) return '';
  return `<p id="${e(id)}-error" class="govuk-error-message"><span class="govuk-visually-hidden">${e(interfaceText.errorPrefix[locale])}</span> ${e(error.message[locale])}</p>`;
}

function hintHtml(id: string, hint: LocalizedText | undefined, locale: FormLocale): string {
  return hint === undefined
    ? ''
    : `<div id="${e(id)}-hint" class="govuk-hint">${escapeLines(hint[locale])}</div>`;
}

function describedBy(id: string, hint: boolean, error: boolean): string {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter((part) => part !== '');
  return ids.length === 0 ? '' : ` aria-describedby="${e(ids.join(' '))}"`;
}

function labelText(component: QuestionComponent, locale: FormLocale): string {
  const optional = component.optional === true ? ` ${interfaceText.optional[locale]}` : '';
  return e(`${component.label[locale]}${optional}`);
}

function label(
  component: QuestionComponent,
  forId: string,
  context: QuestionRenderContext,
): string {
  if (context.isPageHeading) {
    return `<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" for="${e(forId)}">${labelText(component, context.locale)}</label></h1>`;
  }
  return `<label class="govuk-label govuk-label--s" for="${e(forId)}">${labelText(component, context.locale)}</label>`;
}

function fieldset(
  component: QuestionComponent,
  inner: string,
  context: QuestionRenderContext,
  role = '',
): string {
  const id = component.id;
  const error = context.errors.find((candidate) => candidate.field === id);
  const legend = context.isPageHeading
    ? `<legend class="govuk-fieldset__legend govuk-fieldset__legend--l"><h1 class="govuk-fieldset__heading">${labelText(component, context.locale)}</h1></legend>`
    : `<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${labelText(component, context.locale)}</legend>`;
  const hint =
    component.type === 'date' && component.hint === undefined
      ? interfaceText.dateHint
      : component.hint;
  return `<div class="govuk-form-group${error === undefined ? '' : ' govuk-form-group--error'}"><fieldset class="govuk-fieldset"${role}${describedBy(id, hint !== undefined, error !== undefined)}>${legend}${hintHtml(id, hint, context.locale)}${errorMessage(id, error, context.locale)}${inner}</fieldset></div>`;
}

function formGroup(
  component: QuestionComponent,
  control: string,
  forId: string,
  context: QuestionRenderContext,
): string {
  const error = context.errors.find((candidate) => candidate.field === component.id);
  return `<div class="govuk-form-group${error === undefined ? '' : ' govuk-form-group--error'}">${label(component, forId, context)}${hintHtml(component.id, component.hint, context.locale)}${errorMessage(component.id, error, context.locale)}${control}</div>`;
}

function inputAttributes(
  component: QuestionComponent,
  context: QuestionRenderContext,
): { errorClass: string; aria: string } {
  const error = context.errors.find((candidate) => candidate.field === component.id);
  return {
    errorClass: error === undefined ? '' : ' govuk-input--error',
    aria: describedBy(component.id, component.hint !== undefined, error !== undefined),
  };
}

function choiceItems(
  kind: 'radios' | 'checkboxes',
  name: string,
  options: readonly ChoiceOption[],
  selected: readonly string[],
  locale: FormLocale,
): string {
  return options
    .map((option, index) => {
      const id = index === 0 ? name : `${name}-${index + 1}`;
      const hint =
        option.hint === undefined
          ? ''
          : `<div id="${e(id)}-item-hint" class="govuk-hint govuk-${kind}__hint">${e(option.hint[locale])}</div>`;
      const aria = option.hint === undefined ? '' : ` aria-describedby="${e(id)}-item-hint"`;
      return `<div class="govuk-${kind}__item"><input class="govuk-${kind}__input" id="${e(id)}" name="${e(name)}" type="${kind === 'radios' ? 'radio' : 'checkbox'}" value="${e(option.value)}"${selected.includes(option.value) ? ' checked' : ''}${aria}><label class="govuk-label govuk-${kind}__label" for="${e(id)}">${e(option.label[locale])}</label>${hint}</div>`;
    })
    .join('');
}

function dateInputs(component: QuestionComponent, context: QuestionRenderContext): string {
  const id = component.id;
  const error = context.errors.find((candidate) => candidate.field === id);
  const parts: readonly ['day' | 'month' | 'year', number][] = [
    ['day', 2],
    ['month', 2],
    ['year', 4],
  ];
  const autocomplete = component.type === 'date' && component.autocomplete === 'bday';
  const items = parts
    .map(([part, width]) => {
      const inputId = `${id}-${part}`;
      const highlighted = error?.inputs.includes(inputId);
      const auto = autocomplete ? ` autocomplete="bday-${part}"` : '';
      const inputmode = part === 'month' ? '' : ' inputmode="numeric"';
      return `<div class="govuk-date-input__item"><div class="govuk-form-group"><label class="govuk-label govuk-date-input__label" for="${e(inputId)}">${e(interfaceText[part][context.locale])}</label><input class="govuk-input govuk-date-input__input govuk-input--width-${part === 'month' ? 5 : width}${highlighted ? ' govuk-input--error' : ''}" id="${e(inputId)}" name="${e(inputId)}" type="text"${inputmode}${auto} value="${e(first(context.inputs[inputId]))}"></div></div>`;
    })
    .join('');
  return `<div class="govuk-date-input" id="${e(id)}">${items}</div>`;
}

interface AddressFieldLayout {
  /** The input's suffix (`homeAddress-province`) and the key of its posted value. */
  readonly part: string;
  readonly label: InterfaceTextKey;
  readonly autocomplete?: string;
  readonly width?: string;
}

const twoThirds = ' govuk-!-width-two-thirds';
const line1: AddressFieldLayout = {
  part: 'line1',
  label: 'addressLine1',
  autocomplete: 'address-line1',
};
const line2: AddressFieldLayout = {
  part: 'line2',
  label: 'addressLine2',
  autocomplete: 'address-line2',
};
const town: AddressFieldLayout = {
  part: 'town',
  label: 'town',
  autocomplete: 'address-level2',
  width: twoThirds,
};

/** The inputs of each address format, in order. */
const addressLayouts: Readonly<Record<AddressComponent['format'], readonly AddressFieldLayout[]>> =
  {
    vn: [
      line1,
      line2,
      { part: 'commune', label: 'commune', autocomplete: 'address-level3', width: twoThirds },
      { part: 'district', label: 'district', width: twoThirds },
      { part: 'province', label: 'province', autocomplete: 'address-level1', width: twoThirds },
    ],
    uk: [
      line1,
      line2,
      town,
      {
        part: 'postcode',
        label: 'postcode',
        autocomplete: 'postal-code',
        width: ' govuk-input--width-10',
      },
    ],
    international: [
      line1,
      line2,
      town,
      { part: 'region', label: 'region', autocomplete: 'address-level1', width: twoThirds },
      {
        part: 'postalCode',
        label: 'postalCode',
        autocomplete: 'postal-code',
        width: ' govuk-input--width-10',
      },
      { part: 'country', label: 'country', autocomplete: 'country-name', width: twoThirds },
    ],
  };

function addressField(
  component: QuestionComponent,
  field: AddressFieldLayout,
  context: QuestionRenderContext,
): string {
  const inputId = `${component.id}-${field.part}`;
  const error = context.errors.find(
    (candidate) => candidate.field === component.id && candidate.inputs.includes(inputId),
  );
  const errorHtml =
    error === undefined
      ? ''
      : `<p id="${e(inputId)}-error" class="govuk-error-message"><span class="govuk-visually-hidden">${e(interfaceText.errorPrefix[context.locale])}</span> ${e(error.message[context.locale])}</p>`;
  const auto = field.autocomplete === undefined ? '' : ` autocomplete="${e(field.autocomplete)}"`;
  const listAttribute =
    field.part === 'province' ? ` list="${e(`${component.id}-provinces`)}"` : '';
  return `<div class="govuk-form-group${error === undefined ? '' : ' govuk-form-group--error'}"><label class="govuk-label" for="${e(inputId)}">${e(interfaceText[field.label][context.locale])}</label>${errorHtml}<input class="govuk-input${field.width ?? ''}${error === undefined ? '' : ' govuk-input--error'}" id="${e(inputId)}" name="${e(inputId)}" type="text"${auto}${listAttribute}${error === undefined ? '' : ` aria-describedby="${e(inputId)}-error"`} value="${e(first(context.inputs[inputId]))}"></div>`;
}

const provinceOptionsHtml: string = [
  ...new Set([
    ...currentProvinces.map((province) => province.name),
    ...legacyProvinces.map((province) => province.name),
  ]),
]
  .map((name) => `<option value="${escapeHtml(name)}"></option>`)
  .join('');

/**
 * Renders one question as GOV.UK Frontend markup: label or legend (as the
 * page `h1` when it is the only question), hint, error message, and the
 * inputs with `inputmode` and `autocomplete` set. Everything is escaped.
 *
 * @example
 * ```ts
 * renderQuestion(component, { locale: 'en', isPageHeading: true, inputs: {}, errors: [] });
 * ```
 */
export function renderQuestion(
  component: QuestionComponent,
  context: QuestionRenderContext,
): string {
  const id = component.id;
  const locale = context.locale;
  const value = first(context.inputs[id]);
  const { errorClass, aria } = inputAttributes(component, context);
  const input = (type: string, extra: string, widthClass = ''): string =>
    `<input class="govuk-input${widthClass}${errorClass}" id="${e(id)}" name="${e(id)}" type="${type}"${extra}${aria} value="${e(value)}">`;
  switch (component.type) {
    case 'text': {
      const extra = `${component.autocomplete === undefined ? '' : ` autocomplete="${e(component.autocomplete)}"`}${component.inputmode === undefined ? '' : ` inputmode="${e(component.inputmode)}"`}${component.spellcheck === undefined ? '' : ` spellcheck="${component.spellcheck ? 'true' : 'false'}"`}`;
      return formGroup(
        component,
        input(
          'text',
          extra,
          component.width === undefined
            ? ''
            : component.width <= 5
              ? ` govuk-input--width-${component.width}`
              : ` govuk-input--width-${component.width}`,
        ),
        id,
        context,
      );
    }
    case 'fullName':
      return formGroup(
        component,
        input('text', ' autocomplete="name" spellcheck="false"'),
        id,
        context,
      );
    case 'email':
      return formGroup(
        component,
        input('email', ' autocomplete="email" spellcheck="false"'),
        id,
        context,
      );
    case 'phone':
      return formGroup(
        component,
        input('tel', ' autocomplete="tel"', ' govuk-input--width-20'),
        id,
        context,
      );
    case 'number':
      return formGroup(
        component,
        input(
          'text',
          `${component.integer === true ? ' inputmode="numeric"' : ' inputmode="decimal"'}${component.autocomplete === undefined ? '' : ` autocomplete="${e(component.autocomplete)}"`} spellcheck="false"`,
          ' govuk-input--width-10',
        ),
        id,
        context,
      );
    case 'nationalId':
      return formGroup(
        component,
        input(
          'text',
          `${component.schemes.includes('uk-nino') ? '' : ' inputmode="numeric"'} spellcheck="false" autocomplete="off"`,
          ' govuk-input--width-20',
        ),
        id,
        context,
      );
    case 'textarea': {
      const error = context.errors.find((candidate) => candidate.field === id);
      return formGroup(
        component,
        `<textarea class="govuk-textarea${error === undefined ? '' : ' govuk-textarea--error'}" id="${e(id)}" name="${e(id)}" rows="${component.rows ?? 5}"${aria}>${e(value)}</textarea>`,
        id,
        context,
      );
    }
    case 'select': {
      const error = context.errors.find((candidate) => candidate.field === id);
      const options = component.options
        .map(
          (option) =>
            `<option value="${e(option.value)}"${option.value === value ? ' selected' : ''}>${e(option.label[locale])}</option>`,
        )
        .join('');
      return formGroup(
        component,
        `<select class="govuk-select${error === undefined ? '' : ' govuk-select--error'}" id="${e(id)}" name="${e(id)}"${aria}><option value="">${e(interfaceText.selectPlaceholder[locale])}</option>${options}</select>`,
        id,
        context,
      );
    }
    case 'autocomplete': {
      const options = component.options
        .map((option) => `<option value="${e(option.label[locale])}"></option>`)
        .join('');
      const shown =
        component.options.find((option) => option.value === value)?.label[locale] ?? value;
      return formGroup(
        component,
        `<input class="govuk-input${errorClass}" id="${e(id)}" name="${e(id)}" type="text" list="${e(id)}-options" autocomplete="off"${aria} value="${e(shown)}"><datalist id="${e(id)}-options">${options}</datalist>`,
        id,
        context,
      );
    }
    case 'file': {
      const error = context.errors.find((candidate) => candidate.field === id);
      const multiple = (component.maxFiles ?? 1) > 1 ? ' multiple' : '';
      return formGroup(
        component,
        `<input class="govuk-file-upload${error === undefined ? '' : ' govuk-file-upload--error'}" id="${e(id)}" name="${e(id)}" type="file" accept="${e(component.accept.join(','))}"${multiple}${aria}>`,
        id,
        context,
      );
    }
    case 'date':
      return fieldset(component, dateInputs(component, context), context, ' role="group"');
    case 'yesNo':
      return fieldset(
        component,
        `<div class="govuk-radios govuk-radios--inline" data-module="govuk-radios">${choiceItems(
          'radios',
          id,
          [
            { value: 'yes', label: interfaceText.yes },
            { value: 'no', label: interfaceText.no },
          ],
          [value],
          locale,
        )}</div>`,
        context,
      );
    case 'radios':
      return fieldset(
        component,
        `<div class="govuk-radios${component.inline === true ? ' govuk-radios--inline' : ''}" data-module="govuk-radios">${choiceItems('radios', id, component.options, [value], locale)}</div>`,
        context,
      );
    case 'checkboxes':
      return fieldset(
        component,
        `<div class="govuk-checkboxes" data-module="govuk-checkboxes">${choiceItems('checkboxes', id, component.options, list(context.inputs[id]), locale)}</div>`,
        context,
      );
    case 'declaration': {
      const error = context.errors.find((candidate) => candidate.field === id);
      const heading = context.isPageHeading
        ? `<h1 class="govuk-heading-l">${labelText(component, locale)}</h1>`
        : '';
      return `${heading}<p class="govuk-body">${escapeLines(component.text[locale])}</p><div class="govuk-form-group${error === undefined ? '' : ' govuk-form-group--error'}">${errorMessage(id, error, locale)}<div class="govuk-checkboxes" data-module="govuk-checkboxes"><div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="${e(id)}" name="${e(id)}" type="checkbox" value="yes"${value === 'yes' ? ' checked' : ''}${error === undefined ? '' : ` aria-describedby="${e(id)}-error"`}><label class="govuk-label govuk-checkboxes__label" for="${e(id)}">${e(component.label[locale])}</label></div></div></div>`;
    }
    case 'address': {
      const fields = addressLayouts[component.format].map((field) =>
        addressField(component, field, context),
      );
      if (component.format === 'vn')
        fields.push(`<datalist id="${e(id)}-provinces">${provinceOptionsHtml}</datalist>`);
      const legend = context.isPageHeading
        ? `<legend class="govuk-fieldset__legend govuk-fieldset__legend--l"><h1 class="govuk-fieldset__heading">${labelText(component, locale)}</h1></legend>`
        : `<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${labelText(component, locale)}</legend>`;
      return `<fieldset class="govuk-fieldset"${component.hint === undefined ? '' : ` aria-describedby="${e(id)}-hint"`}>${legend}${hintHtml(id, component.hint, locale)}${fields.join('')}</fieldset>`;
    }
  }
}

/**
 * Renders a content block: paragraph, inset text, details or warning text.
 *
 * @example
 * ```ts
 * renderContent({ type: 'insetText', id: 'note', text: { vi: 'Lưu ý', en: 'Note' } }, 'en');
 * ```
 */
export function renderContent(component: ContentComponent, locale: FormLocale): string {
  const body = escapeLines(text(component.text, locale));
  switch (component.type) {
    case 'paragraph':
      return `<p class="govuk-body">${body}</p>`;
    case 'insetText':
      return `<div class="govuk-inset-text">${body}</div>`;
    case 'details':
      return `<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">${e(component.summary?.[locale] ?? '')}</span></summary><div class="govuk-details__text">${body}</div></details>`;
    case 'warning':
      return `<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">${e(interfaceText.warning[locale])}</span>${body}</strong></div>`;
  }
}

/**
 * Renders the error summary: first on the page, a link to each field.
 *
 * @example
 * ```ts
 * renderErrorSummary(errors, 'vi');
 * ```
 */
export function renderErrorSummary(errors: readonly FieldError[], locale: FormLocale): string {
  if (errors.length === 0) return '';
  const items = errors
    .map((error) => `<li><a href="${e(error.href)}">${e(error.message[locale])}</a></li>`)
    .join('');
  return `<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">${e(interfaceText.errorSummaryTitle[locale])}</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${items}</ul></div></div></div>`;
}
