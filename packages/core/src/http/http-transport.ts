import { Agent, type Dispatcher, EnvHttpProxyAgent, Pool } from 'undici';
import { InvalidInputError } from '../errors/core-errors.js';
import { createEgressConnector, effectivePort } from './egress-connector.js';
import { checkEgressBeforeDispatch, refuseForeignHostHeader } from './egress-interceptor.js';
import type { HttpProxyOption, HttpTlsOptions } from './egress-options.js';
import type { EgressPolicy } from './egress-policy.js';

/**
 * What {@link createTransport} needs: the client's resolved limits, TLS,
 * proxy and egress policy.
 *
 * @example
 * ```ts
 * const settings: TransportSettings = {
 *   connectTimeoutMs: 10_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000,
 *   keepAliveTimeoutMs: 4_000, maxResponseBytes: 10_485_760, maxConnectionsPerOrigin: undefined,
 *   tls: undefined, proxy: undefined, egress: undefined,
 * };
 * ```
 */
export interface TransportSettings {
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxConnectionsPerOrigin: number | undefined;
  readonly tls: HttpTlsOptions | undefined;
  readonly proxy: HttpProxyOption | undefined;
  readonly egress: EgressPolicy | undefined;
}

/**
 * A client's transport: the dispatcher that owns the connections (to close
 * it) and the interceptors that must run on every request before it.
 *
 * @example
 * ```ts
 * const { dispatcher, interceptors } = createTransport(settings);
 * const composed = dispatcher.compose(...interceptors, retrying);
 * ```
 */
export interface Transport {
  readonly dispatcher: Dispatcher;
  readonly interceptors: readonly Dispatcher.DispatcherComposeInterceptor[];
}

function tlsConnectOptions(tls: HttpTlsOptions | undefined): Record<string, unknown> {
  if (tls === undefined) return {};
  return {
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
  };
}

function proxyRefused(argument: string, requirement: string): InvalidInputError {
  return new InvalidInputError('INVALID_ARGUMENT', `createHttpClient: ${argument} ${requirement}`, {
    details: { argument },
  });
}

/**
 * The proxy's own host must be on the allow list of a client with an egress
 * policy; checked when undici builds the proxy's pool (for `'environment'`
 * too, whose URL undici reads).
 */
function checkedProxyPoolFactory(
  egress: EgressPolicy | undefined,
): (origin: URL, options: object) => Dispatcher {
  return (origin, options) => {
    const url = origin instanceof URL ? origin : new URL(String(origin));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw proxyRefused('proxy', 'must be an http or https URL');
    }
    if (egress !== undefined) {
      const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      if (!egress.allowList.allowsTarget(hostname, effectivePort(url.protocol, url.port))) {
        throw proxyRefused('proxy', 'host must be on egress.allow when an egress policy is set');
      }
    }
    return new Pool(url, options as Pool.Options);
  };
}

/**
 * undici's ProxyAgent adds a `host` header to the request's header object;
 * the client shares one frozen object between requests that set none.
 */
const copyHeadersForProxy: Dispatcher.DispatcherComposeInterceptor =
  (dispatch) => (options, handler) =>
    dispatch(
      Object.isFrozen(options.headers)
        ? { ...options, headers: { ...(options.headers as Record<string, string>) } }
        : options,
      handler,
    );

function proxyValues(proxy: HttpProxyOption): Record<string, string> {
  if (proxy === 'environment') return {};
  const url = typeof proxy === 'string' ? proxy : proxy?.url;
  const noProxy = typeof proxy === 'string' ? '' : (proxy?.noProxy ?? '');
  if (typeof url !== 'string' || typeof noProxy !== 'string') {
    throw proxyRefused('proxy', "must be a URL, { url, noProxy } or 'environment'");
  }
  // An empty URL is an unset HTTPS_PROXY: no proxy.
  if (url === '') return { httpProxy: '', httpsProxy: '', noProxy };
  try {
    new URL(url);
  } catch {
    throw proxyRefused('proxy', 'url is not an absolute URL');
  }
  // Given explicitly, so undici reads none of HTTP_PROXY, HTTPS_PROXY, NO_PROXY.
  return { httpProxy: url, httpsProxy: url, noProxy };
}

/**
 * Builds the undici dispatcher of a client: an `Agent` (or, with a proxy,
 * undici's `EnvHttpProxyAgent`, whose `ProxyAgent` tunnels with CONNECT)
 * whose connector applies TLS options, the pinned servername and the egress
 * policy. With a policy, a `Host` header naming another host than the URL
 * is refused before dispatch; with a proxy too, the target is also checked
 * before dispatch. Throws `INVALID_ARGUMENT` for a bad proxy, or a proxy not on the
 * allow list.
 *
 * @example
 * ```ts
 * const { dispatcher } = createTransport({ ...settings, proxy: 'http://proxy.internal:3128' });
 * ```
 */
export function createTransport(settings: TransportSettings): Transport {
  const { tls, egress, proxy, maxConnectionsPerOrigin } = settings;
  const tlsOptions = tlsConnectOptions(tls);
  const connect =
    egress === undefined && tls === undefined
      ? { timeout: settings.connectTimeoutMs }
      : createEgressConnector(
          { timeout: settings.connectTimeoutMs, ...tlsOptions },
          egress,
          tls?.servername,
        );
  const agentOptions = {
    connect,
    headersTimeout: settings.headersTimeoutMs,
    bodyTimeout: settings.bodyTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    maxResponseSize: settings.maxResponseBytes,
    ...(maxConnectionsPerOrigin === undefined ? {} : { connections: maxConnectionsPerOrigin }),
  };
  if (proxy === undefined) {
    return {
      dispatcher: new Agent(agentOptions),
      interceptors: egress === undefined ? [] : [refuseForeignHostHeader()],
    };
  }
  const dispatcher = new EnvHttpProxyAgent({
    ...agentOptions,
    ...proxyValues(proxy),
    proxyTls: { timeout: settings.connectTimeoutMs },
    requestTls: {
      timeout: settings.connectTimeoutMs,
      ...tlsOptions,
      ...(tls?.servername === undefined ? {} : { servername: tls.servername }),
    },
    clientFactory: checkedProxyPoolFactory(egress),
  } as EnvHttpProxyAgent.Options);
  return {
    dispatcher,
    interceptors:
      egress === undefined
        ? [copyHeadersForProxy]
        : [copyHeadersForProxy, checkEgressBeforeDispatch(egress), refuseForeignHostHeader()],
  };
}
