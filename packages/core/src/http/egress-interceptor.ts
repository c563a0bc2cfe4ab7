import type { Dispatcher } from 'undici';
import { effectivePort } from './egress-connector.js';
import { type EgressPolicy, type EgressTarget, egressRefusedError } from './egress-policy.js';
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

/** The values of header `name` (lower case) in undici's dispatch headers, in any of their forms. */
function headerValues(headers: Dispatcher.DispatchOptions['headers'], name: string): string[] {
  if (headers === null || headers === undefined) return [];
  const found: string[] = [];
  const add = (key: unknown, value: unknown): void => {
    if (typeof key !== 'string' || key.toLowerCase() !== name) return;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) found.push(String(item));
    }
  };
  if (Array.isArray(headers)) {
    // A flat [name, value, name, value, ...] list, or a list of pairs.
    if (headers.every((item) => !Array.isArray(item))) {
      for (let index = 0; index + 1 < headers.length; index += 2) {
        add(headers[index], headers[index + 1]);
      }
    } else {
      for (const pair of headers as unknown as [unknown, unknown][]) add(pair[0], pair[1]);
    }
  } else if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const pair of headers as Iterable<[unknown, unknown]>) add(pair[0], pair[1]);
  } else {
    for (const [key, value] of Object.entries(headers)) add(key, value);
  }
  return found;
}

/**
 * An interceptor for clients with an egress policy that refuses, before
 * anything is sent, a request whose `Host` header names another host than
 * its URL: the header would steer a shared front end or reverse proxy to a
 * virtual host (internal, or another tenant's) that the policy never saw.
 * A `Host` equal to the URL's host (with or without its port) passes.
 *
 * @example
 * ```ts
 * const dispatcher = agent.compose(refuseForeignHostHeader());
 * ```
 */
export function refuseForeignHostHeader(): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const values = headerValues(options.headers, 'host');
    if (values.length === 0) return dispatch(options, handler);
    let target: EgressTarget;
    try {
      target = targetOf(options.origin);
    } catch {
      return dispatch(options, handler); // undici reports the bad origin
    }
    const host = target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname;
    const named = new Set([host.toLowerCase(), `${host.toLowerCase()}:${target.port}`]);
    if (values.every((value) => named.has(value.trim().toLowerCase()))) {
      return dispatch(options, handler);
    }
    const origin = `${target.protocol}//${host}:${target.port}`;
    handler.onResponseError?.(
      null as unknown as Dispatcher.DispatchController,
      egressRefusedError(origin, 'the Host header names another host than the URL', {
        reason: 'host-header',
      }),
    );
    return true;
  };
}
