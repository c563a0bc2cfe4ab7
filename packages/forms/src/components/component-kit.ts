import type { LocalizedText } from '@civicblocks/core';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type {
  AddressComponent,
  ChoiceOption,
  ComponentDefinition,
  ContentComponent,
  DateComponent,
  DateLimit,
  FileComponent,
  FormLocale,
  NationalIdComponent,
  PhoneComponent,
  QuestionComponent,
} from '../definition/form-definition.js';
import type { FieldErrorCode } from '../i18n/form-messages.js';
import { foldForComparison, normaliseMultilineText, normaliseText } from '../text/normalise.js';
import { formatUkPostcode, matchVietnamProvince, ukPostcodeSchemaPattern } from './address.js';
import { formatIsoDate, parseDateParts, shiftIsoDate } from './date-parts.js';
import { type FieldError, type MessageValues, makeFieldError } from './field-error.js';
import {
  compactIdentifier,
  readVietnamCitizenId,
  ukNationalInsurancePattern,
  vietnamCitizenIdPattern,
  vietnamLegacyIdPattern,
} from './national-id.js';
import { currentProvinces, legacyProvinces } from './vietnam-provinces.js';

/**
 * Posted form fields as strings (a repeated name gives an array), as read
 * from `application/x-www-form-urlencoded` or `multipart/form-data`.
 *
 * @example
 * ```ts
 * const posted: PostedForm = { 'dateOfBirth-day': '5', 'dateOfBirth-month': 'tháng 3', 'dateOfBirth-year': '2000' };
 * ```
 */
export type PostedForm = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * An uploaded file's metadata (the bytes go to a {@link FileStorage}).
 *
 * @example
 * ```ts
 * const file: UploadedFile = { name: 'photo.jpg', type: 'image/jpeg', size: 120_000 };
 * ```
 */
export interface UploadedFile {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  /** The storage id, once stored. */
  readonly id?: string;
}

/**
 * Uploaded files by input name.
 *
 * @example
 * ```ts
 * const files: PostedFiles = { photo: [{ name: 'photo.jpg', type: 'image/jpeg', size: 120_000 }] };
 * ```
 */
export type PostedFiles = Readonly<Record<string, readonly UploadedFile[]>>;

/**
 * What reading one question from a posted form gives: the typed value
 * (`undefined` when left blank) and any errors found while reading it.
 *
 * @example
 * ```ts
 * const outcome: ParsedField = { value: '2000-03-05', errors: [] };
 * ```
 */
export interface ParsedField {
  readonly value: unknown;
  readonly errors: readonly FieldError[];
}

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

function first(value: string | readonly string[] | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return value[0] ?? '';
}

function all(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return value.filter((item): item is string => typeof item === 'string');
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

const dateInputs = (id: string): string[] => [`${id}-day`, `${id}-month`, `${id}-year`];

function parseNumber(text: string, locale: FormLocale): number | undefined {
  let compact = text.replace(/[\s\u00a0]/g, '');
  if (compact === '') return undefined;
  const hasDot = compact.includes('.');
  const hasComma = compact.includes(',');
  if (hasDot && hasComma) {
    const decimal = compact.lastIndexOf('.') > compact.lastIndexOf(',') ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    compact = compact.split(group).join('').replace(decimal, '.');
  } else if (hasComma) {
    compact =
      locale === 'en' || /^-?[0-9]{1,3}(,[0-9]{3}){2,}$/.test(compact)
        ? /^-?[0-9]{1,3}(,[0-9]{3})+$/.test(compact)
          ? compact.replace(/,/g, '')
          : compact
        : compact.replace(',', '.');
  } else if (hasDot && locale === 'vi' && /^-?[0-9]{1,3}(\.[0-9]{3})+$/.test(compact)) {
    compact = compact.replace(/\./g, '');
  }
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(compact)) return Number.NaN;
  return Number(compact);
}

function matchOption(options: readonly ChoiceOption[], typed: string): string {
  const exact = options.find((option) => option.value === typed);
  if (exact !== undefined) return exact.value;
  const key = foldForComparison(typed);
  const byLabel = options.find(
    (option) =>
      foldForComparison(option.value) === key ||
      foldForComparison(option.label.vi) === key ||
      foldForComparison(option.label.en) === key,
  );
  return byLabel?.value ?? typed;
}

