import { type Dispatcher, interceptors } from 'undici';
import { emitHttpEvent, type HttpEvent } from './http-events.js';
import { decideRetry, type RetryPolicy } from './http-retry.js';

/**
 * What a retry decision needs to know about the request it is deciding for;
 * carried to undici's retry callback inside the dispatch options, under
 * {@link requestStateKey}.
 *
 * @example
 * ```ts
 * const options: DispatchOptionsWithState = { origin, path, method: 'GET', [requestStateKey]: collector };
 * ```
 */
export interface RequestState {
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

/**
 * The dispatch option that carries a request's {@link RequestState}.
 *
 * @example
 * ```ts
 * const state = (options as DispatchOptionsWithState)[requestStateKey];
 * ```
 */
export const requestStateKey: unique symbol = Symbol('civicblocks.http.request-state');

/**
 * undici dispatch options with the request's {@link RequestState}.
 *
 * @example
 * ```ts
 * const options: DispatchOptionsWithState = { origin, path, method: 'GET', [requestStateKey]: collector };
 * ```
 */
export type DispatchOptionsWithState = Dispatcher.DispatchOptions & {
  [requestStateKey]?: RequestState;
};

type RetryCallback = NonNullable<NonNullable<Parameters<typeof interceptors.retry>[0]>['retry']>;

function createRetryCallback(
  policy: RetryPolicy,
  now: () => number,
  onEvent: ((event: HttpEvent) => void) | undefined,
  eventPath: (path: string) => string,
): RetryCallback {
  return (error, context, callback) => {
    const request = (context.opts as DispatchOptionsWithState)[requestStateKey];
    if (request === undefined || request.settled) {
      callback(error);
      return;
    }
    const failure = error as {
      code?: unknown;
      statusCode?: unknown;
      headers?: Record<string, string | string[] | undefined>;
    };
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
    if (onEvent !== undefined) {
      emitHttpEvent(onEvent, {
        type: 'http-retry-scheduled',
        method: request.method,
        origin: request.origin,
        path: eventPath(request.path),
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

/**
 * undici's retry interceptor, deciding each retry with {@link decideRetry}
 * from the {@link RequestState} in the dispatch options (a request without
 * one is never retried), waiting the decided delay and reporting
 * `http-retry-scheduled` events. Build it once per client.
 *
 * @example
 * ```ts
 * const dispatcher = agent.compose(createRetryInterceptor(resolveRetryPolicy(), Date.now, undefined, pathWithoutQuery));
 * ```
 */
export function createRetryInterceptor(
  policy: RetryPolicy,
  now: () => number,
  onEvent: ((event: HttpEvent) => void) | undefined,
  eventPath: (path: string) => string,
): Dispatcher.DispatcherComposeInterceptor {
  return interceptors.retry({
    retry: createRetryCallback(policy, now, onEvent, eventPath),
    throwOnError: false,
    maxRetries: policy.maxAttempts - 1,
    // Read only by undici's default retry function, which is replaced above;
    // given so undici does not build its default lists per request.
    methods: [],
    statusCodes: [],
    errorCodes: [],
  });
}
