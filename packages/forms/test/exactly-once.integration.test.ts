// Submitting is exactly-once: ten simultaneous submits of one citizen's
// answers store one application and all show its reference; a submit whose
// transaction committed but whose response never left is recovered, with
// the same reference, when the citizen sends again or comes back.
import { coreMigrations, idempotencyKeysTable, migrate, type SqlExecutor } from '@civicblocks/core';
import { createTestDatabase, databaseTargets, type TestDatabase } from '@civicblocks/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFormHandler } from '../src/handler/form-handler.js';
import { formsMigrations } from '../src/store/sql-answer-store.js';
import { exampleApplicationDefinition } from '../src/testing/example-application.js';
import { createFormTestClient } from '../src/testing/form-test-client.js';
import { compileForm } from '../src/validation/compiled-form.js';
import { completeAboutYou } from './example-application-fixtures.js';

const targets = databaseTargets({
  databaseUrl: process.env.DATABASE_URL,
  ci: process.env.CI,
});
const secret = 'exactly-once-secret-exactly-once-secret-0123';
const clock = { now: () => new Date('2026-11-23T03:00:00Z') };
const form = compileForm(exampleApplicationDefinition, { clock, timeZone: 'Asia/Ho_Chi_Minh' });
const applicationsTable = 'exactly_once_applications';

