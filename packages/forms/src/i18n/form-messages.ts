import {
  createMessageCatalogue,
  type LocalizedText,
  type MessageCatalogue,
} from '@civicblocks/core';

/**
 * Every validation error code a citizen can get. Stable: safe to switch on,
 * count and log (unlike the answer itself).
 *
 * @example
 * ```ts
 * const code: FieldErrorCode = 'dateNotPast';
 * ```
 */
export type FieldErrorCode =
  | 'required'
  | 'chooseRequired'
  | 'tooShort'
  | 'tooLong'
  | 'patternMismatch'
  | 'invalid'
  | 'notANumber'
  | 'notAWholeNumber'
  | 'tooSmall'
  | 'tooLarge'
  | 'emailInvalid'
  | 'phoneInvalid'
  | 'phoneCountryNotAllowed'
  | 'phoneNotMobile'
  | 'dateMissingDay'
  | 'dateMissingMonth'
  | 'dateMissingYear'
  | 'dateMissingDayAndMonth'
  | 'dateMissingDayAndYear'
  | 'dateMissingMonthAndYear'
  | 'dateInvalid'
  | 'dateYearFourDigits'
  | 'dateNotPast'
  | 'dateNotFuture'
  | 'dateTooEarly'
  | 'dateTooLate'
  | 'choiceInvalid'
  | 'tooFewSelected'
  | 'tooManySelected'
  | 'vnCitizenIdLength'
  | 'vnCitizenIdProvince'
  | 'vnCitizenIdBirthYearFuture'
  | 'vnCitizenIdDateOfBirthMismatch'
  | 'vnLegacyIdInvalid'
  | 'ninoInvalid'
  | 'nationalIdInvalid'
  | 'addressLineRequired'
  | 'addressTownRequired'
  | 'addressCommuneRequired'
  | 'addressProvinceRequired'
  | 'addressProvinceUnknown'
  | 'addressProvinceMerged'
  | 'addressCountryRequired'
  | 'postcodeRequired'
  | 'postcodeInvalid'
  | 'fileRequired'
  | 'fileTooLarge'
  | 'fileTypeNotAllowed'
  | 'fileTooMany'
  | 'fileEmpty'
  | 'declarationRequired'
  | 'repeaterTooFew'
  | 'repeaterTooMany'
  | 'addAnotherRequired';

/**
 * The message catalogue: GOV.UK-style messages that say what to do, in
 * Vietnamese and English. Placeholders: `{name}` (how the field is referred
 * to), `{Name}` (the same, capitalised), and rule values such as `{min}`,
 * `{max}`, `{date}`, `{province}`, `{newProvince}`, `{types}`, `{size}`.
 *
 * @example
 * ```ts
 * formMessages.dateNotPast.en; // '{Name} must be in the past'
 * ```
 */
