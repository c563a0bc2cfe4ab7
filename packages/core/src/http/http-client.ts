import {
  Agent,
  type Dispatcher,
  interceptors,
  Headers as UndiciHeaders,
  Request as UndiciRequest,
  fetch as undiciFetch,
} from 'undici';
// Bundled by tsup (only the version is read); no file is read at run time.
import packageJson from '../../package.json' with { type: 'json' };
import { HttpError, InvalidInputError } from '../errors/core-errors.js';
import type { HttpEvent } from './http-events.js';
import { abortError, type FailureContext, statusError, toHttpError } from './http-failure.js';
import {
  createRequestSettings,
  type HttpRequestOptions,
  type PreparedHttpRequest,
  pathWithoutQuery,
  prepareHttpRequest,
  type RequestSettings,
} from './http-request.js';
import {
  createHttpResponse,
  type HttpResponse,
  type HttpResponseHeaders,
  requestIdOf,
} from './http-response.js';
import {
  decideRetry,
  type HttpRetryOptions,
  isIdempotentMethod,
  type RetryPolicy,
  resolveRetryPolicy,
} from './http-retry.js';

/**
 * The User-Agent sent when none is configured: `civicblocks/<version of
 * @civicblocks/core>`. Add your service in front when you configure your own.
 *
 * @example
 * ```ts
 * const client = createHttpClient({ userAgent: `apply-for-a-permit/2.3 ${defaultUserAgent}` });
 * ```
 */
export const defaultUserAgent: string = `civicblocks/${packageJson.version}`;

/**
 * Options of {@link createHttpClient}. Every one has a default.
 *
 * @example
 * ```ts
 * const options: HttpClientOptions = {
 *   baseUrl: 'https://api.notifications.service.gov.uk',
 *   userAgent: 'apply-for-a-permit/2.3 civicblocks/0.1.0',
 *   headersTimeoutMs: 10_000,
 *   retry: { maxAttempts: 4 },
 * };
 * ```
 */
export interface HttpClientOptions {
  /** Relative request URLs resolve against this, as `new URL(url, baseUrl)` does. */
  readonly baseUrl?: string | URL;
  /** The `User-Agent` of every request that sets none. Default {@link defaultUserAgent}. */
  readonly userAgent?: string;
  /** Time allowed to open a connection (TCP and TLS). Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Time allowed between sending the request and receiving the whole response head. Default 30 000 ms. */
  readonly headersTimeoutMs?: number;
  /** Longest silence allowed between two chunks of the response body. Default 30 000 ms. */
  readonly bodyTimeoutMs?: number;
  /** Largest response body accepted; larger ones fail with `HTTP_RESPONSE_TOO_LARGE`. Default 10 MiB. */
  readonly maxResponseBytes?: number;
  /** How long an idle keep-alive connection is kept when the server does not say. Default 4 000 ms. */
  readonly keepAliveTimeoutMs?: number;
  /** Most connections open to one origin at a time. Default unlimited. */
  readonly maxConnectionsPerOrigin?: number;
  /** When and how often to retry. */
  readonly retry?: HttpRetryOptions;
  /**
   * Called with what happened to each request (method, origin, path without
   * query, status, attempt, retry delay; never headers or bodies). Nothing is
   * logged when it is not given. Errors it throws are ignored.
   */
  readonly onEvent?: (event: HttpEvent) => void;
  /** The current time in epoch milliseconds, for `Retry-After` dates. Default `Date.now`. */
  readonly now?: () => number;
}

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
 * An HTTP client: per-origin keep-alive pools, timeouts, a response size
 * limit and safe retries, on undici.
 *
 * @example
 * ```ts
 * const client = createHttpClient({ baseUrl: 'https://api.example.gov' });
 * try {
 *   const response = await client.request({ url: '/v1/items', throwOnStatus: true });
 *   console.log(await response.json());
 * } finally {
 *   await client.close();
 * }
 * ```
 */
