import type { FormDefinition } from '../definition/form-definition.js';

/**
 * A small multi-page application form used by the package's own tests and
 * handy for yours: sections, a one-question-per-page flow, a multi-question
 * page, a condition, an "add another" repeater, a Vietnamese address, a
 * citizen ID checked against the date of birth, and a declaration.
 *
 * @example
 * ```ts
 * const form = compileForm(exampleApplicationDefinition);
 * ```
 */
export const exampleApplicationDefinition: FormDefinition = {
  id: 'example-application',
  version: '2',
  languages: ['vi', 'en'],
  title: { vi: 'Đăng ký hỗ trợ gia đình', en: 'Apply for family support' },
  sections: [
    { id: 'about-you', title: { vi: 'Về bạn', en: 'About you' } },
    { id: 'family', title: { vi: 'Gia đình', en: 'Your family' } },
  ],
  pages: [
    {
      id: 'name',
      section: 'about-you',
      components: [
        {
          type: 'fullName',
          id: 'fullName',
          label: { vi: 'Họ và tên của bạn là gì?', en: 'What is your full name?' },
          name: { vi: 'họ và tên của bạn', en: 'your full name' },
          hint: { vi: 'Ghi đúng như trên căn cước', en: 'As it appears on your ID card' },
        },
      ],
    },
    {
      id: 'date-of-birth',
      section: 'about-you',
      components: [
        {
          type: 'date',
          id: 'dateOfBirth',
          label: { vi: 'Ngày sinh của bạn là ngày nào?', en: 'What is your date of birth?' },
          name: { vi: 'ngày sinh của bạn', en: 'your date of birth' },
          past: true,
          earliest: '1900-01-01',
          autocomplete: 'bday',
        },
      ],
    },
    {
      id: 'citizen-id',
      section: 'about-you',
      components: [
        {
          type: 'nationalId',
          id: 'citizenId',
          label: {
            vi: 'Số định danh cá nhân của bạn là gì?',
            en: 'What is your citizen ID number?',
          },
          name: { vi: 'số định danh cá nhân', en: 'citizen ID number' },
          hint: { vi: '12 chữ số trên thẻ căn cước', en: 'The 12 digits on your ID card' },
          schemes: ['vn-citizen-id'],
          dateOfBirthField: 'dateOfBirth',
        },
      ],
    },
    {
      id: 'contact',
      section: 'about-you',
      title: { vi: 'Thông tin liên hệ', en: 'Contact details' },
      components: [
        {
          type: 'email',
          id: 'email',
          label: { vi: 'Địa chỉ email', en: 'Email address' },
          optional: true,
        },
        { type: 'phone', id: 'phone', label: { vi: 'Số điện thoại', en: 'Phone number' } },
      ],
    },
    {
      id: 'address',
      section: 'about-you',
      components: [
        {
          type: 'address',
          id: 'homeAddress',
          label: { vi: 'Địa chỉ của bạn', en: 'Your address' },
          format: 'vn',
        },
      ],
    },
    {
      id: 'has-children',
      section: 'family',
      components: [
        {
          type: 'yesNo',
          id: 'hasChildren',
          label: { vi: 'Bạn có con dưới 18 tuổi không?', en: 'Do you have children under 18?' },
          name: { vi: 'có nếu bạn có con dưới 18 tuổi', en: 'yes if you have children under 18' },
        },
      ],
    },
    {
      kind: 'repeater',
      id: 'children',
      section: 'family',
      condition: 'hasChildren == true',
      title: { vi: 'Con của bạn', en: 'Your children' },
      itemName: { vi: 'con', en: 'child' },
      itemNamePlural: { vi: 'con', en: 'children' },
      maxItems: 5,
      components: [
        { type: 'fullName', id: 'childName', label: { vi: 'Họ và tên', en: 'Full name' } },
        {
          type: 'date',
          id: 'childDateOfBirth',
          label: { vi: 'Ngày sinh', en: 'Date of birth' },
          past: true,
          earliest: { years: -18 },
        },
      ],
    },
    {
      id: 'declaration',
      components: [
        {
          type: 'declaration',
          id: 'declaration',
          label: {
            vi: 'Tôi xác nhận thông tin trên là đúng',
            en: 'I confirm the information is correct',
          },
          text: {
            vi: 'Cung cấp thông tin sai có thể bị xử phạt theo quy định của pháp luật.',
            en: 'You can be fined if you give false information.',
          },
        },
      ],
    },
  ],
  confirmation: {
    title: { vi: 'Đã gửi hồ sơ', en: 'Application sent' },
    body: {
      vi: 'Chúng tôi sẽ liên hệ với bạn trong 10 ngày làm việc.',
      en: 'We will contact you within 10 working days.',
    },
  },
};
