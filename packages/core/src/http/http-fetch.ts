import {
  type Dispatcher,
  Headers as UndiciHeaders,
  Request as UndiciRequest,
  Response as UndiciResponse,
  fetch as undiciFetch,
} from 'undici';
import { HttpError } from '../errors/core-errors.js';
import { redirectRefusedError, redirectStatuses } from './egress-policy.js';
import { abortError, closedError, type FailureContext, toHttpError } from './http-failure.js';
import type { HttpRequestOptions } from './http-request.js';
import type { HttpResponse } from './http-response.js';

/**
 * A fetch function with the client's pools, timeouts, size limit,
 * User-Agent and retries; give it to libraries that take one (such as
 * openid-client's `customFetch`). Failures reject with {@link HttpError}.
 *
 * @example
 * ```ts
 * const fetch: HttpFetch = client.fetch;
 * const response = await fetch('https://idp.example.gov/.well-known/openid-configuration');
 * ```
 */
export type HttpFetch = (
  input: string | URL | Request,
  // As RequestInit, but each member may be `undefined` and the body any
  // Uint8Array, as callers such as openid-client pass them.
  init?: {
    readonly [Key in Exclude<keyof RequestInit, 'body'>]?: RequestInit[Key] | undefined;
  } & { readonly body?: RequestInit['body'] | Uint8Array | undefined },
) => Promise<Response>;

/**
 * What {@link createClientFetch} needs from its client.
 *
 * @example
 * ```ts
 * const settings: ClientFetchSettings = { userAgent, baseUrl: undefined, dispatcher, isClosed: () => false };
 * ```
 */
export interface ClientFetchSettings {
  readonly userAgent: string;
  readonly baseUrl: URL | undefined;
  /** The client's fetch dispatcher: the Agent with its interceptors. */
  readonly dispatcher: Dispatcher;
  readonly isClosed: () => boolean;
  /**
   * The client's buffered request path. A fetch that follows no redirects
   * (`redirect: 'manual'`, as OAuth libraries send every call) with a URL
   * and a string, form or byte body takes it: the same pools, timeouts,
   * limit and retries, without the stream machinery of fetch.
   */
  readonly request?: (
    options: HttpRequestOptions,
    internal?: { readonly returnRedirects: boolean },
  ) => Promise<HttpResponse>;
  /**
   * The client has an egress policy: a fetch that would follow redirects
   * (`redirect: 'follow'`, the default) is sent with `redirect: 'manual'`
   * and rejects with `HTTP_EGRESS_REFUSED` when a redirect arrives.
   */
  readonly refuseRedirects?: boolean;
}

/**
 * The client's {@link HttpFetch}: undici's fetch on the client's
 * dispatcher, with relative URLs resolved against the base URL, the
 * client's User-Agent when the request sets none, and every failure an
 * {@link HttpError}.
 *
 * @example
 * ```ts
 * const fetch = createClientFetch({ userAgent, baseUrl, dispatcher, isClosed: () => closed });
 * ```
 */
