import { migrate } from '@civicblocks/core';
import { createTestDatabase, databaseTargets, type TestDatabase } from '@civicblocks/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormDefinition } from '../src/definition/form-definition.js';
import { createFormHandler } from '../src/handler/form-handler.js';
import { createAnswerSealer } from '../src/journey/answer-seal.js';
import { createSessionId, isSessionId } from '../src/store/answer-store.js';
import {
  createSqlAnswerStore,
  formsAnswersTable,
  formsMigrations,
  type SqlAnswerStore,
} from '../src/store/sql-answer-store.js';
import { exampleApplicationDefinition } from '../src/testing/example-application.js';
import { createFormTestClient } from '../src/testing/form-test-client.js';
import { compileForm } from '../src/validation/compiled-form.js';
import { completeAboutYou, exampleApplicationVersion3 } from './example-application-fixtures.js';
import { vietnameseText } from './vietnamese-text.js';

const targets = databaseTargets({
  databaseUrl: process.env.DATABASE_URL,
  ci: process.env.CI,
});

const secret = 'test-secret-test-secret-test-secret-0123456789';
const cookieName = 'forms-example-application';

function manualClock(start: string) {
  let time = new Date(start).getTime();
  return {
    now: () => new Date(time),
    advance: (seconds: number) => {
      time += seconds * 1000;
    },
  };
}

/** Five long free-text pages: far more than a 4 KB cookie can hold once sealed. */
const statementDefinition: FormDefinition = {
  id: 'long-statement',
  version: '1',
  languages: ['vi', 'en'],
  title: { vi: 'Tường trình sự việc', en: 'Describe what happened' },
  pages: Array.from({ length: 5 }, (_, index) => ({
    id: `part-${index + 1}`,
    components: [
      {
        type: 'textarea' as const,
        id: `part${index + 1}`,
        label: { vi: `Phần ${index + 1}`, en: `Part ${index + 1}` },
        maxLength: 2000,
      },
    ],
  })),
};

