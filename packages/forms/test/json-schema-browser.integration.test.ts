// Five agency-style JSON Schemas, each made into a form as published, are
// filled in by a real browser (Chromium, JavaScript off) from their example
// data; what reaches onSubmit, turned back into the schema's shape, is the
// example itself and valid against the original schema.
import { isContinuousIntegration } from '@civicblocks/core/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFormHandler } from '../src/handler/form-handler.js';
import { inputsForRoute, parseRoutePath } from '../src/journey/form-journey.js';
import { formFromJsonSchema } from '../src/json-schema/json-schema-form.js';
import { hasChromium, launchChromium, serve } from './browser-harness.js';
import { agencySchemas } from './fixtures/agency-schemas.js';

async function fillPage(page: Page, inputs: Record<string, string | string[]>): Promise<void> {
  for (const [name, value] of Object.entries(inputs)) {
    const values = Array.isArray(value) ? value : [value];
    const elements = page.locator(`[name="${name.replace(/"/g, '\\"')}"]`);
    const count = await elements.count();
    for (let index = 0; index < count; index += 1) {
      const element = elements.nth(index);
      const tag = await element.evaluate((node) => node.tagName.toLowerCase());
      const type = (await element.getAttribute('type')) ?? '';
      if (tag === 'select') await element.selectOption(values[0] ?? '');
      else if (type === 'radio' || type === 'checkbox') {
        if (values.includes((await element.getAttribute('value')) ?? '')) await element.check();
      } else await element.fill(values[0] ?? '');
    }
  }
}

// In CI (any truthy CI value) a missing Chromium fails the suite instead of skipping it.
const browserRequired = hasChromium || isContinuousIntegration(process.env.CI);

describe.runIf(browserRequired)('agency JSON Schemas in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const agency of agencySchemas) {
    it(`${agency.name}: a citizen's answers round-trip to the schema's data`, async () => {
      const source = formFromJsonSchema(agency.schema, agency.options);
      const submitted: Record<string, unknown>[] = [];
      const { server, origin } = await serve(
        createFormHandler({
          form: source.form,
          basePath: '/f',
          secret: 'agency-schema-secret-agency-schema-secret-01',
          stylesheetHref: '/assets/govuk-frontend.min.css',
          unsafeAllowHttpCookies: true,
          onSubmit: ({ answers }) => {
            submitted.push(source.toData(answers));
            return { reference: 'JS-1' };
          },
        }),
      );
      const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
      const page = await context.newPage();
      const target = source.fromData(agency.example);
      const button = (name: RegExp) =>
        Promise.all([
          page.waitForNavigation({ waitUntil: 'load' }),
          page.getByRole('button', { name }).click(),
        ]);
      try {
        await page.goto(`${origin}/f?lang=en`);
        for (let step = 0; step < 40; step += 1) {
          const path = new URL(page.url()).pathname.slice('/f/'.length);
          if (path === 'check-answers') break;
          const errors = await page.locator('.govuk-error-summary').count();
          if (errors > 0)
            throw new Error(`${path}: ${await page.locator('.govuk-error-summary').textContent()}`);
          const route = parseRoutePath(source.form, path);
          if (route === undefined) throw new Error(`unknown page ${path}`);
          if (route.kind === 'list') {
            const wanted = Array.isArray(target[route.pageId])
              ? (target[route.pageId] as unknown[]).length
              : 0;
            const added = await page.locator('.govuk-summary-list__row').count();
            await page
              .locator(`input[name="addAnother"][value="${added < wanted ? 'yes' : 'no'}"]`)
              .check();
          } else {
            await fillPage(page, inputsForRoute(source.form, target, route));
          }
          await button(/^Continue$/);
        }
        expect(new URL(page.url()).pathname).toBe('/f/check-answers');
        await button(/^Accept and send$/);
        expect(new URL(page.url()).pathname).toBe('/f/confirmation');
        expect(submitted).toEqual([agency.example]);
        expect(source.validateData(submitted[0]).valid).toBe(true);
      } finally {
        await context.close();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  }
});
