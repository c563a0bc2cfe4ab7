import { buildConnector } from 'undici';
import type { EgressPolicy, EgressTarget } from './egress-policy.js';
import { parseIpAddress } from './ip-address.js';

/**
 * The port a connection goes to: the URL's, or the scheme's default.
 *
 * @example
 * ```ts
 * effectivePort('https:', ''); // 443
 * ```
 */
export function effectivePort(protocol: string, port: string | number | undefined): number {
  const given = Number(port);
  if (Number.isInteger(given) && given > 0) return given;
  return protocol === 'https:' ? 443 : 80;
}

/**
 * undici's connector (`Agent({ connect })`) with the egress policy applied
 * when the connection is opened, before a byte is written: the scheme and an
 * IP-literal host are checked first; a host name is resolved by a `lookup`
 * that refuses when any of its addresses is refused, and the socket connects
 * to exactly the addresses checked (a later change of the DNS answer cannot
 * slip in). `servername`, when given, is pinned for every TLS connection.
 *
 * @example
 * ```ts
 * const agent = new Agent({ connect: createEgressConnector({ timeout: 10_000 }, policy, undefined) });
 * ```
 */
export function createEgressConnector(
  buildOptions: buildConnector.BuildOptions,
  policy: EgressPolicy | undefined,
  servername: string | undefined,
): buildConnector.connector {
  // Listed names still resolve with the policy's resolver.
  const direct = buildConnector(
    policy === undefined
      ? buildOptions
      : ({ ...buildOptions, lookup: policy.lookup } as buildConnector.BuildOptions),
  );
  // One checking connector per scheme and port: the port decides which
  // allow-list entries apply, and `lookup` is a connector-wide option.
  const checked = new Map<string, buildConnector.connector>();
  return function connectWithinPolicy(options, callback) {
    const connectOptions = servername === undefined ? options : { ...options, servername };
    if (policy === undefined) {
      direct(connectOptions, callback);
      return;
    }
    const target: EgressTarget = {
      protocol: options.protocol,
      hostname: options.hostname,
      port: effectivePort(options.protocol, options.port),
    };
    const refusal = policy.checkTarget(target);
    if (refusal !== undefined) {
      callback(refusal, null);
      return;
    }
    // Listed hosts are let through; IP literals were checked above and net.connect does not look them up.
    if (policy.isListed(target) || parseIpAddress(target.hostname) !== undefined) {
      direct(connectOptions, callback);
      return;
    }
    const key = `${target.protocol}${target.port}`;
    let connector = checked.get(key);
    if (connector === undefined) {
      connector = buildConnector({
        ...buildOptions,
        lookup: policy.checkedLookup(target.protocol, target.port),
      } as buildConnector.BuildOptions);
      checked.set(key, connector);
    }
    connector(connectOptions, callback);
  };
}