describe.each(targets)('server-side answer store on $name', (target) => {
  let database: TestDatabase;
  let store: SqlAnswerStore;
  const clock = manualClock('2026-11-23T03:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase(target);
    await migrate(database.executor, formsMigrations);
    store = createSqlAnswerStore(database.executor, { clock });
  });
  afterAll(async () => {
    await database?.drop();
  });

  function setup(definition: FormDefinition = exampleApplicationDefinition) {
    const form = compileForm(definition, { clock, timeZone: 'Asia/Ho_Chi_Minh' });
    const submitted: Record<string, unknown>[] = [];
    const handle = createFormHandler({
      form,
      basePath: '/apply',
      secret,
      stylesheetHref: '/assets/govuk-frontend.min.css',
      clock,
      answerStore: store,
      onSubmit: ({ answers }) => {
        submitted.push({ ...answers });
        return { reference: 'HDX-2026-0002' };
      },
    });
    return { handle, submitted, client: createFormTestClient(handle) };
  }

  async function rowCount(): Promise<number> {
    const { rows } = await database.executor.query<{ count: bigint }>(
      `SELECT count(*)::int8 AS count FROM ${formsAnswersTable}`,
    );
    return Number(rows[0]?.count ?? 0n);
  }

  it('is migrated idempotently under its own namespace', async () => {
    const again = await migrate(database.executor, formsMigrations);
    expect(again).toEqual({ namespace: 'forms', applied: [], currentVersion: 1 });
  });

  it('runs a whole journey keeping only a random session id in the cookie', async () => {
    const { client, submitted } = setup();
    const before = await rowCount();
    const address = await completeAboutYou(client);
    expect(address.path).toBe('/apply/has-children');
    const sessionId = client.cookies.get(cookieName) ?? '';
    expect(isSessionId(sessionId)).toBe(true);
    // One row for the whole journey, found again on every request.
    expect(await rowCount()).toBe(before + 1);
    const stored = await store.get(sessionId);
    expect(stored).toMatchObject({
      formId: 'example-application',
      version: '2',
      answers: {
        fullName: 'Nguyễn Thị Lan',
        dateOfBirth: '1990-03-05',
        homeAddress: { province: 'Hà Nội', provinceCode: '01' },
      },
    });
    const { rows } = await database.executor.query<{ session_hash: string }>(
      `SELECT session_hash FROM ${formsAnswersTable}`,
    );
    expect(rows.map((row) => row.session_hash)).not.toContain(sessionId);
    await client.post('/apply/has-children', { hasChildren: 'no' });
    const check = await client.post('/apply/declaration', { declaration: 'yes' });
    expect(check.path).toBe('/apply/check-answers');
    expect(check.html).toContain('Nguyễn Thị Lan');
    expect(client.cookies.get(cookieName)).toBe(sessionId);
    const done = await client.post('/apply/check-answers', {});
    expect(done.path).toBe('/apply/confirmation');
    expect(done.html).toContain('HDX-2026-0002');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({ fullName: 'Nguyễn Thị Lan', citizenId: '001190123456' });
    expect(client.cookies.has(cookieName)).toBe(false);
    expect(await store.get(sessionId)).toBeUndefined();
    expect(await rowCount()).toBe(before);
  });

  it('holds a form far too large for a cookie', async () => {
    const { client, submitted } = setup(statementDefinition);
    const paragraph = (part: number) => `Phần ${part}: ${vietnameseText(1890, part)}`;
    const answers: Record<string, string> = {};
    await client.get('/apply?lang=vi');
    for (let part = 1; part <= 5; part += 1) {
      answers[`part${part}`] = paragraph(part);
      await client.post(`/apply/part-${part}`, { [`part${part}`]: paragraph(part) });
    }
    const sealed = await createAnswerSealer({ secret }).seal({
      formId: 'long-statement',
      version: '1',
      answers,
    });
    expect(`forms-long-statement=${sealed}`.length).toBeGreaterThan(4096);
    const cookie = client.cookies.get('forms-long-statement') ?? '';
    expect(cookie).toHaveLength(43);
    const check = await client.get('/apply/check-answers');
    expect(check.path).toBe('/apply/check-answers');
    expect(check.html).toContain(paragraph(5).slice(0, 200));
    await client.post('/apply/check-answers', {});
    expect(submitted[0]).toEqual(answers);
  });

  it('treats an expired session as absent and clears it out', async () => {
    const { client, handle } = setup();
    await client.get('/apply?lang=en');
    await client.post('/apply/name', { fullName: 'Trần Văn Nam' });
    const sessionId = client.cookies.get(cookieName) ?? '';
    expect((await client.get('/apply/name')).html).toContain('value="Trần Văn Nam"');
    clock.advance(86_400 + 1);
    expect(await store.get(sessionId)).toBeUndefined();
    const response = await handle(
      new Request('https://forms.test/apply/date-of-birth', {
        headers: { cookie: `${cookieName}=${sessionId}` },
      }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/apply/name');
    expect(await store.deleteExpired()).toBeGreaterThanOrEqual(1);
    const { rows } = await database.executor.query(
      `SELECT 1 FROM ${formsAnswersTable} WHERE expires_at <= $1`,
      [clock.now()],
    );
    expect(rows).toHaveLength(0);
  });

  it('starts fresh for a forged or unknown session id, without adopting it or leaking why', async () => {
    const { handle } = setup();
    const before = await rowCount();
    for (const forged of [createSessionId(), "x' OR '1'='1", 'A'.repeat(5000)]) {
      const page = await handle(
        new Request('https://forms.test/apply/name?lang=en', {
          headers: { cookie: `${cookieName}=${forged}` },
        }),
      );
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('What is your full name?');
      expect(html).not.toMatch(/error|expired|session/i);
      const posted = await handle(
        new Request('https://forms.test/apply/name', {
          method: 'POST',
          headers: {
            cookie: `${cookieName}=${forged}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ fullName: 'Lê Thị Hoa' }).toString(),
        }),
      );
      expect(posted.status).toBe(303);
      const setCookie = posted.headers.getSetCookie()[0] ?? '';
      expect(setCookie).toMatch(
        /^forms-example-application=[A-Za-z0-9_-]{43}; Path=\/apply; HttpOnly; SameSite=Lax; Max-Age=86400; Secure$/,
      );
      const issued = /=([^;]*)/.exec(setCookie)?.[1] ?? '';
      expect(isSessionId(issued)).toBe(true);
      expect(issued).not.toBe(forged);
      expect(await store.get(forged)).toBeUndefined();
    }
    expect(await rowCount()).toBe(before + 3);
    await expect(
      store.put('not-a-session-id', {
        formId: 'x',
        version: '1',
        answers: {},
        expiresAt: clock.now(),
      }),
    ).rejects.toMatchObject({ code: 'FORMS_INVALID_OPTION' });
  });

  it('resumes a save link from the store, revalidated against the current version', async () => {
    const { client } = setup();
    await completeAboutYou(client);
    const saved = await client.get('/apply/save');
    const token = /resume\?token=([A-Za-z0-9_-]+)"/.exec(saved.html)?.[1] ?? '';
    expect(isSessionId(token)).toBe(true);
    expect(token).not.toBe(client.cookies.get(cookieName));
    const next = setup(exampleApplicationVersion3);
    const resumed = await next.client.get(`/apply/resume?token=${token}`);
    expect(resumed.path).toBe('/apply/citizen-id');
    const name = await next.client.get('/apply/name');
    expect(name.html).toContain('value="Nguyễn Thị Lan"');
    const unknown = await setup().client.get(`/apply/resume?token=${createSessionId()}`);
    expect(unknown.path).toBe('/apply/name');
    expect(unknown.html).not.toContain('Nguyễn Thị Lan');
  });
});