export function createClientFetch(settings: ClientFetchSettings): HttpFetch {
  const { userAgent, baseUrl, dispatcher, isClosed, request } = settings;
  const refuseRedirects = settings.refuseRedirects === true;
  return async function fetchThroughClient(
    input: string | URL | Request,
    init?: Parameters<HttpFetch>[1],
  ): Promise<Response> {
    let target: string | URL | UndiciRequest;
    let requestInit: Record<string, unknown> = { ...init };
    if (typeof input === 'string' || input instanceof URL || input instanceof UndiciRequest) {
      target = input;
    } else if (typeof input === 'object' && input !== null && typeof input.url === 'string') {
      // A Request of another fetch implementation (Node's global fetch bundles
      // its own undici): copy what undici's Request needs.
      target = input.url;
      requestInit = {
        method: input.method,
        headers: input.headers,
        redirect: input.redirect,
        signal: input.signal,
        ...(input.body === null ? {} : { body: input.body, duplex: 'half' }),
        ...init,
      };
    } else {
      throw new HttpError(
        'HTTP_INVALID_REQUEST',
        'fetch input must be a URL string, URL or Request',
        {
          details: { argument: 'input' },
        },
      );
    }
    const method = String(
      requestInit.method ?? (target instanceof UndiciRequest ? target.method : 'GET'),
    ).toUpperCase();
    let origin: string;
    try {
      origin =
        target instanceof UndiciRequest
          ? new URL(target.url).origin
          : new URL(target, baseUrl).origin;
    } catch (cause) {
      throw new HttpError('HTTP_INVALID_REQUEST', 'The fetch URL is not an absolute URL', {
        cause,
        details: { argument: 'input' },
      });
    }
    if (typeof target === 'string' && baseUrl !== undefined) target = new URL(target, baseUrl);
    if (isClosed()) throw closedError(method, origin);
    let headers: UndiciHeaders;
    try {
      headers = new UndiciHeaders(
        (requestInit.headers ??
          (target instanceof UndiciRequest ? target.headers : undefined)) as ConstructorParameters<
          typeof UndiciHeaders
        >[0],
      );
    } catch (cause) {
      throw new HttpError(
        'HTTP_INVALID_REQUEST',
        `${method} ${origin} has invalid request headers`,
        {
          cause,
          details: { method, origin, argument: 'headers' },
        },
      );
    }
    if (!headers.has('user-agent')) headers.set('user-agent', userAgent);
    const signal = requestInit.signal as AbortSignal | null | undefined;
    const redirectMode =
      requestInit.redirect ?? (target instanceof UndiciRequest ? target.redirect : 'follow');
    const refuseRedirect = refuseRedirects && redirectMode === 'follow';
    if (refuseRedirect) requestInit.redirect = 'manual';
    if (
      request !== undefined &&
      requestInit.redirect === 'manual' &&
      !(target instanceof UndiciRequest) &&
      !headers.has('accept-encoding')
    ) {
      const body = bufferedBody(requestInit.body, headers);
      if (body !== unsupportedBody) {
        const headerRecord: Record<string, string> = {};
        headers.forEach((value, name) => {
          headerRecord[name] = value;
        });
        const response = await request(
          {
            url: target,
            method,
            headers: headerRecord,
            ...(body === undefined ? {} : { body }),
            ...(signal == null ? {} : { signal }),
          },
          { returnRedirects: true },
        );
        if (refuseRedirect) refuseRedirectResponse(response.status, method, origin);
        return toFetchResponse(response, method, origin, String(target));
      }
    }
    try {
      const response = await undiciFetch(target, {
        ...(requestInit as Parameters<typeof undiciFetch>[1]),
        headers,
        dispatcher,
      });
      if (refuseRedirect && redirectStatuses.has(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        refuseRedirectResponse(response.status, method, origin);
      }
      return response as unknown as Response;
    } catch (error) {
      throw fetchFailure(error, signal ?? undefined, { method, origin });
    }
  };
}

/** Throws `HTTP_EGRESS_REFUSED` when a client with an egress policy got a redirect. */
function refuseRedirectResponse(status: number, method: string, origin: string): void {
  if (redirectStatuses.has(status)) throw redirectRefusedError(method, origin, status);
}

function fetchFailure(
  error: unknown,
  signal: AbortSignal | undefined,
  context: FailureContext,
): HttpError {
  if (HttpError.isInstance(error)) return error;
  if (signal?.aborted === true && error === signal.reason) return abortError(error, context);
  if (error instanceof TypeError) {
    // undici's fetch reports a network failure as TypeError('fetch failed', { cause }),
    // and a malformed request as a TypeError without one.
    if (error.cause !== undefined) return toHttpError(error.cause, context);
    return new HttpError(
      'HTTP_INVALID_REQUEST',
      `${context.method} ${context.origin} is not a valid fetch request`,
      { cause: error, details: { method: context.method, origin: context.origin } },
    );
  }
  return toHttpError(error, context);
}

const unsupportedBody: unique symbol = Symbol('unsupported body');

/**
 * The body of a fetch as the buffered path sends it, with the content type
 * fetch would give it when the caller set none; `unsupportedBody` for
 * streams, blobs and form data, which undici's fetch serialises.
 */
function bufferedBody(
  body: unknown,
  headers: UndiciHeaders,
): string | Uint8Array | undefined | typeof unsupportedBody {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    return body;
  }
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type')) {
      headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    }
    return body.toString();
  }
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return unsupportedBody;
}

const nullBodyStatuses: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

async function toFetchResponse(
  response: HttpResponse,
  method: string,
  origin: string,
  url: string,
): Promise<Response> {
  const context = { method, origin, status: response.status };
  let built: UndiciResponse;
  try {
    const headers = new UndiciHeaders();
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === 'string') headers.append(name, value);
      else if (value !== undefined) for (const each of value) headers.append(name, each);
    }
    const empty = method === 'HEAD' || nullBodyStatuses.has(response.status);
    built = new UndiciResponse(empty ? null : await response.bytes(), {
      status: response.status,
      headers,
    });
  } catch (cause) {
    throw new HttpError(
      'HTTP_INVALID_RESPONSE',
      `${method} ${origin} answered with a status or header fetch cannot represent`,
      { cause, status: response.status, details: context },
    );
  }
  // As undici's fetch does for the response to a request that was not redirected.
  Object.defineProperty(built, 'url', { value: url, enumerable: true });
  return built as unknown as Response;
}
