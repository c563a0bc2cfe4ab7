import { HttpError } from '../errors/core-errors.js';

/**
 * Response headers, names lower-cased. A header the server repeated (such as
 * `set-cookie`) is an array.
 *
 * @example
 * ```ts
 * const headers: HttpResponseHeaders = { 'content-type': 'application/json' };
 * ```
 */
export type HttpResponseHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * A complete response from {@link HttpClient.request}. The body is already
 * received (within the client's size limit), so the connection is free and
 * the readers can be called any number of times.
 *
 * @example
 * ```ts
 * const response = await client.request({ url: 'https://api.example.gov/items' });
 * if (response.ok) {
 *   const items = await response.json<Item[]>();
 * } else {
 *   console.warn(response.status, response.requestId);
 * }
 * ```
 */
export interface HttpResponse {
  /** The final status, after any retries. */
  readonly status: number;
  /** True for a 2xx status. */
  readonly ok: boolean;
  /** Response headers, names lower-cased. */
  readonly headers: HttpResponseHeaders;
  /** The server's `x-request-id` or `request-id` header, for support tickets. */
  readonly requestId: string | undefined;
  /** Attempts made, counting from 1. */
  readonly attempts: number;
  /** One header's value, repeated values joined with `, `. */
  header(name: string): string | undefined;
  /** The body decoded as UTF-8 (a leading byte-order mark dropped). */
  text(): Promise<string>;
  /**
   * The body parsed as JSON. Rejects with an `HTTP_INVALID_RESPONSE`
   * {@link HttpError} when it is not JSON. The type parameter is not checked;
   * validate what you receive.
   */
  json<T = unknown>(): Promise<T>;
  /** The raw body bytes (a copy). */
  bytes(): Promise<Uint8Array>;
}

/**
 * What {@link createHttpResponse} builds a response from: the parts undici
 * delivered and the request they answer.
 *
 * @example
 * ```ts
 * const parts: ResponseParts = {
 *   method: 'GET', origin: 'https://api.example.gov', attempts: 1,
 *   status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}'),
 * };
 * ```
 */
export interface ResponseParts {
  readonly method: string;
  readonly origin: string;
  readonly attempts: number;
  readonly status: number;
  readonly headers: HttpResponseHeaders;
  readonly body: Buffer;
}

/**
 * The remote request id of a response: `x-request-id`, else `request-id`.
 *
 * @example
 * ```ts
 * requestIdOf({ 'x-request-id': 'abc-123' }); // 'abc-123'
 * ```
 */
export function requestIdOf(headers: HttpResponseHeaders | undefined): string | undefined {
  if (headers === undefined) return undefined;
  const value = headers['x-request-id'] ?? headers['request-id'];
  if (value === undefined) return undefined;
  const single = typeof value === 'string' ? value : value[0];
  // A request id is an opaque token; refuse anything long enough to smuggle data.
  return single !== undefined && single.length > 0 && single.length <= 200 ? single : undefined;
}

class BufferedHttpResponse implements HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: HttpResponseHeaders;
  readonly requestId: string | undefined;
  readonly attempts: number;
  readonly #body: Buffer;
  readonly #method: string;
  readonly #origin: string;

  constructor(parts: ResponseParts) {
    this.status = parts.status;
    this.ok = parts.status >= 200 && parts.status < 300;
    this.headers = parts.headers;
    this.requestId = requestIdOf(parts.headers);
    this.attempts = parts.attempts;
    this.#body = parts.body;
    this.#method = parts.method;
    this.#origin = parts.origin;
  }

  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return value === undefined || typeof value === 'string' ? value : value.join(', ');
  }

  text(): Promise<string> {
    return Promise.resolve(decodeUtf8(this.#body));
  }

  json<T = unknown>(): Promise<T> {
    try {
      return Promise.resolve(JSON.parse(decodeUtf8(this.#body)) as T);
    } catch (cause) {
      return Promise.reject(
        new HttpError(
          'HTTP_INVALID_RESPONSE',
          `${this.#method} ${this.#origin} answered with a body that is not valid JSON`,
          {
            cause,
            status: this.status,
            ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
            details: { method: this.#method, origin: this.#origin, status: this.status },
          },
        ),
      );
    }
  }

  bytes(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#body));
  }

  toJSON(): Record<string, unknown> {
    return { status: this.status, requestId: this.requestId, attempts: this.attempts };
  }
}

function decodeUtf8(body: Buffer): string {
  const text = body.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Builds an {@link HttpResponse} from received parts. Pure: unit test a
 * parser against a recorded response without a network.
 *
 * @example
 * ```ts
 * const response = createHttpResponse({
 *   method: 'GET', origin: 'https://api.example.gov', attempts: 1,
 *   status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"ok":true}'),
 * });
 * await response.json(); // { ok: true }
 * ```
 */
export function createHttpResponse(parts: ResponseParts): HttpResponse {
  return new BufferedHttpResponse(parts);
}