export const formMessages: Readonly<Record<FieldErrorCode, LocalizedText>> = {
  required: { vi: 'Nhập {name}', en: 'Enter {name}' },
  chooseRequired: { vi: 'Chọn {name}', en: 'Select {name}' },
  tooShort: {
    vi: '{Name} phải có ít nhất {min} ký tự',
    en: '{Name} must be {min} characters or more',
  },
  tooLong: {
    vi: '{Name} không được quá {max} ký tự',
    en: '{Name} must be {max} characters or less',
  },
  patternMismatch: { vi: '{Name} không đúng định dạng', en: 'Enter {name} in the correct format' },
  invalid: { vi: '{Name} không hợp lệ', en: 'Enter a real {name}' },
  notANumber: { vi: '{Name} phải là một số', en: '{Name} must be a number' },
  notAWholeNumber: { vi: '{Name} phải là số nguyên', en: '{Name} must be a whole number' },
  tooSmall: { vi: '{Name} phải từ {min} trở lên', en: '{Name} must be {min} or more' },
  tooLarge: { vi: '{Name} không được lớn hơn {max}', en: '{Name} must be {max} or less' },
  emailInvalid: {
    vi: 'Nhập địa chỉ email đúng định dạng, ví dụ ten@example.com',
    en: 'Enter an email address in the correct format, like name@example.com',
  },
  phoneInvalid: {
    vi: 'Nhập số điện thoại hợp lệ, ví dụ 0912 345 678 hoặc +84 912 345 678',
    en: 'Enter a phone number, like 0912 345 678 or +44 7911 123 456',
  },
  phoneCountryNotAllowed: {
    vi: 'Nhập số điện thoại của quốc gia được chấp nhận',
    en: 'Enter a phone number from an accepted country',
  },
  phoneNotMobile: { vi: 'Nhập số điện thoại di động', en: 'Enter a mobile phone number' },
  dateMissingDay: { vi: '{Name} phải có ngày', en: '{Name} must include a day' },
  dateMissingMonth: { vi: '{Name} phải có tháng', en: '{Name} must include a month' },
  dateMissingYear: { vi: '{Name} phải có năm', en: '{Name} must include a year' },
  dateMissingDayAndMonth: {
    vi: '{Name} phải có ngày và tháng',
    en: '{Name} must include a day and month',
  },
  dateMissingDayAndYear: {
    vi: '{Name} phải có ngày và năm',
    en: '{Name} must include a day and year',
  },
  dateMissingMonthAndYear: {
    vi: '{Name} phải có tháng và năm',
    en: '{Name} must include a month and year',
  },
  dateInvalid: { vi: '{Name} phải là một ngày có thật', en: '{Name} must be a real date' },
  dateYearFourDigits: { vi: 'Năm phải có 4 chữ số', en: 'Year must include 4 numbers' },
  dateNotPast: { vi: '{Name} phải là một ngày trong quá khứ', en: '{Name} must be in the past' },
  dateNotFuture: {
    vi: '{Name} phải là một ngày trong tương lai',
    en: '{Name} must be in the future',
  },
  dateTooEarly: {
    vi: '{Name} phải từ ngày {date} trở về sau',
    en: '{Name} must be the same as or after {date}',
  },
  dateTooLate: {
    vi: '{Name} phải từ ngày {date} trở về trước',
    en: '{Name} must be the same as or before {date}',
  },
  choiceInvalid: { vi: 'Chọn {name} trong danh sách', en: 'Select {name} from the list' },
  tooFewSelected: { vi: 'Chọn ít nhất {min} mục', en: 'Select at least {min} options' },
  tooManySelected: { vi: 'Chọn tối đa {max} mục', en: 'Select {max} options or fewer' },
  vnCitizenIdLength: {
    vi: 'Số định danh cá nhân phải có đúng 12 chữ số',
    en: 'Citizen ID number must be 12 digits',
  },
  vnCitizenIdProvince: {
    vi: 'Số định danh cá nhân không hợp lệ: 3 chữ số đầu không phải mã tỉnh',
    en: 'Enter a real citizen ID number: the first 3 digits are not a province code',
  },
  vnCitizenIdBirthYearFuture: {
    vi: 'Số định danh cá nhân không hợp lệ: năm sinh nằm trong tương lai',
    en: 'Enter a real citizen ID number: its birth year is in the future',
  },
  vnCitizenIdDateOfBirthMismatch: {
    vi: 'Số định danh cá nhân không khớp với năm sinh của bạn',
    en: 'Citizen ID number does not match the year of your date of birth',
  },
  vnLegacyIdInvalid: {
    vi: 'Số chứng minh nhân dân phải có đúng 9 chữ số',
    en: 'Identity card number must be 9 digits',
  },
  ninoInvalid: {
    vi: 'Nhập số bảo hiểm quốc gia đúng định dạng, ví dụ QQ 12 34 56 C',
    en: 'Enter a National Insurance number in the correct format, like QQ 12 34 56 C',
  },
  nationalIdInvalid: { vi: '{Name} không hợp lệ', en: 'Enter a real {name}' },
  addressLineRequired: {
    vi: 'Nhập số nhà, tên đường',
    en: 'Enter address line 1, typically the building and street',
  },
  addressTownRequired: { vi: 'Nhập thị trấn hoặc thành phố', en: 'Enter town or city' },
  addressCommuneRequired: { vi: 'Nhập xã, phường hoặc đặc khu', en: 'Enter the commune or ward' },
  addressProvinceRequired: { vi: 'Nhập tỉnh hoặc thành phố', en: 'Enter the province or city' },
  addressProvinceUnknown: {
    vi: 'Nhập tên một tỉnh hoặc thành phố của Việt Nam',
    en: 'Enter the name of a province or city in Vietnam',
  },
  addressProvinceMerged: {
    vi: 'Từ ngày 1/7/2025 {province} thuộc {newProvince}. Nhập {newProvince}, hoặc nhập cả quận/huyện nếu dùng địa chỉ cũ',
    en: 'Since 1 July 2025 {province} is part of {newProvince}. Enter {newProvince}, or also enter the district for an old address',
  },
  addressCountryRequired: { vi: 'Nhập quốc gia', en: 'Enter country' },
  postcodeRequired: { vi: 'Nhập mã bưu chính', en: 'Enter postcode' },
  postcodeInvalid: {
    vi: 'Nhập mã bưu chính Vương quốc Anh hợp lệ',
    en: 'Enter a full UK postcode',
  },
  fileRequired: { vi: 'Chọn tệp {name}', en: 'Select {name}' },
  fileTooLarge: {
    vi: 'Tệp phải nhỏ hơn {size}',
    en: 'The selected file must be smaller than {size}',
  },
  fileTypeNotAllowed: {
    vi: 'Tệp phải có định dạng {types}',
    en: 'The selected file must be a {types}',
  },
  fileTooMany: { vi: 'Chọn tối đa {max} tệp', en: 'Select {max} files or fewer' },
  fileEmpty: { vi: 'Tệp đã chọn bị trống', en: 'The selected file is empty' },
  declarationRequired: {
    vi: 'Bạn phải xác nhận trước khi tiếp tục',
    en: 'You must confirm the declaration to continue',
  },
  repeaterTooFew: { vi: 'Thêm ít nhất {min} {name}', en: 'Add at least {min} {name}' },
  repeaterTooMany: {
    vi: 'Bạn chỉ có thể thêm tối đa {max} {name}',
    en: 'You can only add up to {max} {name}',
  },
  addAnotherRequired: {
    vi: 'Chọn có nếu bạn cần thêm {name}',
    en: 'Select yes if you need to add another {name}',
  },
};

