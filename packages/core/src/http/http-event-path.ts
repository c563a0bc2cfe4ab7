import { pathWithoutQuery } from './http-request.js';

/**
 * A request path as a redacting client reports it: the query dropped and
 * every non-empty segment replaced by `:redacted`, so a secret in a webhook
 * URL's path never reaches a log. The number of segments is kept.
 *
 * @example
 * ```ts
 * redactedPath('/hooks/T000/s3cr3t?x=1'); // '/:redacted/:redacted/:redacted'
 * ```
 */
export function redactedPath(path: string): string {
  return pathWithoutQuery(path)
    .split('/')
    .map((segment) => (segment === '' ? segment : ':redacted'))
    .join('/');
}

/**
 * How a client turns a request path into the `path` of its events:
 * {@link redactedPath} when it redacts, else the path without its query.
 *
 * @example
 * ```ts
 * eventPathFor(true)('/hooks/s3cr3t'); // '/:redacted/:redacted'
 * ```
 */
export function eventPathFor(redact: boolean): (path: string) => string {
  return redact ? redactedPath : pathWithoutQuery;
}
