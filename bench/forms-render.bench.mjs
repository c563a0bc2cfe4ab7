// Rendering one question page (error summary, a text input, an email input,
// a date input, radios, checkboxes and a button, with errors and the
// citizen's values shown): @civicblocks/forms' renderFormPage against
// govuk-frontend's own nunjucks macros rendering the same components from a
// template compiled once.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileForm, renderFormPage } from '@civicblocks/forms';
import { compare } from './lib/harness.mjs';

// nunjucks and govuk-frontend as the forms package's dev dependencies.
const requireFromForms = createRequire(new URL('../packages/forms/package.json', import.meta.url));
const nunjucks = requireFromForms('nunjucks');
const govukFrontend = join(
  dirname(requireFromForms.resolve('govuk-frontend/package.json')),
  'dist',
);

const options = [
  { value: 'email', label: { vi: 'Email', en: 'Email' } },
  { value: 'sms', label: { vi: 'Tin nhắn', en: 'Text message' } },
  { value: 'post', label: { vi: 'Bưu điện', en: 'Post' } },
];

const template = `{% from "govuk/components/error-summary/macro.njk" import govukErrorSummary %}
{% from "govuk/components/input/macro.njk" import govukInput %}
{% from "govuk/components/date-input/macro.njk" import govukDateInput %}
{% from "govuk/components/radios/macro.njk" import govukRadios %}
{% from "govuk/components/checkboxes/macro.njk" import govukCheckboxes %}
{% from "govuk/components/button/macro.njk" import govukButton %}
{{ govukErrorSummary({ titleText: "There is a problem", errorList: errorList }) }}
<h1 class="govuk-heading-l">Your details</h1>
<form method="post" action="/apply/details" novalidate>
{{ govukInput({ label: { text: "Full name", classes: "govuk-label--s" }, id: "fullName", name: "fullName", value: values.fullName, autocomplete: "name", spellcheck: false, errorMessage: errors.fullName }) }}
{{ govukInput({ label: { text: "Email address", classes: "govuk-label--s" }, id: "email", name: "email", type: "email", value: values.email, autocomplete: "email", spellcheck: false, errorMessage: errors.email }) }}
{{ govukDateInput({ id: "dateOfBirth", fieldset: { legend: { text: "Date of birth", classes: "govuk-fieldset__legend--s" } }, hint: { text: "For example, 27 3 2007 or 27 March 2007" }, errorMessage: errors.dateOfBirth, items: [
  { id: "dateOfBirth-day", name: "dateOfBirth-day", label: "Day", classes: "govuk-input--width-2 govuk-input--error", value: values.day },
  { id: "dateOfBirth-month", name: "dateOfBirth-month", label: "Month", classes: "govuk-input--width-5", value: values.month },
  { id: "dateOfBirth-year", name: "dateOfBirth-year", label: "Year", classes: "govuk-input--width-4", value: values.year }
] }) }}
{{ govukRadios({ name: "contact", fieldset: { legend: { text: "How should we contact you?", classes: "govuk-fieldset__legend--s" } }, items: radioItems, errorMessage: errors.contact }) }}
{{ govukCheckboxes({ name: "needs", fieldset: { legend: { text: "What help do you need?", classes: "govuk-fieldset__legend--s" } }, items: checkboxItems }) }}
{{ govukButton({ text: "Continue" }) }}
</form>`;

export default async function run() {
  const form = compileForm({
    id: 'bench-render',
    version: '1',
    languages: ['vi', 'en'],
    title: { vi: 'Thử', en: 'Bench' },
    pages: [
      {
        id: 'details',
        title: { vi: 'Thông tin của bạn', en: 'Your details' },
        components: [
          { type: 'fullName', id: 'fullName', label: { vi: 'Họ và tên', en: 'Full name' } },
          { type: 'email', id: 'email', label: { vi: 'Email', en: 'Email address' } },
          {
            type: 'date',
            id: 'dateOfBirth',
            label: { vi: 'Ngày sinh', en: 'Date of birth' },
            past: true,
          },
          {
            type: 'radios',
            id: 'contact',
            label: { vi: 'Liên hệ', en: 'How should we contact you?' },
            options,
          },
          {
            type: 'checkboxes',
            id: 'needs',
            label: { vi: 'Hỗ trợ', en: 'What help do you need?' },
            options,
            optional: true,
          },
        ],
      },
    ],
  });
  const posted = {
    fullName: 'Nguyễn Thị <Lan>',
    email: 'lan.example.vn',
    'dateOfBirth-day': '',
    'dateOfBirth-month': 'tháng Ba',
    'dateOfBirth-year': '1990',
    needs: ['sms'],
  };
  const { errors } = form.readPage('details', posted, { locale: 'en', answers: {} });
  if (errors.length !== 3) throw new Error(`expected 3 errors, got ${errors.length}`);

  const environment = new nunjucks.Environment(new nunjucks.FileSystemLoader(govukFrontend), {
    autoescape: true,
  });
  const compiled = nunjucks.compile(template, environment);
  const context = {
    errorList: errors.map((error) => ({ text: error.message.en, href: error.href })),
    errors: Object.fromEntries(errors.map((error) => [error.field, { text: error.message.en }])),
    values: {
      fullName: posted.fullName,
      email: posted.email,
      day: '',
      month: posted['dateOfBirth-month'],
      year: '1990',
    },
    radioItems: options.map((option) => ({ value: option.value, text: option.label.en })),
    checkboxItems: options.map((option) => ({
      value: option.value,
      text: option.label.en,
      checked: option.value === 'sms',
    })),
  };
  const ours = () =>
    renderFormPage(form, {
      route: { kind: 'page', pageId: 'details' },
      answers: {},
      locale: 'en',
      basePath: '/apply',
      inputs: posted,
      errors,
    }).main;
  const theirs = () => compiled.render(context);
  if (!ours().includes('govuk-error-summary') || !theirs().includes('govuk-error-summary'))
    throw new Error('both must render the page');

  return compare({
    name: 'forms-render',
    ours,
    baseline: { name: 'govuk-frontend nunjucks macros', fn: theirs },
    rounds: 30,
    batch: 200,
    warmup: 500,
  });
}
