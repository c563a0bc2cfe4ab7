// Posts an attacker or a broken client could send: random field names
// (every Object.prototype member and __proto__ forms among them), random
// question ids, bodies that are too large, malformed, not a form or not in
// their declared charset. None gets the 500 page or an empty response, and
// Object.prototype never changes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPostedForm } from '../src/components/posted-form.js';
import type { FormDefinition } from '../src/definition/form-definition.js';
import { FormsError } from '../src/errors/forms-error.js';
import { createFormHandler } from '../src/handler/form-handler.js';
import { exampleApplicationDefinition } from '../src/testing/example-application.js';
import { createFormTestClient } from '../src/testing/form-test-client.js';
import { compileForm } from '../src/validation/compiled-form.js';

const secret = 'hostile-posts-secret-hostile-posts-secret-0123';
const label = (text: string) => ({ vi: text, en: text });
const prototypeNames = Object.getOwnPropertyNames(Object.prototype);
const arrayNames = ['values', 'entries', 'keys', 'find', 'length', 'filter', 'map'];
const prototypeSnapshot = (): string =>
  JSON.stringify([
    Object.getOwnPropertyNames(Object.prototype).sort(),
    Object.keys(Object.prototype),
    Object.getPrototypeOf({}) === Object.prototype,
  ]);

function definitionWith(id: string): FormDefinition {
  return {
    id: 'hostile',
    version: '1',
    languages: ['vi', 'en'],
    title: label('Hostile'),
    pages: [
      {
        id: 'choices',
        title: label('Choices'),
        components: [
          {
            type: 'checkboxes',
            id,
            label: label('Pick'),
            options: [
              { value: 'a', label: label('A') },
              { value: 'b', label: label('B') },
            ],
          },
          { type: 'text', id: `${id}Note`.slice(0, 60), label: label('Note'), optional: true },
        ],
      },
    ],
  };
}

const fieldName = fc.oneof(
  fc.constantFrom(
    ...prototypeNames,
    '__proto__',
    '__proto__[polluted]',
    'constructor[prototype][polluted]',
    'constructor.prototype.polluted',
    '__proto__.polluted',
    ...arrayNames,
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const questionId = fc.oneof(
  fc.constantFrom(...prototypeNames, '__proto__', 'prototype', ...arrayNames),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,12}$/),
);

