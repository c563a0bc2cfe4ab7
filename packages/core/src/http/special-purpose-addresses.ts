import {
  type IpRange,
  inRange,
  type ParsedIpAddress,
  parseCidr,
  parseIpAddress,
} from './ip-address.js';

/**
 * Why the egress policy refuses an address: the kind of special-purpose range
 * it lies in (RFC 6890 and the IANA special-purpose address registries).
 *
 * @example
 * ```ts
 * const kind: SpecialAddressKind = 'link-local';
 * ```
 */
export type SpecialAddressKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'protocol-assignment'
  | 'reserved'
  | 'ipv4-mapped'
  | 'ipv4-compatible'
  | 'ipv4-translated'
  | 'discard';

/**
 * A refused address: its kind and the range (CIDR) that matched. For an IPv6
 * form that embeds an IPv4 address (mapped, compatible, 6to4, NAT64,
 * Teredo), the range and kind are the embedded address's when that is
 * special.
 *
 * @example
 * ```ts
 * const found: SpecialAddress = { kind: 'loopback', range: '127.0.0.0/8' };
 * ```
 */
export interface SpecialAddress {
  readonly kind: SpecialAddressKind;
  readonly range: string;
}

interface RangeEntry {
  readonly range: IpRange;
  readonly text: string;
  readonly kind: SpecialAddressKind;
}

function entry(text: string, kind: SpecialAddressKind): RangeEntry {
  return { range: parseCidr(text) as IpRange, text, kind };
}

/**
 * IPv4 ranges refused, most specific first. Data table (RFC 6890, RFC 6598,
 * RFC 5737, RFC 2544, RFC 1112, RFC 919, RFC 7526).
 */
const ipv4Ranges: readonly RangeEntry[] = [
  entry('255.255.255.255/32', 'broadcast'),
  entry('0.0.0.0/8', 'unspecified'),
  entry('10.0.0.0/8', 'private'),
  entry('100.64.0.0/10', 'shared'),
  entry('127.0.0.0/8', 'loopback'),
  entry('169.254.0.0/16', 'link-local'),
  entry('172.16.0.0/12', 'private'),
  entry('192.0.0.0/24', 'protocol-assignment'),
  entry('192.0.2.0/24', 'documentation'),
  entry('192.88.99.0/24', 'reserved'),
  entry('192.168.0.0/16', 'private'),
  entry('198.18.0.0/15', 'benchmarking'),
  entry('198.51.100.0/24', 'documentation'),
  entry('203.0.113.0/24', 'documentation'),
  entry('224.0.0.0/4', 'multicast'),
  entry('240.0.0.0/4', 'reserved'),
];

/**
 * IPv6 ranges refused inside 2000::/3 (everything outside it is refused
 * unless it is NAT64 of a public IPv4 address). Data table (RFC 3849,
 * RFC 9637, RFC 5180, RFC 4843, RFC 7343).
 */
const ipv6GlobalRanges: readonly RangeEntry[] = [
  entry('2001:2::/48', 'benchmarking'),
  entry('2001:10::/28', 'reserved'),
  entry('2001:20::/28', 'reserved'),
  entry('2001:db8::/32', 'documentation'),
  entry('3fff::/20', 'documentation'),
];

/** Outside 2000::/3: named for the error, all refused. */
const ipv6OtherRanges: readonly RangeEntry[] = [
  entry('::/128', 'unspecified'),
  entry('::1/128', 'loopback'),
  entry('::ffff:0:0/96', 'ipv4-mapped'),
  entry('::ffff:0:0:0/96', 'ipv4-translated'),
  entry('64:ff9b:1::/48', 'private'),
  entry('100::/64', 'discard'),
  entry('::/96', 'ipv4-compatible'),
  entry('fc00::/7', 'unique-local'),
  entry('fe80::/10', 'link-local'),
  entry('fec0::/10', 'site-local'),
  entry('ff00::/8', 'multicast'),
  entry('::/0', 'reserved'),
];

const globalUnicast = parseCidr('2000::/3') as IpRange;
const nat64 = parseCidr('64:ff9b::/96') as IpRange;
const sixToFour = parseCidr('2002::/16') as IpRange;
const teredo = parseCidr('2001::/32') as IpRange;

function firstMatch(
  address: ParsedIpAddress,
  ranges: readonly RangeEntry[],
): SpecialAddress | undefined {
  for (const candidate of ranges) {
    if (inRange(address, candidate.range)) return { kind: candidate.kind, range: candidate.text };
  }
  return undefined;
}

function embeddedIpv4(value: bigint): SpecialAddress | undefined {
  return firstMatch({ version: 4, value: value & 0xffffffffn }, ipv4Ranges);
}

function classifyIpv6(address: ParsedIpAddress): SpecialAddress | undefined {
  const value = address.value;
  if (inRange(address, nat64)) return embeddedIpv4(value);
  if (!inRange(address, globalUnicast)) {
    const range = firstMatch(address, ipv6OtherRanges) as SpecialAddress;
    // A mapped, compatible or translated form of a special IPv4 address is
    // reported as that address's kind; of a public one, as the form.
    if (
      range.kind === 'ipv4-mapped' ||
      range.kind === 'ipv4-compatible' ||
      range.kind === 'ipv4-translated'
    ) {
      return embeddedIpv4(value) ?? range;
    }
    return range;
  }
  if (inRange(address, sixToFour)) {
    const found = embeddedIpv4(value >> 80n);
    if (found !== undefined) return found;
  }
  if (inRange(address, teredo)) {
    // Teredo: server IPv4 in bits 32-63, client IPv4 inverted in the last 32.
    const found = embeddedIpv4(value >> 64n) ?? embeddedIpv4(~value);
    if (found !== undefined) return found;
  }
  return firstMatch(address, ipv6GlobalRanges);
}

/**
 * The special-purpose range an address lies in, or `undefined` for a
 * globally reachable unicast address. Refused (IPv4): 0/8, 10/8,
 * 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.0.2/24,
 * 192.88.99/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4,
 * 240/4 (with 255.255.255.255). Refused (IPv6): everything outside
 * 2000::/3 — ::, ::1, ::ffff:0:0/96, ::/96, fc00::/7, fe80::/10, fec0::/10,
 * ff00::/8, 100::/64, 64:ff9b:1::/48 — except NAT64 (64:ff9b::/96) of a
 * public IPv4 address; and inside it 2001:2::/48, 2001:10::/28,
 * 2001:20::/28, 2001:db8::/32, 3fff::/20, plus 6to4 (2002::/16) and Teredo
 * (2001::/32) addresses embedding a refused IPv4 address.
 *
 * @example
 * ```ts
 * classifyAddress('169.254.169.254'); // { kind: 'link-local', range: '169.254.0.0/16' }
 * classifyAddress('::ffff:7f00:1'); // { kind: 'loopback', range: '127.0.0.0/8' }
 * classifyAddress('93.184.215.14'); // undefined
 * ```
 */
export function classifyAddress(address: string | ParsedIpAddress): SpecialAddress | undefined {
  const parsed = typeof address === 'string' ? parseIpAddress(address) : address;
  if (parsed === undefined) return undefined;
  return parsed.version === 4 ? firstMatch(parsed, ipv4Ranges) : classifyIpv6(parsed);
}
