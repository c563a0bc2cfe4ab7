import { IdentityError } from '../errors/identity-error.js';

/**
 * Checks that `returnTo` is a path on the service's own origin and returns
 * it normalised (path, query and fragment). Absolute URLs, protocol-relative
 * `//host` paths, backslashes and control characters are refused: no open
 * redirect.
 *
 * @example
 * ```ts
 * safeReturnTo('/applications/42?tab=summary', 'https://service.example.gov'); // '/applications/42?tab=summary'
 * safeReturnTo('https://evil.example', 'https://service.example.gov'); // throws IDENTITY_RETURN_TO_INVALID
 * ```
 */
export function safeReturnTo(returnTo: string, origin: string): string {
  const refuse = (reason: string): never => {
    throw new IdentityError('IDENTITY_RETURN_TO_INVALID', `return-to path refused: ${reason}`);
  };
  if (returnTo.length > 2048) refuse('longer than 2048 characters');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(returnTo)) refuse('control character or backslash');
  if (!returnTo.startsWith('/') || returnTo.startsWith('//')) refuse('not a path on this origin');
  let resolved: URL;
  try {
    resolved = new URL(returnTo, origin);
  } catch (cause) {
    throw new IdentityError(
      'IDENTITY_RETURN_TO_INVALID',
      'return-to path refused: not a URL path',
      { cause },
    );
  }
  if (resolved.origin !== new URL(origin).origin) refuse('resolves to another origin');
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
