// One test for each point a new agency developer ran into: a valid example
// in the phone message, the documented language choice and interface
// texts, the request in onSubmit, a localised service name, a typed error
// naming missing migrations, a confirmation page that shows only the
// reference the citizen's own browser earned. The documented mounting
// recipes (Hono, Express, Fastify) run in mounting-recipes.integration.test.ts.
import { readFile } from 'node:fs/promises';
import { createTestDatabase, databaseTargets } from '@civicblocks/core/testing';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { FormsError } from '../src/errors/forms-error.js';
import { createFormHandler } from '../src/handler/form-handler.js';
import { formMessages } from '../src/i18n/form-messages.js';
import { createSqlAnswerStore } from '../src/store/sql-answer-store.js';
import { exampleApplicationDefinition } from '../src/testing/example-application.js';
import { createFormTestClient } from '../src/testing/form-test-client.js';
import { compileForm } from '../src/validation/compiled-form.js';
import { completeAboutYou } from './example-application-fixtures.js';

const secret = 'developer-experience-secret-developer-0123';
const clock = { now: () => new Date('2026-11-23T03:00:00Z') };
const form = compileForm(exampleApplicationDefinition, { clock, timeZone: 'Asia/Ho_Chi_Minh' });
const base = {
  form,
  basePath: '/apply',
  secret,
  stylesheetHref: '/assets/govuk-frontend.min.css',
  clock,
  onSubmit: () => ({ reference: 'HDX-1' }),
};

const docs = (name: string) =>
  readFile(new URL(`../../../docs/forms/${name}`, import.meta.url), 'utf8');

