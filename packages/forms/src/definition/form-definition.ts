import type { LocalizedText } from '@civicblocks/core';
import type { FieldErrorCode } from '../i18n/form-messages.js';

/**
 * A locale a form can be shown in.
 *
 * @example
 * ```ts
 * const locale: FormLocale = 'vi';
 * ```
 */
export type FormLocale = 'vi' | 'en';

/**
 * Per-field replacements for catalogue messages, by error code.
 *
 * @example
 * ```ts
 * const messages: MessageOverrides = { required: { vi: 'Nhập họ tên của bạn', en: 'Enter your full name' } };
 * ```
 */
export type MessageOverrides = Readonly<Partial<Record<FieldErrorCode, LocalizedText>>>;

/**
 * What every question component has in common.
 *
 * @example
 * ```ts
 * const base: QuestionBase = { id: 'fullName', label: { vi: 'Họ và tên', en: 'Full name' } };
 * ```
 */
export interface QuestionBase {
  /** The answer key; letters, digits, `_` and `-`, starting with a letter. */
  readonly id: string;
  /** The question. On a one-question page it is the page heading. */
  readonly label: LocalizedText;
  readonly hint?: LocalizedText;
  /** How error messages refer to the answer ("your date of birth"); defaults to the label. */
  readonly name?: LocalizedText;
  /** When true the citizen may leave it blank. */
  readonly optional?: boolean;
  /** A condition expression; the question is asked only when it is true. */
  readonly condition?: string;
  /** Replacement messages for this field, by error code. */
  readonly messages?: MessageOverrides;
}

/**
 * A one-line text answer.
 *
 * @example
 * ```ts
 * const component: TextComponent = { type: 'text', id: 'reference', label: { vi: 'Mã hồ sơ', en: 'Reference' }, maxLength: 20 };
 * ```
 */
export interface TextComponent extends QuestionBase {
  readonly type: 'text';
  readonly minLength?: number;
  readonly maxLength?: number;
  /** A JSON Schema (ECMAScript, `u` flag) pattern the answer must match. */
  readonly pattern?: string;
  readonly autocomplete?: string;
  readonly inputmode?: 'text' | 'numeric' | 'decimal' | 'tel' | 'email' | 'url' | 'search';
  readonly spellcheck?: boolean;
  readonly width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
}

/**
 * A multi-line text answer.
 *
 * @example
 * ```ts
 * const component: TextareaComponent = { type: 'textarea', id: 'reason', label: { vi: 'Lý do', en: 'Reason' }, maxLength: 500 };
 * ```
 */
export interface TextareaComponent extends QuestionBase {
  readonly type: 'textarea';
  readonly maxLength?: number;
  readonly rows?: number;
}

/**
 * A number. Accepts `1,000.5` in English and `1.000,5` in Vietnamese.
 *
 * @example
 * ```ts
 * const component: NumberComponent = { type: 'number', id: 'children', label: { vi: 'Số con', en: 'Number of children' }, integer: true, minimum: 0 };
 * ```
 */
export interface NumberComponent extends QuestionBase {
  readonly type: 'number';
  readonly minimum?: number;
  readonly maximum?: number;
  readonly integer?: boolean;
  readonly autocomplete?: string;
}

/**
 * An email address.
 *
 * @example
 * ```ts
 * const component: EmailComponent = { type: 'email', id: 'email', label: { vi: 'Địa chỉ email', en: 'Email address' } };
 * ```
 */
export interface EmailComponent extends QuestionBase {
  readonly type: 'email';
}

/**
 * A telephone number, stored in E.164 (`+84912345678`).
 *
 * @example
 * ```ts
 * const component: PhoneComponent = { type: 'phone', id: 'phone', label: { vi: 'Số điện thoại', en: 'Phone number' }, defaultCountry: 'VN' };
 * ```
 */
