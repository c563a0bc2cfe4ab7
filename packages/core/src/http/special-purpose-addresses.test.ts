import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCidr, parseIpAddress } from './ip-address.js';
import { classifyAddress } from './special-purpose-addresses.js';

// The oracle: node:net's BlockList loaded with the IANA IPv4 and IPv6
// Special-Purpose Address Registries (RFC 6890 and updates), written out here
// independently of the table under test.
const ipv4Special: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network" (RFC 791), 0.0.0.0 unspecified
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // shared address space, CGNAT (RFC 6598)
  ['127.0.0.0', 8], // loopback (RFC 1122)
  ['169.254.0.0', 16], // link local, 169.254.169.254 metadata (RFC 3927)
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.0.0.0', 24], // IETF protocol assignments (RFC 6890)
  ['192.0.2.0', 24], // TEST-NET-1 (RFC 5737)
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast (RFC 7526)
  ['192.168.0.0', 16], // private (RFC 1918)
  ['198.18.0.0', 15], // benchmarking (RFC 2544)
  ['198.51.100.0', 24], // TEST-NET-2 (RFC 5737)
  ['203.0.113.0', 24], // TEST-NET-3 (RFC 5737)
  ['224.0.0.0', 4], // multicast (RFC 5771)
  ['240.0.0.0', 4], // reserved (RFC 1112), with 255.255.255.255 limited broadcast (RFC 919)
];
const ipv6SpecialInsideGlobal: readonly [string, number][] = [
  ['2001:2::', 48], // benchmarking (RFC 5180)
  ['2001:10::', 28], // ORCHID, deprecated (RFC 4843)
  ['2001:20::', 28], // ORCHIDv2 (RFC 7343)
  ['2001:db8::', 32], // documentation (RFC 3849)
  ['3fff::', 20], // documentation (RFC 9637)
];

const ipv4Oracle = new BlockList();
for (const [network, prefix] of ipv4Special) ipv4Oracle.addSubnet(network, prefix, 'ipv4');
const ipv6Oracle = new BlockList();
for (const [network, prefix] of ipv6SpecialInsideGlobal) {
  ipv6Oracle.addSubnet(network, prefix, 'ipv6');
}
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

function v4Text(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}

function v6Text(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) {
    groups.push(((value >> shift) & 0xffffn).toString(16));
  }
  return groups.join(':');
}

/** Refused per the registries: the expected answer, computed without the code under test. */
function oracleRefusesV6(value: bigint): boolean {
  const text = v6Text(value);
  const embedded = (bits: bigint): boolean =>
    ipv4Oracle.check(v4Text(Number(bits & 0xffffffffn)), 'ipv4');
  if (value >> 32n === 0x64ff9b0000000000000000n) return embedded(value); // NAT64 (RFC 6052)
  if (!globalUnicast.check(text, 'ipv6')) return true; // not global unicast (RFC 4291)
  if (value >> 112n === 0x2002n && embedded(value >> 80n)) return true; // 6to4 (RFC 3056)
  if (value >> 96n === 0x20010000n && (embedded(value >> 64n) || embedded(~value))) return true; // Teredo (RFC 4380)
  return ipv6Oracle.check(text, 'ipv6');
}

const ipv4Boundaries: number[] = ipv4Special.flatMap(([network, prefix]) => {
  const start = Number((parseCidr(`${network}/${prefix}`) as { network: bigint }).network);
  const end = start + 2 ** (32 - prefix) - 1;
  return [start - 1, start, end, end + 1].filter((value) => value >= 0 && value <= 0xffffffff);
});

const anyIpv4 = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(...ipv4Boundaries),
  fc.constantFrom(0, 0x7f000001, 0xa9fea9fe, 0xffffffff, 0x08080808),
);

const interestingIpv6Prefixes: readonly [bigint, number][] = [
  [0n, 96], // IPv4-compatible
  [0xffffn << 32n, 96], // IPv4-mapped
  [0xffff0000n << 32n, 96], // IPv4-translated
  [0x64ff9bn << 96n, 96], // NAT64
  [0x64ff9b0001n << 80n, 48], // local-use NAT64
  [0x2002n << 112n, 16], // 6to4
  [0x20010000n << 96n, 32], // Teredo
  [0x20010db8n << 96n, 32],
  [0x3fffn << 112n, 20],
  [0x2001n << 112n, 23],
  [0xfc00n << 112n, 7],
  [0xfe80n << 112n, 10],
  [0xff00n << 112n, 8],
  [0x2000n << 112n, 3],
  [1n, 128],
  [0n, 128],
];