describe.each(targets)('exactly-once submit on $name', (target) => {
  let database: TestDatabase;
  let sequence = 0;

  beforeAll(async () => {
    database = await createTestDatabase(target);
    await migrate(database.executor, coreMigrations);
    await migrate(database.executor, formsMigrations);
    await database.executor.query(
      `CREATE TABLE ${applicationsTable} (reference text PRIMARY KEY, full_name text NOT NULL)`,
    );
  });
  afterAll(async () => {
    await database?.drop();
  });

  function service(executor: SqlExecutor = database.executor) {
    let calls = 0;
    const handle = createFormHandler({
      form,
      basePath: '/apply',
      secret,
      stylesheetHref: '/govuk.css',
      clock,
      executor,
      onError: () => undefined,
      onSubmit: async ({ answers, transaction }) => {
        calls += 1;
        sequence += 1;
        const reference = `HDX-${target.name}-${sequence}`;
        // The service's own write, in the transaction that records the submission key.
        await transaction?.query(
          `INSERT INTO ${applicationsTable} (reference, full_name) VALUES ($1, $2)`,
          [reference, String(answers.fullName)],
        );
        // Give the other submits time to arrive while this one is open.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { reference };
      },
    });
    return { handle, calls: () => calls };
  }

  async function answeredClient(handle: (request: Request) => Promise<Response>, name: string) {
    const client = createFormTestClient(handle);
    await completeAboutYou(client);
    await client.post('/apply/name?change=1', { fullName: name });
    await client.post('/apply/has-children', { hasChildren: 'no' });
    const check = await client.post('/apply/declaration', { declaration: 'yes' });
    expect(check.path).toBe('/apply/check-answers');
    return client;
  }

  const applicationsNamed = async (name: string): Promise<string[]> => {
    const { rows } = await database.executor.query<{ reference: string }>(
      `SELECT reference FROM ${applicationsTable} WHERE full_name = $1`,
      [name],
    );
    return rows.map((row) => row.reference);
  };

  it('ten simultaneous submits store one application and all show the same reference', async () => {
    const { handle, calls } = service();
    const client = await answeredClient(handle, 'Đỗ Thị Mười');
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        handle(
          new Request('https://forms.test/apply/check-answers', {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: '',
          }),
        ),
      ),
    );
    const references: string[] = [];
    for (const response of responses) {
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/apply/confirmation');
      const receipt = response.headers
        .getSetCookie()
        .map((value) => value.split(';')[0] ?? '')
        .find((value) => value.startsWith('forms-example-application-receipt='));
      const page = await handle(
        new Request('https://forms.test/apply/confirmation?lang=en', {
          headers: { cookie: receipt ?? '' },
        }),
      );
      references.push(/<strong>([^<]*)<\/strong>/.exec(await page.text())?.[1] ?? '');
    }
    const stored = await applicationsNamed('Đỗ Thị Mười');
    expect(stored).toHaveLength(1);
    expect(calls()).toBe(1);
    expect(new Set(references)).toEqual(new Set(stored));
    const { rows } = await database.executor.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${idempotencyKeysTable} WHERE scope = $1 AND outcome->>'reference' = $2`,
      ['forms:example-application', stored[0] ?? ''],
    );
    expect(rows[0]?.count).toBe(1);
  });

  it('recovers a submit interrupted after the service wrote and before the response', async () => {
    // The database commits, then the connection (or process) dies before the response is sent.
    let interrupt = true;
    const flaky: SqlExecutor = Object.assign(Object.create(database.executor) as SqlExecutor, {
      transaction: async <Result>(
        callback: (tx: SqlExecutor) => Promise<Result>,
        options?: never,
      ) => {
        const result = await database.executor.transaction(callback, options);
        if (interrupt) {
          interrupt = false;
          throw new Error('connection lost after commit');
        }
        return result;
      },
    });
    const { handle, calls } = service(flaky);
    const client = await answeredClient(handle, 'Vũ Văn Hậu');
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const failed = await client.post('/apply/check-answers', {});
    expect(failed.status).toBe(500);
    const stored = await applicationsNamed('Vũ Văn Hậu');
    expect(stored).toHaveLength(1);
    const referenceOf = async (response: Response): Promise<string> => {
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/apply/confirmation');
      const receipt = response.headers
        .getSetCookie()
        .map((value) => value.split(';')[0] ?? '')
        .filter((value) => value.includes('-receipt='))
        .join('; ');
      const page = await handle(
        new Request('https://forms.test/apply/confirmation', { headers: { cookie: receipt } }),
      );
      return /<strong>([^<]*)<\/strong>/.exec(await page.text())?.[1] ?? '';
    };
    // The browser sends the same form again: the recorded reference, nothing stored twice.
    const retried = await handle(
      new Request('https://forms.test/apply/check-answers', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      }),
    );
    expect(await referenceOf(retried)).toBe(stored[0]);
    // The citizen comes back later to check your answers: the reference is theirs again.
    const revisited = await handle(
      new Request('https://forms.test/apply/check-answers', { headers: { cookie } }),
    );
    expect(await referenceOf(revisited)).toBe(stored[0]);
    expect(calls()).toBe(1);
    expect(await applicationsNamed('Vũ Văn Hậu')).toEqual(stored);
  });
});

describe('exactly-once submit without an executor (one process)', () => {
  it('merges ten simultaneous submits into one onSubmit call and one reference', async () => {
    let calls = 0;
    const handle = createFormHandler({
      form,
      basePath: '/apply',
      secret,
      stylesheetHref: '/govuk.css',
      clock,
      onSubmit: async ({ submissionKey }) => {
        calls += 1;
        expect(submissionKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { reference: `MEM-${calls}` };
      },
    });
    const client = createFormTestClient(handle);
    await completeAboutYou(client);
    await client.post('/apply/has-children', { hasChildren: 'no' });
    await client.post('/apply/declaration', { declaration: 'yes' });
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        handle(
          new Request('https://forms.test/apply/check-answers', {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: '',
          }),
        ),
      ),
    );
    const references = new Set<string>();
    for (const response of responses) {
      const receipt = response.headers
        .getSetCookie()
        .map((value) => value.split(';')[0] ?? '')
        .filter((value) => value.includes('-receipt='))
        .join('; ');
      const page = await handle(
        new Request('https://forms.test/apply/confirmation', { headers: { cookie: receipt } }),
      );
      references.add(/<strong>([^<]*)<\/strong>/.exec(await page.text())?.[1] ?? '');
    }
    expect(calls).toBe(1);
    expect([...references]).toEqual(['MEM-1']);
  });
});