function byLocale<Key extends string>(
  table: Readonly<Record<Key, LocalizedText>>,
  locale: 'vi' | 'en',
): Record<Key, string> {
  const out = {} as Record<Key, string>;
  for (const key of Object.keys(table) as Key[]) out[key] = table[key][locale];
  return out;
}

/**
 * {@link formMessages} as a `@civicblocks/core` message catalogue (NFC,
 * English as the last fallback).
 */
const fieldMessageCatalogue: MessageCatalogue<FieldErrorCode> =
  /* @__PURE__ */ createMessageCatalogue<FieldErrorCode>({
    messages: { vi: byLocale(formMessages, 'vi'), en: byLocale(formMessages, 'en') },
    defaultLocale: 'en',
  });

/**
 * The catalogue message for `code` in `locale`, as plain text (the
 * renderer escapes it). `values` must hold every placeholder the message
 * has, `{Name}` included; numbers are put in as written, not
 * locale-formatted (a limit may be a year).
 *
 * @throws core's `InvalidInputError` `INVALID_ARGUMENT` when a placeholder has no value.
 * @example
 * ```ts
 * fieldMessage('en', 'tooLong', { name: 'your name', Name: 'Your name', max: 100 }); // 'Your name must be 100 characters or less'
 * ```
 */
export function fieldMessage(
  locale: 'vi' | 'en',
  code: FieldErrorCode,
  values: Readonly<Record<string, string | number>>,
): string {
  const text: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) text[key] = String(value);
  return fieldMessageCatalogue.translatePlainText(locale, code, text);
}