export interface PhoneComponent extends QuestionBase {
  readonly type: 'phone';
  /** ISO 3166-1 alpha-2 country for numbers written without `+`; default `VN`. */
  readonly defaultCountry?: string;
  /** When given, only numbers of these countries are accepted. */
  readonly countries?: readonly string[];
  /** When true, only mobile numbers are accepted. */
  readonly mobileOnly?: boolean;
}

/**
 * A date limit: an ISO date (`2000-01-01`), or a distance from today
 * (`{ years: -18 }` is eighteen years ago).
 *
 * @example
 * ```ts
 * const adult: DateLimit = { years: -18 };
 * ```
 */
export type DateLimit =
  | string
  | { readonly years?: number; readonly months?: number; readonly days?: number };

/**
 * A date asked as day, month and year inputs, stored as `YYYY-MM-DD`. The
 * month accepts a number or a name in Vietnamese or English ("tháng Ba",
 * "tháng 3", "March", "Mar").
 *
 * @example
 * ```ts
 * const component: DateComponent = { type: 'date', id: 'dateOfBirth', label: { vi: 'Ngày sinh', en: 'Date of birth' }, past: true };
 * ```
 */
export interface DateComponent extends QuestionBase {
  readonly type: 'date';
  /** The date must be before today. */
  readonly past?: boolean;
  /** The date must be after today. */
  readonly future?: boolean;
  /** The date must be on or after this. */
  readonly earliest?: DateLimit;
  /** The date must be on or before this. */
  readonly latest?: DateLimit;
  /** `bday` for a date of birth. */
  readonly autocomplete?: 'bday';
}

/**
 * A choice offered by radios, checkboxes, select and autocomplete.
 *
 * @example
 * ```ts
 * const option: ChoiceOption = { value: 'vn', label: { vi: 'Việt Nam', en: 'Vietnam' } };
 * ```
 */
export interface ChoiceOption {
  readonly value: string;
  readonly label: LocalizedText;
  readonly hint?: LocalizedText;
}

/**
 * A yes or no question, stored as a boolean.
 *
 * @example
 * ```ts
 * const component: YesNoComponent = { type: 'yesNo', id: 'hasChildren', label: { vi: 'Bạn có con không?', en: 'Do you have children?' } };
 * ```
 */
export interface YesNoComponent extends QuestionBase {
  readonly type: 'yesNo';
}

/**
 * One choice from a short list, shown as radios.
 *
 * @example
 * ```ts
 * const component: RadiosComponent = { type: 'radios', id: 'contact', label: { vi: 'Liên hệ qua', en: 'Contact by' }, options: [] };
 * ```
 */
export interface RadiosComponent extends QuestionBase {
  readonly type: 'radios';
  readonly options: readonly ChoiceOption[];
  readonly inline?: boolean;
}

/**
 * Any number of choices, shown as checkboxes, stored as an array.
 *
 * @example
 * ```ts
 * const component: CheckboxesComponent = { type: 'checkboxes', id: 'benefits', label: { vi: 'Trợ cấp', en: 'Benefits' }, options: [], maxSelected: 3 };
 * ```
 */
export interface CheckboxesComponent extends QuestionBase {
  readonly type: 'checkboxes';
  readonly options: readonly ChoiceOption[];
  readonly minSelected?: number;
  readonly maxSelected?: number;
}

/**
 * One choice from a list, shown as a select.
 *
 * @example
 * ```ts
 * const component: SelectComponent = { type: 'select', id: 'office', label: { vi: 'Văn phòng', en: 'Office' }, options: [] };
 * ```
 */
export interface SelectComponent extends QuestionBase {
  readonly type: 'select';
  readonly options: readonly ChoiceOption[];
}

/**
 * One choice from a long list: a text input with a native `datalist`
 * (works without JavaScript); the typed text must match an option's value
 * or its label in either language.
 *
 * @example
 * ```ts
 * const component: AutocompleteComponent = { type: 'autocomplete', id: 'nationality', label: { vi: 'Quốc tịch', en: 'Nationality' }, options: [] };
 * ```
 */
export interface AutocompleteComponent extends QuestionBase {
  readonly type: 'autocomplete';
  readonly options: readonly ChoiceOption[];
}