export interface HttpClient {
  /**
   * Sends a request and resolves once the whole response has arrived, with
   * any status (unless `throwOnStatus`). Idempotent requests are retried on
   * 429, 500, 502, 503, 504 and connection failures. Redirects are returned,
   * not followed. Rejects only with {@link HttpError}.
   */
  request(options: HttpRequestOptions): Promise<HttpResponse>;
  /** A standard fetch through this client. See {@link HttpFetch}. */
  readonly fetch: HttpFetch;
  /** Waits for requests in flight, then closes every connection. Later requests fail with `HTTP_CLIENT_CLOSED`. */
  close(): Promise<void>;
}

// What a retry decision needs to know about the request it is deciding for;
// carried to undici's retry callback inside the dispatch options.
interface RequestState {
  readonly retryable: boolean;
  readonly method: string;
  readonly origin: string;
  /** Path and query string; events strip the query. */
  readonly path: string;
  responseStarted: boolean;
  attempt: number;
  settled: boolean;
  retryAfterMs: number | undefined;
  cancelRetryWait: (() => void) | undefined;
}

const requestStateKey: unique symbol = Symbol('civicblocks.http.request-state');

type DispatchOptionsWithState = Dispatcher.DispatchOptions & {
  [requestStateKey]?: RequestState;
};

interface ClientRuntime {
  readonly maxResponseBytes: number;
  readonly onEvent: ((event: HttpEvent) => void) | undefined;
}

function emit(runtime: ClientRuntime, event: HttpEvent): void {
  try {
    runtime.onEvent?.(event);
  } catch {
    // An observer must never break a request.
  }
}

type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * Collects one response for `request()`: undici's handler for the request,
 * and the state the retry callback reads.
 */
class ResponseCollector implements Dispatcher.DispatchHandler, RequestState, EventListenerObject {
  readonly retryable: boolean;
  readonly method: string;
  readonly origin: string;
  readonly path: string;
  responseStarted = false;
  attempt = 1;
  settled = false;
  retryAfterMs: number | undefined = undefined;
  cancelRetryWait: (() => void) | undefined = undefined;

