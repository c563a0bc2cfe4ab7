import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { HttpError } from '../errors/core-errors.js';
import {
  type EgressAllowList,
  normalizeHostname,
  parseEgressAllowList,
} from './egress-allow-list.js';
import type { EgressPolicyOptions } from './egress-options.js';
import { parseIpAddress } from './ip-address.js';
import { classifyAddress, type SpecialAddress } from './special-purpose-addresses.js';

/**
 * Where a connection is about to go.
 *
 * @example
 * ```ts
 * const target: EgressTarget = { protocol: 'https:', hostname: 'hooks.example.org', port: 443 };
 * ```
 */
export interface EgressTarget {
  readonly protocol: string;
  /** Without IPv6 brackets. */
  readonly hostname: string;
  readonly port: number;
}

/**
 * A client's egress policy, ready to check targets and resolved addresses.
 *
 * @example
 * ```ts
 * const policy = createEgressPolicy({ allow: ['127.0.0.1'] });
 * policy.checkTarget({ protocol: 'http:', hostname: '10.0.0.1', port: 80 })?.code; // 'HTTP_EGRESS_REFUSED'
 * ```
 */
export interface EgressPolicy {
  readonly allowList: EgressAllowList;
  /** The resolver (`egress.lookup`, else `dns.lookup`), unchecked, for listed names. */
  readonly lookup: LookupFunction;
  /**
   * Checks what can be known before resolving: the scheme (http only for
   * listed targets) and an IP-literal host. The refusal, or `undefined`.
   */
  checkTarget(target: EgressTarget): HttpError | undefined;
  /** The host itself is on the allow list: no address check applies. */
  isListed(target: EgressTarget): boolean;
  /**
   * A `lookup` for `net.connect` to `port` that resolves with the policy's
   * resolver and fails with the refusal when any address of the name is
   * refused (addresses on the allow list excepted).
   */
  checkedLookup(protocol: string, port: number): LookupFunction;
  /** Resolves the target's name and checks every address: the refusal, or `undefined`. */
  resolveAndCheck(target: EgressTarget): Promise<HttpError | undefined>;
}

function originOf(target: EgressTarget): string {
  const host = target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname;
  return `${target.protocol}//${host}:${target.port}`;
}

/**
 * The `HTTP_EGRESS_REFUSED` error: not retryable, naming the origin and the
 * reason (never a path or header).
 *
 * @example
 * ```ts
 * const error = egressRefusedError('https://10.0.0.1:443', 'resolves to a private address', { reason: 'address' });
 * ```
 */
export function egressRefusedError(
  origin: string,
  what: string,
  details: Readonly<Record<string, unknown>>,
): HttpError {
  return new HttpError('HTTP_EGRESS_REFUSED', `Egress to ${origin} refused: ${what}`, {
    isRetryable: false,
    details: { origin, ...details },
  });
}

/**
 * The statuses that redirect (301, 302, 303, 307, 308), which a client with an
 * egress policy never follows.
 *
 * @example
 * ```ts
 * redirectStatuses.has(307); // true
 * ```
 */
export const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * The `HTTP_EGRESS_REFUSED` error for a redirect a client with an egress
 * policy got: the redirect is not followed and its target never contacted.
 *
 * @example
 * ```ts
 * redirectRefusedError('POST', 'https://hooks.example.org', 307).details; // { reason: 'redirect', status: 307, ... }
 * ```
 */
export function redirectRefusedError(method: string, origin: string, status: number): HttpError {
  return new HttpError(
    'HTTP_EGRESS_REFUSED',
    `${method} ${origin} answered with a redirect (${status}), which is not followed under an egress policy`,
    { isRetryable: false, status, details: { method, origin, reason: 'redirect', status } },
  );
}

function addressRefusal(
  target: EgressTarget,
  address: string,
  special: SpecialAddress,
  resolved: boolean,
): HttpError {
  const article = /^[aeiou]/.test(special.kind) ? 'an' : 'a';
  return egressRefusedError(
    originOf(target),
    `${resolved ? 'the host resolves to' : 'the host is'} ${address}, ${article} ${special.kind} address (${special.range})`,
    { reason: 'address', address, addressKind: special.kind, range: special.range },
  );
}

/**
 * Builds a client's {@link EgressPolicy}. Throws `INVALID_ARGUMENT` for a
 * bad `allow` entry or `lookup`.
 *
 * @example
 * ```ts
 * const policy = createEgressPolicy({ allow: ['hooks.internal'] });
 * ```
 */
export function createEgressPolicy(options: EgressPolicyOptions): EgressPolicy {
  const allowList = parseEgressAllowList(options.allow);
  const resolver = (options.lookup ?? dnsLookup) as LookupFunction;

  function isListed(target: EgressTarget): boolean {
    return allowList.allowsTarget(target.hostname, target.port);
  }

  function checkTarget(target: EgressTarget): HttpError | undefined {
    const listed = isListed(target);
    if (target.protocol !== 'https:' && !listed) {
      return egressRefusedError(
        originOf(target),
        'only https is allowed, except to targets on the allow list',
        { reason: 'protocol' },
      );
    }
    if (listed) return undefined;
    const host = normalizeHostname(target.hostname);
    const literal = parseIpAddress(host);
    if (literal !== undefined) {
      const special = classifyAddress(literal);
      if (special !== undefined) return addressRefusal(target, host, special, false);
    }
    return undefined;
  }

  function refusalOf(
    target: EgressTarget,
    addresses: readonly LookupAddress[],
  ): HttpError | undefined {
    for (const { address } of addresses) {
      const parsed = parseIpAddress(address);
      if (parsed === undefined) {
        // Not an address this policy can check (a custom resolver's odd answer): refused.
        return egressRefusedError(
          originOf(target),
          'the host resolves to something that is not an IP address',
          {
            reason: 'address',
            address,
          },
        );
      }
      if (allowList.allowsAddress(parsed, target.port)) continue;
      const special = classifyAddress(parsed);
      if (special !== undefined) return addressRefusal(target, address, special, true);
    }
    return undefined;
  }

  function checkedLookup(protocol: string, port: number): LookupFunction {
    return (hostname, lookupOptions, callback) => {
      const target: EgressTarget = { protocol, hostname, port };
      resolver(hostname, { ...lookupOptions, all: true }, (error, result) => {
        if (error !== null) {
          (callback as (error: NodeJS.ErrnoException) => void)(error);
          return;
        }
        const addresses = result as unknown as LookupAddress[];
        const refusal =
          addresses.length === 0
            ? egressRefusedError(originOf(target), 'the host resolves to no address', {
                reason: 'address',
              })
            : refusalOf(target, addresses);
        if (refusal !== undefined) {
          (callback as (error: Error) => void)(refusal);
          return;
        }
        if ((lookupOptions as { all?: boolean }).all === true) {
          (callback as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
        } else {
          const first = addresses[0] as LookupAddress;
          callback(null, first.address, first.family);
        }
      });
    };
  }

  function resolveAndCheck(target: EgressTarget): Promise<HttpError | undefined> {
    return new Promise((resolve, reject) => {
      checkedLookup(target.protocol, target.port)(target.hostname, { all: true }, (error) => {
        if (error === null) resolve(undefined);
        else if (HttpError.isInstance(error)) resolve(error);
        else reject(error);
      });
    });
  }

  return { allowList, lookup: resolver, checkTarget, isListed, checkedLookup, resolveAndCheck };
}
