import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/core-errors.js';
import { parseEgressAllowList } from './egress-allow-list.js';
import { createEgressPolicy } from './egress-policy.js';
import { redactedPath } from './http-event-path.js';
import { parseIpAddress } from './ip-address.js';

function address(text: string): NonNullable<ReturnType<typeof parseIpAddress>> {
  const parsed = parseIpAddress(text);
  if (parsed === undefined) throw new Error(`not an address: ${text}`);
  return parsed;
}

describe('parseEgressAllowList', () => {
  const allow = parseEgressAllowList([
    'Hooks.Internal.',
    'localhost:8080',
    '10.20.0.0/16',
    '127.0.0.1:8443',
    '[::1]:9443',
    'fd00::/8',
    '192.0.2.7',
  ]);

  it.each([
    ['hooks.internal', 443, true],
    ['HOOKS.internal', 80, true],
    ['other.internal', 443, false],
    ['localhost', 8080, true],
    ['localhost', 8081, false],
    ['10.20.255.1', 80, true],
    ['10.21.0.1', 80, false],
    ['127.0.0.1', 8443, true],
    ['127.0.0.1', 443, false],
    ['::1', 9443, true],
    ['[::1]', 9443, true],
    ['::1', 443, false],
    ['fd12::1', 443, true],
    ['192.0.2.7', 443, true],
  ])('target %s:%d is listed: %s', (hostname, port, expected) => {
    expect(allow.allowsTarget(hostname, port)).toBe(expected);
  });

  it('lets resolved addresses through only inside listed addresses and ranges, with their port', () => {
    expect(allow.allowsAddress(address('10.20.1.1'), 443)).toBe(true);
    expect(allow.allowsAddress(address('127.0.0.1'), 8443)).toBe(true);
    expect(allow.allowsAddress(address('127.0.0.1'), 443)).toBe(false);
    expect(allow.allowsAddress(address('10.0.0.1'), 443)).toBe(false);
    // Names never match addresses.
    expect(parseEgressAllowList(['localhost']).allowsAddress(address('127.0.0.1'), 80)).toBe(false);
  });

  it.each([
    '',
    ' ',
    'not a host',
    'http://hooks.internal',
    'hooks.internal:0',
    'hooks.internal:70000',
    'hooks.internal:port',
    '10.0.0.0/33',
    'fd00::/129',
    '10.0.0.0/x',
    '-bad.example',
  ])('refuses the entry %j', (entry) => {
    expect(() => parseEgressAllowList([entry])).toThrow(InvalidInputError);
  });
});

describe('createEgressPolicy', () => {
  const policy = createEgressPolicy({ allow: ['127.0.0.1:8080'] });

  it('refuses http to unlisted targets and special IP literals before any lookup', () => {
    expect(
      policy.checkTarget({ protocol: 'http:', hostname: 'example.org', port: 80 })?.details,
    ).toMatchObject({ reason: 'protocol', origin: 'http://example.org:80' });
    expect(
      policy.checkTarget({ protocol: 'https:', hostname: '::1', port: 443 })?.details,
    ).toMatchObject({ reason: 'address', origin: 'https://[::1]:443', addressKind: 'loopback' });
    expect(policy.checkTarget({ protocol: 'https:', hostname: 'example.org', port: 443 })).toBe(
      undefined,
    );
    expect(policy.checkTarget({ protocol: 'http:', hostname: '127.0.0.1', port: 8080 })).toBe(
      undefined,
    );
  });

  it('refuses a name whose resolver answers something that is not an IP address', async () => {
    const odd = createEgressPolicy({
      lookup: ((_hostname, _options, callback) => {
        process.nextTick(() =>
          (callback as (error: null, addresses: { address: string; family: number }[]) => void)(
            null,
            [
              { address: '93.184.215.14', family: 4 },
              { address: '127.1', family: 4 },
            ],
          ),
        );
      }) as LookupFunction,
    });
    const refusal = await odd.resolveAndCheck({
      protocol: 'https:',
      hostname: 'hooks.example.org',
      port: 443,
    });
    expect(refusal?.code).toBe('HTTP_EGRESS_REFUSED');
    expect(refusal?.details).toMatchObject({ reason: 'address', address: '127.1' });
  });
});

describe('redactedPath', () => {
  it.each([
    ['/', '/'],
    ['/hooks/s3cr3t', '/:redacted/:redacted'],
    ['/hooks/s3cr3t/', '/:redacted/:redacted/'],
    ['/a/b?token=x', '/:redacted/:redacted'],
    ['/?q=1', '/'],
  ])('%s is reported as %s', (path, expected) => {
    expect(redactedPath(path)).toBe(expected);
  });
});