/**
 * Fixed words of the page furniture, in vi and en.
 *
 * @example
 * ```ts
 * interfaceText.continue.vi; // 'Tiếp tục'
 * ```
 */
export const interfaceText: Readonly<Record<InterfaceTextKey, LocalizedText>> = {
  continue: { vi: 'Tiếp tục', en: 'Continue' },
  back: { vi: 'Quay lại', en: 'Back' },
  errorSummaryTitle: { vi: 'Có lỗi cần sửa', en: 'There is a problem' },
  errorPrefix: { vi: 'Lỗi:', en: 'Error:' },
  errorTitlePrefix: { vi: 'Lỗi: ', en: 'Error: ' },
  optional: { vi: '(không bắt buộc)', en: '(optional)' },
  day: { vi: 'Ngày', en: 'Day' },
  month: { vi: 'Tháng', en: 'Month' },
  year: { vi: 'Năm', en: 'Year' },
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
  change: { vi: 'Thay đổi', en: 'Change' },
  remove: { vi: 'Xóa', en: 'Remove' },
  checkAnswersTitle: {
    vi: 'Kiểm tra câu trả lời của bạn trước khi gửi',
    en: 'Check your answers before sending your application',
  },
  submit: { vi: 'Chấp nhận và gửi', en: 'Accept and send' },
  confirmationTitle: { vi: 'Đã gửi hồ sơ', en: 'Application complete' },
  referenceLabel: { vi: 'Mã hồ sơ của bạn', en: 'Your reference number' },
  addAnotherQuestion: {
    vi: 'Bạn có cần thêm {name} khác không?',
    en: 'Do you need to add another {name}?',
  },
  itemHeading: { vi: '{Name} {number}', en: '{Name} {number}' },
  youHaveAdded: { vi: 'Bạn đã thêm {count} {name}', en: 'You have added {count} {name}' },
  addressLine1: { vi: 'Số nhà, tên đường', en: 'Address line 1' },
  addressLine2: { vi: 'Địa chỉ dòng 2 (không bắt buộc)', en: 'Address line 2 (optional)' },
  town: { vi: 'Thị trấn hoặc thành phố', en: 'Town or city' },
  postcode: { vi: 'Mã bưu chính', en: 'Postcode' },
  commune: { vi: 'Xã, phường hoặc đặc khu', en: 'Commune or ward' },
  district: {
    vi: 'Quận, huyện (chỉ với địa chỉ cũ trước 1/7/2025)',
    en: 'District (only for an old address from before 1 July 2025)',
  },
  province: { vi: 'Tỉnh hoặc thành phố', en: 'Province or city' },
  region: { vi: 'Bang, vùng (không bắt buộc)', en: 'State, province or region (optional)' },
  postalCode: { vi: 'Mã bưu chính (không bắt buộc)', en: 'Postal code (optional)' },
  country: { vi: 'Quốc gia', en: 'Country' },
  dateHint: {
    vi: 'Ví dụ: 27 3 2007 hoặc 27 tháng Ba 2007',
    en: 'For example, 27 3 2007 or 27 March 2007',
  },
  selectPlaceholder: { vi: 'Chọn', en: 'Choose' },
  skipToMain: { vi: 'Chuyển đến nội dung chính', en: 'Skip to main content' },
  serviceInformation: { vi: 'Thông tin dịch vụ', en: 'Service information' },
  serviceProblem: {
    vi: 'Đã xảy ra lỗi. Vui lòng thử lại sau.',
    en: 'Sorry, there is a problem with the service. Try again later.',
  },
  pageNotFound: { vi: 'Không tìm thấy trang', en: 'Page not found' },
  answersSaved: { vi: 'Câu trả lời của bạn đã được lưu', en: 'Your answers have been saved' },
  resumeLinkIntro: {
    vi: 'Dùng đường dẫn này để tiếp tục sau:',
    en: 'Use this link to continue later:',
  },
  warning: { vi: 'Cảnh báo', en: 'Warning' },
  language: { vi: 'Ngôn ngữ', en: 'Language' },
  requestTooLarge: {
    vi: 'Nội dung bạn gửi quá lớn. Nếu bạn đã tải tệp lên, hãy chọn tệp nhỏ hơn rồi thử lại.',
    en: 'What you sent is too large. If you uploaded a file, choose a smaller one and try again.',
  },
  requestMalformed: {
    vi: 'Không đọc được nội dung bạn gửi. Hãy quay lại trang và gửi lại.',
    en: 'We could not read what you sent. Go back to the page and send it again.',
  },
  requestUnsupported: {
    vi: 'Nội dung bạn gửi không phải là một biểu mẫu mà dịch vụ này đọc được. Hãy quay lại trang và gửi lại từ biểu mẫu.',
    en: 'What you sent is not a form this service can read. Go back to the page and send it from the form.',
  },
  requestBadEncoding: {
    vi: 'Câu trả lời của bạn có ký tự không đọc được. Hãy quay lại trang, xóa các ký tự lạ rồi gửi lại.',
    en: 'Your answer has characters we could not read. Go back to the page, remove any unusual characters and send it again.',
  },
  requestRefusedTitle: {
    vi: 'Không thể nhận nội dung bạn gửi',
    en: 'We could not accept what you sent',
  },
  answersNotKept: {
    vi: 'Không thể lưu câu trả lời của bạn lúc này. Câu trả lời vẫn còn trên trang này: hãy thử gửi lại sau ít phút.',
    en: 'We could not save your answers just now. They are still on this page: try sending them again in a few minutes.',
  },
  answersTooLongToKeep: {
    vi: 'Câu trả lời của bạn quá dài để chúng tôi lưu giữ. Câu trả lời vẫn còn trên trang này: hãy rút ngắn rồi gửi lại.',
    en: 'Your answers are too long for us to keep. They are still on this page: shorten them and send them again.',
  },
  answersUnreadableTitle: {
    vi: 'Không đọc được câu trả lời đã lưu của bạn',
    en: 'We could not read your saved answers',
  },
  answersUnreadable: {
    vi: 'Câu trả lời bạn đã nhập không còn đọc được (có thể đã hết hạn hoặc trình duyệt chỉ gửi lại một phần). Bạn cần bắt đầu lại.',
    en: 'The answers you gave can no longer be read (they may have expired, or your browser sent back only part of them). You need to start again.',
  },
  returnToForm: { vi: 'Quay lại biểu mẫu', en: 'Go back to the form' },
  methodNotAllowed: {
    vi: 'Trang này không nhận yêu cầu kiểu này.',
    en: 'This page does not accept that kind of request.',
  },
};

