import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type {
  AddressComponent,
  ChoiceOption,
  DateComponent,
  FileComponent,
  FormLocale,
  NationalIdComponent,
  PhoneComponent,
  QuestionComponent,
} from '../definition/form-definition.js';
import type { FieldErrorCode } from '../i18n/form-messages.js';
import { foldForComparison, normaliseMultilineText, normaliseText } from '../text/normalise.js';
import { formatUkPostcode, matchVietnamProvince } from './address.js';
import { parseDateParts } from './date-parts.js';
import { type FieldError, type MessageValues, makeFieldError } from './field-error.js';
import { describeSize, describeTypes } from './file-description.js';
import {
  compactIdentifier,
  readVietnamCitizenId,
  ukNationalInsurancePattern,
} from './national-id.js';
import {
  allValues,
  firstValue,
  type ParsedField,
  type PostedFiles,
  type PostedForm,
  type UploadedFile,
} from './posted-form.js';
import { currentProvinces } from './vietnam-provinces.js';

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
    day: firstValue(posted, `${id}-day`),
    month: firstValue(posted, `${id}-month`),
    year: firstValue(posted, `${id}-year`),
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
  const read = (part: string): string => normaliseText(firstValue(posted, `${id}-${part}`));
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

/**
 * A posted file name made safe to keep and hand to storage: only its last
 * path part (a hostile client may send `../../x` or `C:\\x`), normalised
 * (control and bidi characters gone), at most 255 code points, never `.`/`..`.
 */
function fileNameOf(posted: string): string {
  const last = posted.slice(Math.max(posted.lastIndexOf('/'), posted.lastIndexOf('\\')) + 1);
  const name = Array.from(normaliseText(last)).slice(0, 255).join('');
  return /^\.*$/.test(name) ? 'file' : name;
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
      name: fileNameOf(file.name),
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
  const id = component.id;
  switch (component.type) {
    case 'text':
    case 'fullName':
    case 'radios':
    case 'select': {
      const text = normaliseText(firstValue(posted, id));
      return { value: text === '' ? undefined : text, errors: [] };
    }
    case 'textarea': {
      const text = normaliseMultilineText(firstValue(posted, id));
      return { value: text === '' ? undefined : text, errors: [] };
    }
    case 'number': {
      const text = normaliseText(firstValue(posted, id));
      const value = parseNumber(text, context.locale);
      if (value === undefined) return { value: undefined, errors: [] };
      if (!Number.isFinite(value))
        return { value: undefined, errors: [makeFieldError(component, 'notANumber')] };
      return { value, errors: [] };
    }
    case 'email': {
      const text = normaliseText(firstValue(posted, id)).replace(/\s/g, '');
      if (text === '') return { value: undefined, errors: [] };
      const at = text.lastIndexOf('@');
      return {
        value: at > 0 ? `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}` : text,
        errors: [],
      };
    }
    case 'phone': {
      const text = normaliseText(firstValue(posted, id));
      if (text === '') return { value: undefined, errors: [] };
      return parsePhone(component, text);
    }
    case 'date':
      return parseDate(component, posted);
    case 'yesNo': {
      const text = firstValue(posted, id);
      if (text === '') return { value: undefined, errors: [] };
      if (text === 'yes') return { value: true, errors: [] };
      if (text === 'no') return { value: false, errors: [] };
      return { value: undefined, errors: [makeFieldError(component, 'choiceInvalid')] };
    }
    case 'autocomplete': {
      const text = normaliseText(firstValue(posted, id));
      return { value: text === '' ? undefined : matchOption(component.options, text), errors: [] };
    }
    case 'checkboxes': {
      const values = [
        ...new Set(
          allValues(posted, id)
            .map(normaliseText)
            .filter((value) => value !== ''),
        ),
      ];
      return { value: values.length === 0 ? undefined : values, errors: [] };
    }
    case 'address':
      return parseAddress(component, posted);
    case 'nationalId': {
      const text = normaliseText(firstValue(posted, id));
      if (text === '') return { value: undefined, errors: [] };
      return parseNationalId(component, text, context.currentYear);
    }
    case 'file':
      return parseFiles(component, context.files[component.id] ?? []);
    case 'declaration': {
      const text = firstValue(posted, id);
      return {
        value: text === 'yes' || text === 'true' || text === 'on' ? true : undefined,
        errors: [],
      };
    }
  }
}
