// The consent request page in a real browser (Debian Chromium through
// playwright-core) with GOV.UK Frontend's CSS and JavaScript, audited by
// axe-core for WCAG 2.2 AA: how to withdraw comes before any choice, nothing
// is preselected, an unanswered purpose is an error, and the choices are
// recorded per purpose — in Vietnamese and in English.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConsentChoices, renderConsentRequestPage } from '../src/render/consent-page.js';
import { exampleNotice } from '../src/testing/example-notice.js';
import { type ConsentFixture, consentFixture, notice } from './consent-setup.js';

const chromiumPath = '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const govukDirectory = join(
  dirname(require.resolve('govuk-frontend/package.json')),
  'dist',
  'govuk',
);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            context: unknown,
            options: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
          }>;
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
        `${violation.id} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

describe.runIf(existsSync(chromiumPath) || process.env.CI)(
  'consent request page in Chromium',
  () => {
    let browser: Browser;
    let server: Server;
    let origin: string;
    let fixture: ConsentFixture;
    const subject = 'page-citizen-0790';

    beforeAll(async () => {
      fixture = await consentFixture({ kind: 'pglite', name: 'pglite' });
      server = createServer(async (incoming, outgoing) => {
        const url = new URL(incoming.url ?? '/', 'http://localhost');
        if (url.pathname.startsWith('/assets/')) {
          const relative = normalize(url.pathname.slice('/assets/'.length));
          const file = relative.startsWith('govuk-frontend.min.')
            ? join(govukDirectory, relative)
            : join(govukDirectory, 'assets', relative);
          if (relative.includes('..') || !existsSync(file))
            return void outgoing.writeHead(404).end();
          outgoing.writeHead(200, {
            'content-type': file.endsWith('.css')
              ? 'text/css'
              : file.endsWith('.js')
                ? 'text/javascript'
                : 'application/octet-stream',
          });
          return void outgoing.end(await readFile(file));
        }
        const locale = url.searchParams.get('lang') === 'en' ? 'en' : 'vi';
        const page = (
          extra: { missing?: string[]; choices?: Record<string, 'agree' | 'disagree'> } = {},
        ) =>
          renderConsentRequestPage({
            notice: exampleNotice,
            locale,
            action: `/consent?lang=${locale}`,
            stylesheetHref: '/assets/govuk-frontend.min.css',
            languages: [
              {
                locale: locale === 'vi' ? 'en' : 'vi',
                href: `/consent?lang=${locale === 'vi' ? 'en' : 'vi'}`,
                label: locale === 'vi' ? 'English' : 'Tiếng Việt',
              },
            ],
            ...extra,
          });
        if (incoming.method === 'POST') {
          const chunks: Buffer[] = [];
          for await (const chunk of incoming) chunks.push(chunk as Buffer);
          const choices = readConsentChoices(
            exampleNotice,
            new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
          );
          if (choices.missing.length > 0) {
            outgoing.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
            return void outgoing.end(
              page({ missing: choices.missing, choices: choices.choices }).html,
            );
          }
          if (choices.agreed.length > 0)
            await fixture.consent.give({
              subject,
              notice,
              purposes: choices.agreed,
              method: 'web-form',
            });
          if (choices.refused.length > 0)
            await fixture.consent.refuse({
              subject,
              notice,
              purposes: choices.refused,
              method: 'web-form',
            });
          outgoing.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          return void outgoing.end(
            `<!DOCTYPE html><html lang="${locale}"><head><title>OK</title></head><body><main><h1>OK</h1></main></body></html>`,
          );
        }
        outgoing.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        outgoing.end(page().html);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => server?.close(resolve));
      await fixture?.database.drop();
    });

    for (const locale of ['vi', 'en'] as const) {
      it(`asks, refuses silence, and records per-purpose choices (${locale})`, {
        timeout: 120_000,
      }, async () => {
        const context = await browser.newContext({ locale: locale === 'vi' ? 'vi-VN' : 'en-GB' });
        const page = await context.newPage();
        await page.goto(`${origin}/consent?lang=${locale}`);
        expect(await page.getAttribute('html', 'lang')).toBe(locale);
        expect(await seriousViolations(page)).toEqual([]);
        // how to withdraw is stated before the first choice
        const order = await page.evaluate(() => {
          const inset = document.querySelector('.govuk-inset-text');
          const radio = document.querySelector('input[type=radio]');
          return (
            inset !== null &&
            radio !== null &&
            (inset.compareDocumentPosition(radio) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0
          );
        });
        expect(order).toBe(true);
        expect(await page.textContent('.govuk-inset-text')).toContain(
          exampleNotice.withdrawal[locale],
        );
        // silence is not consent: nothing preselected
        expect(await page.locator('input[type=radio]:checked').count()).toBe(0);
        const agree = locale === 'vi' ? 'Có, tôi đồng ý' : 'Yes, I agree';
        const disagree = locale === 'vi' ? 'Không, tôi không đồng ý' : 'No, I do not agree';
        expect(await page.getByLabel(agree).count()).toBe(2);
        expect(await page.getByLabel(disagree).count()).toBe(2);

        // answer one purpose only: an error summary, linked to the unanswered question
        await page.locator('#purpose-sms-updates').check();
        await page.getByRole('button').click();
        await page.waitForSelector('.govuk-error-summary');
        expect(await page.title()).toMatch(locale === 'vi' ? /^Lỗi:/ : /^Error:/);
        expect(await page.isChecked('#purpose-sms-updates')).toBe(true);
        expect(await seriousViolations(page)).toEqual([]);
        await page.locator('.govuk-error-summary a').click();

        await page.locator('#purpose-income-sharing-1').check();
        await page.getByRole('button').click();
        await page.waitForSelector('h1:text("OK")');
        const history = await fixture.consent.history(subject);
        const last = history.events.slice(-2);
        expect(last.map((event) => [event.kind, event.purposes, event.method])).toEqual([
          ['given', ['sms-updates'], 'web-form'],
          ['refused', ['income-sharing'], 'web-form'],
        ]);
        await context.close();
      });
    }

    it('works with JavaScript off', { timeout: 120_000 }, async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' });
      const page = await context.newPage();
      await page.goto(`${origin}/consent?lang=vi`);
      await page.getByRole('button').click();
      await page.waitForSelector('.govuk-error-summary');
      expect(await page.locator('.govuk-error-message').count()).toBe(2);
      await page.locator('#purpose-sms-updates-1').check();
      await page.locator('#purpose-income-sharing').check();
      await page.getByRole('button').click();
      await page.waitForSelector('h1:text("OK")');
      const last = (await fixture.consent.history(subject)).events.slice(-2);
      expect(last.map((event) => [event.kind, event.purposes])).toEqual([
        ['given', ['income-sharing']],
        ['refused', ['sms-updates']],
      ]);
      await context.close();
    });

    it('escapes every value it renders', () => {
      const hostile = {
        ...exampleNotice,
        withdrawal: { vi: '<script>alert(1)</script>', en: '"><img src=x onerror=alert(1)>' },
      };
      for (const locale of ['vi', 'en'] as const) {
        const { html } = renderConsentRequestPage({
          notice: hostile,
          locale,
          action: '/x',
          stylesheetHref: '/s.css',
        });
        expect(html).not.toContain('<script>alert');
        expect(html).not.toContain('<img src=x');
      }
    });
  },
);
