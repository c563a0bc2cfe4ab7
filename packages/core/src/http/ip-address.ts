import { isIPv4, isIPv6 } from 'node:net';

/**
 * An IP address as a number: 32 bits for IPv4, 128 bits for IPv6.
 *
 * @example
 * ```ts
 * const address: ParsedIpAddress = { version: 4, value: 0x7f000001n };
 * ```
 */
export interface ParsedIpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

function parseIpv4Value(text: string): bigint {
  let value = 0n;
  for (const part of text.split('.')) value = (value << 8n) | BigInt(Number.parseInt(part, 10));
  return value;
}

function parseIpv6Value(text: string): bigint {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    // An embedded dotted IPv4 tail (::ffff:127.0.0.1) is the last two groups.
    const v4 = parseIpv4Value(body.slice(lastColon + 1));
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = body.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups =
    rest === undefined
      ? headGroups
      : [
          ...headGroups,
          ...new Array<string>(8 - headGroups.length - restGroups.length).fill('0'),
          ...restGroups,
        ];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(`0x${group}`);
  return value;
}

/**
 * Parses an IPv4 or IPv6 literal (brackets and an IPv6 zone such as
 * `%eth0` allowed); `undefined` for anything else, host names included.
 *
 * @example
 * ```ts
 * parseIpAddress('::ffff:127.0.0.1'); // { version: 6, value: 0xffff7f000001n }
 * parseIpAddress('api.example.gov'); // undefined
 * ```
 */
export function parseIpAddress(text: string): ParsedIpAddress | undefined {
  let candidate = text;
  if (candidate.startsWith('[') && candidate.endsWith(']')) candidate = candidate.slice(1, -1);
  const zone = candidate.indexOf('%');
  if (zone !== -1) candidate = candidate.slice(0, zone);
  if (isIPv4(candidate)) return { version: 4, value: parseIpv4Value(candidate) };
  if (isIPv6(candidate)) return { version: 6, value: parseIpv6Value(candidate.toLowerCase()) };
  return undefined;
}

/**
 * An IPv4 address in dotted form, from its 32-bit value.
 *
 * @example
 * ```ts
 * formatIpv4(0x7f000001n); // '127.0.0.1'
 * ```
 */
export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/**
 * A range of addresses in CIDR form, as numbers.
 *
 * @example
 * ```ts
 * const range: IpRange = parseCidr('10.0.0.0/8') as IpRange;
 * ```
 */
export interface IpRange {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly prefixLength: number;
}

/**
 * Parses `address/prefix` (or a single address, as its /32 or /128);
 * `undefined` when it is neither. Host bits set in the address are ignored.
 *
 * @example
 * ```ts
 * parseCidr('172.16.0.0/12'); // { version: 4, network: 0xac100000n, prefixLength: 12 }
 * ```
 */
export function parseCidr(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const bits = address.version === 4 ? 32 : 128;
  let prefixLength = bits;
  if (slash !== -1) {
    const prefix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefix)) return undefined;
    prefixLength = Number(prefix);
    if (prefixLength > bits) return undefined;
  }
  const shift = BigInt(bits - prefixLength);
  return {
    version: address.version,
    network: (address.value >> shift) << shift,
    prefixLength,
  };
}

/**
 * Whether an address lies in a range of the same IP version.
 *
 * @example
 * ```ts
 * inRange(parseIpAddress('10.1.2.3')!, parseCidr('10.0.0.0/8')!); // true
 * ```
 */
export function inRange(address: ParsedIpAddress, range: IpRange): boolean {
  if (address.version !== range.version) return false;
  const shift = BigInt((range.version === 4 ? 32 : 128) - range.prefixLength);
  return address.value >> shift === range.network >> shift;
}
