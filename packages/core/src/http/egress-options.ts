import type { LookupFunction } from 'node:net';

/**
 * The egress policy of an {@link HttpClient} that calls URLs someone else
 * configured (webhook subscribers, relying agencies, callback URLs). When a
 * client has one, every call it makes:
 *
 * - goes over https, except to targets on the `allow` list;
 * - is refused when the host is, or resolves to, a loopback, private,
 *   link-local (169.254.169.254 included), CGNAT, unique-local, multicast,
 *   unspecified, broadcast, documentation, benchmarking or other
 *   special-purpose address, IPv4-mapped, -compatible, 6to4 and NAT64 forms of
 *   those included. The resolved address is checked when the connection is
 *   opened, so a name that changes its answer (DNS rebinding) is caught;
 * - never follows a redirect, so no header (`webhook-signature`,
 *   `authorization`, `cookie` or any other) reaches an origin other than the
 *   one the caller named;
 * - refuses a `Host` header that names another host than the URL (it would
 *   steer a shared front end to a virtual host the policy never saw).
 *
 * A refused call rejects with an {@link HttpError} `HTTP_EGRESS_REFUSED`
 * (not retryable) before a byte of the request is sent.
 *
 * @example
 * ```ts
 * const client = createHttpClient({
 *   egress: { allow: ['notify.internal.gov.vn', '10.20.0.0/16', '127.0.0.1:8443'] },
 * });
 * ```
 */
export interface EgressPolicyOptions {
  /**
   * Targets let through the address checks, and allowed over plain http:
   * hostnames (`hooks.internal`), host and port (`localhost:8080`,
   * `[::1]:8443`), IP literals (`10.1.2.3`, `::1`) or CIDR ranges
   * (`10.20.0.0/16`, `fd00::/8`). A hostname entry lets the name through
   * whatever it resolves to; an address or range entry lets through any name
   * that resolves inside it (but only a URL that names the address itself is
   * allowed over http). Default: nothing.
   */
  readonly allow?: readonly string[];
  /**
   * Resolves host names, as `dns.lookup` (the default) does. Tests inject
   * one to point a name at a loopback server.
   */
  readonly lookup?: LookupFunction;
}

/**
 * The proxy of an {@link HttpClient}, with undici's `ProxyAgent` /
 * `EnvHttpProxyAgent` semantics. Connections to the target are tunnelled
 * through the proxy with CONNECT (plain http targets too), so the proxy sees
 * the target's host and port but never a request header or body.
 *
 * - a URL string: every request goes through that proxy;
 * - `{ url, noProxy }`: as the `HTTPS_PROXY` / `NO_PROXY` variables mean,
 *   with their values passed in (`{ url: env.HTTPS_PROXY, noProxy: env.NO_PROXY }`):
 *   hosts matching `noProxy` (comma- or space-separated names, `.suffix`,
 *   `host:port`, `*`) connect directly; an empty `url` (an unset variable)
 *   means no proxy;
 * - `'environment'`: undici's `EnvHttpProxyAgent` reads `HTTP_PROXY`,
 *   `HTTPS_PROXY` and `NO_PROXY` itself, once, when the client is created.
 *   civicblocks never reads the environment; prefer passing the values.
 *
 * With an egress policy, the proxy's own host must be on the `allow` list
 * (else `createHttpClient` throws `INVALID_ARGUMENT`), and the target is still
 * checked: its name is resolved locally and refused like a direct connection.
 *
 * @example
 * ```ts
 * const client = createHttpClient({
 *   proxy: { url: process.env.HTTPS_PROXY ?? '', noProxy: process.env.NO_PROXY },
 *   egress: { allow: ['proxy.internal:3128'] },
 * });
 * ```
 */
export type HttpProxyOption =
  | string
  | { readonly url: string; readonly noProxy?: string | undefined }
  | 'environment';

/**
 * TLS settings of an {@link HttpClient}'s connections to its targets (not
 * to a proxy).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 *
 * const client = createHttpClient({
 *   tls: {
 *     ca: readFileSync('/etc/agency/ca.pem'),
 *     cert: readFileSync('/etc/agency/client.pem'),
 *     key: readFileSync('/etc/agency/client.key'),
 *     servername: 'api.agency.gov.vn',
 *   },
 * });
 * ```
 */
export interface HttpTlsOptions {
  /** Certificate authorities trusted for the server's certificate, in place of Node's defaults (PEM). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate chain for mutual TLS (PEM). Needs `key`. */
  readonly cert?: string | Buffer;
  /** Private key of the client certificate (PEM). Needs `cert`. */
  readonly key?: string | Buffer;
  /**
   * The name sent in SNI and checked against the server's certificate,
   * whatever the URL's host (pinned), e.g. when calling an address directly.
   */
  readonly servername?: string;
}
