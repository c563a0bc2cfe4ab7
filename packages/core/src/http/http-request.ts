import { HttpError } from '../errors/core-errors.js';
import { isIdempotentMethod } from './http-retry.js';

/**
 * One request for {@link HttpClient.request}.
 *
 * @example
 * ```ts
 * const options: HttpRequestOptions = {
 *   method: 'POST',
 *   url: 'https://api.example.gov/v1/payments',
 *   json: { amount: 1500, reference: 'FEE-42' },
 *   idempotencyKey: crypto.randomUUID(),
 * };
 * ```
 */
export interface HttpRequestOptions {
  /** Absolute URL, or a URL relative to the client's `baseUrl`. */
  readonly url: string | URL;
  /** HTTP method. Default `GET`. Standard methods are upper-cased. */
  readonly method?: string;
  /** Request headers. Names are case-insensitive; giving one twice is an error. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A raw body. Use `json` for a value to serialise instead. */
  readonly body?: string | Uint8Array;
  /** A value sent as JSON, with `content-type: application/json` unless set. */
  readonly json?: unknown;
  /**
   * Sets the `Idempotency-Key` header. A POST or PATCH is retried only when
   * it carries one; the server must honour the key for that to be safe.
   */
  readonly idempotencyKey?: string;
  /** Cancels the request, including any wait before a retry. */
  readonly signal?: AbortSignal;
  /**
   * Reject with an `HTTP_STATUS` {@link HttpError} when the final status is
   * not 2xx, instead of resolving with the response. Default `false`.
   */
  readonly throwOnStatus?: boolean;
}

/**
 * A request checked and ready for undici: origin and path split, headers
 * lower-cased, the body serialised, and whether it may be retried.
 *
 * @example
 * ```ts
 * const prepared: PreparedHttpRequest = prepareHttpRequest({ url: 'https://api.example.gov/items' }, settings);
 * prepared.retryable; // true: GET
 * ```
 */
export interface PreparedHttpRequest {
  readonly origin: string;
  /** Path and query string, as sent on the wire. */
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
  /** The method is idempotent or the request carries an Idempotency-Key. */
  readonly retryable: boolean;
  readonly throwOnStatus: boolean;
}

/**
 * Client-wide settings {@link prepareHttpRequest} applies to every request.
 *
 * @example
 * ```ts
 * const settings: RequestSettings = createRequestSettings('civicblocks/0.1.0', undefined);
 * ```
 */
export interface RequestSettings {
  readonly userAgent: string;
  readonly baseUrl: URL | undefined;
  /** The headers of a request that sets none: just the User-Agent. */
  readonly defaultHeaders: Readonly<Record<string, string>>;
}

/**
 * Builds the {@link RequestSettings} once per client.
 *
 * @example
 * ```ts
 * const settings = createRequestSettings('my-service/1.0', new URL('https://api.example.gov/'));
 * ```
 */
export function createRequestSettings(
  userAgent: string,
  baseUrl: URL | undefined,
): RequestSettings {
  return { userAgent, baseUrl, defaultHeaders: Object.freeze({ 'user-agent': userAgent }) };
}

const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values may hold visible ASCII, spaces, tabs and obs-text; never CR, LF or NUL.
const invalidHeaderValuePattern = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Upper-cases the standard methods (as fetch does, plus PATCH and TRACE) and
 * leaves extension methods as given.
 *
 * @example
 * ```ts
 * normalizeMethod('get'); // 'GET'
 * ```
 */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  switch (upper) {
    case 'GET':
    case 'HEAD':
    case 'POST':
    case 'PUT':
    case 'PATCH':
    case 'DELETE':
    case 'OPTIONS':
    case 'TRACE':
    case 'CONNECT':
      return upper;
    default:
      return method;
  }
}

function isHopByHopHeader(name: string): boolean {
  switch (name) {
    case 'connection':
    case 'keep-alive':
    case 'transfer-encoding':
    case 'upgrade':
    case 'expect':
    case 'te':
    case 'trailer':
    case 'proxy-connection':
      return true;
    default:
      return false;
  }
}

function invalid(message: string, details: Record<string, unknown>, cause?: unknown): HttpError {
  return new HttpError(
    'HTTP_INVALID_REQUEST',
    message,
    cause === undefined ? { details } : { details, cause },
  );
}

/**
 * Checks a request and turns it into what undici dispatches. Pure: no
 * network, so it can be unit tested. Throws an `HTTP_INVALID_REQUEST`
 * {@link HttpError} naming what was wrong (never a header value, body or
 * query string).
 *
 * @example
 * ```ts
 * const settings = createRequestSettings('civicblocks/0.1.0', undefined);
 * const prepared = prepareHttpRequest({ method: 'post', url: 'https://api.example.gov/x?page=2', json: {} }, settings);
 * // prepared.method 'POST', prepared.path '/x?page=2', prepared.retryable false
 * ```
 */
