import { InvalidInputError } from '../errors/core-errors.js';
import {
  type IpRange,
  inRange,
  type ParsedIpAddress,
  parseCidr,
  parseIpAddress,
} from './ip-address.js';

interface NameEntry {
  readonly name: string;
  readonly port: number | undefined;
}

interface RangeEntry {
  readonly range: IpRange;
  readonly port: number | undefined;
}

/**
 * The parsed `egress.allow` list of a client.
 *
 * @example
 * ```ts
 * const allow: EgressAllowList = parseEgressAllowList(['127.0.0.1:8080', 'hooks.internal']);
 * allow.allowsTarget('127.0.0.1', 8080); // true
 * ```
 */
export interface EgressAllowList {
  /**
   * The URL's host itself is listed: by name (or `name:port`), or as an IP
   * literal inside a listed address or range. Such a target may use plain
   * http and skips the address checks.
   */
  allowsTarget(hostname: string, port: number): boolean;
  /** A resolved address lies inside a listed address or range (with its port, if the entry has one). */
  allowsAddress(address: ParsedIpAddress, port: number): boolean;
}

/**
 * A host name as the allow list compares it: lower case, without a trailing
 * dot or IPv6 brackets.
 *
 * @example
 * ```ts
 * normalizeHostname('Hooks.Internal.'); // 'hooks.internal'
 * ```
 */
export function normalizeHostname(hostname: string): string {
  let name = hostname.toLowerCase();
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  if (name.endsWith('.')) name = name.slice(0, -1);
  return name;
}

const hostnamePattern =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

function invalidEntry(index: number): InvalidInputError {
  return new InvalidInputError(
    'INVALID_ARGUMENT',
    `createHttpClient: egress.allow[${index}] must be a host name, host:port, IP address or CIDR range`,
    { details: { argument: `egress.allow[${index}]` } },
  );
}

function splitPort(entry: string): { host: string; port: number | undefined } | undefined {
  // [v6]:port, or name:port / v4:port (one colon); a bare IPv6 literal has several.
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed !== null) {
    const port = bracketed[2] === undefined ? undefined : Number(bracketed[2]);
    return { host: bracketed[1] as string, port };
  }
  const colon = entry.indexOf(':');
  if (colon === -1 || entry.indexOf(':', colon + 1) !== -1) return { host: entry, port: undefined };
  const portText = entry.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  return { host: entry.slice(0, colon), port: Number(portText) };
}

/**
 * Parses `egress.allow`. Throws `INVALID_ARGUMENT` ({@link InvalidInputError})
 * naming the first entry that is none of: host name, `host:port`, IP literal
 * (`10.1.2.3`, `::1`, `[::1]:8443`) or CIDR range (`10.0.0.0/8`, `fd00::/8`).
 *
 * @example
 * ```ts
 * const allow = parseEgressAllowList(['10.20.0.0/16']);
 * allow.allowsAddress({ version: 4, value: 0x0a140001n }, 443); // true
 * ```
 */
export function parseEgressAllowList(entries: readonly string[] | undefined): EgressAllowList {
  const names: NameEntry[] = [];
  const ranges: RangeEntry[] = [];
  if (entries !== undefined && !Array.isArray(entries)) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'createHttpClient: egress.allow must be an array',
      {
        details: { argument: 'egress.allow' },
      },
    );
  }
  (entries ?? []).forEach((raw, index) => {
    if (typeof raw !== 'string' || raw.trim() === '') throw invalidEntry(index);
    const text = raw.trim().toLowerCase();
    if (text.includes('/')) {
      const range = parseCidr(text);
      if (range === undefined) throw invalidEntry(index);
      ranges.push({ range, port: undefined });
      return;
    }
    const split = splitPort(text);
    if (
      split === undefined ||
      (split.port !== undefined && (split.port < 1 || split.port > 65535))
    ) {
      throw invalidEntry(index);
    }
    const address = parseIpAddress(split.host);
    if (address !== undefined) {
      ranges.push({ range: parseCidr(split.host) as IpRange, port: split.port });
      return;
    }
    const name = normalizeHostname(split.host);
    if (!hostnamePattern.test(name)) throw invalidEntry(index);
    names.push({ name, port: split.port });
  });

  function allowsAddress(address: ParsedIpAddress, port: number): boolean {
    for (const entry of ranges) {
      if ((entry.port === undefined || entry.port === port) && inRange(address, entry.range)) {
        return true;
      }
    }
    return false;
  }

  return {
    allowsTarget(hostname: string, port: number): boolean {
      const host = normalizeHostname(hostname);
      const address = parseIpAddress(host);
      if (address !== undefined) return allowsAddress(address, port);
      for (const entry of names) {
        if (entry.name === host && (entry.port === undefined || entry.port === port)) return true;
      }
      return false;
    },
    allowsAddress,
  };
}
