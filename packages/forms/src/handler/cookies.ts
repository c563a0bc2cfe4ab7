/** Cookies of a request by name (the first of a repeated name wins). */
export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
  }
  return cookies;
}

/** Writes `Set-Cookie` values for one path: HttpOnly, SameSite=Lax, Secure unless told not to. */
export function cookieWriter(
  path: string,
  secure: boolean,
): (name: string, value: string, maxAgeSeconds: number) => string {
  const secureAttribute = secure ? '; Secure' : '';
  return (name, value, maxAgeSeconds) =>
    `${name}=${value}; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secureAttribute}`;
}
