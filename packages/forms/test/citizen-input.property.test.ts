import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isQuestion } from '../src/components/component-kind.js';
import type { FormDefinition, QuestionComponent } from '../src/definition/form-definition.js';
import { formMessages } from '../src/i18n/form-messages.js';
import { renderDocument, renderFormPage } from '../src/render/page-html.js';
import { compileForm } from '../src/validation/compiled-form.js';

const label = (text: string) => ({ vi: text, en: text });
const options = [
  { value: 'a', label: label('A') },
  { value: 'b', label: label('B') },
];
const everyComponent: QuestionComponent[] = [
  { type: 'text', id: 'text', label: label('Text'), maxLength: 50, pattern: '^[a-z ]*$' },
  { type: 'textarea', id: 'textarea', label: label('Textarea'), maxLength: 200 },
  { type: 'number', id: 'number', label: label('Number'), minimum: 0, maximum: 10, integer: true },
  { type: 'email', id: 'email', label: label('Email') },
  { type: 'phone', id: 'phone', label: label('Phone') },
  { type: 'date', id: 'date', label: label('Date'), past: true, earliest: { years: -120 } },
  { type: 'yesNo', id: 'yesNo', label: label('Yes no') },
  { type: 'radios', id: 'radios', label: label('Radios'), options },
  { type: 'checkboxes', id: 'checkboxes', label: label('Checkboxes'), options, maxSelected: 1 },
  { type: 'select', id: 'select', label: label('Select'), options },
  { type: 'autocomplete', id: 'autocomplete', label: label('Autocomplete'), options },
  { type: 'fullName', id: 'fullName', label: label('Full name') },
  { type: 'address', id: 'addressVn', label: label('Address VN'), format: 'vn' },
  { type: 'address', id: 'addressUk', label: label('Address UK'), format: 'uk' },
  { type: 'address', id: 'addressInternational', label: label('Address'), format: 'international' },
  {
    type: 'nationalId',
    id: 'citizenId',
    label: label('Citizen ID'),
    schemes: ['vn-citizen-id'],
    dateOfBirthField: 'date',
  },
  {
    type: 'nationalId',
    id: 'anyId',
    label: label('Any ID'),
    schemes: ['vn-citizen-id', 'vn-legacy-id', 'uk-nino'],
  },
  {
    type: 'file',
    id: 'file',
    label: label('File'),
    accept: ['application/pdf'],
    maxBytes: 1000,
    maxFiles: 2,
  },
  { type: 'declaration', id: 'declaration', label: label('Declaration'), text: label('I confirm') },
];

const definition: FormDefinition = {
  id: 'everything',
  version: '1',
  languages: ['vi', 'en'],
  title: label('Everything'),
  pages: everyComponent.map((component) => ({
    id: `page-${component.id}`,
    components: [component],
  })),
};
const form = compileForm(definition, { clock: { now: () => new Date('2026-11-23T00:00:00Z') } });
const codes = new Set(Object.keys(formMessages));

function inputNames(component: QuestionComponent): string[] {
  switch (component.type) {
    case 'date':
      return ['day', 'month', 'year'].map((part) => `${component.id}-${part}`);
    case 'address':
      return [
        'line1',
        'line2',
        'commune',
        'district',
        'province',
        'town',
        'postcode',
        'region',
        'postalCode',
        'country',
      ].map((part) => `${component.id}-${part}`);
    default:
      return [component.id];
  }
}

const citizenText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    'tháng Ba',
    '5',
    '2000',
    '0912345678',
    'QQ123456C',
    '001090123456',
    'Hà Nội',
    '  ',
    '\u0000',
    'SW1A 1AA',
    'yes',
    'a',
  ),
  fc.string({ maxLength: 5000 }),
);
const postedValue = fc.oneof(citizenText, fc.array(citizenText, { maxLength: 4 }));
const file = fc.record({
  name: fc.string({ maxLength: 300 }),
  type: fc.string({ maxLength: 30 }),
  size: fc.integer({ min: -5, max: 5000 }),
});

