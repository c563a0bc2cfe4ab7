// The confirmation page shows the reference only to the browser that
// submitted, and only for a short while: the next person at a shared
// computer (a commune office kiosk, a library) who opens the confirmation
// address from the browser's history does not see the previous citizen's
// reference.
import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../src/definition/form-definition.js';
import { createFormHandler } from '../src/handler/form-handler.js';
import { createFormTestClient, type FormTestClient } from '../src/testing/form-test-client.js';
import { compileForm } from '../src/validation/compiled-form.js';

const definition: FormDefinition = {
  id: 'example-application',
  version: '1',
  languages: ['vi', 'en'],
  title: { vi: 'Đăng ký', en: 'Register' },
  pages: [
    {
      id: 'name',
      components: [
        { type: 'fullName', id: 'fullName', label: { vi: 'Họ và tên', en: 'Full name' } },
      ],
    },
  ],
};

async function completeAboutYou(client: FormTestClient): Promise<void> {
  const check = await client.post('/apply/name', { fullName: 'Nguyễn Thị Lan' });
  expect(check.path).toBe('/apply/check-answers');
}

describe('submission receipt', () => {
  it('shows the reference right after submitting and not to whoever opens the confirmation later', async () => {
    let time = new Date('2026-11-23T03:00:00Z').getTime();
    const clock = { now: () => new Date(time) };
    const handle = createFormHandler({
      form: compileForm(definition, { clock }),
      basePath: '/apply',
      secret: 'receipt-secret-receipt-secret-receipt-secret-01',
      stylesheetHref: '/govuk.css',
      clock,
      onSubmit: () => ({ reference: 'HDX-2026-4242' }),
    });
    const citizen = createFormTestClient(handle);
    await citizen.get('/apply?lang=en');
    await completeAboutYou(citizen);
    const confirmation = await citizen.post('/apply/check-answers', {});
    expect(confirmation.path).toBe('/apply/confirmation');
    expect(confirmation.html).toContain('HDX-2026-4242');

    // The receipt cookie does not outlive a short visit.
    const receipt = await handle(
      new Request('https://forms.test/apply/confirmation', {
        headers: {
          cookie: `forms-example-application-receipt=${citizen.cookies.get('forms-example-application-receipt')}`,
        },
      }),
    );
    expect(await receipt.text()).toContain('HDX-2026-4242');

    time += 16 * 60 * 1000;
    const later = await citizen.get('/apply/confirmation');
    expect(later.path).not.toBe('/apply/confirmation');
    expect(later.html).not.toContain('HDX-2026-4242');
  });

  it('sets the receipt cookie to expire within 15 minutes', async () => {
    const clock = { now: () => new Date('2026-11-23T03:00:00Z') };
    const handle = createFormHandler({
      form: compileForm(definition, { clock }),
      basePath: '/apply',
      secret: 'receipt-secret-receipt-secret-receipt-secret-01',
      stylesheetHref: '/govuk.css',
      clock,
      onSubmit: () => ({ reference: 'HDX-2026-4243' }),
    });
    const citizen = createFormTestClient(handle);
    await citizen.get('/apply?lang=en');
    await completeAboutYou(citizen);
    const cookies = citizen.cookies;
    const response = await handle(
      new Request('https://forms.test/apply/check-answers', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        },
        body: '',
      }),
    );
    expect(response.status).toBe(303);
    const receipt = response.headers
      .getSetCookie()
      .find((value) => value.startsWith('forms-example-application-receipt='));
    expect(receipt).toMatch(/Max-Age=900(;|$)/);
  });
});

describe('a save-and-resume link used after submitting', () => {
  it('shows the first confirmation instead of making a second application', async () => {
    const clock = { now: () => new Date('2026-11-23T03:00:00Z') };
    let calls = 0;
    const handle = createFormHandler({
      form: compileForm(definition, { clock }),
      basePath: '/apply',
      secret: 'receipt-secret-receipt-secret-receipt-secret-01',
      stylesheetHref: '/govuk.css',
      clock,
      onSubmit: () => {
        calls += 1;
        return { reference: `HDX-2026-${5000 + calls}` };
      },
    });
    const citizen = createFormTestClient(handle);
    await citizen.get('/apply?lang=en');
    await completeAboutYou(citizen);
    const saved = await citizen.get('/apply/save');
    const link = /href="https:\/\/forms\.test(\/apply\/resume\?token=[A-Za-z0-9_-]+)"/.exec(
      saved.html,
    )?.[1];
    expect(link).toBeDefined();
    const confirmation = await citizen.post('/apply/check-answers', {});
    expect(confirmation.html).toContain('HDX-2026-5001');

    // The same citizen opens the saved link later, from the same browser or another.
    for (const browser of [citizen, createFormTestClient(handle)]) {
      const resumed = await browser.get(link ?? '');
      expect(resumed.path).toBe('/apply/confirmation');
      expect(resumed.html).toContain('HDX-2026-5001');
    }
    expect(calls).toBe(1);

    // Starting again is a new application.
    const fresh = createFormTestClient(handle);
    await fresh.get('/apply?lang=en');
    await completeAboutYou(fresh);
    expect((await fresh.post('/apply/check-answers', {})).html).toContain('HDX-2026-5002');
  });
});