describe('developer experience', () => {
  it('the phone message examples are numbers the validator accepts', () => {
    for (const message of [formMessages.phoneInvalid.en, formMessages.phoneInvalid.vi]) {
      const examples = message.match(/\+?[0-9][0-9 ]{8,}[0-9]/g) ?? [];
      expect(examples.length).toBeGreaterThanOrEqual(2);
      for (const example of examples) {
        expect(parsePhoneNumberFromString(example, 'VN')?.isValid(), example).toBe(true);
      }
    }
  });

  it('chooses the language as documented: ?lang=, then the forms-lang cookie, then Accept-Language with quality values', async () => {
    const handle = createFormHandler({ ...base, defaultLocale: 'vi' });
    const page = (headers: Record<string, string>, query = '') =>
      handle(new Request(`https://forms.test/apply/name${query}`, { headers })).then((response) =>
        response.text(),
      );
    expect(await page({ 'accept-language': 'fr-FR, en;q=0.8, vi;q=0.5' })).toContain(
      '<html lang="en"',
    );
    expect(await page({ 'accept-language': 'en;q=0.2, vi' })).toContain('<html lang="vi"');
    expect(await page({ 'accept-language': 'fr' })).toContain('<html lang="vi"');
    expect(await page({ 'accept-language': 'en', cookie: 'forms-lang=vi' })).toContain(
      '<html lang="vi"',
    );
    const chosen = await handle(
      new Request('https://forms.test/apply/name?lang=en', {
        headers: { cookie: 'forms-lang=vi' },
      }),
    );
    expect(await chosen.text()).toContain('<html lang="en"');
    expect(chosen.headers.getSetCookie()[0]).toMatch(/^forms-lang=en; Path=\/apply;/);
    const guide = await docs('language-and-texts.md');
    for (const documented of [
      '?lang=',
      'forms-lang',
      'Accept-Language',
      'defaultLocale',
      'texts',
    ]) {
      expect(guide).toContain(documented);
    }
  });

  it('interface texts such as the submit button can be replaced, and the defaults are documented', async () => {
    const handle = createFormHandler({
      ...base,
      texts: { submit: { vi: 'Gửi hồ sơ', en: 'Send application' } },
    });
    const client = createFormTestClient(handle);
    await completeAboutYou(client);
    await client.post('/apply/has-children', { hasChildren: 'no' });
    const check = await client.post('/apply/declaration?lang=en', { declaration: 'yes' });
    expect(check.html).toContain('>Send application</button>');
    expect(await docs('language-and-texts.md')).toContain('Accept and send');
  });

  it('onSubmit receives the request, so the application can be linked to the signed-in citizen', async () => {
    const seen: string[] = [];
    const handle = createFormHandler({
      ...base,
      onSubmit: ({ request, answers }) => {
        seen.push(`${request.headers.get('x-citizen')}:${String(answers.fullName)}`);
        return { reference: 'HDX-2' };
      },
    });
    const client = createFormTestClient(async (request) => {
      const headers = new Headers(request.headers);
      headers.set('x-citizen', 'subject-42');
      return handle(new Request(request, { headers }));
    });
    await completeAboutYou(client);
    await client.post('/apply/has-children', { hasChildren: 'no' });
    await client.post('/apply/declaration', { declaration: 'yes' });
    await client.post('/apply/check-answers', {});
    expect(seen).toEqual(['subject-42:Nguyễn Thị Lan']);
  });

  it('shows the service name in the page language', async () => {
    const handle = createFormHandler({
      ...base,
      serviceName: { vi: 'Dịch vụ công phường', en: 'Ward public services' },
    });
    const english = await (
      await handle(new Request('https://forms.test/apply/name?lang=en'))
    ).text();
    expect(english).toContain('>Ward public services</a>');
    expect(english).not.toContain('Dịch vụ công phường');
    const vietnamese = await (
      await handle(new Request('https://forms.test/apply/name?lang=vi'))
    ).text();
    expect(vietnamese).toContain('>Dịch vụ công phường</a>');
  });

  it('names the missing migrations in a typed error, while the citizen gets a page', async () => {
    const [target] = databaseTargets({ databaseUrl: undefined });
    if (target === undefined) throw new Error('PGlite is always a target');
    const database = await createTestDatabase(target);
    try {
      const errors: unknown[] = [];
      const handle = createFormHandler({
        ...base,
        answerStore: createSqlAnswerStore(database.executor),
        onError: (error) => errors.push(error),
      });
      const response = await handle(
        new Request('https://forms.test/apply/name?lang=en', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'fullName=Lan',
        }),
      );
      // The answers cannot be kept: the same page again, with what was typed and a message.
      expect(response.status).toBe(503);
      const kept = await response.text();
      expect(kept).toContain('<html lang="en"');
      expect(kept).toContain('We could not save your answers just now');
      expect(kept).toMatch(/id="fullName" name="fullName"[^>]*value="Lan"/);
      const [error] = errors;
      expect(FormsError.isInstance(error)).toBe(true);
      expect((error as FormsError).code).toBe('FORMS_MIGRATIONS_MISSING');
      expect((error as FormsError).message).toContain('migrate(executor, formsMigrations)');
      expect((error as FormsError).details).toMatchObject({ migrations: ['forms'] });
      // Exactly-once submit keeps its keys in core's idempotency store: the error names coreMigrations.
      const submitErrors: unknown[] = [];
      const client = createFormTestClient(
        createFormHandler({
          ...base,
          executor: database.executor,
          onError: (failure) => submitErrors.push(failure),
        }),
      );
      await completeAboutYou(client);
      await client.post('/apply/has-children', { hasChildren: 'no' });
      await client.post('/apply/declaration', { declaration: 'yes' });
      const failed = await client.post('/apply/check-answers?lang=en', {});
      expect(failed.status).toBe(500);
      expect(failed.html).toContain('<html lang="en"');
      expect((submitErrors[0] as FormsError).code).toBe('FORMS_MIGRATIONS_MISSING');
      expect((submitErrors[0] as FormsError).message).toContain(
        'migrate(executor, coreMigrations)',
      );
      expect((submitErrors[0] as FormsError).details).toMatchObject({
        migrations: ['core-idempotency'],
      });
    } finally {
      await database.drop();
    }
  });

  it('the confirmation page shows only a reference the citizen earned, never one from the link', async () => {
    const handle = createFormHandler(base);
    const forged = await handle(
      new Request(
        'https://forms.test/apply/confirmation?reference=call%200900%20123%20456%20to%20collect%20your%20money',
      ),
    );
    expect(forged.status).toBe(303);
    expect(forged.headers.get('location')).toBe('/apply/name');
    const client = createFormTestClient(handle);
    await completeAboutYou(client);
    await client.post('/apply/has-children', { hasChildren: 'no' });
    await client.post('/apply/declaration', { declaration: 'yes' });
    const done = await client.post('/apply/check-answers', {});
    expect(done.path).toBe('/apply/confirmation');
    expect(done.html).toContain('<strong>HDX-1</strong>');
    const tampered = await client.get('/apply/confirmation?reference=0900-123-456');
    expect(tampered.html).toContain('<strong>HDX-1</strong>');
    expect(tampered.html).not.toContain('0900');
  });
});
