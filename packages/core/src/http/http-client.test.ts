import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/core-errors.js';
import { createHttpClient, defaultUserAgent, type HttpClientOptions } from './http-client.js';

describe('createHttpClient options', () => {
  it('names the package version in the default User-Agent', () => {
    const packageJson = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(defaultUserAgent).toBe(`civicblocks/${packageJson.version}`);
  });

  it.each<[HttpClientOptions, string]>([
    [{ connectTimeoutMs: 0 }, 'connectTimeoutMs'],
    [{ headersTimeoutMs: -1 }, 'headersTimeoutMs'],
    [{ bodyTimeoutMs: Number.NaN }, 'bodyTimeoutMs'],
    [{ maxResponseBytes: 1.5 }, 'maxResponseBytes'],
    [{ keepAliveTimeoutMs: Number.POSITIVE_INFINITY }, 'keepAliveTimeoutMs'],
    [{ maxConnectionsPerOrigin: 0 }, 'maxConnectionsPerOrigin'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    [{ retry: { baseDelayMs: -5 } }, 'retry.baseDelayMs'],
    [{ retry: { maxDelayMs: -1 } }, 'retry.maxDelayMs'],
    [{ userAgent: '' }, 'userAgent'],
    [{ userAgent: 'evil\r\nx-injected: 1' }, 'userAgent'],
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ baseUrl: 'file:///etc/passwd' }, 'baseUrl'],
    [{ onEvent: 'log' as unknown as () => void }, 'onEvent'],
  ])('refuses %j, naming %s', (options, argument) => {
    let caught: unknown;
    try {
      createHttpClient(options);
    } catch (error) {
      caught = error;
    }
    expect(InvalidInputError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument } });
  });

  it('creates and closes a client with every default, without a network', async () => {
    const client = createHttpClient();
    expect(typeof client.request).toBe('function');
    expect(typeof client.fetch).toBe('function');
    await client.close();
    await client.close();
  });
});
