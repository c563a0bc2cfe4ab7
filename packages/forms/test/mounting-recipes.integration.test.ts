// Every mounting recipe of docs/forms/mounting.md (Hono, Express, Fastify)
// runs as documented on a real server at 127.0.0.1: the guide's code block is
// compared word for word with the recipe file the test runs, a citizen goes
// from the start through check your answers to the confirmation, GOV.UK
// Frontend is served under /assets/, and an oversized post or one that is
// not a form gets the handler's page (the body reaches it as a stream).
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { createFormHandler } from '../src/handler/form-handler.js';
import { exampleApplicationDefinition } from '../src/testing/example-application.js';
import { createFormTestClient } from '../src/testing/form-test-client.js';
import { compileForm } from '../src/validation/compiled-form.js';
import { completeAboutYou } from './example-application-fixtures.js';
import { expressApp } from './mounting/express-recipe.js';
import { fastifyApp } from './mounting/fastify-recipe.js';
import { honoApp } from './mounting/hono-recipe.js';

const require = createRequire(import.meta.url);
const govuk = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');
const clock = { now: () => new Date('2026-11-23T03:00:00Z') };
const form = compileForm(exampleApplicationDefinition, { clock, timeZone: 'Asia/Ho_Chi_Minh' });

type Handle = (request: Request) => Promise<Response>;
interface Running {
  readonly origin: string;
  close(): Promise<void>;
}

async function listening(server: Server): Promise<Running> {
  if (!server.listening) await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

const recipes: readonly {
  readonly name: string;
  readonly file: string;
  readonly start: (handle: Handle) => Promise<Running>;
}[] = [
  {
    name: 'Hono',
    file: 'hono-recipe.ts',
    start: (handle) => {
      const app = honoApp(handle, govuk);
      return listening(
        serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as unknown as Server,
      );
    },
  },
  {
    name: 'Express',
    file: 'express-recipe.ts',
    start: (handle) => listening(expressApp(handle, govuk).listen(0, '127.0.0.1')),
  },
  {
    name: 'Fastify',
    file: 'fastify-recipe.ts',
    start: async (handle) => {
      const app = await fastifyApp(handle, govuk);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      return {
        origin,
        close: () => {
          app.server.closeAllConnections();
          return app.close();
        },
      };
    },
  },
];

/** The recipe's documented lines: each `#region recipe` block, dedented, one blank line apart. */
function recipeRegions(source: string): string {
  const blocks = [
    ...source.matchAll(/\n([ \t]*)\/\/ #region recipe\n([\s\S]*?)\n[ \t]*\/\/ #endregion recipe/g),
  ];
  return blocks
    .map(([, indent = '', body = '']) =>
      body
        .split('\n')
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n'),
    )
    .join('\n\n');
}

/** The first TypeScript block after the guide's `## <name>` heading. */
function guideBlock(guide: string, name: string): string | undefined {
  const section = guide.split(/\n## /).find((part) => part.startsWith(`${name}\n`));
  return section === undefined ? undefined : /```ts\n([\s\S]*?)\n```/.exec(section)?.[1];
}

describe.each(recipes)('mounting in $name as docs/forms/mounting.md says', (recipe) => {
  it('the guide shows the code this test runs, word for word', async () => {
    const guide = await readFile(
      new URL('../../../docs/forms/mounting.md', import.meta.url),
      'utf8',
    );
    const source = await readFile(new URL(`./mounting/${recipe.file}`, import.meta.url), 'utf8');
    const code = recipeRegions(source);
    expect(code).toContain("'/apply'");
    expect(guideBlock(guide, recipe.name)).toBe(code);
  });

  it('a citizen goes from the start to the confirmation, with GOV.UK Frontend under /assets/', async () => {
    const submitted: string[] = [];
    const running = await recipe.start(
      createFormHandler({
        form,
        basePath: '/apply',
        secret: 'mounting-recipes-secret-mounting-recipes-0123',
        stylesheetHref: '/assets/govuk-frontend.min.css',
        clock,
        unsafeAllowHttpCookies: true,
        onSubmit: ({ answers }) => {
          submitted.push(String(answers.fullName));
          return { reference: `HDX-${recipe.name}` };
        },
      }),
    );
    try {
      const { origin } = running;
      const client = createFormTestClient(
        (request) => fetch(request, { redirect: 'manual' }),
        origin,
      );
      // The start is the base path itself, which a '/apply/*' route alone would miss.
      const start = await client.get('/apply?lang=en');
      expect(start.status).toBe(200);
      expect(start.path).toBe('/apply/name');
      expect(start.html).toContain('<html lang="en"');
      expect(start.html).toContain('href="/assets/govuk-frontend.min.css"');
      await completeAboutYou(client);
      await client.post('/apply/has-children', { hasChildren: 'no' });
      const check = await client.post('/apply/declaration', { declaration: 'yes' });
      expect(check.path).toBe('/apply/check-answers');
      expect(check.html).toContain('Nguyễn Thị Lan');
      const done = await client.post('/apply/check-answers', {});
      expect(done.status).toBe(200);
      expect(done.path).toBe('/apply/confirmation');
      expect(done.html).toContain(`<strong>HDX-${recipe.name}</strong>`);
      expect(submitted).toEqual(['Nguyễn Thị Lan']);

      // GOV.UK Frontend: the stylesheet, and the fonts and images it loads from /assets/.
      const css = await fetch(`${origin}/assets/govuk-frontend.min.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toMatch(/^text\/css/);
      const stylesheet = await css.text();
      const assetUrls = [...stylesheet.matchAll(/url\("?(\/assets\/[^")]+)"?\)/g)].map(
        (match) => match[1] ?? '',
      );
      expect(assetUrls.some((url) => url.startsWith('/assets/fonts/'))).toBe(true);
      expect(assetUrls.some((url) => url.startsWith('/assets/images/'))).toBe(true);
      for (const url of new Set(assetUrls)) {
        const asset = await fetch(`${origin}${url}`);
        expect(asset.status, url).toBe(200);
        expect((await asset.arrayBuffer()).byteLength, url).toBeGreaterThan(0);
      }
      expect((await fetch(`${origin}/assets/no-such-file.css`)).status).toBe(404);
      expect((await fetch(`${origin}/assets/%2e%2e/package.json`)).status).not.toBe(200);

      // The body reaches the handler, which refuses an oversized one with a page of its own.
      const tooLarge = await fetch(`${origin}/apply/name?lang=en`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `fullName=${'a'.repeat(1_200_000)}`,
      });
      expect(tooLarge.status).toBe(413);
      const refusal = await tooLarge.text();
      expect(refusal).toContain('<html lang="en"');
      expect(refusal).toContain('href="/apply');
      // So does a post that is not a form: no framework parser answers first.
      const json = await fetch(`${origin}/apply/name?lang=en`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"fullName":"Lan"}',
      });
      expect(json.status).toBe(415);
      expect(await json.text()).toContain('<html lang="en"');
    } finally {
      await running.close();
    }
  });
});