  private readonly runtime: ClientRuntime;
  private readonly throwOnStatus: boolean;
  private readonly resolve: (response: HttpResponse) => void;
  private readonly reject: (error: HttpError) => void;
  private readonly signal: AbortSignal | undefined;
  private readonly startedAt: number;
  private controller: Dispatcher.DispatchController | undefined = undefined;
  private failure: HttpError | undefined = undefined;
  private status = 0;
  private headers: ResponseHeaders | undefined = undefined;
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    prepared: PreparedHttpRequest,
    runtime: ClientRuntime,
    signal: AbortSignal | undefined,
    resolve: (response: HttpResponse) => void,
    reject: (error: HttpError) => void,
  ) {
    this.retryable = prepared.retryable;
    this.method = prepared.method;
    this.origin = prepared.origin;
    this.path = prepared.path;
    this.throwOnStatus = prepared.throwOnStatus;
    this.runtime = runtime;
    this.resolve = resolve;
    this.reject = reject;
    this.signal = signal;
    this.startedAt = runtime.onEvent === undefined ? 0 : performance.now();
    // The collector itself listens: no closure per request.
    if (signal !== undefined) signal.addEventListener('abort', this);
  }

  /** The request's signal fired. */
  handleEvent(): void {
    const error = abortError(this.signal?.reason, this.failureContext());
    this.fail(error);
    this.cancelRetryWait?.();
    this.controller?.abort(error);
  }

  private failureContext(): FailureContext {
    return {
      method: this.method,
      origin: this.origin,
      attempts: this.attempt,
      status: this.headers === undefined ? undefined : this.status,
      requestId: requestIdOf(this.headers),
      retryAfterMs: this.retryAfterMs,
      maxResponseBytes: this.runtime.maxResponseBytes,
    };
  }

  private finish(): void {
    this.settled = true;
    this.signal?.removeEventListener('abort', this);
    this.chunks = [];
  }

  private fail(error: HttpError): void {
    if (this.settled) return;
    this.failure = error;
    this.finish();
    if (this.runtime.onEvent !== undefined) {
      emit(this.runtime, {
        type: 'http-request-failed',
        method: this.method,
        origin: this.origin,
        path: pathWithoutQuery(this.path),
        attempt: this.attempt,
        code: error.code,
        ...(error.status === undefined ? {} : { status: error.status }),
        durationMs: performance.now() - this.startedAt,
      });
    }
    this.reject(error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(this.failure ?? new Error('request already settled'));
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: ResponseHeaders,
  ): void {
    if (statusCode < 200) return; // 1xx informational: the final head follows.
    if (this.settled) {
      if (!controller.aborted)
        controller.abort(this.failure ?? new Error('request already settled'));
      return;
    }
    this.responseStarted = true;
    this.status = statusCode;
    this.headers = headers;
    const declaredLength = headers['content-length'];
    if (
      typeof declaredLength === 'string' &&
      this.method !== 'HEAD' &&
      Number(declaredLength) > this.runtime.maxResponseBytes
    ) {
      const error = toHttpError(
        Object.assign(new Error('Content-Length exceeds the response size limit'), {
          code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE',
        }),
        this.failureContext(),
      );
      this.fail(error);
      controller.abort(error);
    }
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const chunks = this.chunks;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.size);
    const response = createHttpResponse({
      method: this.method,
      origin: this.origin,
      attempts: this.attempt,
      status: this.status,
      headers: (this.headers ?? {}) as HttpResponseHeaders,
      body,
    });
    if (this.throwOnStatus && !response.ok) {
      this.fail(statusError({ ...this.failureContext(), status: this.status }));
      return;
    }
    this.finish();
    if (this.runtime.onEvent !== undefined) {
      emit(this.runtime, {
        type: 'http-response-received',
        method: this.method,
        origin: this.origin,
        path: pathWithoutQuery(this.path),
        attempt: this.attempt,
        status: this.status,
        durationMs: performance.now() - this.startedAt,
      });
    }
    this.resolve(response);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.settled) return;
    this.fail(toHttpError(error, this.failureContext()));
  }
}

/**
 * Wraps the handler of a request made through `client.fetch`, to give the
 * retry callback the same state `request()` gives it and to report events.
 */
class FetchTracker implements Dispatcher.DispatchHandler, RequestState {
  readonly retryable: boolean;
  readonly method: string;
  readonly origin: string;
  readonly path: string;
  responseStarted = false;
  attempt = 1;
  settled = false;
  retryAfterMs: number | undefined = undefined;
  cancelRetryWait: (() => void) | undefined = undefined;

  private readonly handler: Dispatcher.DispatchHandler;
  private readonly runtime: ClientRuntime;
  private readonly startedAt: number;

  constructor(
    handler: Dispatcher.DispatchHandler,
    options: Dispatcher.DispatchOptions,
    runtime: ClientRuntime,
  ) {
    this.handler = handler;
    this.runtime = runtime;
    this.method = options.method;
    this.origin =
      typeof options.origin === 'string' ? options.origin : String(options.origin?.origin);
    this.path = options.path;
    this.retryable =
      isIdempotentMethod(options.method) || hasHeader(options.headers, 'idempotency-key');
    this.startedAt = runtime.onEvent === undefined ? 0 : performance.now();
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: ResponseHeaders,
    socket: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[3],
  ): void {
    this.handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: ResponseHeaders,
    statusMessage?: string,
  ): void {
    this.responseStarted = true;
    if (this.runtime.onEvent !== undefined) {
      emit(this.runtime, {
        type: 'http-response-received',
        method: this.method,
        origin: this.origin,
        path: pathWithoutQuery(this.path),
        attempt: this.attempt,
        status: statusCode,
        durationMs: performance.now() - this.startedAt,
      });
    }
    this.handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: ResponseHeaders): void {
    this.settled = true;
    this.handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.settled = true;
    if (this.runtime.onEvent !== undefined && !this.responseStarted) {
      emit(this.runtime, {
        type: 'http-request-failed',
        method: this.method,
        origin: this.origin,
        path: pathWithoutQuery(this.path),
        attempt: this.attempt,
        code: toHttpError(error, { method: this.method, origin: this.origin }).code,
        durationMs: performance.now() - this.startedAt,
      });
    }
    this.handler.onResponseError?.(controller, error);
  }
}