describe('citizen input (property tests)', () => {
  it('arbitrary input to every component never throws and always yields a value or typed errors', () => {
    for (const component of everyComponent) {
      fc.assert(
        fc.property(
          fc.dictionary(fc.constantFrom(...inputNames(component)), postedValue),
          fc.array(file, { maxLength: 3 }),
          fc.constantFrom('vi' as const, 'en' as const),
          (posted, files, locale) => {
            const reading = form.readPage(`page-${component.id}`, posted, {
              locale,
              answers: { date: '1990-01-01' },
              files: { file: files },
            });
            for (const error of reading.errors) {
              expect(codes.has(error.code)).toBe(true);
              expect(error.field).toBe(component.id);
              expect(error.message.vi.length).toBeGreaterThan(0);
              expect(error.message.en.length).toBeGreaterThan(0);
              expect(error.href.startsWith('#')).toBe(true);
            }
            if (reading.errors.length === 0) {
              // A value that passed is one the whole-page JSON Schema accepts.
              expect(form.validatePageValues(`page-${component.id}`, reading.values, {})).toEqual(
                [],
              );
            }
            for (const value of Object.values(reading.values)) {
              if (typeof value === 'string') expect(value).toBe(value.normalize('NFC'));
            }
          },
        ),
        { numRuns: 150 },
      );
    }
  });

  it('arbitrary JSON given as answers never throws and yields a verdict', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.dictionary(fc.constantFrom(...everyComponent.map((c) => c.id)), fc.jsonValue()),
        ),
        (answers) => {
          const result = form.validate(answers as Record<string, unknown>);
          expect(typeof result.valid).toBe('boolean');
          if (!result.valid) expect(result.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('renders a corpus of XSS payloads escaped, in every field, on question, error and check-answers pages', () => {
    const payloads = [
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(1)>',
      "'><svg onload=alert(1)>",
      '</textarea><script>alert(1)</script>',
      '</title><script>alert(1)</script>',
      '<a href="javascript:alert(1)">x</a>',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an XSS payload, on purpose.
      '`${alert(1)}`',
      '<iframe srcdoc="<script>alert(1)</script>">',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
      '<!--<script>alert(1)//-->',
      '\u003cscript\u003ealert(1)\u003c/script\u003e',
      '<ScRiPt>alert(1)</sCrIpT>',
    ];
    const dangerous = /<(script|img|svg|iframe|!--)|href="javascript:/i;
    const documentOf = (main: string, title: string) =>
      renderDocument({ locale: 'en', title, main, stylesheetHref: '/govuk.css' });
    const baseline = documentOf('', '').match(/<script/g)?.length ?? 0;
    for (const payload of payloads) {
      for (const page of form.pages) {
        const component = page.components.find(isQuestion);
        if (component === undefined) continue;
        const posted = Object.fromEntries(inputNames(component).map((name) => [name, payload]));
        const reading = form.readPage(page.id, posted, { locale: 'en', answers: {} });
        const rendered = renderFormPage(form, {
          route: { kind: 'page', pageId: page.id },
          answers: {},
          locale: 'en',
          basePath: '/f',
          inputs: posted,
          errors: reading.errors,
        });
        const html = documentOf(rendered.main, rendered.title);
        expect(html.match(/<script/gi)?.length ?? 0).toBe(baseline);
        expect(rendered.main).not.toMatch(dangerous);
        if (/[<>"']/.test(payload)) expect(html).not.toContain(payload);
      }
      // Stored answers holding the payload, shown on check your answers.
      const answers: Record<string, unknown> = {};
      for (const component of everyComponent) {
        answers[component.id] =
          component.type === 'address'
            ? {
                line1: payload,
                commune: payload,
                province: payload,
                town: payload,
                country: payload,
              }
            : component.type === 'checkboxes'
              ? [payload]
              : component.type === 'file'
                ? [{ name: payload, type: 'application/pdf', size: 1 }]
                : payload;
      }
      const check = renderFormPage(form, {
        route: { kind: 'checkAnswers' },
        answers,
        locale: 'vi',
        basePath: '/f',
      });
      expect(check.main).not.toMatch(dangerous);
      const confirmation = renderFormPage(form, {
        route: { kind: 'confirmation' },
        answers,
        locale: 'vi',
        basePath: '/f',
        reference: payload,
      });
      expect(confirmation.main).not.toMatch(dangerous);
    }
  });

  it('escapes definition text too (labels, hints, options, content)', () => {
    const xss = '<img src=x onerror=alert(1)>';
    const hostile = compileForm({
      id: 'hostile',
      version: '1',
      languages: ['vi', 'en'],
      title: label(xss),
      pages: [
        {
          id: 'p',
          title: label(xss),
          components: [
            { type: 'warning', id: 'w', text: label(xss) },
            { type: 'details', id: 'd', text: label(xss), summary: label(xss) },
            {
              type: 'radios',
              id: 'r',
              label: label(xss),
              hint: label(xss),
              options: [{ value: '"x', label: label(xss), hint: label(xss) }],
            },
          ],
        },
      ],
    });
    const page = renderFormPage(hostile, {
      route: { kind: 'page', pageId: 'p' },
      answers: {},
      locale: 'en',
      basePath: '/f',
    });
    expect(page.main).not.toMatch(/<img/);
    expect(page.main).toContain('value="&quot;x"');
  });
});