function parsePhone(component: PhoneComponent, text: string): ParsedField {
  const phone = parsePhoneNumberFromString(text, (component.defaultCountry ?? 'VN') as CountryCode);
  if (phone === undefined || !phone.isValid()) {
    return { value: undefined, errors: [makeFieldError(component, 'phoneInvalid')] };
  }
  if (component.countries !== undefined && !component.countries.includes(phone.country ?? '')) {
    return { value: undefined, errors: [makeFieldError(component, 'phoneCountryNotAllowed')] };
  }
  if (component.mobileOnly === true) {
    const type = phone.getType();
    if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
      return { value: undefined, errors: [makeFieldError(component, 'phoneNotMobile')] };
    }
  }
  return { value: phone.number, errors: [] };
}

function parseDate(component: DateComponent, posted: PostedForm): ParsedField {
  const id = component.id;
  const outcome = parseDateParts({
    day: first(posted[`${id}-day`]),
    month: first(posted[`${id}-month`]),
    year: first(posted[`${id}-year`]),
  });
  switch (outcome.kind) {
    case 'empty':
      return { value: undefined, errors: [] };
    case 'date':
      return { value: outcome.value, errors: [] };
    case 'yearNotFourDigits':
      return {
        value: undefined,
        errors: [makeFieldError(component, 'dateYearFourDigits', { input: `${id}-year` })],
      };
    case 'invalid':
      return {
        value: undefined,
        errors: [
          makeFieldError(component, 'dateInvalid', {
            inputs: outcome.parts.map((part) => `${id}-${part}`),
          }),
        ],
      };
    case 'missing': {
      const key = outcome.parts.join(',');
      const code: FieldErrorCode =
        key === 'day'
          ? 'dateMissingDay'
          : key === 'month'
            ? 'dateMissingMonth'
            : key === 'year'
              ? 'dateMissingYear'
              : key === 'day,month'
                ? 'dateMissingDayAndMonth'
                : key === 'day,year'
                  ? 'dateMissingDayAndYear'
                  : 'dateMissingMonthAndYear';
      return {
        value: undefined,
        errors: [
          makeFieldError(component, code, { inputs: outcome.parts.map((part) => `${id}-${part}`) }),
        ],
      };
    }
  }
}

function parseNationalId(
  component: NationalIdComponent,
  text: string,
  currentYear: number,
): ParsedField {
  const compact = compactIdentifier(text);
  const schemes = component.schemes;
  if (/^[0-9]+$/.test(compact)) {
    if (compact.length === 12 && schemes.includes('vn-citizen-id')) {
      const reading = readVietnamCitizenId(compact, currentYear);
      if (reading.valid) return { value: compact, errors: [] };
      const code: FieldErrorCode =
        reading.reason === 'province'
          ? 'vnCitizenIdProvince'
          : reading.reason === 'birthYearFuture'
            ? 'vnCitizenIdBirthYearFuture'
            : 'vnCitizenIdLength';
      return { value: undefined, errors: [makeFieldError(component, code)] };
    }
    if (compact.length === 9 && schemes.includes('vn-legacy-id'))
      return { value: compact, errors: [] };
    if (schemes.length === 1 && schemes[0] === 'vn-citizen-id') {
      return { value: undefined, errors: [makeFieldError(component, 'vnCitizenIdLength')] };
    }
    if (schemes.length === 1 && schemes[0] === 'vn-legacy-id') {
      return { value: undefined, errors: [makeFieldError(component, 'vnLegacyIdInvalid')] };
    }
  }
  if (schemes.includes('uk-nino') && new RegExp(ukNationalInsurancePattern, 'u').test(compact)) {
    return { value: compact, errors: [] };
  }
  if (schemes.length === 1 && schemes[0] === 'uk-nino') {
    return { value: undefined, errors: [makeFieldError(component, 'ninoInvalid')] };
  }
  if (schemes.length === 1 && schemes[0] === 'vn-citizen-id') {
    return { value: undefined, errors: [makeFieldError(component, 'vnCitizenIdLength')] };
  }
  return { value: undefined, errors: [makeFieldError(component, 'nationalIdInvalid')] };
}

