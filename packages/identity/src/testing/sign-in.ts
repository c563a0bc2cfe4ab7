import type { RelyingParty } from '../relying-party/relying-party.js';
import { CookieJar, followRedirects } from './cookie-jar.js';

/**
 * Options of {@link prepareCallback}.
 *
 * @example
 * ```ts
 * const options: PrepareCallbackOptions = { loginHint: 'nguyen-van-an', returnTo: '/dashboard' };
 * ```
 */
export interface PrepareCallbackOptions {
  /** The dev provider persona to sign in as. */
  readonly loginHint?: string;
  readonly returnTo?: string;
  readonly locale?: string;
  /** Where the relying party's login handler is mounted (default `/auth/login` on the callback's origin). */
  readonly loginPath?: string;
  /** Cookie jar of the browser being imitated (default: a new one). */
  readonly jar?: CookieJar;
}

/**
 * Plays the browser's part of a sign-in without a browser: calls the
 * relying party's login handler, follows the redirects through the (dev)
 * provider with a cookie jar, and returns the callback `Request` the
 * browser would send, login cookie included.
 *
 * @example
 * ```ts
 * import { prepareCallback } from '@civicblocks/identity/testing';
 *
 * const callback = await prepareCallback(relyingParty, 'http://127.0.0.1:3000/auth/callback', {
 *   loginHint: 'tran-thi-mai',
 * });
 * const response = await relyingParty.handleCallback(callback, { onSignedIn });
 * ```
 */
export async function prepareCallback(
  relyingParty: RelyingParty,
  redirectUri: string,
  options: PrepareCallbackOptions = {},
): Promise<Request> {
  const jar = options.jar ?? new CookieJar();
  const loginUrl = new URL(options.loginPath ?? '/auth/login', redirectUri);
  if (options.returnTo !== undefined) loginUrl.searchParams.set('returnTo', options.returnTo);
  if (options.locale !== undefined) loginUrl.searchParams.set('locale', options.locale);
  if (options.loginHint !== undefined) loginUrl.searchParams.set('login_hint', options.loginHint);
  const loginResponse = await relyingParty.handleLogin(new Request(loginUrl));
  jar.store(loginUrl, loginResponse);
  const location = loginResponse.headers.get('location');
  if (loginResponse.status !== 303 || location === null) {
    throw new Error(
      `the login handler answered ${loginResponse.status}: ${await loginResponse.text()}`,
    );
  }
  const callbackUrl = await followRedirects(jar, location, redirectUri);
  const cookie = jar.header(callbackUrl);
  return new Request(callbackUrl, { headers: cookie === '' ? {} : { cookie } });
}
