// Keeps the guide's complete example (docs/identity/examples/sign-in-server.mjs)
// runnable: starts it and signs in through it over HTTP with a cookie jar.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, followRedirects } from '../src/testing/cookie-jar.js';

const examplePath = fileURLToPath(
  new URL('../../../docs/identity/examples/sign-in-server.mjs', import.meta.url),
);

describe('the guide example service', () => {
  let example: { origin: string; close(): Promise<void> };
  beforeAll(async () => {
    const module = (await import(examplePath)) as {
      startExample(options: { port: number }): Promise<typeof example>;
    };
    example = await module.startExample({ port: 0 });
  });
  afterAll(() => example.close());

  it('signs Trần Thị Mai in and greets her; refuses a persona below the minimum', async () => {
    const jar = new CookieJar();
    const callbackUrl = await followRedirects(
      jar,
      `${example.origin}/auth/login?login_hint=tran-thi-mai&returnTo=/`,
      `${example.origin}/auth/callback`,
    );
    const signedIn = await fetch(callbackUrl, {
      headers: { cookie: jar.header(callbackUrl) },
      redirect: 'manual',
    });
    jar.store(callbackUrl, signedIn);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/');
    const page = await fetch(`${example.origin}/`, {
      headers: { cookie: jar.header(`${example.origin}/`) },
    });
    expect(await page.text()).toContain('Xin chào / Hello, Trần Thị Mai');

    // signing out ends the service's session too: the page no longer greets her
    const logout = await fetch(`${example.origin}/auth/logout`, {
      headers: { cookie: jar.header(`${example.origin}/auth/logout`) },
      redirect: 'manual',
    });
    jar.store(`${example.origin}/auth/logout`, logout);
    expect(logout.status).toBe(303);
    const stale = new CookieJar();
    for (const cookie of signedIn.headers.getSetCookie()) {
      // even with the old session cookie replayed, the session is gone on the server
      stale.store(callbackUrl, new Response(null, { headers: { 'set-cookie': cookie } }));
    }
    for (const cookieJar of [jar, stale]) {
      const after = await fetch(`${example.origin}/`, {
        headers: { cookie: cookieJar.header(`${example.origin}/`) },
      });
      // signed out: the persona list again, no greeting
      expect(await after.text()).not.toContain('Xin chào / Hello');
    }

    const refused = new CookieJar();
    const callback = await followRedirects(
      refused,
      `${example.origin}/auth/login?login_hint=le-hoang-duc`,
      `${example.origin}/auth/callback`,
    );
    const response = await fetch(callback, {
      headers: { cookie: refused.header(callback), 'accept-language': 'vi' },
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('mức xác thực danh tính cao hơn');
  });
});
