import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../src/definition/form-definition.js';
import { createFormHandler } from '../src/handler/form-handler.js';
import { createAnswerSealer } from '../src/journey/answer-seal.js';
import { exampleApplicationDefinition } from '../src/testing/example-application.js';
import { createFormTestClient } from '../src/testing/form-test-client.js';
import { compileForm } from '../src/validation/compiled-form.js';
import { completeAboutYou, exampleApplicationVersion3 } from './example-application-fixtures.js';

const clock = { now: () => new Date('2026-11-23T03:00:00Z') };
const secret = 'test-secret-test-secret-test-secret-0123456789';

function setup(definition: FormDefinition = exampleApplicationDefinition) {
  const form = compileForm(definition, { clock, timeZone: 'Asia/Ho_Chi_Minh' });
  const submitted: Record<string, unknown>[] = [];
  const handle = createFormHandler({
    form,
    basePath: '/apply',
    secret,
    stylesheetHref: '/assets/govuk-frontend.min.css',
    clock,
    onSubmit: ({ answers }) => {
      submitted.push({ ...answers });
      return { reference: 'HDX-2026-0001' };
    },
  });
  return { form, handle, submitted, client: createFormTestClient(handle) };
}

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('form handler (stateless journey over Request/Response)', () => {
  it('starts at the first page, in the chosen language, with the question as the h1 label', async () => {
    const { client } = setup();
    const page = await client.get('/apply?lang=vi');
    expect(page.path).toBe('/apply/name');
    expect(page.html).toContain('<html lang="vi"');
    expect(page.html).toContain(
      '<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" for="fullName">Họ và tên của bạn là gì?</label></h1>',
    );
    expect(page.html).toContain('autocomplete="name"');
    expect(page.html).toContain(
      '<title>Họ và tên của bạn là gì? - Đăng ký hỗ trợ gia đình</title>',
    );
    expect(page.html).not.toContain('govuk-back-link');
    const english = await client.get('/apply/name?lang=en');
    expect(english.html).toContain('<html lang="en"');
    expect(english.html).toContain('What is your full name?');
  });

  it('shows the error summary first, linked to the field, and keeps what was typed (escaped)', async () => {
    const { client } = setup();
    await client.get('/apply?lang=en');
    await client.post('/apply/name', { fullName: 'Lan' });
    const page = await client.post('/apply/date-of-birth', {
      'dateOfBirth-day': '5',
      'dateOfBirth-month': '"><script>alert(1)</script>',
      'dateOfBirth-year': '1990',
    });
    expect(page.status).toBe(400);
    expect(page.html).toContain('<title>Error: What is your date of birth?');
    const main = page.html.slice(page.html.indexOf('<main'));
    expect(main.indexOf('govuk-error-summary')).toBeLessThan(main.indexOf('<form'));
    expect(page.html).toContain(
      '<a href="#dateOfBirth-month">Your date of birth must be a real date</a>',
    );
    expect(page.html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page.html).not.toContain('<script>alert(1)');
    expect(page.html).toContain('govuk-input--error" id="dateOfBirth-month"');
    expect(page.html).toContain(
      '<legend class="govuk-fieldset__legend govuk-fieldset__legend--l"><h1 class="govuk-fieldset__heading">What is your date of birth?</h1></legend>',
    );
  });

  it('completes the form with a condition, a repeater and check your answers', async () => {
    const { client, submitted } = setup();
    const address = await completeAboutYou(client);
    expect(address.path).toBe('/apply/has-children');
    const firstChild = await client.post('/apply/has-children', { hasChildren: 'yes' });
    expect(firstChild.path).toBe('/apply/children/0');
    expect(firstChild.html).toContain('Con 1');
    const list = await client.post('/apply/children/0', {
      childName: 'Nguyễn Minh An',
      'childDateOfBirth-day': '1',
      'childDateOfBirth-month': '6',
      'childDateOfBirth-year': '2015',
    });
    expect(list.path).toBe('/apply/children');
    expect(list.html).toContain('Bạn đã thêm 1 con');
    const missingChoice = await client.post('/apply/children', {});
    expect(missingChoice.status).toBe(400);
    expect(missingChoice.html).toContain('Chọn có nếu bạn cần thêm con');
    const second = await client.post('/apply/children', { addAnother: 'yes' });
    expect(second.path).toBe('/apply/children/1');
    const tooOld = await client.post('/apply/children/1', {
      childName: 'Nguyễn Minh Bình',
      'childDateOfBirth-day': '1',
      'childDateOfBirth-month': '1',
      'childDateOfBirth-year': '2000',
    });
    expect(tooOld.status).toBe(400);
    expect(tooOld.html).toContain('Ngày sinh phải từ ngày ngày 23 tháng 11 năm 2008 trở về sau');
    await client.post('/apply/children/1', {
      childName: 'Nguyễn Minh Bình',
      'childDateOfBirth-day': '2',
      'childDateOfBirth-month': 'tháng Mười Hai',
      'childDateOfBirth-year': '2018',
    });
    const declaration = await client.post('/apply/children', { addAnother: 'no' });
    expect(declaration.path).toBe('/apply/declaration');
    const check = await client.post('/apply/declaration', { declaration: 'yes' });
    expect(check.path).toBe('/apply/check-answers');
    const text = textOf(check.html);
    expect(text).toContain('Nguyễn Thị Lan');
    expect(text).toContain('ngày 5 tháng 3 năm 1990');
    expect(text).toContain('+84 912 345 678');
    expect(text).toContain('Nguyễn Minh Bình');
    expect(text).toContain('Hai Bà Trưng');
    expect(check.html).toContain('href="/apply/name?change=1#fullName"');
    expect(check.html).toContain('href="/apply/children/1?change=1#childName"');
    const done = await client.post('/apply/check-answers', {});
    expect(done.path).toBe('/apply/confirmation');
    expect(done.html).toContain('HDX-2026-0001');
    expect(done.html).toContain('govuk-panel--confirmation');
    expect(done.html).toContain('HDX-2026-0001');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({
      fullName: 'Nguyễn Thị Lan',
      dateOfBirth: '1990-03-05',
      citizenId: '001190123456',
      phone: '+84912345678',
      homeAddress: { scheme: 'vn-2025', province: 'Hà Nội', provinceCode: '01' },
      hasChildren: true,
      children: [
        { childName: 'Nguyễn Minh An', childDateOfBirth: '2015-06-01' },
        { childName: 'Nguyễn Minh Bình', childDateOfBirth: '2018-12-02' },
      ],
      declaration: true,
    });
    expect(client.cookies.has('forms-example-application')).toBe(false);
  });

  it('counts added items in English with the singular or plural item name', async () => {
    const { client } = setup();
    await completeAboutYou(client);
    await client.get('/apply/has-children?lang=en');
    await client.post('/apply/has-children', { hasChildren: 'yes' });
    const child = (name: string, year: string) => ({
      childName: name,
      'childDateOfBirth-day': '1',
      'childDateOfBirth-month': '6',
      'childDateOfBirth-year': year,
    });
    const one = await client.post('/apply/children/0', child('Nguyễn Minh An', '2015'));
    expect(one.html).toContain('<h1 class="govuk-heading-l">You have added 1 child</h1>');
    expect(one.html).toContain('Do you need to add another child?');
    await client.post('/apply/children', { addAnother: 'yes' });
    const two = await client.post('/apply/children/1', child('Nguyễn Minh Bình', '2018'));
    expect(two.html).toContain('<h1 class="govuk-heading-l">You have added 2 children</h1>');
  });

  it('skips the repeater when the condition is false, and Change returns to check your answers', async () => {
    const { client } = setup();
    await completeAboutYou(client);
    const next = await client.post('/apply/has-children', { hasChildren: 'no' });
    expect(next.path).toBe('/apply/declaration');
    const check = await client.post('/apply/declaration', { declaration: 'yes' });
    expect(check.path).toBe('/apply/check-answers');
    expect(check.html).not.toContain('/apply/children');
    const change = await client.get('/apply/name?change=1');
    expect(change.html).toContain('value="Nguyễn Thị Lan"');
    expect(change.html).toContain('<a href="/apply/check-answers" class="govuk-back-link">');
    const back = await client.post('/apply/name?change=1', { fullName: 'Trần Thị Lan' });
    expect(back.path).toBe('/apply/check-answers');
    expect(back.html).toContain('Trần Thị Lan');
    // Changing to "yes" reveals the repeater, which is asked before returning.
    const reveal = await client.post('/apply/has-children?change=1', { hasChildren: 'yes' });
    expect(reveal.path).toBe('/apply/children/0?change=1');
  });

  it('does not let a citizen jump ahead, and answers a 404 for an unknown page', async () => {
    const { client } = setup();
    const jump = await client.get('/apply/check-answers');
    expect(jump.path).toBe('/apply/name');
    const missing = await client.get('/apply/nope');
    expect(missing.status).toBe(404);
  });

  it('resumes saved answers revalidated against the current definition version', async () => {
    const { client } = setup();
    await completeAboutYou(client);
    const saved = await client.get('/apply/save');
    const link = /href="https:\/\/forms\.test(\/apply\/resume\?token=[A-Za-z0-9_-]+)"/.exec(
      saved.html,
    )?.[1];
    expect(link).toBeDefined();
    // A new version: the citizen ID must now be a legacy 9-digit ID.
    const next = setup(exampleApplicationVersion3);
    const resumed = await next.client.get(link ?? '');
    expect(resumed.path).toBe('/apply/citizen-id');
    const afterId = await next.client.post('/apply/citizen-id', { citizenId: '012345678' });
    expect(afterId.path).toBe('/apply/contact');
    // Earlier answers survived the version change.
    const name = await next.client.get('/apply/name');
    expect(name.html).toContain('value="Nguyễn Thị Lan"');
  });

  it('tells the citizen, in their language, when a tampered or foreign answers cookie cannot be read', async () => {
    const { client, handle } = setup();
    await client.get('/apply');
    await client.post('/apply/name', { fullName: 'Lan' });
    const cookie = client.cookies.get('forms-example-application') ?? '';
    const tampered = `${cookie.slice(0, -4)}AAAA`;
    const response = await handle(
      new Request('https://forms.test/apply/name', {
        headers: { cookie: `forms-example-application=${tampered}`, 'accept-language': 'vi' },
      }),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).not.toContain('value="Lan"');
    expect(html).toContain('<html lang="vi"');
    expect(html).toContain('Không đọc được câu trả lời đã lưu của bạn');
    expect(html).toContain('href="/apply"');
    const otherSealer = createAnswerSealer({
      secret: 'another-secret-another-secret-another-secret',
    });
    await expect(otherSealer.open(cookie)).rejects.toMatchObject({ code: 'FORMS_INVALID_TOKEN' });
  });

  it('sets a strict content security policy and a nonce on inline scripts', async () => {
    const form = compileForm(exampleApplicationDefinition, { clock });
    const handle = createFormHandler({
      form,
      basePath: '/apply',
      secret,
      stylesheetHref: '/assets/govuk.css',
      scriptHref: '/assets/govuk-frontend.min.js',
      onSubmit: () => ({}),
    });
    const response = await handle(new Request('https://forms.test/apply/name'));
    const policy = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([a-f0-9]+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    const html = await response.text();
    expect(html).toContain(
      `<script type="module" nonce="${nonce}">import { initAll } from "/assets/govuk-frontend.min.js"; initAll();</script>`,
    );
    expect(policy).toContain("frame-ancestors 'none'");
  });
});
