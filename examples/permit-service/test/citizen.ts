// A citizen's browser without the browser: a cookie jar, same-origin
// redirects followed, and sign-in through the dev identity provider.
import { CookieJar, followRedirects } from '@civicblocks/identity/testing';

/** A page as the citizen ends up seeing it. */
export interface SeenPage {
  readonly status: number;
  /** Path and query of the page shown after redirects. */
  readonly path: string;
  readonly html: string;
  readonly headers: Headers;
}

/** The visible text of some HTML, tags removed and spaces collapsed. */
export const textOf = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * A citizen using the service at `origin`, with their own cookies.
 * `acceptLanguage` is what their browser sends.
 */
export class Citizen {
  readonly jar: CookieJar = new CookieJar();

  constructor(
    readonly origin: string,
    readonly acceptLanguage = 'vi-VN,vi;q=0.9',
  ) {}

  /** One request, no redirect followed. */
  async request(path: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const url = new URL(path, this.origin);
    const headers = new Headers({ 'accept-language': this.acceptLanguage });
    const cookie = this.jar.header(url);
    if (cookie !== '') headers.set('cookie', cookie);
    if (init.form !== undefined) headers.set('content-type', 'application/x-www-form-urlencoded');
    const response = await fetch(url, {
      method: init.method ?? (init.form === undefined ? 'GET' : 'POST'),
      headers,
      redirect: 'manual',
      ...(init.form === undefined ? {} : { body: new URLSearchParams(init.form).toString() }),
    });
    this.jar.store(url, response);
    return response;
  }

  /** Follows redirects on the service's origin and returns the page shown. */
  async visit(path: string, form?: Record<string, string>): Promise<SeenPage> {
    let response = await this.request(path, form === undefined ? {} : { form });
    let current = new URL(path, this.origin);
    for (let hop = 0; hop < 10; hop += 1) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) break;
      current = new URL(location, current);
      if (current.origin !== this.origin) break;
      response = await this.request(current.pathname + current.search);
    }
    return {
      status: response.status,
      path: current.pathname + current.search,
      html: await response.text(),
      headers: response.headers,
    };
  }

  /** Signs in as a dev-provider persona through the real OpenID Connect flow. */
  async signIn(persona: string): Promise<SeenPage> {
    const start = await this.request(`/auth/login?login_hint=${persona}&returnTo=/`);
    const authorization = start.headers.get('location');
    if (start.status !== 303 || authorization === null)
      throw new Error(`sign-in did not start: status ${start.status}`);
    const callback = await followRedirects(this.jar, authorization, `${this.origin}/auth/callback`);
    return this.visit(callback.pathname + callback.search);
  }
}
