import type { HttpErrorCode } from '../errors/core-errors.js';

/**
 * Facts every {@link HttpEvent} carries. The path never includes the query
 * string; no event carries a header value or a body.
 *
 * @example
 * ```ts
 * const where: HttpEventBase = { method: 'GET', origin: 'https://api.example.gov', path: '/v1/items', attempt: 1 };
 * ```
 */
export interface HttpEventBase {
  readonly method: string;
  readonly origin: string;
  /** The URL path without its query string. */
  readonly path: string;
  /** The attempt this event is about, counting from 1. */
  readonly attempt: number;
}

/**
 * A final response arrived (after any retries). For `request()` it is
 * reported once the body is in; for `fetch` when the headers are.
 *
 * @example
 * ```ts
 * const event: HttpResponseReceivedEvent = {
 *   type: 'http-response-received', method: 'GET', origin: 'https://api.example.gov',
 *   path: '/v1/items', attempt: 1, status: 200, durationMs: 12.5,
 * };
 * ```
 */
export interface HttpResponseReceivedEvent extends HttpEventBase {
  readonly type: 'http-response-received';
  readonly status: number;
  /** From the call to the last byte (request) or the headers (fetch), retries included. */
  readonly durationMs: number;
}

/**
 * An attempt failed and another is scheduled after `delayMs`.
 *
 * @example
 * ```ts
 * const event: HttpRetryScheduledEvent = {
 *   type: 'http-retry-scheduled', method: 'GET', origin: 'https://api.example.gov',
 *   path: '/v1/items', attempt: 1, status: 503, delayMs: 1000,
 * };
 * ```
 */
export interface HttpRetryScheduledEvent extends HttpEventBase {
  readonly type: 'http-retry-scheduled';
  /** The status of the failed attempt, when the server answered. */
  readonly status?: number;
  /** The undici or Node.js error code of the failed attempt, when it did not. */
  readonly errorCode?: string;
  /** The wait before the next attempt, in milliseconds. */
  readonly delayMs: number;
}

/**
 * The request failed for good, with the code of the `HttpError` it rejected
 * with.
 *
 * @example
 * ```ts
 * const event: HttpRequestFailedEvent = {
 *   type: 'http-request-failed', method: 'GET', origin: 'https://api.example.gov',
 *   path: '/v1/items', attempt: 3, code: 'HTTP_NETWORK', durationMs: 950,
 * };
 * ```
 */
export interface HttpRequestFailedEvent extends HttpEventBase {
  readonly type: 'http-request-failed';
  readonly code: HttpErrorCode;
  /** The response status, when headers arrived before the failure. */
  readonly status?: number;
  readonly durationMs: number;
}

/**
 * What the client reports to `onEvent`: method, origin, path without query,
 * status, attempt number and retry delay. Never bodies or header values.
 *
 * @example
 * ```ts
 * const client = createHttpClient({
 *   onEvent: (event: HttpEvent) => {
 *     if (event.type === 'http-retry-scheduled') metrics.increment('http.retry', { origin: event.origin });
 *   },
 * });
 * ```
 */
export type HttpEvent =
  | HttpResponseReceivedEvent
  | HttpRetryScheduledEvent
  | HttpRequestFailedEvent;

/**
 * Gives an event to the client's `onEvent` observer; whatever it throws is
 * ignored, as an observer must never break a request.
 *
 * @example
 * ```ts
 * emitHttpEvent(console.log, { type: 'http-response-received', method: 'GET', origin: 'https://api.example.gov', path: '/', attempt: 1, status: 200, durationMs: 3 });
 * ```
 */
export function emitHttpEvent(onEvent: (event: HttpEvent) => void, event: HttpEvent): void {
  try {
    onEvent(event);
  } catch {
    // An observer must never break a request.
  }
}
