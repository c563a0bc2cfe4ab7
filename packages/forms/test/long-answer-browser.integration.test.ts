// A citizen's longest valid answer is never dropped: with the default
// configuration (answers sealed into cookies, Node's default 16 KB header
// limit on the server) a 10,000-character Vietnamese answer — the default
// maximum of a textarea — survives the round trip to check your answers in
// a real browser, and the sealed cookies stay within what browsers keep.
import { isContinuousIntegration } from '@civicblocks/core/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormDefinition } from '../src/definition/form-definition.js';
import { createFormHandler } from '../src/handler/form-handler.js';
import { compileForm } from '../src/validation/compiled-form.js';
import { hasChromium, launchChromium, serve } from './browser-harness.js';
import { vietnameseText } from './vietnamese-text.js';

const definition: FormDefinition = {
  id: 'statement',
  version: '1',
  languages: ['vi', 'en'],
  title: { vi: 'Tường trình sự việc', en: 'Describe what happened' },
  pages: [
    {
      id: 'name',
      components: [
        { type: 'fullName', id: 'fullName', label: { vi: 'Họ và tên', en: 'Full name' } },
      ],
    },
    {
      id: 'what-happened',
      components: [
        {
          type: 'textarea',
          id: 'whatHappened',
          label: { vi: 'Chuyện gì đã xảy ra?', en: 'What happened?' },
        },
      ],
    },
  ],
};

// In CI (any truthy CI value) a missing Chromium fails the suite instead of skipping it.
const browserRequired = hasChromium || isContinuousIntegration(process.env.CI);

describe.runIf(browserRequired)('the longest answer in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('keeps a 10,000-character Vietnamese answer to check your answers with the default configuration', async () => {
    const submitted: unknown[] = [];
    const form = compileForm(definition);
    const { server, origin } = await serve(
      createFormHandler({
        form,
        basePath: '/statement',
        secret: 'long-answer-secret-long-answer-secret-0123',
        stylesheetHref: '/assets/govuk-frontend.min.css',
        unsafeAllowHttpCookies: true,
        onSubmit: ({ answers }) => {
          submitted.push(answers);
          return { reference: 'TT-2026-0001' };
        },
      }),
    );
    const context = await browser.newContext({ locale: 'vi-VN', javaScriptEnabled: false });
    const page = await context.newPage();
    const answer = vietnameseText(10_000);
    expect([...answer]).toHaveLength(10_000);
    const submit = (name: RegExp) =>
      Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.getByRole('button', { name }).click(),
      ]);
    try {
      await page.goto(`${origin}/statement`);
      await page.getByLabel('Họ và tên').fill('Nguyễn Thị Lan');
      await submit(/^Tiếp tục$/);
      await page.getByLabel('Chuyện gì đã xảy ra?').fill(answer);
      await submit(/^Tiếp tục$/);
      expect(new URL(page.url()).pathname).toBe('/statement/check-answers');
      const shown = await page.locator('.govuk-summary-list__value').nth(1).textContent();
      expect((shown ?? '').replace(/\s+/g, ' ')).toBe(answer.replace(/\s+/g, ' '));
      const cookies = await context.cookies();
      const answerCookies = cookies.filter((cookie) => cookie.name.startsWith('forms-statement'));
      expect(answerCookies.length).toBeGreaterThanOrEqual(1);
      for (const cookie of answerCookies)
        expect(cookie.name.length + cookie.value.length).toBeLessThanOrEqual(4096);
      // Back to the page: the whole answer is in the textarea again.
      await page.goto(`${origin}/statement/what-happened`);
      expect(await page.getByLabel('Chuyện gì đã xảy ra?').inputValue()).toBe(answer);
      await page.goto(`${origin}/statement/check-answers`);
      await submit(/^Chấp nhận và gửi$/);
      expect(new URL(page.url()).pathname).toBe('/statement/confirmation');
      expect(submitted).toEqual([{ fullName: 'Nguyễn Thị Lan', whatHappened: answer }]);
    } finally {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
