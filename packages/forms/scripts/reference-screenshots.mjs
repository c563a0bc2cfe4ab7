// Writes docs/forms/components.md and its screenshots in docs/forms/images/.
//
// Every component is defined from the YAML shown in the reference, compiled
// and rendered by the package itself (dist/), validated with the sample
// inputs listed below (so the error messages in the reference are the ones
// the package gives), and photographed in Debian Chromium with the GOV.UK
// Frontend stylesheet served on 127.0.0.1. The GDS Transport font is not
// served (it is licensed for GOV.UK services only), so pages fall back to
// Arial as GOV.UK Frontend's font stack intends.
//
//   npx turbo run build --filter=@civicblocks/forms
//   node packages/forms/scripts/reference-screenshots.mjs

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  compileForm,
  parseFormDefinition,
  renderContent,
  renderDocument,
  renderFormPage,
  submitPage,
} from '../dist/index.js';

const packageDirectory = dirname(dirname(fileURLToPath(import.meta.url)));
const docsDirectory = join(packageDirectory, '..', '..', 'docs', 'forms');
const imagesDirectory = join(docsDirectory, 'images');
const require = createRequire(import.meta.url);
const stylesheet = join(
  dirname(require.resolve('govuk-frontend/package.json')),
  'dist',
  'govuk',
  'govuk-frontend.min.css',
);
const chromiumPath = '/usr/bin/chromium';
const clock = { now: () => new Date('2026-11-23T03:00:00Z') };
const basePath = '/example';

/**
 * One section of the reference. `yaml` is the page as a form author writes
 * it; `cases` are posted inputs that each produce an error (the first is
 * also photographed); `files` stands in for uploaded files.
 */
