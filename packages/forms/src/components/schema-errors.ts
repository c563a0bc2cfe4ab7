import type { QuestionComponent } from '../definition/form-definition.js';
import type { FieldErrorCode } from '../i18n/form-messages.js';
import { dateInputs, firstInputId } from './component-kind.js';
import { type FieldError, type MessageValues, makeFieldError } from './field-error.js';
import { describeSize, describeTypes } from './file-description.js';

/**
 * The error code for an answer that is required but missing.
 *
 * @example
 * ```ts
 * requiredCode({ type: 'radios', id: 'x', label: { vi: 'x', en: 'x' }, options: [] }); // 'chooseRequired'
 * ```
 */
export function requiredCode(component: QuestionComponent): FieldErrorCode {
  switch (component.type) {
    case 'radios':
    case 'select':
    case 'autocomplete':
    case 'checkboxes':
    case 'yesNo':
      return 'chooseRequired';
    case 'file':
      return 'fileRequired';
    case 'declaration':
      return 'declarationRequired';
    default:
      return 'required';
  }
}

/**
 * Turns one ajv error on a question's value into the GOV.UK-style error a
 * citizen reads.
 *
 * @example
 * ```ts
 * errorFromSchemaKeyword(component, 'maxLength', { limit: 100 }, '');
 * ```
 */
export function errorFromSchemaKeyword(
  component: QuestionComponent,
  keyword: string,
  params: Readonly<Record<string, unknown>>,
  subPath: string,
): FieldError {
  const limit = typeof params.limit === 'number' ? params.limit : 0;
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : '';
  if (keyword === 'required' && missing === component.id) {
    return makeFieldError(component, requiredCode(component), {
      inputs: component.type === 'date' ? dateInputs(component.id) : [firstInputId(component)],
    });
  }
  const sub = subPath.split('/')[1] ?? missing;
  if (component.type === 'address') {
    const input = `${component.id}-${sub === '' || sub === 'scheme' || sub === 'provinceCode' ? 'line1' : sub}`;
    const code: FieldErrorCode =
      sub === 'commune'
        ? 'addressCommuneRequired'
        : sub === 'province' || sub === 'district'
          ? keyword === 'required'
            ? 'addressProvinceRequired'
            : 'addressProvinceUnknown'
          : sub === 'town'
            ? 'addressTownRequired'
            : sub === 'postcode'
              ? keyword === 'required'
                ? 'postcodeRequired'
                : 'postcodeInvalid'
              : sub === 'country'
                ? 'addressCountryRequired'
                : keyword === 'required' || sub === 'line1'
                  ? 'addressLineRequired'
                  : 'invalid';
    return makeFieldError(component, code, {
      input: sub === 'district' ? `${component.id}-province` : input,
    });
  }
  const input = component.type === 'date' ? dateInputs(component.id) : [firstInputId(component)];
  const make = (code: FieldErrorCode, values: MessageValues = {}): FieldError =>
    makeFieldError(component, code, { inputs: input, values });
  switch (keyword) {
    case 'required':
      return make(requiredCode(component));
    case 'minLength':
      return make(limit <= 1 ? requiredCode(component) : 'tooShort', { min: limit });
    case 'maxLength':
      return make('tooLong', { max: limit });
    case 'minimum':
      return make('tooSmall', { min: limit });
    case 'maximum':
      return make('tooLarge', { max: limit });
    case 'minItems':
      if (component.type === 'checkboxes')
        return make(limit <= 1 ? 'chooseRequired' : 'tooFewSelected', { min: limit });
      return make(requiredCode(component));
    case 'maxItems':
      return make(component.type === 'file' ? 'fileTooMany' : 'tooManySelected', { max: limit });
    case 'format':
      return make(
        component.type === 'email'
          ? 'emailInvalid'
          : component.type === 'date'
            ? 'dateInvalid'
            : 'invalid',
      );
    case 'const':
      return make(component.type === 'declaration' ? 'declarationRequired' : 'invalid');
    case 'enum':
      if (component.type === 'file')
        return make('fileTypeNotAllowed', { types: describeTypes(component.accept) });
      return make('choiceInvalid');
    case 'type':
      if (component.type === 'number') {
        return make(params.type === 'integer' ? 'notAWholeNumber' : 'notANumber');
      }
      return make('invalid');
    case 'pattern':
      if (component.type === 'phone') return make('phoneInvalid');
      if (component.type === 'nationalId') {
        if (component.schemes.length === 1 && component.schemes[0] === 'uk-nino')
          return make('ninoInvalid');
        if (component.schemes.length === 1 && component.schemes[0] === 'vn-legacy-id')
          return make('vnLegacyIdInvalid');
        return make('nationalIdInvalid');
      }
      return make('patternMismatch');
    default:
      if (component.type === 'file' && subPath.endsWith('/size')) {
        return make('fileTooLarge', { size: describeSize(component.maxBytes) });
      }
      if (component.type === 'phone') return make('phoneInvalid');
      return make('invalid');
  }
}
