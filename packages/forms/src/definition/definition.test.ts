import { describe, expect, it } from 'vitest';
import { FormsError } from '../errors/forms-error.js';
import { exampleApplicationDefinition } from '../testing/example-application.js';
import { compileForm } from '../validation/compiled-form.js';
import { checkFormDefinition } from './check-definition.js';
import { type AnswersOf, defineForm } from './form-builder.js';
import { parseFormDefinition } from './parse-definition.js';

describe('form definitions', () => {
  it('builds a typed definition that is plain data', () => {
    const definition = defineForm({
      id: 'register-birth',
      version: '1',
      title: { vi: 'Đăng ký khai sinh', en: 'Register a birth' },
    })
      .section('child', { vi: 'Trẻ', en: 'Child' })
      .question(
        'child-name',
        {
          type: 'fullName',
          id: 'childName',
          label: { vi: 'Họ và tên của trẻ', en: "Child's full name" },
        },
        { section: 'child' },
      )
      .question('child-dob', {
        type: 'date',
        id: 'childDateOfBirth',
        label: { vi: 'Ngày sinh', en: 'Date of birth' },
        past: true,
      })
      .page('parents', {
        title: { vi: 'Cha mẹ', en: 'Parents' },
        components: [
          { type: 'yesNo', id: 'married', label: { vi: 'Đã kết hôn?', en: 'Married?' } },
          {
            type: 'number',
            id: 'siblings',
            label: { vi: 'Số anh chị em', en: 'Siblings' },
            integer: true,
          },
        ],
      })
      .repeater('witnesses', {
        title: { vi: 'Người làm chứng', en: 'Witnesses' },
        itemName: { vi: 'người làm chứng', en: 'witness' },
        components: [
          { type: 'fullName', id: 'witnessName', label: { vi: 'Họ và tên', en: 'Full name' } },
        ],
      })
      .confirmation({ title: { vi: 'Xong', en: 'Done' } })
      .build();
    const answers: AnswersOf<typeof definition> = {
      childName: 'An',
      childDateOfBirth: '2026-01-01',
      married: true,
      siblings: 2,
      witnesses: [{ witnessName: 'Bình' }],
    };
    expect(JSON.parse(JSON.stringify(definition))).toEqual(definition);
    expect(definition.languages).toEqual(['vi', 'en']);
    expect(compileForm(definition).validate(answers)).toMatchObject({ valid: true });
  });

  it('reads JSON and YAML', () => {
    const yaml = `
id: apply
version: "1"
languages: [vi, en]
title: { vi: Đăng ký, en: Apply }
pages:
  - id: name
    components:
      - type: fullName
        id: fullName
        label: { vi: Họ và tên, en: Full name }
`;
    const fromYaml = parseFormDefinition(yaml, 'yaml');
    expect(fromYaml.pages[0]?.components[0]).toMatchObject({ type: 'fullName', id: 'fullName' });
    expect(parseFormDefinition(JSON.stringify(exampleApplicationDefinition))).toEqual(
      exampleApplicationDefinition,
    );
    expect(() => parseFormDefinition('{', 'json')).toThrow(FormsError);
    expect(() => parseFormDefinition('a: [', 'yaml')).toThrow(FormsError);
  });

  it('says where a definition is wrong', () => {
    const cases: [unknown, string][] = [
      [null, '(root)'],
      [{ ...exampleApplicationDefinition, languages: ['fr'] }, 'languages'],
      [{ ...exampleApplicationDefinition, pages: [] }, 'pages'],
      [
        {
          ...exampleApplicationDefinition,
          pages: [{ id: 'a', components: [{ type: 'text', id: 'x', label: { vi: 'X' } }] }],
        },
        'pages[0].components[0].label.en',
      ],
      [
        {
          ...exampleApplicationDefinition,
          pages: [
            { id: 'a', components: [{ type: 'laser', id: 'x', label: { vi: 'X', en: 'X' } }] },
          ],
        },
        'pages[0].components[0].type',
      ],
      [
        {
          ...exampleApplicationDefinition,
          pages: [
            { id: 'a', components: [{ type: 'text', id: 'x', label: { vi: 'X', en: 'X' } }] },
            { id: 'b', components: [{ type: 'text', id: 'x', label: { vi: 'X', en: 'X' } }] },
          ],
        },
        'pages[1].components[0].id',
      ],
      [
        {
          ...exampleApplicationDefinition,
          pages: [
            {
              id: 'check-answers',
              components: [{ type: 'text', id: 'x', label: { vi: 'X', en: 'X' } }],
            },
          ],
        },
        'pages[0].id',
      ],
      [
        {
          ...exampleApplicationDefinition,
          pages: [
            {
              id: 'a',
              components: [{ type: 'radios', id: 'x', label: { vi: 'X', en: 'X' }, options: [] }],
            },
          ],
        },
        'pages[0].components[0].options',
      ],
      [
        {
          ...exampleApplicationDefinition,
          pages: [
            {
              id: 'a',
              components: [
                { type: 'text', id: 'x', label: { vi: 'X', en: 'X' } },
                { type: 'text', id: 'y', label: { vi: 'Y', en: 'Y' } },
              ],
            },
          ],
        },
        'pages[0].title',
      ],
      [
        {
          ...exampleApplicationDefinition,
          pages: [
            {
              id: 'a',
              components: [{ type: 'text', id: 'x', label: { vi: 'X', en: 'X' }, pattern: '(' }],
            },
          ],
        },
        'pages[0].components[0].pattern',
      ],
    ];
    for (const [definition, path] of cases) {
      try {
        checkFormDefinition(definition);
        expect.unreachable(path);
      } catch (error) {
        expect(FormsError.isInstance(error), path).toBe(true);
        expect((error as FormsError).code).toBe('FORMS_INVALID_DEFINITION');
        expect((error as FormsError).details?.path).toBe(path);
      }
    }
    expect(() =>
      checkFormDefinition({
        ...exampleApplicationDefinition,
        pages: [
          {
            id: 'a',
            condition: 'x ==',
            components: [{ type: 'text', id: 'x', label: { vi: 'X', en: 'X' } }],
          },
        ],
      }),
    ).toThrow(expect.objectContaining({ code: 'FORMS_INVALID_CONDITION' }));
  });

  it('compiles each page and the whole form to JSON Schema 2020-12', () => {
    const form = compileForm(exampleApplicationDefinition);
    const schema = form.formSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual([
      'fullName',
      'dateOfBirth',
      'citizenId',
      'phone',
      'homeAddress',
      'hasChildren',
      'declaration',
    ]);
    expect((schema.properties as Record<string, unknown>).children).toMatchObject({
      type: 'array',
      maxItems: 5,
    });
    expect(form.pageSchema('contact')).toMatchObject({
      type: 'object',
      required: ['phone'],
      properties: { email: { type: 'string', format: 'email' }, phone: { type: 'string' } },
    });
    expect(() => form.page('nope')).toThrow(
      expect.objectContaining({ code: 'FORMS_UNKNOWN_PAGE' }),
    );
    expect(() => compileForm(exampleApplicationDefinition, { timeZone: 'Mars/Olympus' })).toThrow(
      expect.objectContaining({ code: 'FORMS_INVALID_OPTION' }),
    );
  });

  it('validates a whole submission, ignoring answers that conditions hide', () => {
    const form = compileForm(exampleApplicationDefinition, {
      clock: { now: () => new Date('2026-11-23T00:00:00Z') },
    });
    const answers = {
      fullName: 'Nguyễn Thị Lan',
      dateOfBirth: '1990-03-05',
      citizenId: '001190123456',
      phone: '+84912345678',
      homeAddress: {
        scheme: 'vn-2025',
        line1: '1 Phố Huế',
        commune: 'Phường Hai Bà Trưng',
        province: 'Hà Nội',
        provinceCode: '01',
      },
      hasChildren: false,
      children: [{ childName: 7 }],
      declaration: true,
    };
    const valid = form.validate(answers);
    expect(valid.valid).toBe(true);
    if (valid.valid) {
      expect(valid.answers).not.toHaveProperty('children');
      expect(valid.answers.fullName).toBe('Nguyễn Thị Lan');
    }
    const result = form.validate({
      ...answers,
      hasChildren: true,
      children: [{ childName: 'An', childDateOfBirth: '2030-01-01' }],
    });
    expect(result.valid).toBe(false);
    if (!result.valid) {
      expect(result.errors.map((error) => [error.field, error.code])).toEqual([
        ['children.0.childDateOfBirth', 'dateNotPast'],
      ]);
    }
    const missing = form.validate({});
    expect(missing.valid).toBe(false);
    if (!missing.valid)
      expect(missing.errors[0]).toMatchObject({ field: 'fullName', code: 'required' });
  });
});