function parseAddress(component: AddressComponent, posted: PostedForm): ParsedField {
  const id = component.id;
  const read = (part: string): string => normaliseText(first(posted[`${id}-${part}`]));
  const line1 = read('line1');
  const line2 = read('line2');
  const errors: FieldError[] = [];
  const optional = (key: string, value: string): Record<string, string> =>
    value === '' ? {} : { [key]: value };
  const requirePart = (value: string, part: string, code: FieldErrorCode): void => {
    if (value === '') errors.push(makeFieldError(component, code, { input: `${id}-${part}` }));
  };
  if (component.format === 'vn') {
    const commune = read('commune');
    const district = read('district');
    const provinceText = read('province');
    if (line1 === '' && commune === '' && district === '' && provinceText === '')
      return { value: undefined, errors: [] };
    requirePart(line1, 'line1', 'addressLineRequired');
    requirePart(commune, 'commune', 'addressCommuneRequired');
    const refuseProvince = (
      code: 'addressProvinceRequired' | 'addressProvinceUnknown' | 'addressProvinceMerged',
      values?: MessageValues,
    ): ParsedField => ({
      value: undefined,
      errors: [
        ...errors,
        makeFieldError(component, code, {
          input: `${id}-province`,
          ...(values === undefined ? {} : { values }),
        }),
      ],
    });
    if (provinceText === '') return refuseProvince('addressProvinceRequired');
    const match = matchVietnamProvince(provinceText);
    if (district !== '') {
      // An old three-tier address names one of the 63 provinces before 1 July 2025.
      if (match.legacy === undefined) return refuseProvince('addressProvinceUnknown');
      if (errors.length > 0) return { value: undefined, errors };
      return {
        value: {
          scheme: 'vn-legacy',
          line1,
          ...optional('line2', line2),
          commune,
          district,
          province: match.legacy.name,
          provinceCode: match.legacy.code,
        },
        errors,
      };
    }
    if (match.current === undefined) {
      if (match.legacy === undefined) return refuseProvince('addressProvinceUnknown');
      const merged = currentProvinces.find(
        (province) => province.name === match.legacy?.mergedInto,
      );
      return refuseProvince('addressProvinceMerged', {
        province: match.legacy.name,
        newProvince: merged?.name ?? match.legacy.mergedInto,
      });
    }
    if (errors.length > 0) return { value: undefined, errors };
    return {
      value: {
        scheme: 'vn-2025',
        line1,
        ...optional('line2', line2),
        commune,
        province: match.current.name,
        provinceCode: match.current.code,
      },
      errors,
    };
  }
  if (component.format === 'uk') {
    const town = read('town');
    const postcodeText = read('postcode');
    if (line1 === '' && line2 === '' && town === '' && postcodeText === '')
      return { value: undefined, errors: [] };
    requirePart(line1, 'line1', 'addressLineRequired');
    requirePart(town, 'town', 'addressTownRequired');
    const postcode = formatUkPostcode(postcodeText);
    requirePart(postcodeText, 'postcode', 'postcodeRequired');
    if (postcodeText !== '' && postcode === undefined)
      errors.push(makeFieldError(component, 'postcodeInvalid', { input: `${id}-postcode` }));
    if (errors.length > 0 || postcode === undefined) return { value: undefined, errors };
    return { value: { line1, ...optional('line2', line2), town, postcode }, errors };
  }
  const town = read('town');
  const region = read('region');
  const postalCode = read('postalCode');
  const country = read('country');
  if ([line1, line2, town, region, postalCode, country].every((part) => part === '')) {
    return { value: undefined, errors: [] };
  }
  if (line1 === '')
    errors.push(makeFieldError(component, 'addressLineRequired', { input: `${id}-line1` }));
  if (country === '')
    errors.push(makeFieldError(component, 'addressCountryRequired', { input: `${id}-country` }));
  if (errors.length > 0) return { value: undefined, errors };
  return {
    value: {
      line1,
      ...optional('line2', line2),
      ...optional('town', town),
      ...optional('region', region),
      ...optional('postalCode', postalCode),
      country,
    },
    errors,
  };
}

function describeSize(bytes: number): string {
  if (bytes >= 1_000_000) return `${Math.round((bytes / 1_000_000) * 10) / 10} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} kB`;
  return `${bytes} B`;
}

const fileTypeNames: Readonly<Record<string, string>> = {
  'image/jpeg': 'JPG',
  'image/svg+xml': 'SVG',
  'text/plain': 'TXT',
  'application/msword': 'DOC',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.ms-excel': 'XLS',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
};

/** GOV.UK style: 'PDF, JPG or PNG' / 'PDF, JPG hoặc PNG'. */
function describeTypes(accept: readonly string[]): LocalizedText {
  const names = accept.map(
    (type) => fileTypeNames[type] ?? (type.split('/')[1] ?? type).toUpperCase(),
  );
  const last = names.at(-1) ?? '';
  const head = names.slice(0, -1).join(', ');
  return head === ''
    ? { vi: last, en: last }
    : { vi: `${head} hoặc ${last}`, en: `${head} or ${last}` };
}

