/** The cookie holding the session token. */
export const sessionCookie = 'permit-session';
/** The forms answer-store session id (path `/apply`). */
export const answersCookie = 'permit-answers';
/** The chosen language, for the service's own pages and the form alike. */
export const languageCookie = 'permit-lang';

/** The value of cookie `name` in a request, if sent. */
export function cookieOf(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Lax, and Secure unless the service runs on plain http. */
export function setCookie(
  name: string,
  value: string,
  options: { readonly path?: string; readonly maxAgeSeconds: number; readonly secure: boolean },
): string {
  return `${name}=${value}; Path=${options.path ?? '/'}; HttpOnly; SameSite=Lax; Max-Age=${options.maxAgeSeconds}${options.secure ? '; Secure' : ''}`;
}

/** A copy of `response` with more `Set-Cookie` headers. */
export function withCookies(response: Response, cookies: readonly string[]): Response {
  if (cookies.length === 0) return response;
  const copy = new Response(response.body, response);
  for (const cookie of cookies) copy.headers.append('set-cookie', cookie);
  return copy;
}

/** A 303 See Other to `location`. */
export function redirect(location: string, cookies: readonly string[] = []): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}
