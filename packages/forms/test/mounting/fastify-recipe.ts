// The Fastify recipe of docs/forms/mounting.md. The lines between the
// `#region recipe` markers are the documented code, word for word
// (test/mounting-recipes.integration.test.ts compares them with the guide).
// #region recipe
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
// #endregion recipe

/** The documented Fastify app: the form at /apply, GOV.UK Frontend at /assets/. */
export async function fastifyApp(
  handle: (request: Request) => Promise<Response>,
  govuk: string,
): Promise<ReturnType<typeof Fastify>> {
  // #region recipe
  const fastify = Fastify();
  // GOV.UK Frontend: the stylesheet, and its fonts and images under /assets/
  // (only the files that exist at start-up, so no path from the URL reaches the disk).
  const assets = new Map([['govuk-frontend.min.css', join(govuk, 'govuk-frontend.min.css')]]);
  for (const name of await readdir(join(govuk, 'assets'), { recursive: true })) {
    assets.set(name.split('\\').join('/'), join(govuk, 'assets', name));
  }
  const types: Record<string, string> = {
    '.css': 'text/css',
    '.woff2': 'font/woff2',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
    '.ico': 'image/x-icon',
  };
  fastify.get('/assets/*', async (request, reply) => {
    const file = assets.get((request.params as { '*': string })['*']);
    if (file === undefined) return reply.status(404).send();
    return reply
      .type(types[extname(file)] ?? 'application/octet-stream')
      .send(await readFile(file));
  });
  // The form, in its own plugin so its body handling stays there: the handler
  // reads the raw body itself (and stops at its size limit).
  await fastify.register(async (forms) => {
    forms.removeAllContentTypeParsers();
    forms.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const forward = async (request: FastifyRequest, reply: FastifyReply) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      }
      const body = request.body instanceof Readable ? request.body : undefined;
      const webResponse = await handle(
        new Request(`${request.protocol}://${request.host}${request.url}`, {
          method: request.method,
          headers,
          ...(body === undefined
            ? {}
            : { body: Readable.toWeb(body) as ReadableStream, duplex: 'half' }),
        }),
      );
      reply.status(webResponse.status);
      webResponse.headers.forEach((value, name) => {
        if (name !== 'set-cookie') reply.header(name, value);
      });
      // Each cookie its own Set-Cookie header: long answers use several.
      const cookies = webResponse.headers.getSetCookie();
      if (cookies.length > 0) reply.header('set-cookie', cookies);
      return reply.send(Buffer.from(await webResponse.arrayBuffer()));
    };
    forms.all('/apply', forward);
    forms.all('/apply/*', forward);
  });
  // #endregion recipe
  return fastify;
}