export function prepareHttpRequest(
  options: HttpRequestOptions,
  settings: RequestSettings,
): PreparedHttpRequest {
  if (typeof options !== 'object' || options === null) {
    throw invalid('The request options must be an object', {});
  }
  const url = resolveUrl(options.url, settings.baseUrl);
  const rawMethod = options.method ?? 'GET';
  if (typeof rawMethod !== 'string' || !tokenPattern.test(rawMethod)) {
    throw invalid('The request method is not a valid HTTP method token', { argument: 'method' });
  }
  const method = normalizeMethod(rawMethod);
  if (method === 'CONNECT') {
    throw invalid('CONNECT requests are not supported', { argument: 'method' });
  }

  let headers: Record<string, string> | undefined;
  if (options.headers !== undefined) {
    if (typeof options.headers !== 'object' || options.headers === null) {
      throw invalid('The request headers must be an object of strings', { argument: 'headers' });
    }
    headers = {};
    for (const name of Object.keys(options.headers)) {
      const value = options.headers[name];
      const lower = name.toLowerCase();
      if (!tokenPattern.test(name)) {
        throw invalid('A request header name is not a valid HTTP token', { argument: 'headers' });
      }
      if (typeof value !== 'string' || invalidHeaderValuePattern.test(value)) {
        throw invalid(`The value of request header "${lower}" is not a valid header value`, {
          argument: 'headers',
          header: lower,
        });
      }
      if (lower in headers) {
        throw invalid(`Request header "${lower}" is given more than once`, {
          argument: 'headers',
          header: lower,
        });
      }
      if (isHopByHopHeader(lower)) {
        throw invalid(`Request header "${lower}" is managed by the connection and cannot be set`, {
          argument: 'headers',
          header: lower,
        });
      }
      headers[lower] = value;
    }
  }

  if (options.idempotencyKey !== undefined) {
    const key = options.idempotencyKey;
    if (typeof key !== 'string' || key.length === 0 || invalidHeaderValuePattern.test(key)) {
      throw invalid('The idempotency key must be a non-empty header-safe string', {
        argument: 'idempotencyKey',
      });
    }
    headers ??= {};
    headers['idempotency-key'] = key;
  }

  let body: string | Uint8Array | undefined;
  if (options.json !== undefined) {
    if (options.body !== undefined) {
      throw invalid('Give either body or json, not both', { argument: 'json' });
    }
    try {
      body = JSON.stringify(options.json);
    } catch (cause) {
      throw invalid('The json value cannot be serialised to JSON', { argument: 'json' }, cause);
    }
    if (body === undefined) {
      throw invalid('The json value cannot be serialised to JSON', { argument: 'json' });
    }
    headers ??= {};
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    if (typeof options.body !== 'string' && !(options.body instanceof Uint8Array)) {
      throw invalid('The body must be a string or a Uint8Array; use json for other values', {
        argument: 'body',
      });
    }
    body = options.body;
  }

  if (headers === undefined) {
    headers = settings.defaultHeaders as Record<string, string>;
  } else {
    headers['user-agent'] ??= settings.userAgent;
  }

  return {
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method,
    headers,
    body,
    retryable: isIdempotentMethod(method) || headers['idempotency-key'] !== undefined,
    throwOnStatus: options.throwOnStatus === true,
  };
}

/**
 * Resolves a request URL against an optional base and checks it is a plain
 * http(s) URL without credentials. Throws `HTTP_INVALID_REQUEST` without
 * quoting the URL, whose query string may hold personal data.
 *
 * @example
 * ```ts
 * resolveUrl('/v1/items', new URL('https://api.example.gov')).href; // 'https://api.example.gov/v1/items'
 * ```
 */
export function resolveUrl(input: string | URL, baseUrl: URL | undefined): URL {
  let url: URL;
  if (input instanceof URL) {
    url = input;
  } else if (typeof input === 'string') {
    try {
      url = baseUrl === undefined ? new URL(input) : new URL(input, baseUrl);
    } catch (cause) {
      throw invalid(
        baseUrl === undefined
          ? 'The request URL is not an absolute URL'
          : 'The request URL cannot be resolved against the base URL',
        { argument: 'url' },
        cause,
      );
    }
  } else {
    throw invalid('The request URL must be a string or a URL', { argument: 'url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid('The request URL must use http or https', {
      argument: 'url',
      protocol: url.protocol,
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('The request URL must not contain credentials; send them in a header', {
      argument: 'url',
    });
  }
  return url;
}

/**
 * The path of a request path-and-query, with the query string removed, for
 * logs and events.
 *
 * @example
 * ```ts
 * pathWithoutQuery('/v1/people?nationalId=123'); // '/v1/people'
 * ```
 */
export function pathWithoutQuery(path: string): string {
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}
