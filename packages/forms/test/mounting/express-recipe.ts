// The Express recipe of docs/forms/mounting.md. The lines between the
// `#region recipe` markers are the documented code, word for word
// (test/mounting-recipes.integration.test.ts compares them with the guide).
// #region recipe
import { join } from 'node:path';
import { Readable } from 'node:stream';
import express from 'express';
// #endregion recipe

/** The documented Express app: the form at /apply, GOV.UK Frontend at /assets/. */
export function expressApp(
  handle: (request: Request) => Promise<Response>,
  govuk: string,
): ReturnType<typeof express> {
  // #region recipe
  const app = express();
  // GOV.UK Frontend: the stylesheet, and its fonts and images under /assets/.
  app.get('/assets/govuk-frontend.min.css', (_request, response) =>
    response.sendFile(join(govuk, 'govuk-frontend.min.css')),
  );
  app.use('/assets', express.static(join(govuk, 'assets')));
  // The form: the base path itself and everything under it (Express 5: '/apply/*path').
  app.all(['/apply', '/apply/*'], async (request, response, next) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      }
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      const webResponse = await handle(
        new Request(`${request.protocol}://${request.get('host')}${request.originalUrl}`, {
          method: request.method,
          headers,
          // Streamed: the handler reads the body itself and stops at its size limit.
          ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream, duplex: 'half' } : {}),
        }),
      );
      response.status(webResponse.status);
      webResponse.headers.forEach((value, name) => {
        if (name !== 'set-cookie') response.setHeader(name, value);
      });
      // Each cookie its own Set-Cookie header: long answers use several.
      const cookies = webResponse.headers.getSetCookie();
      if (cookies.length > 0) response.setHeader('set-cookie', cookies);
      response.end(Buffer.from(await webResponse.arrayBuffer()));
    } catch (error) {
      next(error);
    }
  });
  // #endregion recipe
  return app;
}