const interfaceCatalogue: MessageCatalogue<InterfaceTextKey> =
  /* @__PURE__ */ createMessageCatalogue<InterfaceTextKey>({
    messages: { vi: byLocale(interfaceText, 'vi'), en: byLocale(interfaceText, 'en') },
    defaultLocale: 'en',
  });

/**
 * An {@link interfaceText} template filled through the core message
 * catalogue, as plain text (the renderer escapes it). Each value is also
 * offered capitalised (`{Name}` for `name`).
 *
 * @example
 * ```ts
 * interfaceMessage('vi', 'itemHeading', { name: 'con', number: 2 }); // 'Con 2'
 * ```
 */
export function interfaceMessage(
  locale: 'vi' | 'en',
  key: InterfaceTextKey,
  values: Readonly<Record<string, string | number>> = {},
): string {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const written = String(value);
    text[name] = written;
    text[name.charAt(0).toUpperCase() + name.slice(1)] =
      written.charAt(0).toLocaleUpperCase() + written.slice(1);
  }
  return interfaceCatalogue.translatePlainText(locale, key, text);
}

/**
 * Keys of {@link interfaceText}.
 *
 * @example
 * ```ts
 * const key: InterfaceTextKey = 'continue';
 * ```
 */
export type InterfaceTextKey =
  | 'continue'
  | 'back'
  | 'errorSummaryTitle'
  | 'errorPrefix'
  | 'errorTitlePrefix'
  | 'optional'
  | 'day'
  | 'month'
  | 'year'
  | 'yes'
  | 'no'
  | 'change'
  | 'remove'
  | 'checkAnswersTitle'
  | 'submit'
  | 'confirmationTitle'
  | 'referenceLabel'
  | 'addAnotherQuestion'
  | 'itemHeading'
  | 'youHaveAdded'
  | 'addressLine1'
  | 'addressLine2'
  | 'town'
  | 'postcode'
  | 'commune'
  | 'district'
  | 'province'
  | 'region'
  | 'postalCode'
  | 'country'
  | 'dateHint'
  | 'selectPlaceholder'
  | 'skipToMain'
  | 'serviceInformation'
  | 'serviceProblem'
  | 'pageNotFound'
  | 'answersSaved'
  | 'resumeLinkIntro'
  | 'warning'
  | 'language'
  | 'requestTooLarge'
  | 'requestMalformed'
  | 'requestUnsupported'
  | 'requestBadEncoding'
  | 'requestRefusedTitle'
  | 'answersNotKept'
  | 'answersTooLongToKeep'
  | 'answersUnreadableTitle'
  | 'answersUnreadable'
  | 'returnToForm'
  | 'methodNotAllowed';

