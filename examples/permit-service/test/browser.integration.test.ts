// A real browser (Debian Chromium through playwright-core) applies for a
// permit by clicking, from the start page through sign-in at the dev identity
// provider to the confirmation and sign-out, and axe-core checks every page
// of the service it sees for serious or critical WCAG 2.2 AA problems.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isContinuousIntegration } from '@civicblocks/core/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PermitService, startPermitService } from '../src/permit-service.js';

const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
const inCi = isContinuousIntegration(process.env.CI);
const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

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

if (!hasChromium && inCi) {
  describe('permit service in a browser', () => {
    it('needs Debian Chromium at /usr/bin/chromium in CI', () => {
      throw new Error(`Chromium is missing at ${chromiumPath}; CI must install Debian Chromium`);
    });
  });
} else if (!hasChromium) {
  console.warn(`Skipping the permit service browser test: no Chromium at ${chromiumPath}`);
}

const browserSuite = hasChromium ? describe : describe.skip;

browserSuite('permit service in a browser (Chromium, axe-core WCAG 2.2 AA)', () => {
  let browser: Browser;
  let service: PermitService;

  beforeAll(async () => {
    service = await startPermitService({ port: 0, log: () => undefined });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('applies for a permit by clicking, in Vietnamese, with no serious accessibility problem', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const audited: string[] = [];
    const problems: string[] = [];
    const path = (): string => new URL(page.url()).pathname;
    const audit = async (): Promise<void> => {
      audited.push(path());
      for (const problem of await seriousViolations(page)) problems.push(`${path()}: ${problem}`);
    };
    const click = async (name: string | RegExp, role: 'button' | 'link' = 'button') => {
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.getByRole(role, { name }).click(),
      ]);
    };
    const next = () => click('Tiếp tục');

    try {
      await page.goto(service.origin);
      expect(await page.getAttribute('html', 'lang')).toBe('vi');
      await audit();
      await click('Đăng nhập để bắt đầu');
      expect(path()).toBe('/sign-in');
      await audit();

      // The dev identity provider signs the chosen person in and sends them back.
      await click('Trần Thị Mai', 'link');
      expect(path()).toBe('/');
      expect(await page.locator('.govuk-summary-list').textContent()).toContain('Trần Thị Mai');
      await audit();
      await click('Bắt đầu');
      expect(path()).toBe('/apply/phone');
      await audit();

      await next();
      await expect.poll(() => page.title()).toMatch(/^Lỗi: /);
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Nhập số điện thoại di động',
      );
      await audit();
      await page.getByLabel('Số điện thoại di động của bạn').fill('0987 654 321');
      await next();

      await page.getByLabel('Số nhà, tên đường').fill('45 Đường Lê Lợi');
      await page.getByLabel('Xã, phường hoặc đặc khu').fill('Phường Bến Thành');
      await page.getByLabel('Tỉnh hoặc thành phố').fill('Hồ Chí Minh');
      await audit();
      await next();

      await page.getByLabel('Bạn sẽ bán mặt hàng gì?').fill('Bánh mì');
      await next();
      await page.getByLabel('Có').check();
      await audit();
      await next();

      expect(path()).toBe('/apply/food-safety');
      await audit();
      await page
        .getByLabel('Số giấy xác nhận kiến thức an toàn thực phẩm của bạn')
        .fill('ATTP-2026-0815');
      await next();
      await page.getByLabel('Tôi xác nhận thông tin trên là đúng').check();
      await next();

      expect(path()).toBe('/apply/check-answers');
      expect(await page.locator('main').textContent()).toContain('+84 987 654 321');
      await audit();
      await click('Chấp nhận và gửi');
      expect(path()).toBe('/apply/confirmation');
      expect(await page.locator('.govuk-panel').textContent()).toMatch(
        /BHR-[0-9A-Z]{4}-[0-9A-Z]{4}/,
      );
      await audit();

      // Sign out: the provider asks to confirm, then returns to the service.
      await click('Đăng xuất', 'link');
      expect(new URL(page.url()).origin).not.toBe(service.origin);
      await click(/sign me out/i);
      expect(path()).toBe('/signed-out');
      expect(await page.locator('h1').textContent()).toBe('Bạn đã đăng xuất');
      await audit();
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
    expect(audited).toEqual([
      '/',
      '/sign-in',
      '/',
      '/apply/phone',
      '/apply/phone',
      '/apply/home-address',
      '/apply/sells-food',
      '/apply/food-safety',
      '/apply/check-answers',
      '/apply/confirmation',
      '/signed-out',
    ]);
  });
});
