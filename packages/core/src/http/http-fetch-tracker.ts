import type { Dispatcher } from 'undici';
import { ForwardingHandler } from './forwarding-handler.js';
import { emitHttpEvent, type HttpEvent } from './http-events.js';
import { toHttpError } from './http-failure.js';
import { isIdempotentMethod } from './http-retry.js';
import { type RequestState, requestStateKey } from './http-retry-interceptor.js';

type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * Wraps the handler of a request made through `client.fetch`, to give the
 * retry callback the same state `request()` gives it and to report events.
 */
class FetchTracker extends ForwardingHandler implements RequestState {
  readonly retryable: boolean;
  readonly method: string;
  readonly origin: string;
  readonly path: string;
  responseStarted = false;
  attempt = 1;
  settled = false;
  retryAfterMs: number | undefined = undefined;
  cancelRetryWait: (() => void) | undefined = undefined;

  private readonly onEvent: ((event: HttpEvent) => void) | undefined;
  private readonly eventPath: (path: string) => string;
  private readonly startedAt: number;

  constructor(
    handler: Dispatcher.DispatchHandler,
    options: Dispatcher.DispatchOptions,
    onEvent: ((event: HttpEvent) => void) | undefined,
    eventPath: (path: string) => string,
  ) {
    super(handler);
    this.onEvent = onEvent;
    this.eventPath = eventPath;
    this.method = options.method;
    this.origin =
      typeof options.origin === 'string' ? options.origin : String(options.origin?.origin);
    this.path = options.path;
    this.retryable =
      isIdempotentMethod(options.method) || hasHeader(options.headers, 'idempotency-key');
    this.startedAt = onEvent === undefined ? 0 : performance.now();
  }

  override onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: ResponseHeaders,
    statusMessage?: string,
  ): void {
    this.responseStarted = true;
    if (this.onEvent !== undefined) {
      emitHttpEvent(this.onEvent, {
        type: 'http-response-received',
        method: this.method,
        origin: this.origin,
        path: this.eventPath(this.path),
        attempt: this.attempt,
        status: statusCode,
        durationMs: performance.now() - this.startedAt,
      });
    }
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseEnd(
    controller: Dispatcher.DispatchController,
    trailers: ResponseHeaders,
  ): void {
    this.settled = true;
    super.onResponseEnd(controller, trailers);
  }

  override onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.settled = true;
    if (this.onEvent !== undefined && !this.responseStarted) {
      emitHttpEvent(this.onEvent, {
        type: 'http-request-failed',
        method: this.method,
        origin: this.origin,
        path: this.eventPath(this.path),
        attempt: this.attempt,
        code: toHttpError(error, { method: this.method, origin: this.origin }).code,
        durationMs: performance.now() - this.startedAt,
      });
    }
    super.onResponseError(controller, error);
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

/**
 * An interceptor, outermost on the fetch dispatcher, that gives each fetch
 * request the {@link RequestState} the retry interceptor reads (retryable
 * when idempotent or carrying an Idempotency-Key) and reports its events.
 *
 * @example
 * ```ts
 * const dispatcher = agent.compose(dropInformationalResponses, retrying, trackFetchRequests(onEvent, pathWithoutQuery));
 * ```
 */
export function trackFetchRequests(
  onEvent: ((event: HttpEvent) => void) | undefined,
  eventPath: (path: string) => string,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const tracker = new FetchTracker(handler, options, onEvent, eventPath);
    return dispatch(
      { ...options, [requestStateKey]: tracker } as Dispatcher.DispatchOptions,
      tracker,
    );
  };
}