/**
 * A full name in one field. Not split into first and last: Vietnamese names
 * put the family name first.
 *
 * @example
 * ```ts
 * const component: FullNameComponent = { type: 'fullName', id: 'fullName', label: { vi: 'Họ và tên', en: 'Full name' } };
 * ```
 */
export interface FullNameComponent extends QuestionBase {
  readonly type: 'fullName';
  readonly maxLength?: number;
}

/**
 * An address. `vn` is Vietnam's two-tier province -> commune/ward structure
 * (since 1 July 2025), still accepting a legacy three-tier address with a
 * district; `uk` has a UK postcode; `international` is free-form with a country.
 *
 * @example
 * ```ts
 * const component: AddressComponent = { type: 'address', id: 'home', label: { vi: 'Địa chỉ', en: 'Address' }, format: 'vn' };
 * ```
 */
export interface AddressComponent extends QuestionBase {
  readonly type: 'address';
  readonly format: 'vn' | 'uk' | 'international';
}

/**
 * A national identifier scheme.
 *
 * @example
 * ```ts
 * const scheme: NationalIdScheme = 'vn-citizen-id';
 * ```
 */
export type NationalIdScheme = 'vn-citizen-id' | 'vn-legacy-id' | 'uk-nino';

/**
 * A national identifier: Vietnam's 12-digit citizen ID (province,
 * century/gender and birth-year checks), the legacy 9-digit ID, or a UK
 * National Insurance number.
 *
 * @example
 * ```ts
 * const component: NationalIdComponent = {
 *   type: 'nationalId', id: 'citizenId', label: { vi: 'Số định danh cá nhân', en: 'Citizen ID number' },
 *   schemes: ['vn-citizen-id'], dateOfBirthField: 'dateOfBirth',
 * };
 * ```
 */
export interface NationalIdComponent extends QuestionBase {
  readonly type: 'nationalId';
  readonly schemes: readonly NationalIdScheme[];
  /** The id of a date answer to check the ID's birth year against. */
  readonly dateOfBirthField?: string;
}

/**
 * A file upload with a MIME allow-list and size and count limits. Files are
 * handed to the {@link FileStorage} given to the handler; the answer keeps
 * their name, type, size and storage id.
 *
 * @example
 * ```ts
 * const component: FileComponent = {
 *   type: 'file', id: 'photo', label: { vi: 'Ảnh chân dung', en: 'Photo' },
 *   accept: ['image/jpeg', 'image/png'], maxBytes: 5_000_000,
 * };
 * ```
 */
export interface FileComponent extends QuestionBase {
  readonly type: 'file';
  readonly accept: readonly string[];
  readonly maxBytes: number;
  /** Most files accepted; default 1. */
  readonly maxFiles?: number;
}

/**
 * A declaration the citizen must tick, stored as `true`.
 *
 * @example
 * ```ts
 * const component: DeclarationComponent = {
 *   type: 'declaration', id: 'declaration', label: { vi: 'Tôi xác nhận', en: 'I confirm' },
 *   text: { vi: 'Thông tin trên là đúng.', en: 'The information I have given is correct.' },
 * };
 * ```
 */
export interface DeclarationComponent extends QuestionBase {
  readonly type: 'declaration';
  readonly text: LocalizedText;
}

/**
 * Every question component.
 *
 * @example
 * ```ts
 * const isDate = (component: QuestionComponent): boolean => component.type === 'date';
 * ```
 */
export type QuestionComponent =
  | TextComponent
  | TextareaComponent
  | NumberComponent
  | EmailComponent
  | PhoneComponent
  | DateComponent
  | YesNoComponent
  | RadiosComponent
  | CheckboxesComponent
  | SelectComponent
  | AutocompleteComponent
  | FullNameComponent
  | AddressComponent
  | NationalIdComponent
  | FileComponent
  | DeclarationComponent;

/**
 * Text shown on a page that asks nothing: a paragraph, inset text, a
 * details disclosure or a warning.
 *
 * @example
 * ```ts
 * const block: ContentComponent = { type: 'warning', id: 'fine', text: { vi: 'Bạn có thể bị phạt.', en: 'You can be fined.' } };
 * ```
 */