const anyIpv6 = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  fc
    .tuple(
      fc.constantFrom(...interestingIpv6Prefixes),
      fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
      anyIpv4,
    )
    .map(([[prefix, length], random, v4]) => {
      const hostBits = BigInt(128 - length);
      const mask = (1n << hostBits) - 1n;
      // Half the time put a chosen IPv4 address in the low 32 bits.
      const host =
        random & 1n ? (random & mask & ~0xffffffffn) | (BigInt(v4) & mask) : random & mask;
      return prefix | host;
    }),
);

describe('classifyAddress', () => {
  it('refuses exactly the IPv4 special-purpose ranges (property, against node:net BlockList)', () => {
    fc.assert(
      fc.property(anyIpv4, (value) => {
        const text = v4Text(value);
        expect(classifyAddress(text) !== undefined).toBe(ipv4Oracle.check(text, 'ipv4'));
      }),
      { numRuns: 10_000 },
    );
  });

  it('refuses IPv6 outside global unicast, special ranges inside it, and forms embedding a refused IPv4 address (property)', () => {
    fc.assert(
      fc.property(anyIpv6, (value) => {
        const full = v6Text(value);
        // The WHATWG URL parser's compressed form, as a URL host arrives.
        const compressed = new URL(`http://[${full}]/`).hostname.slice(1, -1);
        const expected = oracleRefusesV6(value);
        expect(classifyAddress(full) !== undefined).toBe(expected);
        expect(classifyAddress(compressed) !== undefined).toBe(expected);
        expect(parseIpAddress(compressed)?.value).toBe(value);
      }),
      { numRuns: 10_000 },
    );
  });

  it('treats every IPv4-mapped address like node:net BlockList treats it, in dotted and hex form', () => {
    fc.assert(
      fc.property(anyIpv4, (value) => {
        const dotted = `::ffff:${v4Text(value)}`;
        const hex = `::ffff:${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
        // BlockList applies IPv4 rules to mapped addresses; we refuse every
        // mapped address (no public host answers with one) and name the
        // embedded range when it is special.
        const special = ipv4Oracle.check(dotted, 'ipv6');
        for (const form of [dotted, hex]) {
          const found = classifyAddress(form);
          expect(found).toBeDefined();
          expect(found?.kind === 'ipv4-mapped').toBe(!special);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it.each([
    ['127.0.0.1', 'loopback', '127.0.0.0/8'],
    ['10.1.2.3', 'private', '10.0.0.0/8'],
    ['172.31.255.255', 'private', '172.16.0.0/12'],
    ['192.168.1.1', 'private', '192.168.0.0/16'],
    ['169.254.169.254', 'link-local', '169.254.0.0/16'],
    ['100.64.0.1', 'shared', '100.64.0.0/10'],
    ['0.0.0.0', 'unspecified', '0.0.0.0/8'],
    ['255.255.255.255', 'broadcast', '255.255.255.255/32'],
    ['224.0.0.251', 'multicast', '224.0.0.0/4'],
    ['198.18.0.1', 'benchmarking', '198.18.0.0/15'],
    ['203.0.113.7', 'documentation', '203.0.113.0/24'],
    ['::', 'unspecified', '::/128'],
    ['::1', 'loopback', '::1/128'],
    ['::ffff:127.0.0.1', 'loopback', '127.0.0.0/8'],
    ['::ffff:7f00:1', 'loopback', '127.0.0.0/8'],
    ['[::ffff:a9fe:a9fe]', 'link-local', '169.254.0.0/16'],
    ['::127.0.0.1', 'loopback', '127.0.0.0/8'],
    ['::ffff:8.8.8.8', 'ipv4-mapped', '::ffff:0:0/96'],
    ['64:ff9b::10.0.0.1', 'private', '10.0.0.0/8'],
    ['2002:7f00:1::1', 'loopback', '127.0.0.0/8'],
    ['2002:c0a8:101::', 'private', '192.168.0.0/16'],
    ['fd12:3456::1', 'unique-local', 'fc00::/7'],
    ['fe80::1%eth0', 'link-local', 'fe80::/10'],
    ['ff02::1', 'multicast', 'ff00::/8'],
    ['2001:db8::1', 'documentation', '2001:db8::/32'],
  ])('classifies %s as %s (%s)', (address, kind, range) => {
    expect(classifyAddress(address)).toEqual({ kind, range });
  });

  it.each([
    '8.8.8.8',
    '93.184.215.14',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    'hooks.example.org',
  ])('lets %s through', (address) => {
    expect(classifyAddress(address)).toBeUndefined();
  });
});
