// Smoke exercise for @civicblocks/forms, run by the release rehearsal in a
// scratch consumer outside the workspace, once after `import` (ESM) and once
// after `require()` (CommonJS). It uses every public subpath for real work:
// a YAML definition compiled and validated (vi and en errors), a page
// rendered, a journey through createFormHandler with Request objects (sealed
// cookie, then a PGlite answer store), and a form made from a JSON Schema.
const assert = require('node:assert/strict');

const definitionYaml = `
id: permit
version: "1"
languages: [vi, en]
title: { vi: Xin giấy phép, en: Apply for a permit }
pages:
  - id: name
    components:
      - type: fullName
        id: fullName
        label: { vi: Họ và tên của bạn là gì?, en: What is your full name? }
        name: { vi: họ và tên của bạn, en: your full name }
  - id: visitors
    components:
      - type: number
        id: visitors
        label: { vi: Có bao nhiêu khách?, en: How many visitors? }
        name: { vi: số khách, en: the number of visitors }
        integer: true
        minimum: 1
        maximum: 50
`;

const secret = 'rehearsal-secret-rehearsal-secret-rehearsal';

function cookiesFrom(response, jar) {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const index = pair.indexOf('=');
    jar.set(pair.slice(0, index), pair.slice(index + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

async function journey(handle, label) {
  const jar = new Map();
  let cookie = '';
  const send = async (path, fields) => {
    const response = await handle(
      new Request(`https://permits.example${path}`, {
        method: fields === undefined ? 'GET' : 'POST',
        headers: {
          cookie,
          ...(fields === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(fields === undefined ? {} : { body: new URLSearchParams(fields).toString() }),
      }),
    );
    cookie = cookiesFrom(response, jar);
    return response;
  };
  const start = await send('/permit?lang=vi');
  assert.equal(start.status, 303, label);
  assert.equal(start.headers.get('location'), '/permit/name');
  assert.equal((await send('/permit/name', { fullName: 'Nguyễn Văn An' })).status, 303);
  const refused = await send('/permit/visitors', { visitors: '0' });
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /Số khách phải từ 1 trở lên/);
  const next = await send('/permit/visitors', { visitors: '12' });
  assert.equal(next.headers.get('location'), '/permit/check-answers');
  const check = await send('/permit/check-answers');
  assert.match(await check.text(), /Nguyễn Văn An/);
  const done = await send('/permit/check-answers', {});
  assert.equal(done.headers.get('location'), '/permit/confirmation');
  const confirmation = await send('/permit/confirmation');
  assert.match(await confirmation.text(), /<strong>GP-1<\/strong>/);
  return jar;
}

module.exports = async function exercise(modules, mode) {
  const forms = modules['@civicblocks/forms'];
  const testing = modules['@civicblocks/forms/testing'];
  const core = require('@civicblocks/core');
  const { createPgliteExecutor } = require('@civicblocks/core/pglite');

  // A definition written in YAML, compiled once.
  const form = forms.compileForm(forms.parseFormDefinition(definitionYaml, 'yaml'));
  assert.equal(form.definition.pages.length, 2);

  // Validation: typed errors in both languages, NFC text accepted.
  const invalid = form.validate({ fullName: 'Nguyễn Văn An', visitors: 51 });
  assert.equal(invalid.valid, false);
  assert.equal(invalid.errors[0].code, 'tooLarge');
  assert.equal(invalid.errors[0].message.vi, 'Số khách không được lớn hơn 50');
  assert.equal(invalid.errors[0].message.en, 'The number of visitors must be 50 or less');
  assert.equal(form.validate({ fullName: 'Nguyễn Văn An', visitors: 3 }).valid, true);
  assert.throws(
    () => forms.parseFormDefinition('id: [', 'yaml'),
    (failure) =>
      forms.FormsError.isInstance(failure) && failure.code === 'FORMS_INVALID_DEFINITION',
  );

  // Rendering a page as GOV.UK Frontend markup.
  const page = forms.renderFormPage(form, {
    route: { kind: 'page', pageId: 'name' },
    answers: {},
    locale: 'vi',
    basePath: '/permit',
  });
  const html = forms.renderDocument({
    locale: 'vi',
    title: page.title,
    main: page.main,
    stylesheetHref: '/govuk.css',
  });
  assert.match(html, /<html lang="vi"/);
  assert.match(html, /<label class="govuk-label govuk-label--l" for="fullName">/);

  // A journey through the handler: answers sealed in the cookie.
  const submitted = [];
  const options = {
    form,
    basePath: '/permit',
    secret,
    stylesheetHref: '/govuk.css',
    onSubmit: ({ answers, request }) => {
      assert.equal(request instanceof Request, true);
      submitted.push(answers);
      return { reference: 'GP-1' };
    },
  };
  await journey(forms.createFormHandler(options), `${mode} sealed`);
  assert.deepEqual(submitted[0], { fullName: 'Nguyễn Văn An', visitors: 12 });

  // The same journey with answers in PGlite: the cookie holds only a session id.
  const executor = createPgliteExecutor();
  try {
    await core.migrate(executor, core.coreMigrations);
    await core.migrate(executor, forms.formsMigrations);
    const answerStore = forms.createSqlAnswerStore(executor);
    const jar = new Map();
    const handle = forms.createFormHandler({ ...options, answerStore });
    const first = await handle(
      new Request('https://permits.example/permit/name', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'fullName=Tr%E1%BA%A7n+Th%E1%BB%8B+B%C3%ACnh',
      }),
    );
    cookiesFrom(first, jar);
    const sessionId = jar.get('forms-permit');
    assert.equal(forms.isSessionId(sessionId), true);
    assert.deepEqual((await answerStore.get(sessionId)).answers, { fullName: 'Trần Thị Bình' });
    await journey(handle, `${mode} store`);
    const { rows } = await executor.query(
      `SELECT count(*)::int AS count FROM ${forms.formsAnswersTable}`,
    );
    assert.equal(rows[0].count, 1);

    // Exactly-once submit: with an executor, the submission key is recorded with the reference
    // in core's idempotency store.
    const once = forms.createFormHandler({ ...options, answerStore, executor });
    await journey(once, `${mode} exactly once`);
    const recorded = await executor.query(
      `SELECT outcome FROM ${core.idempotencyKeysTable} WHERE scope = $1`,
      ['forms:permit'],
    );
    assert.deepEqual(
      recorded.rows.map((row) => row.outcome),
      [{ reference: 'GP-1' }],
    );
  } finally {
    await executor.close();
  }

  // The testing subpath: the example application driven by the test client.
  const example = forms.compileForm(testing.exampleApplicationDefinition);
  const client = testing.createFormTestClient(
    forms.createFormHandler({ ...options, form: example, basePath: '/apply' }),
  );
  const first = await client.get('/apply?lang=en');
  assert.equal(first.path, '/apply/name');
  const missing = await client.post('/apply/name', { fullName: '' });
  assert.equal(missing.status, 400);
  assert.match(missing.html, /There is a problem/);
  const storage = testing.createMemoryFileStorage();
  assert.equal(
    await storage.put({
      name: 'a.pdf',
      type: 'application/pdf',
      size: 1,
      bytes: new Uint8Array([37]),
    }),
    'file-1',
  );

  // A form made from a plain JSON Schema; its data validated by ajv on that schema.
  const fromSchema = forms.formFromJsonSchema(
    {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      required: ['email'],
      properties: {
        email: { type: 'string', format: 'email', title: 'Email address' },
        age: { type: 'integer', title: 'Age', minimum: 0 },
      },
    },
    { id: 'contact' },
  );
  assert.equal(fromSchema.validateData({ email: 'an@example.gov.vn', age: 30 }).valid, true);
  const wrong = fromSchema.validateData({ email: 'not-an-email', age: -1 });
  assert.equal(wrong.valid, false);
  assert.deepEqual(wrong.errors.map((error) => error.field).sort(), ['age', 'email']);
  // Any schema, with ajv's verdict.
  const anySchema = forms.createSchemaValidator({ type: 'array', items: { type: 'integer' } });
  assert.equal(anySchema.validate([1, 2]).valid, true);
  assert.equal(anySchema.validate([1, 'x']).valid, false);

  console.log(`@civicblocks/forms (${mode}): every subpath loaded and used`);
};
