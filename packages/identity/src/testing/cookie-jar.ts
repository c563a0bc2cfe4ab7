import { IdentityError } from '../errors/identity-error.js';

interface StoredCookie {
  readonly origin: string;
  readonly name: string;
  readonly value: string;
  readonly path: string;
  readonly expiresAt: number | undefined;
}

/**
 * A minimal cookie jar for HTTP-only sign-in tests: it keeps the cookies
 * each origin sets and sends them back, honouring `Path`, `Max-Age` and
 * `Expires`. Not a browser: no domain cookies, no SameSite rules.
 *
 * @example
 * ```ts
 * const jar = new CookieJar();
 * const response = await fetch(url, { headers: { cookie: jar.header(url) }, redirect: 'manual' });
 * jar.store(url, response);
 * ```
 */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  /**
   * Stores the `Set-Cookie` headers of a response received from `url`.
   *
   * @example
   * ```ts
   * jar.store('http://127.0.0.1:3000/login', response);
   * ```
   */
  store(url: string | URL, response: Response): void {
    const target = new URL(url);
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      let path = '/';
      let expiresAt: number | undefined;
      for (const attribute of attributes) {
        const [key = '', attributeValue = ''] = attribute.split('=').map((part) => part.trim());
        const lower = key.toLowerCase();
        if (lower === 'path' && attributeValue.startsWith('/')) path = attributeValue;
        else if (lower === 'max-age') expiresAt = Date.now() + Number(attributeValue) * 1000;
        else if (lower === 'expires' && expiresAt === undefined)
          expiresAt = Date.parse(attributeValue);
      }
      const key = `${target.origin} ${path} ${name}`;
      if (expiresAt !== undefined && expiresAt <= Date.now()) this.#cookies.delete(key);
      else this.#cookies.set(key, { origin: target.origin, name, value, path, expiresAt });
    }
  }

  /**
   * The `Cookie` header to send to `url` (an empty string when none apply).
   *
   * @example
   * ```ts
   * const headers = { cookie: jar.header('http://127.0.0.1:3000/auth/callback') };
   * ```
   */
  header(url: string | URL): string {
    const target = new URL(url);
    const now = Date.now();
    return [...this.#cookies.values()]
      .filter(
        (cookie) =>
          cookie.origin === target.origin &&
          (cookie.expiresAt === undefined || cookie.expiresAt > now) &&
          (target.pathname === cookie.path ||
            target.pathname.startsWith(
              cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`,
            )),
      )
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  /**
   * The value of one cookie set by `origin`, if any.
   *
   * @example
   * ```ts
   * const sealed = jar.get('http://127.0.0.1:3000', 'civicblocks-login-dev');
   * ```
   */
  get(origin: string | URL, name: string): string | undefined {
    const wanted = new URL(origin).origin;
    for (const cookie of this.#cookies.values()) {
      if (cookie.origin === wanted && cookie.name === name) return cookie.value;
    }
    return undefined;
  }
}

/**
 * Follows redirects from `url` with a cookie jar, without a browser, until
 * a `Location` starts with `stopAt` (typically the service's callback URL),
 * and returns that location. Fails after 20 hops or on a non-redirect
 * response.
 *
 * @example
 * ```ts
 * const callbackUrl = await followRedirects(jar, authorizationUrl, 'http://127.0.0.1:3000/auth/callback');
 * ```
 */
export async function followRedirects(
  jar: CookieJar,
  url: string | URL,
  stopAt: string,
  fetchImplementation: typeof fetch = fetch,
): Promise<URL> {
  let current = new URL(url);
  for (let hop = 0; hop < 20; hop += 1) {
    if (current.href.startsWith(stopAt)) return current;
    const cookie = jar.header(current);
    const response = await fetchImplementation(current, {
      redirect: 'manual',
      headers: cookie === '' ? {} : { cookie },
    });
    jar.store(current, response);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      const body = await response.text();
      throw new IdentityError(
        'IDENTITY_PROVIDER_REQUEST_FAILED',
        `expected a redirect from ${current.origin}${current.pathname}, got status ${response.status}: ${body.slice(0, 200)}`,
      );
    }
    current = new URL(location, current);
  }
  throw new IdentityError('IDENTITY_PROVIDER_REQUEST_FAILED', 'too many redirects');
}
