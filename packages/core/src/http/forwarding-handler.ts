import type { Dispatcher } from 'undici';

type ResponseHeaders = Record<string, string | string[] | undefined>;
type UpgradeSocket = Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[3];

/**
 * A dispatch handler that passes every call on to the handler it wraps, for
 * interceptors to extend, overriding only the calls they watch. (undici's
 * `DecoratorHandler` is deprecated, asserts on the order of calls and its
 * types declare none of its methods.)
 *
 * @example
 * ```ts
 * class StatusWatcher extends ForwardingHandler {
 *   override onResponseStart(controller, statusCode, headers, statusMessage) {
 *     console.log(statusCode);
 *     super.onResponseStart(controller, statusCode, headers, statusMessage);
 *   }
 * }
 * ```
 */
export class ForwardingHandler implements Dispatcher.DispatchHandler {
  protected readonly handler: Dispatcher.DispatchHandler;

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
    socket: UpgradeSocket,
  ): void {
    this.handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: ResponseHeaders,
    statusMessage?: string,
  ): void {
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
