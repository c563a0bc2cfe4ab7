// A real browser (Debian Chromium through playwright-core) completes the
// example application with JavaScript on and off, and axe-core checks every
// page (including error pages) for serious or critical WCAG 2.2 AA problems.

import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { isContinuousIntegration } from '@civicblocks/core/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFormHandler } from '../src/handler/form-handler.js';
import { exampleApplicationDefinition } from '../src/testing/example-application.js';
import { compileForm } from '../src/validation/compiled-form.js';
import { chromiumPath, hasChromium, launchChromium, serve } from './browser-harness.js';

const inCi = isContinuousIntegration(process.env.CI);
const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

async function startServer(withJavaScript: boolean): Promise<{ server: Server; origin: string }> {
  const form = compileForm(exampleApplicationDefinition, {
    timeZone: 'Asia/Ho_Chi_Minh',
    clock: { now: () => new Date('2026-11-23T03:00:00Z') },
  });
  return serve(
    createFormHandler({
      form,
      basePath: '/apply',
      secret: 'browser-test-secret-browser-test-secret-0123',
      stylesheetHref: '/assets/govuk-frontend.min.css',
      ...(withJavaScript ? { scriptHref: '/assets/govuk-frontend.min.js' } : {}),
      unsafeAllowHttpCookies: true,
      onSubmit: () => ({ reference: 'HDX-2026-0042' }),
    }),
  );
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

const browserSuite = hasChromium ? describe : describe.skip;

if (!hasChromium && inCi) {
  describe('browser journey', () => {
    it('needs Debian Chromium at /usr/bin/chromium in CI', () => {
      throw new Error(`Chromium is missing at ${chromiumPath}; CI must install Debian Chromium`);
    });
  });
} else if (!hasChromium) {
  console.warn(`Skipping the browser journey tests: Chromium is not installed at ${chromiumPath}`);
}

browserSuite('browser journey (Chromium, axe-core WCAG 2.2 AA)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the audit catches a serious violation when there is one', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent(
      '<html lang="en"><head><title>x</title></head><body><main><input type="text"></main></body></html>',
    );
    expect((await seriousViolations(page)).join('\n')).toContain('label');
    await context.close();
  });

  for (const withJavaScript of [true, false]) {
    it(`completes a multi-page form with a condition, a repeater and check your answers (JavaScript ${withJavaScript ? 'on' : 'off'})`, async () => {
      const { server, origin } = await startServer(withJavaScript);
      const context = await browser.newContext({
        javaScriptEnabled: withJavaScript,
        locale: 'vi-VN',
      });
      const page = await context.newPage();
      const audited: string[] = [];
      const problems: string[] = [];
      // axe-core needs timers, which do not run in a page with JavaScript off:
      // there the served HTML (scripts removed) is audited in a second tab.
      const auditPage = withJavaScript ? page : await (await browser.newContext()).newPage();
      const audit = async (): Promise<void> => {
        audited.push(new URL(page.url()).pathname);
        if (!withJavaScript) {
          const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
          await auditPage.route(`${origin}/__audit`, (route) =>
            route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }),
          );
          await auditPage.goto(`${origin}/__audit`);
          await auditPage.unroute(`${origin}/__audit`);
        }
        for (const problem of await seriousViolations(auditPage))
          problems.push(`${page.url()}: ${problem}`);
      };
      const submit = async (): Promise<void> => {
        await Promise.all([
          page.waitForNavigation({ waitUntil: 'load' }),
          page.getByRole('button', { name: /^(Tiếp tục|Chấp nhận và gửi|Continue)$/ }).click(),
        ]);
      };
      try {
        await page.goto(`${origin}/apply`);
        expect(new URL(page.url()).pathname).toBe('/apply/name');
        expect(await page.getAttribute('html', 'lang')).toBe('vi');
        await audit();

        // An error page: the summary comes first, links to the field, and (with JS) takes focus.
        await submit();
        await expect.poll(() => page.title()).toMatch(/^Lỗi: /);
        expect(await page.locator('.govuk-error-summary a').first().getAttribute('href')).toBe(
          '#fullName',
        );
        if (withJavaScript) {
          await expect
            .poll(() => page.evaluate(() => document.activeElement?.className ?? ''))
            .toContain('govuk-error-summary');
        }
        await audit();
        await page.getByLabel('Họ và tên của bạn là gì?').fill('Nguyễn Thị Lan');
        await submit();

        await page.getByLabel('Ngày', { exact: true }).fill('5');
        await page.getByLabel('Tháng', { exact: true }).fill('tháng Ba');
        await page.getByLabel('Năm', { exact: true }).fill('2030');
        await submit();
        expect(await page.locator('.govuk-error-summary').textContent()).toContain(
          'Ngày sinh của bạn phải là một ngày trong quá khứ',
        );
        await audit();
        await page.getByLabel('Năm', { exact: true }).fill('1990');
        await submit();

        await page.getByLabel('Số định danh cá nhân của bạn là gì?').fill('001 191 123 456');
        await submit();
        expect(await page.locator('.govuk-error-summary').textContent()).toContain(
          'không khớp với năm sinh',
        );
        await audit();
        await page.getByLabel('Số định danh cá nhân của bạn là gì?').fill('001190123456');
        await submit();

        expect(await page.getAttribute('#phone', 'autocomplete')).toBe('tel');
        await page.getByLabel('Số điện thoại').fill('0912 345 678');
        await audit();
        await submit();

        await page.getByLabel('Số nhà, tên đường').fill('12 Phố Huế');
        await page.getByLabel('Xã, phường hoặc đặc khu').fill('Phường Hai Bà Trưng');
        await page.getByLabel('Tỉnh hoặc thành phố').fill('Hà Giang');
        await submit();
        expect(await page.locator('.govuk-error-summary').textContent()).toContain(
          'thuộc Tuyên Quang',
        );
        await audit();
        await page.getByLabel('Tỉnh hoặc thành phố').fill('Hà Nội');
        await submit();

        await page.getByLabel('Có').check();
        await audit();
        await submit();

        // The repeater: two children, "add another" in between.
        expect(new URL(page.url()).pathname).toBe('/apply/children/0');
        await page.getByLabel('Họ và tên').fill('Nguyễn Minh An');
        await page.getByLabel('Ngày', { exact: true }).fill('1');
        await page.getByLabel('Tháng', { exact: true }).fill('6');
        await page.getByLabel('Năm', { exact: true }).fill('2015');
        await audit();
        await submit();
        expect(await page.locator('h1').textContent()).toContain('Bạn đã thêm 1 con');
        await submit();
        await audit();
        await page.getByLabel('Có').check();
        await submit();
        await page.getByLabel('Họ và tên').fill('Nguyễn Minh Bình');
        await page.getByLabel('Ngày', { exact: true }).fill('2');
        await page.getByLabel('Tháng', { exact: true }).fill('12');
        await page.getByLabel('Năm', { exact: true }).fill('2018');
        await submit();
        expect(await page.locator('h1').textContent()).toContain('Bạn đã thêm 2 con');
        await page.getByLabel('Không').check();
        await submit();

        expect(new URL(page.url()).pathname).toBe('/apply/declaration');
        await submit();
        await audit();
        await page.getByLabel('Tôi xác nhận thông tin trên là đúng').check();
        await submit();

        // Check your answers, with a Change link that returns here.
        expect(new URL(page.url()).pathname).toBe('/apply/check-answers');
        const summary = await page.locator('main').textContent();
        for (const expected of [
          'Nguyễn Thị Lan',
          'ngày 5 tháng 3 năm 1990',
          '+84 912 345 678',
          'Nguyễn Minh Bình',
          'Hà Nội',
        ]) {
          expect(summary).toContain(expected);
        }
        await audit();
        await Promise.all([
          page.waitForLoadState('load'),
          page.getByRole('link', { name: 'Thay đổi họ và tên của bạn là gì?' }).click(),
        ]);
        expect(new URL(page.url()).pathname).toBe('/apply/name');
        await page.getByLabel('Họ và tên của bạn là gì?').fill('Trần Thị Lan');
        await submit();
        expect(new URL(page.url()).pathname).toBe('/apply/check-answers');
        expect(await page.locator('main').textContent()).toContain('Trần Thị Lan');

        await submit();
        expect(new URL(page.url()).pathname).toBe('/apply/confirmation');
        expect(await page.locator('.govuk-panel').textContent()).toContain('HDX-2026-0042');
        await audit();

        // The English version of an error page.
        await page.goto(`${origin}/apply/name?lang=en`);
        await submit();
        expect(await page.getAttribute('html', 'lang')).toBe('en');
        await audit();
      } finally {
        if (auditPage !== page) await auditPage.context().close();
        await context.close();
        await new Promise((resolve) => server.close(resolve));
      }
      expect(problems).toEqual([]);
      expect(audited.length).toBe(13);
    });
  }
});