function hasHeader(headers: Dispatcher.DispatchOptions['headers'], name: string): boolean {
  if (headers === undefined || headers === null) return false;
  if (Array.isArray(headers)) {
    for (let index = 0; index < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === name) return true;
    }
    return false;
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const entry of headers as Iterable<readonly [string, unknown]>) {
      if (String(entry[0]).toLowerCase() === name) return true;
    }
    return false;
  }
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return true;
  }
  return false;
}

type RetryCallback = NonNullable<NonNullable<Parameters<typeof interceptors.retry>[0]>['retry']>;

function createRetryCallback(
  policy: RetryPolicy,
  now: () => number,
  runtime: ClientRuntime,
): RetryCallback {
  return (error, context, callback) => {
    const request = (context.opts as DispatchOptionsWithState)[requestStateKey];
    if (request === undefined || request.settled) {
      callback(error);
      return;
    }
    const failure = error as { code?: unknown; statusCode?: unknown; headers?: ResponseHeaders };
    const errorCode = typeof failure.code === 'string' ? failure.code : undefined;
    // undici reports a retryable-looking status as a RequestRetryError.
    const status =
      errorCode === 'UND_ERR_REQ_RETRY' && typeof failure.statusCode === 'number'
        ? failure.statusCode
        : undefined;
    const attempt = context.state.counter;
    const decision = decideRetry(
      {
        attempt,
        retryableRequest: request.retryable,
        responseStarted: request.responseStarted,
        status,
        errorCode,
        retryAfter: status === undefined ? undefined : failure.headers?.['retry-after'],
      },
      policy,
      now(),
    );
    if (!decision.retry) {
      if (decision.retryAfterMs !== undefined) request.retryAfterMs = decision.retryAfterMs;
      callback(error);
      return;
    }
    request.attempt = attempt + 1;
    if (runtime.onEvent !== undefined) {
      emit(runtime, {
        type: 'http-retry-scheduled',
        method: request.method,
        origin: request.origin,
        path: pathWithoutQuery(request.path),
        attempt,
        ...(status === undefined ? {} : { status }),
        ...(status === undefined && errorCode !== undefined ? { errorCode } : {}),
        delayMs: decision.delayMs,
      });
    }
    const timer = setTimeout(() => {
      request.cancelRetryWait = undefined;
      callback(null);
    }, decision.delayMs);
    request.cancelRetryWait = () => {
      clearTimeout(timer);
      request.cancelRetryWait = undefined;
      callback(error);
    };
  };
}

function invalidOption(name: string, requirement: string): InvalidInputError {
  return new InvalidInputError(
    'INVALID_ARGUMENT',
    `createHttpClient: ${name} must be ${requirement}`,
    {
      details: { argument: name },
    },
  );
}

function numberOption(
  value: number | undefined,
  name: string,
  fallback: number,
  minimum: number,
  integer: boolean,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < minimum ||
    (integer && !Number.isInteger(value))
  ) {
    throw invalidOption(
      name,
      `${integer ? 'an integer' : 'a finite number'} of at least ${minimum}`,
    );
  }
  return value;
}

