// Two places where a form made from a JSON Schema could ask for more than
// the schema does: a list the schema lets be empty is answerable with no
// items (a yes/no question first), and the length limit of a string the
// schema leaves unbounded is a documented citizen-input safety limit the
// author can set per path.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createFormHandler } from '../src/handler/form-handler.js';
import { formFromJsonSchema } from '../src/json-schema/json-schema-form.js';
import { createFormTestClient } from '../src/testing/form-test-client.js';

const secret = 'json-schema-fidelity-secret-fidelity-0123';

const permitSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['name', 'vehicles'],
  properties: {
    name: { type: 'string', title: 'Name', minLength: 1 },
    previousNames: {
      type: 'array',
      title: 'Previous names',
      maxItems: 3,
      items: { type: 'string', maxLength: 100 },
    },
    vehicles: {
      type: 'array',
      title: 'Vehicles',
      maxItems: 3,
      items: {
        type: 'object',
        required: ['plate'],
        properties: { plate: { type: 'string', title: 'Plate', maxLength: 12 } },
      },
    },
  },
  additionalProperties: false,
};

function journey(
  schema: Readonly<Record<string, unknown>>,
  options: Parameters<typeof formFromJsonSchema>[1] = {},
) {
  const source = formFromJsonSchema(schema, { id: 'permit', ...options });
  const submitted: unknown[] = [];
  const client = createFormTestClient(
    createFormHandler({
      form: source.form,
      basePath: '/apply',
      secret,
      stylesheetHref: '/assets/govuk-frontend.min.css',
      onSubmit: ({ answers }) => {
        submitted.push(source.toData(answers));
        return { reference: `P-${submitted.length}` };
      },
    }),
  );
  return { source, client, submitted };
}

describe('JSON Schema fidelity', () => {
  it('an optional list, and a required one without minItems, can be answered with no items', async () => {
    const { source, client, submitted } = journey(permitSchema);
    expect(source.definition.pages.map((page) => page.id)).toEqual([
      'name',
      'previousNames-any',
      'previousNames',
      'vehicles-any',
      'vehicles',
    ]);
    await client.get('/apply');
    expect((await client.post('/apply/name', { name: 'Lan' })).path).toBe(
      '/apply/previousNames-any',
    );
    expect((await client.post('/apply/previousNames-any', { previousNames__any: 'no' })).path).toBe(
      '/apply/vehicles-any',
    );
    const check = await client.post('/apply/vehicles-any', { vehicles__any: 'no' });
    expect(check.path).toBe('/apply/check-answers');
    const done = await client.post('/apply/check-answers', {});
    expect(done.path).toBe('/apply/confirmation');
    // Optional and left empty: absent. Required without minItems: an empty list.
    expect(submitted).toEqual([{ name: 'Lan', vehicles: [] }]);
    expect(source.validateData(submitted[0]).valid).toBe(true);
    // The round trip from data keeps "no items" as the answer "no".
    expect(source.fromData({ name: 'Lan', vehicles: [] })).toMatchObject({
      previousNames__any: false,
      vehicles__any: false,
    });
  });

  it('"yes" asks for the items, and their data is kept; "no" afterwards drops them', async () => {
    const { source, client, submitted } = journey(permitSchema);
    await client.get('/apply');
    await client.post('/apply/name', { name: 'Lan' });
    await client.post('/apply/previousNames-any', { previousNames__any: 'no' });
    const item = await client.post('/apply/vehicles-any', { vehicles__any: 'yes' });
    expect(item.path).toMatch(/^\/apply\/vehicles\//);
    const list = await client.post(item.path, { plate: '29A-123.45' });
    const check = await client.post(list.path, { addAnother: 'no' });
    expect(check.path).toBe('/apply/check-answers');
    expect(source.toData(source.fromData({ name: 'Lan', vehicles: [{ plate: 'X1' }] }))).toEqual({
      name: 'Lan',
      vehicles: [{ plate: 'X1' }],
    });
    await client.post('/apply/check-answers', {});
    expect(submitted).toEqual([{ name: 'Lan', vehicles: [{ plate: '29A-123.45' }] }]);
    // Changing the answer to "no" afterwards drops the items already given.
    const changed = journey(permitSchema);
    await changed.client.get('/apply');
    await changed.client.post('/apply/name', { name: 'Minh' });
    await changed.client.post('/apply/previousNames-any', { previousNames__any: 'no' });
    const first = await changed.client.post('/apply/vehicles-any', { vehicles__any: 'yes' });
    await changed.client.post(first.path, { plate: '30B-555.55' });
    await changed.client.post('/apply/vehicles-any', { vehicles__any: 'no' });
    expect((await changed.client.post('/apply/check-answers', {})).path).toBe(
      '/apply/confirmation',
    );
    expect(changed.submitted).toEqual([{ name: 'Minh', vehicles: [] }]);
    // A list with minItems keeps asking for its first item, as the schema requires.
    const required = formFromJsonSchema({
      ...permitSchema,
      properties: {
        ...permitSchema.properties,
        vehicles: { ...permitSchema.properties.vehicles, minItems: 1 },
      },
    });
    expect(required.definition.pages.map((page) => page.id)).not.toContain('vehicles-any');
  });

  it('a string the schema leaves unbounded takes up to 1,000 characters by default, and the author can set its limit per path', async () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      required: ['statement'],
      properties: { statement: { type: 'string', title: 'Statement' } },
    };
    const byDefault = formFromJsonSchema(schema);
    expect(byDefault.definition.pages[0]?.components[0]).toMatchObject({ type: 'text' });
    const accepts = (source: typeof byDefault, length: number) =>
      source.form.validatePageValues('statement', { statement: 'ả'.repeat(length) }, {}).length;
    expect(accepts(byDefault, 1000)).toBe(0);
    expect(
      byDefault.form.validatePageValues('statement', { statement: 'ả'.repeat(1001) }, {}),
    ).toEqual([
      expect.objectContaining({
        field: 'statement',
        message: expect.objectContaining({ en: expect.stringContaining('1000') }),
      }),
    ]);
    // Per path: the author's own question, with the limit the service can store.
    const longer = formFromJsonSchema(schema, {
      components: { '/statement': { type: 'textarea', maxLength: 20_000 } },
    });
    expect(longer.definition.pages[0]?.components[0]).toMatchObject({
      type: 'textarea',
      maxLength: 20_000,
    });
    expect(accepts(longer, 20_000)).toBe(0);
    expect(accepts(longer, 20_001)).toBe(1);
    // The schema's own maxLength is never tightened.
    const bounded = formFromJsonSchema({
      ...schema,
      properties: { statement: { type: 'string', title: 'Statement', maxLength: 5000 } },
    });
    expect(accepts(bounded, 5000)).toBe(0);
    const guide = await readFile(
      new URL('../../../docs/forms/json-schema.md', import.meta.url),
      'utf8',
    );
    expect(guide).toContain('citizen-input safety limit');
  });
});
