import type { Dispatcher } from 'undici';
import type { HttpError, InvalidInputError } from '../errors/core-errors.js';
import { type HttpClientOptions, resolveHttpClientOptions } from './http-client-options.js';
import { abortError, closedError } from './http-failure.js';
import { createClientFetch, type HttpFetch } from './http-fetch.js';
import { trackFetchRequests } from './http-fetch-tracker.js';
import {
  createRequestSettings,
  type HttpRequestOptions,
  type PreparedHttpRequest,
  prepareHttpRequest,
} from './http-request.js';
import type { HttpResponse } from './http-response.js';
import { type ClientRuntime, ResponseCollector } from './http-response-collector.js';
import {
  createRetryInterceptor,
  type DispatchOptionsWithState,
  requestStateKey,
} from './http-retry-interceptor.js';
import { createTransport } from './http-transport.js';
import { dropInformationalResponses } from './informational-responses.js';

export { defaultUserAgent, type HttpClientOptions } from './http-client-options.js';
export type { HttpFetch } from './http-fetch.js';

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
   * not followed (with an egress policy they reject with
   * `HTTP_EGRESS_REFUSED`). Rejects only with {@link HttpError}.
   */
  request(options: HttpRequestOptions): Promise<HttpResponse>;
  /** A standard fetch through this client. See {@link HttpFetch}. */
  readonly fetch: HttpFetch;
  /** Waits for requests in flight, then closes every connection. Later requests fail with `HTTP_CLIENT_CLOSED`. */
  close(): Promise<void>;
}

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
  const resolved = resolveHttpClientOptions(options);
  const { policy, maxConnectionsPerOrigin } = resolved;
  const runtime: ClientRuntime = {
    maxResponseBytes: resolved.maxResponseBytes,
    onEvent: resolved.onEvent,
    eventPath: resolved.eventPath,
    refuseRedirects: resolved.egress !== undefined,
  };
  const settings = createRequestSettings(resolved.userAgent, resolved.baseUrl);

  // An Agent (or, with a proxy, undici's EnvHttpProxyAgent) whose connector
  // applies the TLS options and the egress policy when a connection opens.
  const transport = createTransport({
    connectTimeoutMs: resolved.connectTimeoutMs,
    headersTimeoutMs: resolved.headersTimeoutMs,
    bodyTimeoutMs: resolved.bodyTimeoutMs,
    keepAliveTimeoutMs: resolved.keepAliveTimeoutMs,
    maxResponseBytes: resolved.maxResponseBytes,
    maxConnectionsPerOrigin,
    tls: resolved.tls,
    proxy: resolved.proxy,
    egress: resolved.egress,
  });
  const agent = transport.dispatcher;
  // Empty unless the client has a proxy or an egress policy.
  const innermost = transport.interceptors;
  const direct = innermost.length === 0 ? agent : agent.compose(...innermost);
  // Composed once, at construction: per request only the handlers are allocated.
  const retrying = createRetryInterceptor(
    policy,
    resolved.now,
    resolved.onEvent,
    resolved.eventPath,
  );
  // The last interceptor is the outermost. 1xx responses are dropped below the
  // retry handler, which would take a 103 Early Hints for the final response.
  const dispatchWithRetries = agent.compose(
    ...innermost,
    dropInformationalResponses,
    retrying,
  ).dispatch;
  let closed = false;
  let closing: Promise<void> | undefined;

  function request(
    requestOptions: HttpRequestOptions,
    internal?: { readonly returnRedirects: boolean },
  ): Promise<HttpResponse> {
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
      const collector = new ResponseCollector(
        prepared,
        runtime,
        signal,
        resolve,
        reject,
        internal?.returnRedirects,
      );
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
          direct.dispatch(dispatchOptions, collector);
        }
      } catch (error) {
        collector.onResponseError(undefined, error as Error);
      }
    });
  }

  return {
    request: (requestOptions) => request(requestOptions),
    fetch: createClientFetch({
      userAgent: resolved.userAgent,
      baseUrl: resolved.baseUrl,
      dispatcher: agent.compose(
        ...innermost,
        dropInformationalResponses,
        retrying,
        trackFetchRequests(resolved.onEvent, resolved.eventPath),
      ),
      isClosed: () => closed,
      refuseRedirects: resolved.egress !== undefined,
      request,
    }),
    close(): Promise<void> {
      closed = true;
      closing ??= agent.close();
      return closing;
    },
  };
}