function baseUrlOption(value: string | URL | undefined): URL | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = value instanceof URL ? value : new URL(value);
  } catch (cause) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'createHttpClient: baseUrl must be an absolute URL',
      {
        cause,
        details: { argument: 'baseUrl' },
      },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidOption('baseUrl', 'an http or https URL');
  }
  return url;
}

const headerValuePattern = /^[\t\x20-\x7e\x80-\xff]+$/;

/**
 * Creates an {@link HttpClient} on an undici `Agent` (a keep-alive pool per
 * origin) composed once with undici's retry interceptor: only idempotent
 * requests (or those with an
 * Idempotency-Key) are retried, on 429/500/502/503/504 and connection
 * failures, with full-jitter exponential backoff that honours `Retry-After`.
 * Throws `INVALID_ARGUMENT` ({@link InvalidInputError}) for a bad option.
 *
 * @example
 * ```ts
 * import { createHttpClient, HttpError } from '@civicblocks/core';
 *
 * const client = createHttpClient({ baseUrl: 'https://api.example.gov', retry: { maxAttempts: 3 } });
 * const response = await client.request({
 *   method: 'POST',
 *   url: '/v1/payments',
 *   json: { amount: 1500 },
 *   idempotencyKey: 'payment-7f3c',
 * });
 * if (response.status === 201) console.log(await response.json());
 * await client.close();
 * ```
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const userAgent = options.userAgent ?? defaultUserAgent;
  if (typeof userAgent !== 'string' || !headerValuePattern.test(userAgent)) {
    throw invalidOption('userAgent', 'a non-empty header-safe string');
  }
  const baseUrl = baseUrlOption(options.baseUrl);
  const connectTimeoutMs = numberOption(
    options.connectTimeoutMs,
    'connectTimeoutMs',
    10_000,
    1,
    false,
  );
  const headersTimeoutMs = numberOption(
    options.headersTimeoutMs,
    'headersTimeoutMs',
    30_000,
    1,
    false,
  );
  const bodyTimeoutMs = numberOption(options.bodyTimeoutMs, 'bodyTimeoutMs', 30_000, 1, false);
  const maxResponseBytes = numberOption(
    options.maxResponseBytes,
    'maxResponseBytes',
    10 * 1024 * 1024,
    0,
    true,
  );
  const keepAliveTimeoutMs = numberOption(
    options.keepAliveTimeoutMs,
    'keepAliveTimeoutMs',
    4_000,
    1,
    false,
  );
  const maxConnectionsPerOrigin =
    options.maxConnectionsPerOrigin === undefined
      ? undefined
      : numberOption(options.maxConnectionsPerOrigin, 'maxConnectionsPerOrigin', 0, 1, true);
  const retryOptions = options.retry ?? {};
  numberOption(retryOptions.maxAttempts, 'retry.maxAttempts', 3, 1, true);
  numberOption(retryOptions.baseDelayMs, 'retry.baseDelayMs', 100, 0, false);
  numberOption(retryOptions.maxDelayMs, 'retry.maxDelayMs', 10_000, 0, false);
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw invalidOption('onEvent', 'a function');
  }
  const policy = resolveRetryPolicy(retryOptions);
  const now = options.now ?? Date.now;
  const runtime: ClientRuntime = { maxResponseBytes, onEvent: options.onEvent };
  const settings: RequestSettings = createRequestSettings(userAgent, baseUrl);

  const agent = new Agent({
    connect: { timeout: connectTimeoutMs },
    headersTimeout: headersTimeoutMs,
    bodyTimeout: bodyTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    maxResponseSize: maxResponseBytes,
    ...(maxConnectionsPerOrigin === undefined ? {} : { connections: maxConnectionsPerOrigin }),
  });
  // Composed once, at construction: per request only the handlers are allocated.
  const retrying = interceptors.retry({
    retry: createRetryCallback(policy, now, runtime),
    throwOnError: false,
    maxRetries: policy.maxAttempts - 1,
    // Read only by undici's default retry function, which is replaced above;
    // given so undici does not build its default lists per request.
    methods: [],
    statusCodes: [],
    errorCodes: [],
  });
  // The last interceptor is the outermost. 1xx responses are dropped below the
  // retry handler, which would take a 103 Early Hints for the final response.
  const retryingDispatcher = agent.compose(dropInformationalResponses, retrying);
  const dispatchWithRetries = retryingDispatcher.dispatch;
  const fetchDispatcher = agent.compose(
    dropInformationalResponses,
    retrying,
    trackFetchRequests(runtime),
  );
  let closed = false;
  let closing: Promise<void> | undefined;

  function closedError(method: string, origin: string): HttpError {
    return new HttpError(
      'HTTP_CLIENT_CLOSED',
      `${method} ${origin} was refused: the client is closed`,
      {
        details: { method, origin },
      },
    );
  }

  function request(requestOptions: HttpRequestOptions): Promise<HttpResponse> {
    let prepared: PreparedHttpRequest;
    try {
      prepared = prepareHttpRequest(requestOptions, settings);
    } catch (error) {
      return Promise.reject(error);
    }
    if (closed) return Promise.reject(closedError(prepared.method, prepared.origin));
    const signal = requestOptions.signal;
    if (signal?.aborted === true) {
      return Promise.reject(
        abortError(signal.reason, {
          method: prepared.method,
          origin: prepared.origin,
          attempts: 0,
        }),
      );
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      const collector = new ResponseCollector(prepared, runtime, signal, resolve, reject);
      const dispatchOptions: DispatchOptionsWithState = {
        origin: prepared.origin,
        path: prepared.path,
        method: prepared.method as Dispatcher.HttpMethod,
        headers: prepared.headers,
        body: prepared.body ?? null,
        [requestStateKey]: collector,
      };
      try {
        if (prepared.retryable && policy.maxAttempts > 1) {
          dispatchWithRetries(dispatchOptions, collector);
        } else {
          agent.dispatch(dispatchOptions, collector);
        }
      } catch (error) {
        collector.onResponseError(undefined, error as Error);
      }
    });
  }

  async function fetchThroughClient(
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
    if (closed) throw closedError(method, origin);
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
    try {
      const response = await undiciFetch(target, {
        ...(requestInit as Parameters<typeof undiciFetch>[1]),
        headers,
        dispatcher: fetchDispatcher,
      });
      return response as unknown as Response;
    } catch (error) {
      throw fetchFailure(error, signal ?? undefined, { method, origin });
    }
  }

  return {
    request,
    fetch: fetchThroughClient,
    close(): Promise<void> {
      closed = true;
      closing ??= agent.close();
      return closing;
    },
  };
}

/**
 * Hides 1xx informational responses (100 Continue, 103 Early Hints) from the
 * handlers above it, which expect the first response head to be the final one.
 */
class InformationalResponseFilter implements Dispatcher.DispatchHandler {
  private readonly handler: Dispatcher.DispatchHandler;

  constructor(handler: Dispatcher.DispatchHandler) {
    this.handler = handler;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: ResponseHeaders,
    socket: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[3],
  ): void {
    this.handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: ResponseHeaders,
    statusMessage?: string,
  ): void {
    if (statusCode < 200) return;
    this.handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: ResponseHeaders): void {
    this.handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.handler.onResponseError?.(controller, error);
  }
}

const dropInformationalResponses: Dispatcher.DispatcherComposeInterceptor =
  (dispatch) => (options, handler) =>
    dispatch(options, new InformationalResponseFilter(handler));

function trackFetchRequests(runtime: ClientRuntime): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const tracker = new FetchTracker(handler, options, runtime);
    return dispatch(
      { ...options, [requestStateKey]: tracker } as Dispatcher.DispatchOptions,
      tracker,
    );
  };
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
