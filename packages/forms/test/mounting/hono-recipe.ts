// The Hono recipe of docs/forms/mounting.md. The lines between the
// `#region recipe` markers are the documented code, word for word
// (test/mounting-recipes.integration.test.ts compares them with the guide).
// #region recipe
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
// #endregion recipe

/** The documented Hono app: the form at /apply, GOV.UK Frontend at /assets/. */
export function honoApp(handle: (request: Request) => Promise<Response>, govuk: string): Hono {
  // #region recipe
  const app = new Hono();
  // GOV.UK Frontend: the stylesheet, and its fonts and images under /assets/.
  app.get(
    '/assets/govuk-frontend.min.css',
    serveStatic({ path: join(govuk, 'govuk-frontend.min.css') }),
  );
  app.use('/assets/*', serveStatic({ root: govuk }));
  // The form: the base path itself and everything under it.
  app.all('/apply', (context) => handle(context.req.raw));
  app.all('/apply/*', (context) => handle(context.req.raw));
  // #endregion recipe
  return app;
}