export interface ContentComponent {
  readonly type: 'paragraph' | 'insetText' | 'details' | 'warning';
  readonly id: string;
  readonly text: LocalizedText;
  /** The summary line of a `details` block. */
  readonly summary?: LocalizedText;
  readonly condition?: string;
}

/**
 * A question or a content block.
 *
 * @example
 * ```ts
 * const components: ComponentDefinition[] = [];
 * ```
 */
export type ComponentDefinition = QuestionComponent | ContentComponent;

/**
 * A page of questions. With one question (the default, "one thing per
 * page") the question is the page heading.
 *
 * @example
 * ```ts
 * const page: QuestionPage = { id: 'name', components: [{ type: 'fullName', id: 'fullName', label: { vi: 'Họ và tên', en: 'Full name' } }] };
 * ```
 */
export interface QuestionPage {
  readonly kind?: 'question';
  /** Also the page's path segment. */
  readonly id: string;
  /** The heading; needed when the page asks more than one question. */
  readonly title?: LocalizedText;
  readonly section?: string;
  /** A condition expression; the page is shown only when it is true. */
  readonly condition?: string;
  readonly components: readonly ComponentDefinition[];
}

/**
 * An "add another" page: the same questions asked for each item, answered
 * as an array under the page id, with a list page asking whether to add
 * another.
 *
 * @example
 * ```ts
 * const page: RepeaterPage = {
 *   kind: 'repeater', id: 'children', title: { vi: 'Thông tin con', en: 'Your children' },
 *   itemName: { vi: 'con', en: 'child' }, itemNamePlural: { vi: 'con', en: 'children' }, maxItems: 10,
 *   components: [{ type: 'fullName', id: 'name', label: { vi: 'Họ và tên', en: 'Full name' } }],
 * };
 * ```
 */
export interface RepeaterPage {
  readonly kind: 'repeater';
  readonly id: string;
  readonly title: LocalizedText;
  /** What one item is called ("child"), used in headings and buttons. */
  readonly itemName: LocalizedText;
  /** What several are called ("children"), for counts other than one; default `itemName`. */
  readonly itemNamePlural?: LocalizedText;
  readonly section?: string;
  readonly condition?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly components: readonly ComponentDefinition[];
}

/**
 * A page of a form.
 *
 * @example
 * ```ts
 * const isRepeater = (page: PageDefinition): boolean => page.kind === 'repeater';
 * ```
 */
export type PageDefinition = QuestionPage | RepeaterPage;

/**
 * A titled group of pages, shown as a caption and on check your answers.
 *
 * @example
 * ```ts
 * const section: SectionDefinition = { id: 'about-you', title: { vi: 'Về bạn', en: 'About you' } };
 * ```
 */
export interface SectionDefinition {
  readonly id: string;
  readonly title: LocalizedText;
}

/**
 * A whole form, as plain data (JSON or YAML).
 *
 * @example
 * ```ts
 * const definition: FormDefinition = {
 *   id: 'register-birth', version: '1', languages: ['vi', 'en'],
 *   title: { vi: 'Đăng ký khai sinh', en: 'Register a birth' },
 *   pages: [{ id: 'name', components: [{ type: 'fullName', id: 'childName', label: { vi: 'Họ và tên của trẻ', en: "Child's full name" } }] }],
 * };
 * ```
 */
export interface FormDefinition {
  readonly id: string;
  /** Changes whenever questions change; saved answers are revalidated against it. */
  readonly version: string;
  readonly languages: readonly FormLocale[];
  readonly title: LocalizedText;
  readonly sections?: readonly SectionDefinition[];
  readonly pages: readonly PageDefinition[];
  /** The check your answers page; shown unless `false`. */
  readonly checkAnswers?: false | { readonly title?: LocalizedText };
  readonly confirmation?: { readonly title?: LocalizedText; readonly body?: LocalizedText };
}
