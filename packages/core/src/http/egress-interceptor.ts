import type { Dispatcher } from 'undici';
import { effectivePort } from './egress-connector.js';
import type { EgressPolicy, EgressTarget } from './egress-policy.js';
import { toHttpError } from './http-failure.js';
import { parseIpAddress } from './ip-address.js';

function targetOf(origin: Dispatcher.DispatchOptions['origin']): EgressTarget {
  const url = typeof origin === 'string' ? new URL(origin) : (origin as URL);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { protocol: url.protocol, hostname, port: effectivePort(url.protocol, url.port) };
}

/**
 * An interceptor that applies the egress policy to the target of each
 * request before it is dispatched, for clients with a proxy, whose
 * connections go to the proxy and so escape the connector's check: the
 * scheme and IP-literal hosts are checked, and a host name (unless listed)
 * is resolved locally and refused like a direct connection. The proxy does
 * its own resolution afterwards; pinning its answer is the proxy's job.
 *
 * @example
 * ```ts
 * const dispatcher = proxyAgent.compose(checkEgressBeforeDispatch(policy));
 * ```
 */
export function checkEgressBeforeDispatch(
  policy: EgressPolicy,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    let target: EgressTarget;
    try {
      target = targetOf(options.origin);
    } catch {
      return dispatch(options, handler); // undici reports the bad origin
    }
    const refusal = policy.checkTarget(target);
    if (refusal !== undefined) {
      handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, refusal);
      return true;
    }
    if (policy.isListed(target) || parseIpAddress(target.hostname) !== undefined) {
      return dispatch(options, handler);
    }
    policy.resolveAndCheck(target).then(
      (found) => {
        if (found !== undefined) {
          handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, found);
          return;
        }
        try {
          dispatch(options, handler);
        } catch (error) {
          handler.onResponseError?.(
            null as unknown as Dispatcher.DispatchController,
            toHttpError(error, { method: options.method, origin: String(options.origin) }),
          );
        }
      },
      (error: unknown) => {
        handler.onResponseError?.(
          null as unknown as Dispatcher.DispatchController,
          toHttpError(error, { method: options.method, origin: String(options.origin) }),
        );
      },
    );
    return true;
  };
}