function parseFiles(component: FileComponent, files: readonly UploadedFile[]): ParsedField {
  const chosen = files.filter((file) => file.name !== '' || file.size > 0);
  if (chosen.length === 0) return { value: undefined, errors: [] };
  const maxFiles = component.maxFiles ?? 1;
  if (chosen.length > maxFiles) {
    return {
      value: undefined,
      errors: [makeFieldError(component, 'fileTooMany', { values: { max: maxFiles } })],
    };
  }
  for (const file of chosen) {
    if (file.size === 0)
      return { value: undefined, errors: [makeFieldError(component, 'fileEmpty')] };
    if (!component.accept.includes(file.type)) {
      return {
        value: undefined,
        errors: [
          makeFieldError(component, 'fileTypeNotAllowed', {
            values: { types: describeTypes(component.accept) },
          }),
        ],
      };
    }
    if (file.size > component.maxBytes) {
      return {
        value: undefined,
        errors: [
          makeFieldError(component, 'fileTooLarge', {
            values: { size: describeSize(component.maxBytes) },
          }),
        ],
      };
    }
  }
  return {
    value: chosen.map((file) => ({
      name: normaliseText(file.name).slice(0, 255) || 'file',
      type: file.type,
      size: file.size,
      ...(file.id === undefined ? {} : { id: file.id }),
    })),
    errors: [],
  };
}

/**
 * Context for reading a posted question: the page's locale (number
 * separators differ), today's year (for ID birth-year checks) and the files.
 *
 * @example
 * ```ts
 * const context: ParseContext = { locale: 'vi', currentYear: 2026, files: {} };
 * ```
 */
export interface ParseContext {
  readonly locale: FormLocale;
  readonly currentYear: number;
  readonly files: PostedFiles;
}

/**
 * Reads one question from a posted form: normalises the text to NFC,
 * turns it into the typed value the JSON Schema describes (an ISO date, an
 * E.164 number, a boolean, an address object) and reports what could not be
 * read. Never throws, whatever it is given.
 *
 * @example
 * ```ts
 * parseField(dateComponent, { 'dob-day': '5', 'dob-month': 'tháng Ba', 'dob-year': '2000' }, context).value; // '2000-03-05'
 * ```
 */
export function parseField(
  component: QuestionComponent,
  posted: PostedForm,
  context: ParseContext,
): ParsedField {
  const raw = posted[component.id];
  switch (component.type) {
    case 'text':
    case 'fullName':
    case 'radios':
    case 'select': {
      const text = normaliseText(first(raw));
      return { value: text === '' ? undefined : text, errors: [] };
    }
    case 'textarea': {
      const text = normaliseMultilineText(first(raw));
      return { value: text === '' ? undefined : text, errors: [] };
    }
    case 'number': {
      const text = normaliseText(first(raw));
      const value = parseNumber(text, context.locale);
      if (value === undefined) return { value: undefined, errors: [] };
      if (!Number.isFinite(value))
        return { value: undefined, errors: [makeFieldError(component, 'notANumber')] };
      return { value, errors: [] };
    }
    case 'email': {
      const text = normaliseText(first(raw)).replace(/\s/g, '');
      if (text === '') return { value: undefined, errors: [] };
      const at = text.lastIndexOf('@');
      return {
        value: at > 0 ? `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}` : text,
        errors: [],
      };
    }
    case 'phone': {
      const text = normaliseText(first(raw));
      if (text === '') return { value: undefined, errors: [] };
      return parsePhone(component, text);
    }
    case 'date':
      return parseDate(component, posted);
    case 'yesNo': {
      const text = first(raw);
      if (text === '') return { value: undefined, errors: [] };
      if (text === 'yes') return { value: true, errors: [] };
      if (text === 'no') return { value: false, errors: [] };
      return { value: undefined, errors: [makeFieldError(component, 'choiceInvalid')] };
    }
    case 'autocomplete': {
      const text = normaliseText(first(raw));
      return { value: text === '' ? undefined : matchOption(component.options, text), errors: [] };
    }
    case 'checkboxes': {
      const values = [
        ...new Set(
          all(raw)
            .map(normaliseText)
            .filter((value) => value !== ''),
        ),
      ];
      return { value: values.length === 0 ? undefined : values, errors: [] };
    }
    case 'address':
      return parseAddress(component, posted);
    case 'nationalId': {
      const text = normaliseText(first(raw));
      if (text === '') return { value: undefined, errors: [] };
      return parseNationalId(component, text, context.currentYear);
    }
    case 'file':
      return parseFiles(component, context.files[component.id] ?? []);
    case 'declaration': {
      const text = first(raw);
      return {
        value: text === 'yes' || text === 'true' || text === 'on' ? true : undefined,
        errors: [],
      };
    }
  }
}