describe('hostile posts', () => {
  it('random field names and question ids never give a 500 and never change Object.prototype', async () => {
    const before = prototypeSnapshot();
    await fc.assert(
      fc.asyncProperty(
        questionId,
        fc.array(fc.tuple(fieldName, fc.string({ maxLength: 20 })), { maxLength: 12 }),
        async (id, fields) => {
          let form: ReturnType<typeof compileForm>;
          try {
            form = compileForm(definitionWith(id));
          } catch (error) {
            // A refused id is refused when the form is defined, with a clear message.
            expect(FormsError.isInstance(error)).toBe(true);
            expect((error as FormsError).code).toBe('FORMS_INVALID_DEFINITION');
            expect(
              prototypeNames.includes(id) ||
                arrayNames.includes(id) ||
                !/^[A-Za-z]/.test(id) ||
                id === 'prototype',
            ).toBe(true);
            return;
          }
          const failures: unknown[] = [];
          const handle = createFormHandler({
            form,
            basePath: '/apply',
            secret,
            stylesheetHref: '/govuk.css',
            onSubmit: () => ({ reference: 'R-1' }),
            onError: (error) => failures.push(error),
          });
          const body = [...fields, [id, 'a'] as [string, string], [id, 'b'] as [string, string]]
            .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
            .join('&');
          const response = await handle(
            new Request('https://forms.test/apply/choices', {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body,
            }),
          );
          expect(failures).toEqual([]);
          expect([303, 400]).toContain(response.status);
          if (response.status === 303)
            expect(response.headers.get('location')).toBe('/apply/check-answers');
          await response.arrayBuffer();
          expect(prototypeSnapshot()).toBe(before);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { numRuns: 200, seed: 1129 },
    );
  });

  it('reads a body of hundreds of thousands of repeated names in one pass', async () => {
    // Collecting repeats by copying the list each time took minutes of CPU for one 1 MB post.
    const failures: unknown[] = [];
    const handle = createFormHandler({
      form: compileForm(definitionWith('pick')),
      basePath: '/apply',
      secret,
      stylesheetHref: '/govuk.css',
      onSubmit: () => ({ reference: 'R-1' }),
      onError: (error) => failures.push(error),
    });
    const response = await handle(
      new Request('https://forms.test/apply/choices?lang=en', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'pick=a&'.repeat(140_000),
      }),
    );
    expect(failures).toEqual([]);
    expect([303, 400]).toContain(response.status);
    if (response.status === 400) expect(await response.text()).toContain('<html lang="en"');
    const posted = createPostedForm(Array.from({ length: 300_000 }, () => ['pick', 'a'] as const));
    expect(posted.pick).toHaveLength(300_000);
  });

  it('refuses Object.prototype member names as ids with a clear message', () => {
    for (const id of ['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'constructor']) {
      expect(() => compileForm(definitionWith(id))).toThrow(/is reserved/);
    }
    // Names that only matter to arrays are ordinary ids now that posted data has no prototype.
    for (const id of ['values', 'entries', 'keys', 'find', 'length']) {
      const form = compileForm(definitionWith(id));
      const reading = form.readPage(
        'choices',
        Object.assign(Object.create(null), { [id]: ['a', 'b'], ['__proto__']: 'x' }),
        { locale: 'en', answers: {} },
      );
      expect(reading.values[id]).toEqual(['a', 'b']);
    }
  });
});

describe('every refused request is a page in the citizen language with a way back', () => {
  const form = compileForm(exampleApplicationDefinition, {
    clock: { now: () => new Date('2026-11-23T03:00:00Z') },
  });
  const handle = createFormHandler({
    form,
    basePath: '/apply',
    secret,
    stylesheetHref: '/govuk.css',
    maxBodyBytes: 2_000,
    onSubmit: () => ({ reference: 'R-1' }),
  });
  const post = (body: BodyInit, contentType: string | undefined, language = 'en') =>
    handle(
      new Request(`https://forms.test/apply/name?lang=${language}`, {
        method: 'POST',
        headers: contentType === undefined ? {} : { 'content-type': contentType },
        body,
      }),
    );
  const cases: [string, () => Promise<Response>, number, RegExp][] = [
    [
      'a body over the limit',
      () => post(`fullName=${'a'.repeat(3_000)}`, 'application/x-www-form-urlencoded'),
      413,
      /too large/,
    ],
    [
      'malformed multipart',
      () => post('--x\r\nnot a part', 'multipart/form-data; boundary=x'),
      400,
      /could not read what you sent/,
    ],
    [
      'multipart without a boundary',
      () => post('abc', 'multipart/form-data'),
      400,
      /could not read/,
    ],
    [
      'JSON instead of a form',
      () => post('{"fullName":"Lan"}', 'application/json'),
      415,
      /not a form/,
    ],
    ['no content type', () => post('fullName=Lan', undefined), 415, /not a form/],
    [
      'an unknown charset',
      () => post('fullName=Lan', 'application/x-www-form-urlencoded; charset=x-klingon'),
      415,
      /not a form/,
    ],
    [
      'invalid UTF-8',
      () => post('fullName=Ren%E9e', 'application/x-www-form-urlencoded'),
      400,
      /characters we could not read/,
    ],
    [
      'invalid UTF-8 in multipart',
      () =>
        post(
          new Uint8Array([
            ...new TextEncoder().encode(
              '--b\r\nContent-Disposition: form-data; name="fullName"\r\n\r\nRen',
            ),
            0xe9,
            ...new TextEncoder().encode('e\r\n--b--\r\n'),
          ]),
          'multipart/form-data; boundary=b',
        ),
      400,
      /characters we could not read/,
    ],
  ];
  for (const [name, send, status, message] of cases) {
    it(`${name}: ${status}`, async () => {
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await response.text();
      expect(html).toContain('<html lang="en"');
      expect(html).toMatch(message);
      expect(html).toContain(
        '<a class="govuk-link" href="/apply/name?lang=en">Go back to the form</a>',
      );
    });
  }

  it('answers in Vietnamese when that is the citizen language', async () => {
    const response = await post(
      `fullName=${'a'.repeat(3_000)}`,
      'application/x-www-form-urlencoded',
      'vi',
    );
    const html = await response.text();
    expect(html).toContain('<html lang="vi"');
    expect(html).toContain('Quay lại biểu mẫu');
  });
});

describe('encoding', () => {
  const setup = () => {
    const form = compileForm(exampleApplicationDefinition, {
      clock: { now: () => new Date('2026-11-23T03:00:00Z') },
    });
    const submitted: unknown[] = [];
    const handle = createFormHandler({
      form,
      basePath: '/apply',
      secret,
      stylesheetHref: '/govuk.css',
      onSubmit: ({ answers }) => {
        submitted.push(answers);
        return { reference: 'R' };
      },
    });
    return { handle, client: createFormTestClient(handle) };
  };
  const nameOnNextPage = async (
    handle: (request: Request) => Promise<Response>,
    body: BodyInit,
    contentType: string,
  ): Promise<string> => {
    const response = await handle(
      new Request('https://forms.test/apply/name?lang=en', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      }),
    );
    expect(response.status).toBe(303);
    const cookie = response.headers
      .getSetCookie()
      .map((value) => value.split(';')[0])
      .join('; ');
    const back = await handle(
      new Request('https://forms.test/apply/name', { headers: { cookie } }),
    );
    return /id="fullName" name="fullName"[^>]*value="([^"]*)"/.exec(await back.text())?.[1] ?? '';
  };

  it('matches media types case-insensitively', async () => {
    const { handle } = setup();
    const body =
      '--B\r\nContent-Disposition: form-data; name="fullName"\r\n\r\nNguyễn Thị Lan\r\n--B--\r\n';
    expect(await nameOnNextPage(handle, body, 'Multipart/Form-Data; Boundary=B')).toBe(
      'Nguyễn Thị Lan',
    );
    expect(
      await nameOnNextPage(
        handle,
        'fullName=L%C3%AA+V%C4%83n+An',
        'Application/X-WWW-Form-URLEncoded',
      ),
    ).toBe('Lê Văn An');
  });

  it('honours the charset parameter (ISO-8859-1)', async () => {
    const { handle } = setup();
    expect(
      await nameOnNextPage(
        handle,
        'fullName=Ren%E9e',
        'application/x-www-form-urlencoded; Charset="ISO-8859-1"',
      ),
    ).toBe('Renée');
    expect(
      await nameOnNextPage(
        handle,
        new Uint8Array([...new TextEncoder().encode('fullName=Ren'), 0xe9, 0x65]),
        'application/x-www-form-urlencoded; charset=iso-8859-1',
      ),
    ).toBe('Renée');
  });

  it('removes bidirectional overrides and isolates like zero-width characters', async () => {
    const { handle } = setup();
    const typed = 'Nguy\u202Eễn\u2066 Thị\u2069 \u200BLan\u200F';
    expect(
      await nameOnNextPage(
        handle,
        `fullName=${encodeURIComponent(typed)}`,
        'application/x-www-form-urlencoded',
      ),
    ).toBe('Nguyễn Thị Lan');
  });
});
