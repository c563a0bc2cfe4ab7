import type { Dispatcher } from 'undici';
import type { HttpError } from '../errors/core-errors.js';
import { redirectRefusedError, redirectStatuses } from './egress-policy.js';
import { emitHttpEvent, type HttpEvent } from './http-events.js';
import { abortError, type FailureContext, statusError, toHttpError } from './http-failure.js';
import type { PreparedHttpRequest } from './http-request.js';
import {
  createHttpResponse,
  type HttpResponse,
  type HttpResponseHeaders,
  requestIdOf,
} from './http-response.js';
import { declaredLengthError, declaredLengthExceeds } from './http-response-limit.js';
import type { RequestState } from './http-retry-interceptor.js';

/**
 * What every request of one client shares with its {@link ResponseCollector}.
 *
 * @example
 * ```ts
 * const runtime: ClientRuntime = { maxResponseBytes: 10 * 1024 * 1024, onEvent: undefined, eventPath: pathWithoutQuery, refuseRedirects: false };
 * ```
 */
export interface ClientRuntime {
  readonly maxResponseBytes: number;
  readonly onEvent: ((event: HttpEvent) => void) | undefined;
  /** The `path` of events, from the request's path and query (redacted or not). */
  readonly eventPath: (path: string) => string;
  /** The client has an egress policy: a redirect fails with `HTTP_EGRESS_REFUSED`. */
  readonly refuseRedirects: boolean;
}

type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * Collects one response for `request()`: undici's handler for the request,
 * and the state the retry callback reads. Settles the promise it was given
 * once, with the whole response or an {@link HttpError}.
 *
 * @example
 * ```ts
 * const response = await new Promise<HttpResponse>((resolve, reject) => {
 *   agent.dispatch(options, new ResponseCollector(prepared, runtime, signal, resolve, reject));
 * });
 * ```
 */
export class ResponseCollector
  implements Dispatcher.DispatchHandler, RequestState, EventListenerObject
{
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
  private readonly refuseRedirects: boolean;
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
    returnRedirects = false,
  ) {
    this.refuseRedirects = runtime.refuseRedirects && !returnRedirects;
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
      emitHttpEvent(this.runtime.onEvent, {
        type: 'http-request-failed',
        method: this.method,
        origin: this.origin,
        path: this.runtime.eventPath(this.path),
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
    if (declaredLengthExceeds(this.method, headers, this.runtime.maxResponseBytes)) {
      const error = declaredLengthError(this.failureContext());
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
    if (this.refuseRedirects && redirectStatuses.has(this.status)) {
      this.fail(redirectRefusedError(this.method, this.origin, this.status));
      return;
    }
    if (this.throwOnStatus && !response.ok) {
      this.fail(statusError({ ...this.failureContext(), status: this.status }));
      return;
    }
    this.finish();
    if (this.runtime.onEvent !== undefined) {
      emitHttpEvent(this.runtime.onEvent, {
        type: 'http-response-received',
        method: this.method,
        origin: this.origin,
        path: this.runtime.eventPath(this.path),
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
