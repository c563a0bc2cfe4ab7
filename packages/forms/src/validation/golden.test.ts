import { describe, expect, it } from 'vitest';
import type { FormDefinition, QuestionComponent } from '../definition/form-definition.js';
import { compileForm } from './compiled-form.js';

const clock = { now: () => new Date('2026-11-23T10:00:00Z') };

function formOf(components: QuestionComponent[]): ReturnType<typeof compileForm> {
  const definition: FormDefinition = {
    id: 'golden',
    version: '1',
    languages: ['vi', 'en'],
    title: { vi: 'Thử', en: 'Test' },
    pages: [{ id: 'page', title: { vi: 'Trang', en: 'Page' }, components }],
  };
  return compileForm(definition, { clock, timeZone: 'Asia/Ho_Chi_Minh' });
}

function read(
  component: QuestionComponent,
  posted: Record<string, string | string[]>,
  locale: 'vi' | 'en' = 'en',
) {
  const form = formOf([component]);
  return form.readPage('page', posted, { locale, answers: {} });
}

interface Golden {
  readonly posted: Record<string, string | string[]>;
  readonly value?: unknown;
  readonly code?: string;
  readonly vi?: string;
  readonly en?: string;
  readonly locale?: 'vi' | 'en';
}

function check(component: QuestionComponent, cases: readonly Golden[]): void {
  for (const golden of cases) {
    const reading = read(component, golden.posted, golden.locale ?? 'en');
    if (golden.code === undefined) {
      expect(reading.errors, JSON.stringify(golden.posted)).toEqual([]);
      expect(reading.values[component.id]).toEqual(golden.value);
    } else {
      expect(
        reading.errors.map((error) => error.code),
        JSON.stringify(golden.posted),
      ).toEqual([golden.code]);
      const [error] = reading.errors;
      if (golden.vi !== undefined) expect(error?.message.vi).toBe(golden.vi);
      if (golden.en !== undefined) expect(error?.message.en).toBe(golden.en);
    }
  }
}

const label = (vi: string, en: string) => ({ vi, en });

