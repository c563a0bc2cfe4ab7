import type { Dispatcher } from 'undici';
import { ForwardingHandler } from './forwarding-handler.js';

/**
 * Hides 1xx informational responses (100 Continue, 103 Early Hints) from the
 * handlers above it, which expect the first response head to be the final one.
 */
class InformationalResponseFilter extends ForwardingHandler {
  override onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    if (statusCode < 200) return;
    this.handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }
}

/**
 * An interceptor that drops 1xx informational responses before the
 * interceptors composed after it see them.
 *
 * @example
 * ```ts
 * const dispatcher = new Agent().compose(dropInformationalResponses, interceptors.retry());
 * ```
 */
export const dropInformationalResponses: Dispatcher.DispatcherComposeInterceptor =
  (dispatch) => (options, handler) =>
    dispatch(options, new InformationalResponseFilter(handler));