const components = [
  {
    type: 'text',
    title: 'Text',
    validates:
      'Required unless `optional: true`; `minLength` and `maxLength` in characters after NFC normalisation and trimming; `pattern` (ECMAScript, `u` flag) when given. `autocomplete`, `inputmode`, `spellcheck` and `width` are passed to the input.',
    yaml: `- id: reference
  components:
    - type: text
      id: reference
      label: { vi: Mã hồ sơ của bạn là gì?, en: What is your application reference? }
      hint: { vi: Ví dụ HS-2025-1234, en: For example HS-2025-1234 }
      name: { vi: mã hồ sơ, en: your application reference }
      maxLength: 12
      pattern: "^HS-[0-9]{4}-[0-9]{4}$"
      width: 10`,
    cases: [{ reference: '' }, { reference: 'HS-2025-12345' }, { reference: 'AB-1' }],
  },
  {
    type: 'textarea',
    title: 'Textarea',
    validates:
      'Required unless optional; `maxLength` in characters (line breaks kept, each line trimmed and NFC-normalised).',
    yaml: `- id: reason
  components:
    - type: textarea
      id: reason
      label: { vi: Vì sao bạn cần hỗ trợ?, en: Why do you need support? }
      name: { vi: lý do, en: the reason }
      maxLength: 500
      rows: 4`,
    cases: [{ reason: '' }, { reason: 'x'.repeat(501) }],
  },
  {
    type: 'number',
    title: 'Number',
    validates:
      'A number written the Vietnamese way (`1.234,5`) or the English way (`1,234.5`), by the page language; `integer`, `minimum` and `maximum`.',
    yaml: `- id: household
  components:
    - type: number
      id: householdSize
      label: { vi: Hộ gia đình bạn có bao nhiêu người?, en: How many people live in your household? }
      name: { vi: số người, en: the number of people }
      integer: true
      minimum: 1
      maximum: 30`,
    cases: [
      { householdSize: '' },
      { householdSize: 'ba' },
      { householdSize: '2,5' },
      { householdSize: '40' },
    ],
  },
  {
    type: 'email',
    title: 'Email',
    validates:
      'An email address (`format: email`), trimmed; the input has `type="email"`, `autocomplete="email"` and `spellcheck="false"`.',
    yaml: `- id: email
  components:
    - type: email
      id: email
      label: { vi: Địa chỉ email của bạn là gì?, en: What is your email address? }
      name: { vi: địa chỉ email, en: your email address }`,
    cases: [{ email: '' }, { email: 'lan@' }],
  },
  {
    type: 'phone',
    title: 'Phone',
    validates:
      'A phone number read with libphonenumber-js (metadata `max`), stored in E.164 (`+84912345678`); `defaultCountry` (default `VN`) for numbers without `+`, `countries` to allow only some, `mobileOnly`.',
    yaml: `- id: phone
  components:
    - type: phone
      id: phone
      label: { vi: Số điện thoại di động của bạn là gì?, en: What is your mobile phone number? }
      name: { vi: số điện thoại, en: your mobile phone number }
      countries: [VN]
      mobileOnly: true`,
    cases: [
      { phone: '' },
      { phone: '0912 34' },
      { phone: '+33 6 12 34 56 78' },
      { phone: '024 3825 3536' },
    ],
  },
  {
    type: 'date',
    title: 'Date',
    validates:
      'Day, month and year inputs (month as a number or a name in vi or en: `3`, `tháng Ba`, `March`); a real date with a four-digit year; `past`, `future`, `earliest` and `latest` (a date or a relative `{ years, months, days }`). Stored as `YYYY-MM-DD`.',
    yaml: `- id: date-of-birth
  components:
    - type: date
      id: dateOfBirth
      label: { vi: Ngày sinh của bạn là ngày nào?, en: What is your date of birth? }
      name: { vi: ngày sinh của bạn, en: your date of birth }
      past: true
      earliest: "1900-01-01"
      autocomplete: bday`,
    cases: [
      { 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' },
      { 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '1990' },
      { 'dateOfBirth-day': '5', 'dateOfBirth-month': '3', 'dateOfBirth-year': '' },
      { 'dateOfBirth-day': '5', 'dateOfBirth-month': '3', 'dateOfBirth-year': '90' },
      { 'dateOfBirth-day': '5', 'dateOfBirth-month': '3', 'dateOfBirth-year': '2030' },
    ],
  },
  {
    type: 'yesNo',
    title: 'Yes or no',
    validates: 'One of yes or no, stored as `true` or `false`. Inline radios.',
    yaml: `- id: has-children
  components:
    - type: yesNo
      id: hasChildren
      label: { vi: Bạn có con dưới 18 tuổi không?, en: Do you have children under 18? }
      name: { vi: có nếu bạn có con dưới 18 tuổi, en: yes if you have children under 18 }`,
    cases: [{}],
  },
  {
    type: 'radios',
    title: 'Radios',
    validates: 'Exactly one of the `options` values; anything else is refused.',
    yaml: `- id: contact-by
  components:
    - type: radios
      id: contactBy
      label: { vi: Chúng tôi nên liên hệ với bạn bằng cách nào?, en: How should we contact you? }
      name: { vi: cách liên hệ, en: how we should contact you }
      options:
        - { value: email, label: { vi: Email, en: Email } }
        - { value: phone, label: { vi: Điện thoại, en: Phone } }
        - { value: post, label: { vi: Thư, en: Post }, hint: { vi: Mất 5 ngày làm việc, en: Takes 5 working days } }`,
    cases: [{}, { contactBy: 'fax' }],
  },
  {
    type: 'checkboxes',
    title: 'Checkboxes',
    validates: 'Any of the `options` values, stored as an array; `minSelected` and `maxSelected`.',
    yaml: `- id: benefits
  components:
    - type: checkboxes
      id: benefits
      label: { vi: Bạn đang nhận những trợ cấp nào?, en: Which benefits do you get? }
      hint: { vi: Chọn tất cả các mục phù hợp, en: Select all that apply }
      name: { vi: trợ cấp, en: the benefits you get }
      maxSelected: 2
      options:
        - { value: pension, label: { vi: Lương hưu, en: Pension } }
        - { value: disability, label: { vi: Trợ cấp khuyết tật, en: Disability allowance } }
        - { value: unemployment, label: { vi: Trợ cấp thất nghiệp, en: Unemployment benefit } }`,
    cases: [{}, { benefits: ['pension', 'disability', 'unemployment'] }],
  },
  {
    type: 'select',
    title: 'Select',
    validates: 'One of the `options` values. Prefer radios for fewer than about 20 options.',
    yaml: `- id: ethnicity
  components:
    - type: select
      id: ethnicity
      label: { vi: Dân tộc, en: Ethnic group }
      name: { vi: dân tộc, en: your ethnic group }
      options:
        - { value: kinh, label: { vi: Kinh, en: Kinh } }
        - { value: tay, label: { vi: Tày, en: Tay } }
        - { value: thai, label: { vi: Thái, en: Thai } }`,
    cases: [{ ethnicity: '' }, { ethnicity: 'other' }],
  },
  {
    type: 'autocomplete',
    title: 'Autocomplete',
    validates:
      'One of the `options` values, matched ignoring case and Vietnamese diacritics, so `da nang` finds `Đà Nẵng`. Without JavaScript it is a text input with a `datalist`.',
    yaml: `- id: province
  components:
    - type: autocomplete
      id: province
      label: { vi: "Bạn sống ở tỉnh, thành phố nào?", en: Which province or city do you live in? }
      name: { vi: "tỉnh, thành phố", en: your province or city }
      options:
        - { value: "01", label: { vi: Hà Nội, en: Ha Noi } }
        - { value: "48", label: { vi: Đà Nẵng, en: Da Nang } }
        - { value: "79", label: { vi: Thành phố Hồ Chí Minh, en: Ho Chi Minh City } }`,
    cases: [{ province: '' }, { province: 'Huế xưa' }],
  },
  {
    type: 'fullName',
    title: 'Full name',
    validates:
      'One field, as the citizen writes it (Vietnamese family name first is kept), NFC-normalised, inner spaces collapsed; `maxLength` (default 200). `autocomplete="name"`, `spellcheck="false"`.',
    yaml: `- id: name
  components:
    - type: fullName
      id: fullName
      label: { vi: Họ và tên của bạn là gì?, en: What is your full name? }
      hint: { vi: Ghi đúng như trên căn cước, en: As it appears on your ID card }
      name: { vi: họ và tên của bạn, en: your full name }`,
    cases: [{ fullName: '' }, { fullName: 'N'.repeat(201) }],
  },
  {
    type: 'address',
    title: 'Address',
    validates:
      '`format: vn` is the two-tier address in force since 1 July 2025 (house and street, commune or ward, one of the 34 provinces; an old province name is matched to its new province, or accepted with a district as an old three-tier address). `uk` checks a UK postcode; `international` asks for a country.',
    yaml: `- id: address
  components:
    - type: address
      id: homeAddress
      label: { vi: Địa chỉ thường trú của bạn là gì?, en: What is your permanent address? }
      name: { vi: địa chỉ, en: your address }
      format: vn`,
    cases: [
      { 'homeAddress-line1': '', 'homeAddress-commune': '', 'homeAddress-province': '' },
      {
        'homeAddress-line1': '12 Phố Huế',
        'homeAddress-commune': 'Phường Hai Bà Trưng',
        'homeAddress-province': 'Hà Tây cũ',
      },
      {
        'homeAddress-line1': '5 Lê Lợi',
        'homeAddress-commune': 'Phường Thuận Hóa',
        'homeAddress-province': 'Thừa Thiên Huế',
      },
    ],
  },
  {
    type: 'nationalId',
    title: 'National identity number',
    validates:
      '`vn-citizen-id`: the 12-digit personal identification number (first three digits a province of birth registration, then the century-and-sex digit and the year of birth, which must not be in the future and, with `dateOfBirthField`, must match the date of birth). `vn-legacy-id`: the 9-digit identity card number. `uk-nino`: a UK National Insurance number. Spaces and dashes are ignored.',
    yaml: `- id: citizen-id
  components:
    - type: nationalId
      id: citizenId
      label: { vi: Số định danh cá nhân của bạn là gì?, en: What is your personal identification number? }
      hint: { vi: 12 chữ số trên căn cước, en: The 12 digits on your citizen identity card }
      name: { vi: số định danh cá nhân, en: your personal identification number }
      schemes: [vn-citizen-id]`,
    cases: [
      { citizenId: '' },
      { citizenId: '00119012345' },
      { citizenId: '999190123456' },
      { citizenId: '001299123456' },
    ],
  },
  {
    type: 'file',
    title: 'File upload',
    validates:
      'The browser-declared MIME type against `accept`, each file against `maxBytes`, the count against `maxFiles` (default 1), empty files. Only files that pass are handed to the `fileStorage` you give `createFormHandler`; the answer keeps name, type, size and the storage id.',
    yaml: `- id: evidence
  components:
    - type: file
      id: evidence
      label: { vi: Tải lên giấy khai sinh, en: Upload the birth certificate }
      name: { vi: giấy khai sinh, en: the birth certificate }
      accept: [application/pdf, image/jpeg]
      maxBytes: 5000000
      maxFiles: 2`,
    cases: [
      {},
      { files: [{ name: 'setup.exe', type: 'application/x-msdownload', size: 1000 }] },
      { files: [{ name: 'scan.pdf', type: 'application/pdf', size: 6_000_000 }] },
      {
        files: ['1', '2', '3'].map((n) => ({
          name: `page-${n}.pdf`,
          type: 'application/pdf',
          size: 1000,
        })),
      },
      { files: [{ name: 'empty.pdf', type: 'application/pdf', size: 0 }] },
    ],
  },
  {
    type: 'declaration',
    title: 'Declaration',
    validates: 'A single checkbox that must be ticked; stored as `true`.',
    yaml: `- id: declaration
  components:
    - type: declaration
      id: declaration
      label: { vi: Cam đoan, en: Declaration }
      text: { vi: Tôi cam đoan những thông tin trên là đúng sự thật., en: I confirm the information I have given is true. }`,
    cases: [{}],
  },
];

const contentYaml = `- id: before-you-start
  title: { vi: Trước khi bắt đầu, en: Before you start }
  components:
    - type: paragraph
      id: intro
      text: { vi: Bạn cần căn cước và giấy khai sinh của trẻ., en: You need your ID card and the child's birth certificate. }
    - type: insetText
      id: deadline
      text: { vi: Đăng ký trong vòng 60 ngày kể từ ngày sinh., en: Register within 60 days of the birth. }
    - type: details
      id: help
      summary: { vi: Tôi không có giấy chứng sinh, en: I do not have a birth certificate }
      text: { vi: Liên hệ Ủy ban nhân dân xã nơi bạn cư trú., en: Contact the commune People's Committee where you live. }
    - type: warning
      id: penalty
      text: { vi: Khai báo sai có thể bị xử phạt., en: You can be fined for giving false information. }
    - type: yesNo
      id: ready
      label: { vi: Bạn đã có đủ giấy tờ chưa?, en: Do you have these documents? }`;

function definitionYaml(pagesYaml) {
  const indented = pagesYaml
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `id: reference-example
version: "1"
languages: [vi, en]
title: { vi: Ví dụ thành phần, en: Component example }
checkAnswers: false
pages:
${indented}
`;
}

function compile(pagesYaml) {
  return compileForm(parseFormDefinition(definitionYaml(pagesYaml), 'yaml'), {
    clock,
    timeZone: 'Asia/Ho_Chi_Minh',
  });
}

function validate(form, posted, locale) {
  const pageId = form.definition.pages[0].id;
  const { files = [], ...fields } = posted;
  const question = form.definition.pages[0].components.find(
    (component) => component.type === 'file',
  );
  const step = submitPage(form, {
    route: { kind: 'page', pageId },
    posted: fields,
    files: question === undefined ? {} : { [question.id]: files },
    answers: {},
    locale,
    change: false,
  });
  if (step.kind !== 'invalid') {
    throw new Error(`the sample input ${JSON.stringify(posted)} for ${pageId} was accepted`);
  }
  return step;
}

function pageHtml(form, step) {
  const pageId = form.definition.pages[0].id;
  const page = renderFormPage(form, {
    route: { kind: 'page', pageId },
    answers: {},
    locale: 'vi',
    basePath,
    ...(step === undefined ? {} : { errors: step.errors, inputs: step.inputs }),
  });
  return renderDocument({
    locale: 'vi',
    title: page.title,
    main: page.main,
    stylesheetHref: '/govuk-frontend.min.css',
  });
}

const describeInput = (posted) => {
  if (posted.files !== undefined) {
    return posted.files
      .map((file) => `${file.name} (${file.type}, ${file.size.toLocaleString('en-GB')} bytes)`)
      .join(', ');
  }
  const values = Object.values(posted).flat();
  if (values.length === 0 || values.every((value) => value === '')) return 'nothing';
  return values
    .filter((value) => value !== '')
    .map((value) =>
      value.length > 30 ? `${value.slice(0, 12)}… (${value.length} characters)` : value,
    )
    .map((value) => `\`${value}\``)
    .join(', ');
};

async function main() {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium is needed at ${chromiumPath}`);
  await mkdir(imagesDirectory, { recursive: true });
  const css = await readFile(stylesheet);
  const pages = new Map();
  const server = createServer((request, response) => {
    if (request.url === '/govuk-frontend.min.css') {
      response.writeHead(200, { 'content-type': 'text/css' }).end(css);
      return;
    }
    const html = pages.get(request.url);
    if (html === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath });
  const page = await browser.newPage({ viewport: { width: 640, height: 900 }, locale: 'vi-VN' });

  const shoot = async (name, html) => {
    pages.set(`/${name}`, html);
    await page.goto(`${origin}/${name}`);
    const box = await page.locator('main').boundingBox();
    if (box === null) throw new Error(`${name}: nothing was rendered`);
    const margin = Math.min(15, box.x);
    await page.screenshot({
      path: join(imagesDirectory, `${name}.png`),
      clip: { x: box.x - margin, y: box.y, width: box.width + 2 * margin, height: box.height },
    });
    return `images/${name}.png`;
  };

  const sections = [];
  try {
    for (const entry of components) {
      const form = compile(entry.yaml);
      const steps = entry.cases.map((posted) => ({ posted, vi: validate(form, posted, 'vi') }));
      const image = await shoot(entry.type, pageHtml(form));
      const errorImage = await shoot(`${entry.type}-error`, pageHtml(form, steps[0].vi));
      const rows = steps.flatMap(({ posted, vi }) =>
        vi.errors.map(
          (error) =>
            `| ${describeInput(posted)} | \`${error.code}\` | ${error.message.vi} | ${error.message.en} |`,
        ),
      );
      sections.push(`## ${entry.title} (\`${entry.type}\`)

\`\`\`yaml
${entry.yaml}
\`\`\`

**Validates:** ${entry.validates}

| Input | Code | vi | en |
|---|---|---|---|
${rows.join('\n')}

![${entry.title}, in Vietnamese](${image})

![${entry.title} with an error, in Vietnamese](${errorImage})
`);
    }

    const contentForm = compile(contentYaml);
    const contentImage = await shoot('content', pageHtml(contentForm));
    const [contentPage] = contentForm.definition.pages;
    const blocks = contentPage.components
      .filter((component) => component.type !== 'yesNo')
      .map(
        (component) =>
          `- \`${component.type}\`: ${renderContent(component, 'en').startsWith('<') ? 'rendered as GOV.UK ' : ''}${
            {
              paragraph: 'body text (`govuk-body`)',
              insetText: 'inset text',
              details: 'a details disclosure with a `summary`',
              warning: 'warning text, with a visually hidden "Cảnh báo" / "Warning"',
            }[component.type]
          }`,
      );
    sections.push(`## Content blocks (\`paragraph\`, \`insetText\`, \`details\`, \`warning\`)

Content blocks ask nothing and are never validated. Each needs an \`id\` and \`text\`
(line breaks are kept); \`details\` also takes a \`summary\`; any block may have a
\`condition\`. Give a page with content a \`title\`, which becomes its heading.

\`\`\`yaml
${contentYaml}
\`\`\`

${blocks.join('\n')}

![Content blocks, in Vietnamese](${contentImage})
`);
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }

  const markdown = `<!-- Written by packages/forms/scripts/reference-screenshots.mjs: edit the script and run it again. -->

# Form components

Every question and content block \`@civicblocks/forms\` offers, with a minimal
definition in YAML (the \`pages:\` entry of a form definition; see
[Build your first form](build-your-first-form.md) for the whole file), what it
checks, the error messages it gives in Vietnamese and English (each row is a
real input, typed on the Vietnamese page and run through the package), and how
it looks.

Every question also takes \`hint\`, \`name\` (how error messages refer to it),
\`optional: true\`, a \`condition\`, and \`messages\` to replace any message below
by its code. Screenshots are the Vietnamese page at 640 pixels wide, first as
asked, then after the first input in the table.

${sections.join('\n')}`;
  await writeFile(join(docsDirectory, 'components.md'), markdown);
  process.stdout.write(`wrote ${components.length + 1} sections to docs/forms/components.md\n`);
}

await main();