const stringSchema = (extra: Record<string, unknown>): Record<string, unknown> => ({
  type: 'string',
  ...extra,
});

function optionValues(options: readonly ChoiceOption[]): string[] {
  return options.map((option) => option.value);
}

/**
 * The JSON Schema 2020-12 of one question's value (not including whether it
 * is required, which depends on the page and its conditions).
 *
 * @example
 * ```ts
 * questionSchema({ type: 'email', id: 'email', label: { vi: 'Email', en: 'Email' } });
 * // { type: 'string', format: 'email', maxLength: 254 }
 * ```
 */
export function questionSchema(component: QuestionComponent): Record<string, unknown> {
  switch (component.type) {
    case 'text':
      return stringSchema({
        minLength: component.minLength ?? 1,
        maxLength: component.maxLength ?? 1000,
        ...(component.pattern === undefined ? {} : { pattern: component.pattern }),
      });
    case 'textarea':
      return stringSchema({ minLength: 1, maxLength: component.maxLength ?? 10000 });
    case 'fullName':
      return stringSchema({ minLength: 1, maxLength: component.maxLength ?? 200 });
    case 'number':
      return {
        type: component.integer === true ? 'integer' : 'number',
        ...(component.minimum === undefined ? {} : { minimum: component.minimum }),
        ...(component.maximum === undefined ? {} : { maximum: component.maximum }),
      };
    case 'email':
      return stringSchema({ format: 'email', maxLength: 254 });
    case 'phone':
      return stringSchema({ pattern: '^\\+[1-9][0-9]{6,14}$' });
    case 'date':
      return stringSchema({ format: 'date' });
    case 'yesNo':
      return { type: 'boolean' };
    case 'radios':
    case 'select':
    case 'autocomplete':
      return stringSchema({ enum: optionValues(component.options) });
    case 'checkboxes':
      return {
        type: 'array',
        items: { type: 'string', enum: optionValues(component.options) },
        uniqueItems: true,
        minItems: Math.max(1, component.minSelected ?? 1),
        ...(component.maxSelected === undefined ? {} : { maxItems: component.maxSelected }),
      };
    case 'nationalId': {
      const patterns = component.schemes.map((scheme) =>
        scheme === 'vn-citizen-id'
          ? vietnamCitizenIdPattern
          : scheme === 'vn-legacy-id'
            ? vietnamLegacyIdPattern
            : ukNationalInsurancePattern,
      );
      return stringSchema({ pattern: patterns.map((pattern) => `(?:${pattern})`).join('|') });
    }
    case 'address': {
      const line = stringSchema({ minLength: 1, maxLength: 200 });
      if (component.format === 'vn') {
        return {
          type: 'object',
          properties: {
            scheme: { enum: ['vn-2025', 'vn-legacy'] },
            line1: line,
            line2: line,
            commune: line,
            district: line,
            province: stringSchema({}),
            provinceCode: stringSchema({ pattern: '^[0-9]{2,3}$' }),
          },
          required: ['scheme', 'line1', 'commune', 'province', 'provinceCode'],
          additionalProperties: false,
          if: { properties: { scheme: { const: 'vn-legacy' } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword.
          then: {
            required: ['district'],
            properties: { province: { enum: legacyProvinces.map((province) => province.name) } },
          },
          else: {
            not: { required: ['district'] },
            properties: { province: { enum: currentProvinces.map((province) => province.name) } },
          },
        };
      }
      if (component.format === 'uk') {
        return {
          type: 'object',
          properties: {
            line1: line,
            line2: line,
            town: line,
            postcode: stringSchema({ pattern: ukPostcodeSchemaPattern }),
          },
          required: ['line1', 'town', 'postcode'],
          additionalProperties: false,
        };
      }
      return {
        type: 'object',
        properties: {
          line1: line,
          line2: line,
          town: line,
          region: line,
          postalCode: line,
          country: line,
        },
        required: ['line1', 'country'],
        additionalProperties: false,
      };
    }
    case 'file':
      return {
        type: 'array',
        minItems: 1,
        maxItems: component.maxFiles ?? 1,
        items: {
          type: 'object',
          properties: {
            name: stringSchema({ minLength: 1, maxLength: 255 }),
            type: { enum: [...component.accept] },
            size: { type: 'integer', minimum: 1, maximum: component.maxBytes },
            id: stringSchema({ maxLength: 200 }),
          },
          required: ['name', 'type', 'size'],
          additionalProperties: false,
        },
      };
    case 'declaration':
      return { const: true };
  }
}

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
