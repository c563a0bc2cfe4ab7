// The whole citizen journey over HTTP against the real service: the dev
// identity provider, the form, PGlite (and PostgreSQL when DATABASE_URL is set).
import {
  auditEntriesTable,
  auditPayloadsTable,
  createAuditChain,
  createManualClock,
} from '@civicblocks/core';
import { createTestDatabase, databaseTargets, type TestDatabase } from '@civicblocks/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationSubmitted, auditChainName } from '../src/applications.js';
import { applicationsTable, sessionsTable } from '../src/database.js';
import { type PermitService, startPermitService } from '../src/permit-service.js';
import { Citizen, textOf } from './citizen.js';

const targets = databaseTargets({
  databaseUrl: process.env.DATABASE_URL,
  ci: process.env.CI,
});

describe.each(targets)('permit service on $name', (target) => {
  let database: TestDatabase;
  let service: PermitService;
  const logged: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(target);
    service = await startPermitService({
      port: 0,
      executor: database.executor,
      log: (line) => logged.push(line),
    });
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  it('speaks Vietnamese by default, English by Accept-Language, and remembers the switch', async () => {
    const vietnamese = await new Citizen(service.origin, '').visit('/');
    expect(vietnamese.html).toContain('<html lang="vi"');
    expect(vietnamese.html).toContain('Đăng nhập để bắt đầu');
    expect(vietnamese.headers.get('content-security-policy')).toContain("default-src 'self'");

    const english = await new Citizen(service.origin, 'en-GB,en;q=0.9').visit('/');
    expect(english.html).toContain('<html lang="en"');
    expect(english.html).toContain('Sign in to start');

    const switching = new Citizen(service.origin);
    await switching.visit('/?lang=en');
    expect((await switching.visit('/sign-in')).html).toContain('Choose a test person');
    expect((await switching.visit('/?lang=vi')).html).toContain('Đăng nhập để bắt đầu');
  });

  it('serves GOV.UK Frontend from the installed package', async () => {
    const css = await fetch(`${service.origin}/assets/govuk-frontend.min.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('.govuk-button');
    expect((await fetch(`${service.origin}/assets/fonts/../../../package.json`)).status).toBe(404);
  });

  it('sends a citizen who is not signed in from the form to sign in, where test people are listed', async () => {
    const citizen = new Citizen(service.origin);
    const page = await citizen.visit('/apply/phone');
    expect(page.path).toBe('/sign-in');
    expect(page.html).toContain(
      '/auth/login?login_hint=tran-thi-mai&amp;returnTo=%2F&amp;locale=vi',
    );
    expect(textOf(page.html)).toContain('Trần Thị Mai');
  });

  it('refuses, in Vietnamese, a person whose identity is not verified to the level a permit needs', async () => {
    const page = await new Citizen(service.origin).signIn('le-hoang-duc');
    expect(page.status).toBe(400);
    expect(textOf(page.html)).toContain(
      'Dịch vụ này cần mức xác thực danh tính cao hơn mức bạn vừa dùng.',
    );
    expect(page.html).not.toContain('IDENTITY_');
  });

  it('takes an application from sign-in to confirmation, stores it and records it in the audit chain', async () => {
    const citizen = new Citizen(service.origin);
    const home = await citizen.signIn('tran-thi-mai');
    expect(home.path).toBe('/');
    const homeText = textOf(home.html);
    expect(homeText).toContain('Thông tin đã xác thực của bạn');
    expect(homeText).toContain('Trần Thị Mai');
    expect(homeText).toContain('Đăng xuất');

    const phone = await citizen.visit('/apply');
    expect(phone.path).toBe('/apply/phone');
    expect(phone.html).toContain('<html lang="vi"');

    // A validation error, in Vietnamese, keeps what was typed.
    const invalid = await citizen.visit('/apply/phone', { phone: '12' });
    expect(invalid.status).toBe(400);
    expect(invalid.html).toContain('<title>Lỗi: ');
    expect(textOf(invalid.html)).toContain(
      'Nhập số điện thoại hợp lệ, ví dụ 0912 345 678 hoặc +84 912 345 678',
    );
    expect(invalid.html).toContain('value="12"');

    expect((await citizen.visit('/apply/phone', { phone: '0987 654 321' })).path).toBe(
      '/apply/home-address',
    );
    // A province merged on 1 July 2025 is refused with its new name.
    const merged = await citizen.visit('/apply/home-address', {
      'homeAddress-line1': '45 Đường Lê Lợi',
      'homeAddress-commune': 'Phường Hà Giang 1',
      'homeAddress-province': 'Hà Giang',
    });
    expect(merged.status).toBe(400);
    expect(textOf(merged.html)).toContain('Tuyên Quang');
    expect(
      (
        await citizen.visit('/apply/home-address', {
          'homeAddress-line1': '45 Đường Lê Lợi',
          'homeAddress-commune': 'Phường Bến Thành',
          'homeAddress-province': 'Thành phố Hồ Chí Minh',
        })
      ).path,
    ).toBe('/apply/goods');
    expect((await citizen.visit('/apply/goods', { goods: 'Bánh mì và nước mía' })).path).toBe(
      '/apply/sells-food',
    );

    // "Yes" opens the conditional food-safety page.
    const foodSafety = await citizen.visit('/apply/sells-food', { sellsFood: 'yes' });
    expect(foodSafety.path).toBe('/apply/food-safety');
    expect(textOf(foodSafety.html)).toContain('Số giấy xác nhận kiến thức an toàn thực phẩm');
    expect(
      (await citizen.visit('/apply/food-safety', { foodSafetyCertificate: 'ATTP-2026-0815' })).path,
    ).toBe('/apply/declaration');

    const check = await citizen.visit('/apply/declaration', { declaration: 'yes' });
    expect(check.path).toBe('/apply/check-answers');
    const summary = textOf(check.html);
    for (const expected of [
      '+84 987 654 321',
      'Phường Bến Thành Hồ Chí Minh',
      'Bánh mì và nước mía',
      'ATTP-2026-0815',
    ]) {
      expect(summary).toContain(expected);
    }

    // In English on the same answers, then back.
    expect((await citizen.visit('/apply/check-answers?lang=en')).html).toContain(
      'Check your answers',
    );
    await citizen.visit('/?lang=vi');

    const confirmation = await citizen.visit('/apply/check-answers', {});
    expect(confirmation.path).toBe('/apply/confirmation');
    const reference = /<strong>(BHR-[0-9A-Z]{4}-[0-9A-Z]{4})<\/strong>/.exec(
      confirmation.html,
    )?.[1];
    expect(reference).toBeDefined();
    expect(textOf(confirmation.html)).toContain(`Đã gửi hồ sơ Mã hồ sơ của bạn ${reference}`);

    // The application, with the verified applicant.
    const { rows } = await database.executor.query<{
      id: string;
      issuer: string;
      subject: string;
      applicant_name: string;
      answers: Record<string, unknown>;
    }>(
      `SELECT id, issuer, subject, applicant_name, answers FROM ${applicationsTable} WHERE reference = $1`,
      [reference ?? null],
    );
    expect(rows).toHaveLength(1);
    const [application] = rows;
    expect(application?.subject).toBe('tran-thi-mai');
    expect(application?.applicant_name).toBe('Trần Thị Mai');
    expect(application?.answers).toMatchObject({
      phone: '+84987654321',
      homeAddress: { commune: 'Phường Bến Thành', province: 'Hồ Chí Minh' },
      goods: 'Bánh mì và nước mía',
      sellsFood: true,
      foodSafetyCertificate: 'ATTP-2026-0815',
      declaration: true,
    });

    // The audit entry: the application's id and reference, nothing personal; the chain verifies.
    const audit = await database.executor.query<{ type: string; payload: unknown }>(
      `SELECT entry.type, payload.payload FROM ${auditEntriesTable} AS entry
         JOIN ${auditPayloadsTable} AS payload ON payload.entry_id = entry.id
        WHERE entry.chain = $1 ORDER BY entry.sequence`,
      [auditChainName],
    );
    expect(audit.rows.at(-1)).toEqual({
      type: applicationSubmitted,
      payload: { applicationId: application?.id, reference },
    });
    const verification = await createAuditChain(database.executor, {
      chain: auditChainName,
    }).verify();
    expect(verification.ok).toBe(true);

    // The confirmation is the applicant's alone.
    const someoneElse = new Citizen(service.origin);
    await someoneElse.signIn('alice-smith');
    expect((await someoneElse.visit(confirmation.path)).status).toBe(404);

    // Sign out: the service session ends, then the provider's (RP-initiated logout).
    const sessionsBefore = await database.executor.query<{ count: bigint }>(
      `SELECT count(*) AS count FROM ${sessionsTable} WHERE subject = 'tran-thi-mai'`,
    );
    expect(sessionsBefore.rows[0]?.count).toBe(1n);
    const signOut = await citizen.request('/sign-out');
    expect(signOut.status).toBe(303);
    const endSession = new URL(signOut.headers.get('location') ?? '');
    expect(endSession.origin).not.toBe(service.origin);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(
      `${service.origin}/signed-out`,
    );
    expect(endSession.searchParams.get('id_token_hint')).toMatch(/^ey/);
    const sessionsAfter = await database.executor.query<{ count: bigint }>(
      `SELECT count(*) AS count FROM ${sessionsTable} WHERE subject = 'tran-thi-mai'`,
    );
    expect(sessionsAfter.rows[0]?.count).toBe(0n);
    const signedOut = await signOutAtProvider(citizen, endSession);
    expect(signedOut.path).toBe('/signed-out');
    expect(textOf(signedOut.html)).toContain('Bạn đã đăng xuất');
    expect((await citizen.visit('/apply/phone')).path).toBe('/sign-in');

    expect(logged.filter((line) => line.includes('failed'))).toEqual([]);
  });

  it('ends a session two hours after sign-in', async () => {
    const clock = createManualClock(new Date());
    const timed = await startPermitService({
      port: 0,
      executor: database.executor,
      clock,
      log: (line) => logged.push(line),
    });
    try {
      const citizen = new Citizen(timed.origin);
      await citizen.signIn('alice-smith');
      clock.advance(2 * 3600 * 1000 - 1000);
      expect((await citizen.visit('/apply')).path).toBe('/apply/phone');
      clock.advance(1000);
      expect((await citizen.visit('/apply')).path).toBe('/sign-in');
    } finally {
      await timed.close();
    }
  });

  it('skips the food-safety page when the applicant sells no food or drink', async () => {
    const citizen = new Citizen(service.origin, 'en-GB');
    await citizen.signIn('nguyen-van-an');
    await citizen.visit('/apply/phone', { phone: '+84 912 345 678' });
    await citizen.visit('/apply/home-address', {
      'homeAddress-line1': '12 Phố Hàng Bạc',
      'homeAddress-commune': 'Phường Hoàn Kiếm',
      'homeAddress-province': 'Hà Nội',
    });
    await citizen.visit('/apply/goods', { goods: 'Souvenirs' });
    const next = await citizen.visit('/apply/sells-food', { sellsFood: 'no' });
    expect(next.path).toBe('/apply/declaration');
    expect(next.html).toContain('<html lang="en"');
    // The conditional page cannot be reached on these answers.
    expect((await citizen.visit('/apply/food-safety')).path).not.toBe('/apply/food-safety');
    await citizen.visit('/apply/declaration', { declaration: 'yes' });
    const confirmation = await citizen.visit('/apply/check-answers', {});
    expect(textOf(confirmation.html)).toContain('Application sent');
    const reference = /<strong>([^<]+)<\/strong>/.exec(confirmation.html)?.[1];
    const { rows } = await database.executor.query<{ answers: Record<string, unknown> }>(
      `SELECT answers FROM ${applicationsTable} WHERE reference = $1`,
      [reference ?? null],
    );
    expect(rows[0]?.answers).toMatchObject({ sellsFood: false });
    expect(rows[0]?.answers).not.toHaveProperty('foodSafetyCertificate');
  });
});

/** Confirms the dev provider's "sign out?" page, as the citizen's click would, and lands back on the service. */
async function signOutAtProvider(citizen: Citizen, endSession: URL) {
  const page = await fetch(endSession, { headers: { cookie: citizen.jar.header(endSession) } });
  citizen.jar.store(endSession, page);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  expect(action).toBeDefined();
  expect(xsrf).toBeDefined();
  const confirmUrl = new URL(action ?? '', endSession);
  const confirmed = await fetch(confirmUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: citizen.jar.header(confirmUrl),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ xsrf: xsrf ?? '', logout: 'yes' }).toString(),
  });
  citizen.jar.store(confirmUrl, confirmed);
  const back = new URL(confirmed.headers.get('location') ?? '', confirmUrl);
  expect(back.origin).toBe(citizen.origin);
  return citizen.visit(back.pathname + back.search);
}