/**
 * Fills `{placeholder}`s in a template. `{Name}` is `{name}` with its first
 * letter capitalised. Unknown placeholders are left as they are.
 *
 * @example
 * ```ts
 * fillMessage('{Name} must be in the past', { name: 'date of birth' }); // 'Date of birth must be in the past'
 * ```
 */
export function fillMessage(
  template: string,
  values: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, key: string) => {
    const direct = values[key];
    if (direct !== undefined) return String(direct);
    const lower = key.charAt(0).toLowerCase() + key.slice(1);
    const base = values[lower];
    if (base !== undefined && lower !== key) {
      const text = String(base);
      return text.charAt(0).toLocaleUpperCase() + text.slice(1);
    }
    return whole;
  });
}

/**
 * Replacements for the page furniture's words, by {@link InterfaceTextKey}
 * (for example the check-your-answers button, "Chấp nhận và gửi" / "Accept
 * and send" by default).
 *
 * @example
 * ```ts
 * const texts: InterfaceTextOverrides = { submit: { vi: 'Gửi hồ sơ', en: 'Send application' } };
 * ```
 */
export type InterfaceTextOverrides = Readonly<Partial<Record<InterfaceTextKey, LocalizedText>>>;

/**
 * One interface text in `locale`: the override when given, else the
 * built-in {@link interfaceText}.
 *
 * @example
 * ```ts
 * textFor('submit', 'en', { submit: { vi: 'Gửi hồ sơ', en: 'Send application' } }); // 'Send application'
 * ```
 */
export function textFor(
  key: InterfaceTextKey,
  locale: 'vi' | 'en',
  overrides?: InterfaceTextOverrides,
): string {
  const override =
    overrides === undefined || !Object.hasOwn(overrides, key) ? undefined : overrides[key];
  return override?.[locale] ?? interfaceText[key][locale];
}
