import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors/core-errors.js';
import {
  createRequestSettings,
  type HttpRequestOptions,
  normalizeMethod,
  pathWithoutQuery,
  prepareHttpRequest,
} from './http-request.js';

const settings = createRequestSettings('civicblocks/test', undefined);

function invalidRequest(options: HttpRequestOptions, base = settings): HttpError {
  try {
    prepareHttpRequest(options, base);
  } catch (error) {
    if (HttpError.isInstance(error) && error.code === 'HTTP_INVALID_REQUEST') return error;
    throw error;
  }
  throw new Error('expected HTTP_INVALID_REQUEST');
}

describe('prepareHttpRequest', () => {
  it('splits origin and path, keeps the query on the wire and adds the User-Agent', () => {
    const prepared = prepareHttpRequest(
      { url: 'https://api.example.gov:8443/v1/items?page=2#top' },
      settings,
    );
    expect(prepared).toEqual({
      origin: 'https://api.example.gov:8443',
      path: '/v1/items?page=2',
      method: 'GET',
      headers: { 'user-agent': 'civicblocks/test' },
      body: undefined,
      retryable: true,
      throwOnStatus: false,
    });
  });

  it('marks idempotent methods retryable, and POST or PATCH only with an Idempotency-Key', () => {
    const url = 'https://api.example.gov/x';
    for (const method of ['GET', 'head', 'OPTIONS', 'PUT', 'delete', 'TRACE']) {
      expect(prepareHttpRequest({ url, method }, settings).retryable, method).toBe(true);
    }
    expect(prepareHttpRequest({ url, method: 'POST' }, settings).retryable).toBe(false);
    expect(prepareHttpRequest({ url, method: 'patch' }, settings).retryable).toBe(false);
    const keyed = prepareHttpRequest({ url, method: 'POST', idempotencyKey: 'k-1' }, settings);
    expect(keyed.retryable).toBe(true);
    expect(keyed.headers['idempotency-key']).toBe('k-1');
    const keyedByHeader = prepareHttpRequest(
      { url, method: 'PATCH', headers: { 'Idempotency-Key': 'k-2' } },
      settings,
    );
    expect(keyedByHeader.retryable).toBe(true);
  });

  it('serialises json with a content type unless one is given', () => {
    const url = 'https://api.example.gov/x';
    const prepared = prepareHttpRequest({ url, method: 'POST', json: { a: 1 } }, settings);
    expect(prepared.body).toBe('{"a":1}');
    expect(prepared.headers['content-type']).toBe('application/json');
    const custom = prepareHttpRequest(
      {
        url,
        method: 'POST',
        json: [],
        headers: { 'Content-Type': 'application/merge-patch+json' },
      },
      settings,
    );
    expect(custom.headers['content-type']).toBe('application/merge-patch+json');
  });

  it('passes string and byte bodies through and lower-cases header names', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const prepared = prepareHttpRequest(
      {
        url: 'https://api.example.gov/x',
        method: 'PUT',
        body: bytes,
        headers: { 'X-Trace': 'abc', 'User-Agent': 'mine' },
      },
      settings,
    );
    expect(prepared.body).toBe(bytes);
    expect(prepared.headers).toEqual({ 'x-trace': 'abc', 'user-agent': 'mine' });
  });

  it('resolves relative URLs against the base URL', () => {
    const base = createRequestSettings('ua', new URL('https://api.example.gov/v2/'));
    expect(prepareHttpRequest({ url: 'items/1' }, base).path).toBe('/v2/items/1');
    expect(prepareHttpRequest({ url: '/status' }, base).path).toBe('/status');
    expect(prepareHttpRequest({ url: 'https://other.example.gov/a' }, base).origin).toBe(
      'https://other.example.gov',
    );
  });

  it('refuses bad URLs without quoting them', () => {
    expect(invalidRequest({ url: '/relative?nationalId=123' }).message).not.toContain('123');
    expect(invalidRequest({ url: 'ftp://files.example.gov/a' }).details).toMatchObject({
      protocol: 'ftp:',
    });
    expect(invalidRequest({ url: 'https://user:secret@api.example.gov/' }).message).not.toContain(
      'secret',
    );
    expect(invalidRequest({ url: 42 as unknown as string }).details).toMatchObject({
      argument: 'url',
    });
  });

  it('refuses bad methods, headers, keys and bodies, never quoting a value', () => {
    const url = 'https://api.example.gov/x';
    expect(invalidRequest({ url, method: 'GE T' }).details).toMatchObject({ argument: 'method' });
    expect(invalidRequest({ url, method: 'CONNECT' }).details).toMatchObject({
      argument: 'method',
    });
    const injected = invalidRequest({ url, headers: { authorization: 'Bearer secret\r\nx: y' } });
    expect(injected.message).not.toContain('secret');
    expect(injected.details).toMatchObject({ header: 'authorization' });
    expect(invalidRequest({ url, headers: { 'bad name': 'v' } }).details).toMatchObject({
      argument: 'headers',
    });
    expect(invalidRequest({ url, headers: { Accept: 'a', accept: 'b' } }).details).toMatchObject({
      header: 'accept',
    });
    expect(invalidRequest({ url, headers: { Connection: 'close' } }).details).toMatchObject({
      header: 'connection',
    });
    expect(invalidRequest({ url, idempotencyKey: '' }).details).toMatchObject({
      argument: 'idempotencyKey',
    });
    expect(invalidRequest({ url, body: 'a', json: {} }).details).toMatchObject({
      argument: 'json',
    });
    expect(invalidRequest({ url, body: { a: 1 } as unknown as string }).details).toMatchObject({
      argument: 'body',
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const unserialisable = invalidRequest({ url, json: cyclic });
    expect(unserialisable.cause).toBeInstanceOf(TypeError);
    expect(invalidRequest({ url, json: () => 1 }).details).toMatchObject({ argument: 'json' });
  });
});

describe('normalizeMethod', () => {
  it('upper-cases standard methods and keeps extension methods as given', () => {
    expect(normalizeMethod('patch')).toBe('PATCH');
    expect(normalizeMethod('Delete')).toBe('DELETE');
    expect(normalizeMethod('propfind')).toBe('propfind');
  });
});

describe('pathWithoutQuery', () => {
  it('drops the query string', () => {
    expect(pathWithoutQuery('/v1/people?nationalId=123&x=1')).toBe('/v1/people');
    expect(pathWithoutQuery('/v1/people')).toBe('/v1/people');
  });
});
