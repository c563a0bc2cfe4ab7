// The pieces every browser test of the forms package shares: the tiny
// node:http -> Request -> handler -> Response adapter (serving GOV.UK
// Frontend under /assets/ as the set-up guide says) and Chromium's path.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const govukDirectory = join(
  dirname(require.resolve('govuk-frontend/package.json')),
  'dist',
  'govuk',
);

const contentTypes: Record<string, string> = {
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The tiny node:http -> Request -> handler -> Response adapter. */
export function adapt(handler: (request: Request) => Promise<Response>) {
  return async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const url = `http://${incoming.headers.host}${incoming.url ?? '/'}`;
    if ((incoming.url ?? '').startsWith('/assets/')) {
      const relative = normalize(
        decodeURIComponent(new URL(url).pathname).slice('/assets/'.length),
      );
      const file = relative.startsWith('govuk-frontend.min.')
        ? join(govukDirectory, relative)
        : join(govukDirectory, 'assets', relative);
      if (relative.includes('..') || !existsSync(file)) {
        outgoing.writeHead(404).end();
        return;
      }
      outgoing.writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      });
      outgoing.end(await readFile(file));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    const method = incoming.method ?? 'GET';
    const response = await handler(
      new Request(url, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      }),
    );
    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') outHeaders[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
    outgoing.writeHead(response.status, outHeaders);
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  };
}

/** Serves a handler on a free loopback port with Node's default settings (16 KB of headers). */
export async function serve(
  handler: (request: Request) => Promise<Response>,
): Promise<{ server: Server; origin: string }> {
  const adapter = adapt(handler);
  const server = createServer((incoming, outgoing) => {
    adapter(incoming, outgoing).catch(() => {
      outgoing.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Debian Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** Whether Chromium is installed (CI installs it; elsewhere the browser tests say they were skipped). */
export const hasChromium: boolean = existsSync(chromiumPath);