describe('golden validation cases (vi and en)', () => {
  it('text: required, lengths, pattern, NFC', () => {
    check(
      {
        type: 'text',
        id: 'ref',
        label: label('Mã hồ sơ', 'Reference'),
        maxLength: 5,
        pattern: '^[A-Z0-9]+$',
      },
      [
        { posted: { ref: 'AB12' }, value: 'AB12' },
        { posted: { ref: '' }, code: 'required', vi: 'Nhập mã hồ sơ', en: 'Enter reference' },
        {
          posted: { ref: 'ABCDEF' },
          code: 'tooLong',
          vi: 'Mã hồ sơ không được quá 5 ký tự',
          en: 'Reference must be 5 characters or less',
        },
        {
          posted: { ref: 'ab' },
          code: 'patternMismatch',
          en: 'Enter reference in the correct format',
        },
      ],
    );
    check({ type: 'text', id: 'town', label: label('Xã', 'Commune') }, [
      {
        posted: { town: '  Phu\u031Bo\u031B\u0300ng   Ba\u0323ch  Mai ' },
        value: 'Phường Bạch Mai',
      },
    ]);
  });

  it('full name: one field, Vietnamese order kept, NFC', () => {
    const component: QuestionComponent = {
      type: 'fullName',
      id: 'fullName',
      label: label('Họ và tên', 'Full name'),
      name: label('họ và tên của bạn', 'your full name'),
    };
    const nfd = 'Nguyễn Thị Minh Khai'.normalize('NFD');
    check(component, [
      { posted: { fullName: nfd }, value: 'Nguyễn Thị Minh Khai' },
      {
        posted: { fullName: '   ' },
        code: 'required',
        vi: 'Nhập họ và tên của bạn',
        en: 'Enter your full name',
      },
    ]);
  });

  it('number: vi and en separators, whole numbers, limits', () => {
    const component: QuestionComponent = {
      type: 'number',
      id: 'income',
      label: label('Thu nhập', 'Income'),
      minimum: 0,
      maximum: 5_000_000,
    };
    check(component, [
      { posted: { income: '1.500.000' }, value: 1_500_000, locale: 'vi' },
      { posted: { income: '1,500,000' }, value: 1_500_000, locale: 'en' },
      { posted: { income: '2,5' }, value: 2.5, locale: 'vi' },
      {
        posted: { income: 'mười' },
        code: 'notANumber',
        vi: 'Thu nhập phải là một số',
        en: 'Income must be a number',
      },
      { posted: { income: '-1' }, code: 'tooSmall', en: 'Income must be 0 or more' },
      {
        posted: { income: '6000000' },
        code: 'tooLarge',
        vi: 'Thu nhập không được lớn hơn 5000000',
      },
    ]);
    check(
      {
        type: 'number',
        id: 'children',
        label: label('Số con', 'Number of children'),
        integer: true,
      },
      [
        {
          posted: { children: '2.5' },
          code: 'notAWholeNumber',
          en: 'Number of children must be a whole number',
        },
      ],
    );
  });

  it('email', () => {
    check({ type: 'email', id: 'email', label: label('Email', 'Email address') }, [
      { posted: { email: ' Lan@Example.VN ' }, value: 'Lan@example.vn' },
      {
        posted: { email: 'lan.example.vn' },
        code: 'emailInvalid',
        vi: 'Nhập địa chỉ email đúng định dạng, ví dụ ten@example.com',
        en: 'Enter an email address in the correct format, like name@example.com',
      },
    ]);
  });

  it('phone: Vietnamese and international numbers to E.164', () => {
    const component: QuestionComponent = {
      type: 'phone',
      id: 'phone',
      label: label('Số điện thoại', 'Phone number'),
    };
    check(component, [
      { posted: { phone: '0912 345 678' }, value: '+84912345678' },
      { posted: { phone: '+84 24 3825 3536' }, value: '+842438253536' },
      { posted: { phone: '+44 7911 123456' }, value: '+447911123456' },
      {
        posted: { phone: '12345' },
        code: 'phoneInvalid',
        vi: 'Nhập số điện thoại hợp lệ, ví dụ 0912 345 678 hoặc +84 912 345 678',
      },
    ]);
    check({ ...component, countries: ['VN'] }, [
      {
        posted: { phone: '+44 7911 123456' },
        code: 'phoneCountryNotAllowed',
        en: 'Enter a phone number from an accepted country',
      },
    ]);
    check({ ...component, mobileOnly: true }, [
      {
        posted: { phone: '024 3825 3536' },
        code: 'phoneNotMobile',
        vi: 'Nhập số điện thoại di động',
      },
    ]);
  });

  it('date: month names in vi and en, missing parts, real dates, past and relative limits', () => {
    const component: QuestionComponent = {
      type: 'date',
      id: 'dob',
      label: label('Ngày sinh', 'Date of birth'),
      past: true,
      earliest: '1900-01-01',
    };
    const date = (day: string, month: string, year: string) => ({
      'dob-day': day,
      'dob-month': month,
      'dob-year': year,
    });
    check(component, [
      { posted: date('5', 'tháng 3', '2000'), value: '2000-03-05' },
      { posted: date('5', 'tháng Ba', '2000'), value: '2000-03-05' },
      { posted: date('5', 'thang ba', '2000'), value: '2000-03-05' },
      { posted: date('05', 'T3', '2000'), value: '2000-03-05' },
      { posted: date('1', 'tháng Mười Hai', '1999'), value: '1999-12-01' },
      { posted: date('1', 'tháng Giêng', '1999'), value: '1999-01-01' },
      { posted: date('1', 'tháng Tư', '1999'), value: '1999-04-01' },
      { posted: date('5', 'March', '2000'), value: '2000-03-05' },
      { posted: date('5', 'sept', '2000'), value: '2000-09-05' },
      { posted: date('29', '2', '2000'), value: '2000-02-29' },
      {
        posted: date('', '', ''),
        code: 'required',
        vi: 'Nhập ngày sinh',
        en: 'Enter date of birth',
      },
      {
        posted: date('5', '', '2000'),
        code: 'dateMissingMonth',
        vi: 'Ngày sinh phải có tháng',
        en: 'Date of birth must include a month',
      },
      {
        posted: date('', '', '2000'),
        code: 'dateMissingDayAndMonth',
        en: 'Date of birth must include a day and month',
      },
      {
        posted: date('30', '2', '2000'),
        code: 'dateInvalid',
        vi: 'Ngày sinh phải là một ngày có thật',
        en: 'Date of birth must be a real date',
      },
      { posted: date('5', 'tháng Mười Ba', '2000'), code: 'dateInvalid' },
      {
        posted: date('5', '3', '00'),
        code: 'dateYearFourDigits',
        en: 'Year must include 4 numbers',
      },
      {
        posted: date('1', '1', '2030'),
        code: 'dateNotPast',
        vi: 'Ngày sinh phải là một ngày trong quá khứ',
        en: 'Date of birth must be in the past',
      },
      { posted: date('23', '11', '2026'), code: 'dateNotPast' },
      {
        posted: date('31', '12', '1899'),
        code: 'dateTooEarly',
        vi: 'Ngày sinh phải từ ngày ngày 1 tháng 1 năm 1900 trở về sau',
        en: 'Date of birth must be the same as or after 1 January 1900',
      },
    ]);
    const adult: QuestionComponent = {
      type: 'date',
      id: 'dob',
      label: label('Ngày sinh', 'Date of birth'),
      latest: { years: -18 },
    };
    check(adult, [
      { posted: date('23', '11', '2008'), value: '2008-11-23' },
      {
        posted: date('24', '11', '2008'),
        code: 'dateTooLate',
        en: 'Date of birth must be the same as or before 23 November 2008',
      },
    ]);
    check({ type: 'date', id: 'dob', label: label('Ngày hẹn', 'Appointment date'), future: true }, [
      {
        posted: date('22', '11', '2026'),
        code: 'dateNotFuture',
        en: 'Appointment date must be in the future',
      },
      { posted: date('24', '11', '2026'), value: '2026-11-24' },
    ]);
  });

  it('yes/no, radios, checkboxes, select and autocomplete', () => {
    check(
      { type: 'yesNo', id: 'married', label: label('Bạn đã kết hôn chưa?', 'Are you married?') },
      [
        { posted: { married: 'yes' }, value: true },
        { posted: { married: 'no' }, value: false },
        {
          posted: {},
          code: 'chooseRequired',
          vi: 'Chọn bạn đã kết hôn chưa',
          en: 'Select are you married',
        },
      ],
    );
    const options = [
      { value: 'email', label: label('Email', 'Email') },
      { value: 'sms', label: label('Tin nhắn', 'Text message') },
      { value: 'post', label: label('Bưu điện', 'Post') },
    ];
    check(
      { type: 'radios', id: 'contact', label: label('Cách liên hệ', 'Contact method'), options },
      [
        { posted: { contact: 'sms' }, value: 'sms' },
        {
          posted: { contact: 'fax' },
          code: 'choiceInvalid',
          vi: 'Chọn cách liên hệ trong danh sách',
        },
        {
          posted: {},
          code: 'chooseRequired',
          vi: 'Chọn cách liên hệ',
          en: 'Select contact method',
        },
      ],
    );
    check(
      {
        type: 'checkboxes',
        id: 'contact',
        label: label('Cách liên hệ', 'Contact methods'),
        options,
        maxSelected: 2,
      },
      [
        { posted: { contact: ['sms', 'email', 'sms'] }, value: ['sms', 'email'] },
        {
          posted: { contact: ['sms', 'email', 'post'] },
          code: 'tooManySelected',
          en: 'Select 2 options or fewer',
        },
        { posted: { contact: ['fax'] }, code: 'choiceInvalid' },
      ],
    );
    check(
      { type: 'select', id: 'contact', label: label('Cách liên hệ', 'Contact method'), options },
      [
        { posted: { contact: 'post' }, value: 'post' },
        { posted: { contact: '' }, code: 'chooseRequired' },
      ],
    );
    check(
      {
        type: 'autocomplete',
        id: 'contact',
        label: label('Cách liên hệ', 'Contact method'),
        options,
      },
      [
        { posted: { contact: 'tin nhan' }, value: 'sms' },
        { posted: { contact: 'Text message' }, value: 'sms' },
        {
          posted: { contact: 'pigeon' },
          code: 'choiceInvalid',
          en: 'Select contact method from the list',
        },
      ],
    );
  });

  it('Vietnamese 12-digit citizen ID: province, century/gender, birth year, date of birth', () => {
    const component: QuestionComponent = {
      type: 'nationalId',
      id: 'citizenId',
      label: label('Số định danh cá nhân', 'Citizen ID number'),
      schemes: ['vn-citizen-id'],
    };
    check(component, [
      { posted: { citizenId: '001 090 123 456' }, value: '001090123456' },
      { posted: { citizenId: '079305000123' }, value: '079305000123' },
      {
        posted: { citizenId: '00109012345' },
        code: 'vnCitizenIdLength',
        vi: 'Số định danh cá nhân phải có đúng 12 chữ số',
        en: 'Citizen ID number must be 12 digits',
      },
      {
        posted: { citizenId: '003090123456' },
        code: 'vnCitizenIdProvince',
        vi: 'Số định danh cá nhân không hợp lệ: 3 chữ số đầu không phải mã tỉnh',
      },
      { posted: { citizenId: '097090123456' }, code: 'vnCitizenIdProvince' },
      {
        posted: { citizenId: '001290123456' },
        code: 'vnCitizenIdBirthYearFuture',
        en: 'Enter a real citizen ID number: its birth year is in the future',
      },
      { posted: { citizenId: '001490123456' }, code: 'vnCitizenIdBirthYearFuture' },
      { posted: { citizenId: 'ABC' }, code: 'vnCitizenIdLength' },
    ]);
    const definition: FormDefinition = {
      id: 'golden',
      version: '1',
      languages: ['vi', 'en'],
      title: label('Thử', 'Test'),
      pages: [
        {
          id: 'dob',
          components: [
            {
              type: 'date',
              id: 'dateOfBirth',
              label: label('Ngày sinh', 'Date of birth'),
              past: true,
            },
          ],
        },
        { id: 'id', components: [{ ...component, dateOfBirthField: 'dateOfBirth' }] },
      ],
    };
    const form = compileForm(definition, { clock });
    const matching = form.readPage(
      'id',
      { citizenId: '001190123456' },
      { locale: 'vi', answers: { dateOfBirth: '1990-05-01' } },
    );
    expect(matching.errors).toEqual([]);
    const mismatch = form.readPage(
      'id',
      { citizenId: '001191123456' },
      { locale: 'vi', answers: { dateOfBirth: '1990-05-01' } },
    );
    expect(mismatch.errors.map((error) => [error.code, error.message.vi])).toEqual([
      ['vnCitizenIdDateOfBirthMismatch', 'Số định danh cá nhân không khớp với năm sinh của bạn'],
    ]);
    const century = form.readPage(
      'id',
      { citizenId: '001305123456' },
      { locale: 'en', answers: { dateOfBirth: '1990-05-01' } },
    );
    expect(century.errors.map((error) => error.code)).toEqual(['vnCitizenIdDateOfBirthMismatch']);
    expect(form.validate({ dateOfBirth: '2005-01-01', citizenId: '001205123456' })).toMatchObject({
      valid: true,
    });
    expect(form.validate({ dateOfBirth: '2005-01-01', citizenId: '001105123456' })).toMatchObject({
      valid: false,
    });
  });

  it('legacy 9-digit ID and UK National Insurance number', () => {
    check(
      {
        type: 'nationalId',
        id: 'cmnd',
        label: label('Số CMND', 'Identity card number'),
        schemes: ['vn-legacy-id'],
      },
      [
        { posted: { cmnd: '012 345 678' }, value: '012345678' },
        {
          posted: { cmnd: '01234567' },
          code: 'vnLegacyIdInvalid',
          vi: 'Số chứng minh nhân dân phải có đúng 9 chữ số',
        },
      ],
    );
    check(
      {
        type: 'nationalId',
        id: 'id',
        label: label('Số giấy tờ', 'ID number'),
        schemes: ['vn-citizen-id', 'vn-legacy-id'],
      },
      [
        { posted: { id: '012345678' }, value: '012345678' },
        { posted: { id: '001090123456' }, value: '001090123456' },
        {
          posted: { id: '0123456789' },
          code: 'nationalIdInvalid',
          vi: 'Số giấy tờ không hợp lệ',
          en: 'Enter a real ID number',
        },
      ],
    );
    check(
      {
        type: 'nationalId',
        id: 'nino',
        label: label('Số bảo hiểm quốc gia', 'National Insurance number'),
        schemes: ['uk-nino'],
      },
      [
        { posted: { nino: 'ab 12 34 56 c' }, value: 'AB123456C' },
        { posted: { nino: 'QQ123456C' }, code: 'ninoInvalid' },
        { posted: { nino: 'AB123456D' }, value: 'AB123456D' },
        {
          posted: { nino: 'QQ123456E' },
          code: 'ninoInvalid',
          en: 'Enter a National Insurance number in the correct format, like QQ 12 34 56 C',
        },
        { posted: { nino: 'GB123456A' }, code: 'ninoInvalid' },
        { posted: { nino: 'DA123456A' }, code: 'ninoInvalid' },
        { posted: { nino: 'AO123456A' }, code: 'ninoInvalid' },
      ],
    );
  });

  it('address: Vietnam two-tier since 1 July 2025, legacy three-tier, UK postcode, international', () => {
    const vn: QuestionComponent = {
      type: 'address',
      id: 'home',
      label: label('Địa chỉ', 'Address'),
      format: 'vn',
    };
    const vnAddress = (line1: string, commune: string, province: string, district = '') => ({
      'home-line1': line1,
      'home-commune': commune,
      'home-district': district,
      'home-province': province,
    });
    check(vn, [
      {
        posted: vnAddress('12 Phố Huế', 'Phường Hai Bà Trưng', 'Thành phố Hà Nội'),
        value: {
          scheme: 'vn-2025',
          line1: '12 Phố Huế',
          commune: 'Phường Hai Bà Trưng',
          province: 'Hà Nội',
          provinceCode: '01',
        },
      },
      {
        posted: vnAddress('5 Lê Lợi', 'Phường Sài Gòn', 'tp hcm'),
        value: {
          scheme: 'vn-2025',
          line1: '5 Lê Lợi',
          commune: 'Phường Sài Gòn',
          province: 'Hồ Chí Minh',
          provinceCode: '79',
        },
      },
      {
        posted: vnAddress('Thôn 1', 'Xã Minh Tân', 'Hà Giang', 'Huyện Vị Xuyên'),
        value: {
          scheme: 'vn-legacy',
          line1: 'Thôn 1',
          commune: 'Xã Minh Tân',
          district: 'Huyện Vị Xuyên',
          province: 'Hà Giang',
          provinceCode: '002',
        },
      },
      {
        posted: vnAddress('Thôn 1', 'Xã Minh Tân', 'tỉnh Hà Giang'),
        code: 'addressProvinceMerged',
        vi: 'Từ ngày 1/7/2025 Hà Giang thuộc Tuyên Quang. Nhập Tuyên Quang, hoặc nhập cả quận/huyện nếu dùng địa chỉ cũ',
        en: 'Since 1 July 2025 Hà Giang is part of Tuyên Quang. Enter Tuyên Quang, or also enter the district for an old address',
      },
      {
        posted: vnAddress('Thôn 1', 'Xã A', 'Atlantis'),
        code: 'addressProvinceUnknown',
        vi: 'Nhập tên một tỉnh hoặc thành phố của Việt Nam',
      },
      {
        posted: vnAddress('Thôn 1', '', 'Huế'),
        code: 'addressCommuneRequired',
        en: 'Enter the commune or ward',
      },
      { posted: vnAddress('', '', ''), code: 'required', vi: 'Nhập địa chỉ', en: 'Enter address' },
    ]);
    const uk: QuestionComponent = {
      type: 'address',
      id: 'home',
      label: label('Địa chỉ', 'Address'),
      format: 'uk',
    };
    check(uk, [
      {
        posted: {
          'home-line1': '10 Downing Street',
          'home-town': 'London',
          'home-postcode': 'sw1a2aa',
        },
        value: { line1: '10 Downing Street', town: 'London', postcode: 'SW1A 2AA' },
      },
      {
        posted: {
          'home-line1': '10 Downing Street',
          'home-town': 'London',
          'home-postcode': '12345',
        },
        code: 'postcodeInvalid',
        vi: 'Nhập mã bưu chính Vương quốc Anh hợp lệ',
        en: 'Enter a full UK postcode',
      },
    ]);
    const international: QuestionComponent = {
      type: 'address',
      id: 'home',
      label: label('Địa chỉ', 'Address'),
      format: 'international',
    };
    check(international, [
      {
        posted: {
          'home-line1': '1 Rue de Rivoli',
          'home-town': 'Paris',
          'home-postalCode': '75001',
          'home-country': 'France',
        },
        value: { line1: '1 Rue de Rivoli', town: 'Paris', postalCode: '75001', country: 'France' },
      },
      {
        posted: { 'home-line1': '1 Rue de Rivoli' },
        code: 'addressCountryRequired',
        vi: 'Nhập quốc gia',
      },
    ]);
  });

  it('file upload: MIME allow-list, size and count limits', () => {
    const component: QuestionComponent = {
      type: 'file',
      id: 'photo',
      label: label('Ảnh chân dung', 'Photo'),
      accept: ['image/jpeg', 'image/png'],
      maxBytes: 2_000_000,
    };
    const form = formOf([component]);
    const readFiles = (files: { name: string; type: string; size: number }[]) =>
      form.readPage('page', {}, { locale: 'vi', answers: {}, files: { photo: files } });
    expect(readFiles([{ name: 'me.jpg', type: 'image/jpeg', size: 1000 }]).values.photo).toEqual([
      { name: 'me.jpg', type: 'image/jpeg', size: 1000 },
    ]);
    expect(
      readFiles([{ name: 'me.gif', type: 'image/gif', size: 1000 }]).errors[0]?.message,
    ).toEqual({
      vi: 'Tệp phải có định dạng JPG hoặc PNG',
      en: 'The selected file must be a JPG or PNG',
    });
    expect(
      readFiles([{ name: 'me.jpg', type: 'image/jpeg', size: 3_000_000 }]).errors[0]?.message.en,
    ).toBe('The selected file must be smaller than 2 MB');
    expect(
      readFiles([
        { name: 'a.jpg', type: 'image/jpeg', size: 1 },
        { name: 'b.jpg', type: 'image/jpeg', size: 1 },
      ]).errors[0]?.code,
    ).toBe('fileTooMany');
    expect(readFiles([]).errors[0]?.message).toEqual({
      vi: 'Chọn tệp ảnh chân dung',
      en: 'Select photo',
    });
  });

  it('declaration', () => {
    check(
      {
        type: 'declaration',
        id: 'confirm',
        label: label('Tôi xác nhận', 'I confirm'),
        text: label('Đúng sự thật', 'It is true'),
      },
      [
        { posted: { confirm: 'yes' }, value: true },
        { posted: {}, code: 'declarationRequired', vi: 'Bạn phải xác nhận trước khi tiếp tục' },
      ],
    );
  });

  it('per-field message overrides replace the catalogue', () => {
    check(
      {
        type: 'fullName',
        id: 'fullName',
        label: label('Họ và tên', 'Full name'),
        messages: {
          required: label(
            'Nhập họ tên như trên giấy khai sinh',
            'Enter your name as it is on your birth certificate',
          ),
        },
      },
      [
        {
          posted: {},
          code: 'required',
          vi: 'Nhập họ tên như trên giấy khai sinh',
          en: 'Enter your name as it is on your birth certificate',
        },
      ],
    );
  });
});
