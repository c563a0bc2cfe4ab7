import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerToInputs } from '../components/answer-format.js';
import { isQuestion } from '../components/component-kind.js';
import { FormsError } from '../errors/forms-error.js';
import { renderFormPage } from '../render/page-html.js';
import { formFromJsonSchema } from './json-schema-form.js';

// Shaped like a GovStack Registration building block e-form.
const registrationSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Postpartum support registration',
  type: 'object',
  required: ['firstName', 'lastName', 'birthDate', 'email', 'applicant'],
  properties: {
    firstName: { type: 'string', title: 'First name', minLength: 1, maxLength: 50 },
    lastName: { type: 'string', title: 'Last name', minLength: 1, maxLength: 50 },
    birthDate: { type: 'string', format: 'date', title: 'Date of birth' },
    email: { type: 'string', format: 'email', title: 'Email address', maxLength: 254 },
    householdSize: { type: 'integer', title: 'People in your household', minimum: 1, maximum: 20 },
    employment: {
      type: 'string',
      title: 'Employment status',
      enum: ['employed', 'self-employed', 'unemployed'],
    },
    services: {
      type: 'array',
      title: 'Services needed',
      items: { enum: ['counselling', 'childcare', 'transport'] },
      uniqueItems: true,
      maxItems: 2,
    },
    receivesBenefits: { type: 'boolean', title: 'Do you receive benefits?' },
    applicant: {
      type: 'object',
      title: 'Your identity',
      required: ['personalId'],
      properties: {
        personalId: { type: 'string', title: 'Personal ID code', pattern: '^[0-9]{11}$' },
        notes: { type: 'string', title: 'Anything else', maxLength: 100 },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

function rawAjv() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv as unknown as Parameters<typeof addFormats.default>[0]);
  return ajv.compile(registrationSchema);
}

describe('a plain JSON Schema 2020-12 document as the form source', () => {
  const source = formFromJsonSchema(registrationSchema, { id: 'registration' });

  it('makes one page per property, a page of questions per object, with matching components', () => {
    expect(source.definition.pages.map((page) => page.id)).toEqual([
      'firstName',
      'lastName',
      'birthDate',
      'email',
      'householdSize',
      'employment',
      'services',
      'receivesBenefits',
      'applicant',
    ]);
    const types = source.definition.pages.flatMap((page) =>
      page.components.map((component) => component.type),
    );
    expect(types).toEqual([
      'text',
      'text',
      'date',
      'email',
      'number',
      'radios',
      'checkboxes',
      'yesNo',
      'text',
      'text',
    ]);
    const page = renderFormPage(source.form, {
      route: { kind: 'page', pageId: 'applicant' },
      answers: {},
      locale: 'en',
      basePath: '/r',
    });
    expect(page.main).toContain('<h1 class="govuk-heading-l">Your identity</h1>');
    expect(page.main).toContain('for="applicant__personalId">Personal ID code</label>');
    expect(page.main).toContain('Anything else (optional)');
  });

  it('validates with the same result as ajv on the same data (property test)', () => {
    const validate = rawAjv();
    const text = fc.string({ minLength: 0, maxLength: 60 });
    const data = fc.record(
      {
        firstName: fc.oneof(text, fc.constant('Lan')),
        lastName: fc.oneof(text, fc.integer()),
        birthDate: fc.oneof(fc.constant('1990-03-05'), fc.constant('1990-02-30'), text),
        email: fc.oneof(fc.constant('lan@example.vn'), text),
        householdSize: fc.oneof(fc.integer({ min: -2, max: 25 }), fc.double()),
        employment: fc.oneof(fc.constantFrom('employed', 'unemployed', 'retired')),
        services: fc.array(fc.constantFrom('counselling', 'childcare', 'transport', 'spa'), {
          maxLength: 3,
        }),
        receivesBenefits: fc.oneof(fc.boolean(), fc.constant('yes')),
        applicant: fc.record(
          {
            personalId: fc.oneof(fc.constant('38001085718'), fc.stringMatching(/^[0-9]{9,12}$/)),
            notes: text,
          },
          { requiredKeys: [] },
        ),
        extra: fc.constant(1),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(data, (value) => {
        const ours = source.validateData(value);
        expect(ours.valid).toBe(validate(value));
        if (!ours.valid) expect(ours.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('a citizen filling the rendered form gets the verdict ajv gives on the submitted data', () => {
    const validate = rawAjv();
    const clean = fc.stringMatching(/^[A-Za-z]{1,20}( [A-Za-z]{1,15}){0,2}$/);
    const data = fc.record(
      {
        firstName: clean,
        lastName: fc.oneof(clean, fc.constant('x'.repeat(51))),
        birthDate: fc.constantFrom('1990-03-05', '2001-12-31'),
        email: fc.constantFrom('lan@example.vn', 'no-at-sign'),
        householdSize: fc.integer({ min: -1, max: 22 }),
        employment: fc.constantFrom('employed', 'unemployed'),
        services: fc.uniqueArray(fc.constantFrom('counselling', 'childcare', 'transport'), {
          minLength: 1,
          maxLength: 3,
        }),
        receivesBenefits: fc.boolean(),
        applicant: fc.record(
          { personalId: fc.constantFrom('38001085718', '3800108571'), notes: clean },
          { requiredKeys: ['personalId'] },
        ),
      },
      { requiredKeys: ['firstName', 'lastName', 'birthDate', 'email', 'applicant'] },
    );
    fc.assert(
      fc.property(data, (value) => {
        const answers = source.fromData(value);
        let errors = 0;
        let collected: Record<string, unknown> = {};
        for (const page of source.form.pages) {
          const inputs: Record<string, string | string[]> = {};
          for (const component of page.components) {
            if (isQuestion(component))
              Object.assign(inputs, answerToInputs(component, answers[component.id]));
          }
          const reading = source.form.readPage(page.id, inputs, {
            locale: 'en',
            answers: collected,
          });
          errors += reading.errors.length;
          collected = { ...collected, ...reading.values };
        }
        const submitted = errors === 0 && source.form.validate(collected).valid;
        expect(submitted).toBe(validate(value));
        if (submitted) expect(source.toData(collected)).toEqual(value);
      }),
      { numRuns: 200 },
    );
  });

  it('names the property it cannot ask', () => {
    expect(() =>
      formFromJsonSchema({
        type: 'object',
        properties: {
          blob: {},
          list: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
        },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'FORMS_INVALID_SCHEMA',
        details: {
          unaskable: [
            { path: '/blob', reason: expect.stringContaining('no type') },
            { path: '/list/*', reason: expect.any(String) },
          ],
        },
      }),
    );
    expect(() =>
      formFromJsonSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {},
      }),
    ).toThrow(FormsError);
  });

  it('follows local $defs references and turns arrays of objects into repeaters', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: {
        person: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', title: 'Name', minLength: 1 } },
        },
      },
      properties: {
        members: {
          type: 'array',
          title: 'Members',
          minItems: 1,
          items: { $ref: '#/$defs/person' },
        },
      },
      required: ['members'],
    };
    const form = formFromJsonSchema(schema);
    expect(form.definition.pages[0]).toMatchObject({ kind: 'repeater', id: 'members' });
    expect(form.validateData({ members: [{ name: 'An' }] }).valid).toBe(true);
    const invalid = form.validateData({ members: [{}] });
    expect(invalid.valid).toBe(false);
    if (!invalid.valid) expect(invalid.errors[0]?.field).toBe('members.0.name');
    expect(form.toData(form.fromData({ members: [{ name: 'An' }] }))).toEqual({
      members: [{ name: 'An' }],
    });
  });
});

describe('recursive schemas', () => {
  const refusal = (schema: Record<string, unknown>): unknown => {
    try {
      formFromJsonSchema(schema);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('refuses a structure that contains itself through $ref with its path, instead of recursing without end', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'object', properties: { again: { $ref: '#' } } }, '/again'],
      [
        {
          type: 'object',
          properties: { person: { $ref: '#/$defs/person' } },
          $defs: {
            person: {
              type: 'object',
              properties: { name: { type: 'string' }, parent: { $ref: '#/$defs/person' } },
            },
          },
        },
        '/person/parent',
      ],
      [
        {
          type: 'object',
          properties: { node: { $ref: '#node' } },
          $defs: {
            node: { $anchor: 'node', type: 'object', properties: { next: { $ref: '#node' } } },
          },
        },
        '/node/next',
      ],
      [
        {
          type: 'object',
          properties: { tree: { $ref: '#/$defs/tree' } },
          $defs: {
            tree: {
              type: 'object',
              properties: { children: { type: 'array', items: { $ref: '#/$defs/tree' } } },
            },
          },
        },
        '/tree/children/*',
      ],
    ];
    for (const [schema, path] of cases) {
      const error = refusal(schema);
      expect(FormsError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'FORMS_INVALID_SCHEMA' });
      expect((error as Error).message).toContain(`${path} (contains itself through $ref`);
    }
  });
});
