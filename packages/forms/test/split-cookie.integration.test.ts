// Answers split across several sealed cookies: whatever part of them the
// browser sends back — some parts, parts of two saves, a changed part, more
// parts than allowed — the citizen gets a page saying so in their language,
// never an empty form as if they had not started, and nothing is accepted
// into state that is not the citizen's own.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../src/definition/form-definition.js';
import { createFormHandler } from '../src/handler/form-handler.js';
import { createFormTestClient } from '../src/testing/form-test-client.js';
import { compileForm } from '../src/validation/compiled-form.js';
import { vietnameseText } from './vietnamese-text.js';

const definition: FormDefinition = {
  id: 'statement',
  version: '1',
  languages: ['vi', 'en'],
  title: { vi: 'Tường trình sự việc', en: 'Describe what happened' },
  pages: [
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
    {
      id: 'name',
      components: [
        { type: 'fullName', id: 'fullName', label: { vi: 'Họ và tên', en: 'Full name' } },
      ],
    },
  ],
};

function setup() {
  const submitted: unknown[] = [];
  const handle = createFormHandler({
    form: compileForm(definition),
    basePath: '/statement',
    secret: 'split-cookie-secret-split-cookie-secret-0123',
    stylesheetHref: '/assets/govuk-frontend.min.css',
    onSubmit: ({ answers }) => {
      submitted.push(answers);
      return { reference: 'TT-0001' };
    },
  });
  return { handle, submitted };
}

/** The answers cookies of a client that answered the long question with `text`. */
async function cookiesAfterAnswering(text: string): Promise<Map<string, string>> {
  const { handle } = setup();
  const client = createFormTestClient(handle);
  await client.get('/statement?lang=en');
  const page = await client.post('/statement/what-happened', { whatHappened: text });
  expect(page.path).toBe('/statement/name');
  return new Map([...client.cookies].filter(([name]) => name.startsWith('forms-statement')));
}

const header = (cookies: ReadonlyMap<string, string>): string =>
  [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

async function send(cookieHeader: string, method: 'GET' | 'POST' = 'GET') {
  const { handle, submitted } = setup();
  const response = await handle(
    new Request(`https://forms.test/statement/name?lang=en`, {
      method,
      headers: {
        cookie: cookieHeader,
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(method === 'POST' ? { body: 'fullName=Nguyen+Van+A' } : {}),
    }),
  );
  return {
    status: response.status,
    html: await response.text(),
    setCookies: response.headers.getSetCookie(),
    submitted,
  };
}

function expectUnreadablePage(page: Awaited<ReturnType<typeof send>>): void {
  expect(page.status).toBe(400);
  expect(page.html).toContain('<html lang="en"');
  expect(page.html).toContain('We could not read your saved answers');
  expect(page.html).toContain('href="/statement"');
  expect(page.html).not.toContain('name="fullName"');
  // The unreadable cookies are expired, so the link back starts afresh.
  expect(page.setCookies.some((value) => /^forms-statement=;.*Max-Age=0/.test(value))).toBe(true);
  expect(page.submitted).toEqual([]);
}

describe('answers split across sealed cookies', () => {
  it('reads back every part of a long answer', async () => {
    const cookies = await cookiesAfterAnswering(vietnameseText(6_000, 3));
    expect(cookies.size).toBeGreaterThan(1);
    const page = await send(header(cookies));
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="fullName"');
  });

  it('gives a page, not an empty form, when the browser sends only some of the parts', async () => {
    const cookies = await cookiesAfterAnswering(vietnameseText(6_000, 3));
    const some = new Map(cookies);
    some.delete('forms-statement.1');
    expectUnreadablePage(await send(header(some)));
    expectUnreadablePage(await send(header(some), 'POST'));
  });

  it('never accepts parts of two different saves', async () => {
    const first = await cookiesAfterAnswering(vietnameseText(6_000, 3));
    const second = await cookiesAfterAnswering(vietnameseText(6_000, 11));
    expect(first.size).toBe(second.size);
    const mixed = new Map(first);
    mixed.set('forms-statement.1', second.get('forms-statement.1') ?? '');
    expectUnreadablePage(await send(header(mixed)));
    expectUnreadablePage(await send(header(mixed), 'POST'));
  });

  it('gives a page when a part is changed', async () => {
    const cookies = await cookiesAfterAnswering(vietnameseText(6_000, 3));
    const changed = new Map(cookies);
    const part = changed.get('forms-statement.1') ?? '';
    changed.set(
      'forms-statement.1',
      `${part.slice(0, 100)}${part[100] === 'A' ? 'B' : 'A'}${part.slice(101)}`,
    );
    expectUnreadablePage(await send(header(changed), 'POST'));
  });

  it('gives a page when the first cookie claims more parts than the maximum', async () => {
    const cookies = await cookiesAfterAnswering(vietnameseText(6_000, 3));
    const many = new Map(cookies);
    many.set('forms-statement', (many.get('forms-statement') ?? '').replace(/^\d+\./, '99.'));
    for (let index = 1; index < 99; index += 1) many.set(`forms-statement.${index}`, 'AAAA');
    const page = await send(header(many));
    expectUnreadablePage(page);
    // It expires no more cookies than a form may use.
    expect(page.setCookies.filter((value) => value.startsWith('forms-statement')).length).toBe(20);
  });

  it('asks to shorten answers whose cookies a server with the default header limit would refuse with an empty 431', async () => {
    // Ten thousand characters that do not compress: valid for the default textarea.
    let seed = 5;
    const text = Array.from({ length: 10_000 }, () => {
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      return String.fromCodePoint(0x4e00 + (seed % 20_000));
    }).join('');
    const { handle } = setup();
    const client = createFormTestClient(handle);
    await client.get('/statement?lang=en');
    const page = await client.post('/statement/what-happened', { whatHappened: text });
    expect(page.status).toBe(413);
    expect(page.path).toBe('/statement/what-happened');
    expect(page.html).toContain('Your answers are too long for us to keep');
    expect(page.html).toContain(text.slice(0, 200));
    expect([...client.cookies.keys()].filter((name) => name.startsWith('forms-statement'))).toEqual(
      [],
    );

    // What the default would have let through: a Node server with its default limit answers 431, no page.
    const sealedLength = Math.ceil((text.length * 3 * 4) / 3);
    const server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const outgoing = httpRequest(
          {
            host: '127.0.0.1',
            port: (server.address() as AddressInfo).port,
            headers: { cookie: `forms-statement=${'A'.repeat(sealedLength)}` },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode);
          },
        );
        outgoing.on('error', reject);
        outgoing.end();
      });
      expect(status).toBe(431);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
