import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/core-errors.js';
import { isUuidv7, uuidv7Timestamp } from '../ids/uuidv7.js';
import { createManualClock } from '../time/clock.js';
import { createCloudEvent, isJsonMediaType } from './cloud-event.js';

const clock = createManualClock('2025-03-17T01:40:33.214Z');
const base = {
  source: 'https://payments.example.gov',
  type: 'gov.example.payment.payment-captured',
};

function attributeOf(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    if (InvalidInputError.isInstance(error) && error.code === 'INVALID_EVENT') {
      return error.details?.attribute;
    }
    throw error;
  }
  throw new Error('expected INVALID_EVENT');
}

describe('createCloudEvent', () => {
  it('fills in specversion, a UUIDv7 id and the time from the clock', () => {
    const event = createCloudEvent({ ...base, clock });
    expect(event).toEqual({
      specversion: '1.0',
      id: event.id,
      source: base.source,
      type: base.type,
      time: '2025-03-17T01:40:33.214Z',
    });
    expect(isUuidv7(event.id)).toBe(true);
    expect(uuidv7Timestamp(event.id).toISOString()).toBe('2025-03-17T01:40:33.214Z');
    expect(Object.isFrozen(event)).toBe(true);
  });

  it('defaults datacontenttype to JSON for data and to octet-stream for bytes', () => {
    const json = createCloudEvent({ ...base, clock, data: { amount: 12_500, currency: 'VND' } });
    expect(json.datacontenttype).toBe('application/json');
    expect(json.data).toEqual({ amount: 12_500, currency: 'VND' });
    const bytes = createCloudEvent({ ...base, clock, data: Uint8Array.of(1, 2, 3) });
    expect(bytes.datacontenttype).toBe('application/octet-stream');
    const text = createCloudEvent({
      ...base,
      clock,
      datacontenttype: 'text/plain',
      data: 'Xin chào',
    });
    expect(text.datacontenttype).toBe('text/plain');
  });

  it('keeps given attributes and extensions', () => {
    const event = createCloudEvent({
      ...base,
      id: 'A234-1234-1234',
      subject: 'pay_123',
      time: '2018-04-05T17:31:00+07:00',
      dataschema: 'https://schemas.example.gov/payment-captured/v1.json',
      extensions: {
        traceparent: '00-abc-def-01',
        retries: 3,
        sampled: true,
        dropped: null as never,
      },
    });
    expect(event).toEqual({
      specversion: '1.0',
      id: 'A234-1234-1234',
      source: base.source,
      type: base.type,
      subject: 'pay_123',
      time: '2018-04-05T17:31:00+07:00',
      dataschema: 'https://schemas.example.gov/payment-captured/v1.json',
      extensions: { traceparent: '00-abc-def-01', retries: 3, sampled: true },
    });
  });

  it('accepts URI-references as source', () => {
    for (const source of [
      '/mycontext',
      'urn:event:from:myapi/resource/123',
      'mailto:cncf@example.com',
      'a',
      'https://example.gov/a%20b?x=1#y',
    ]) {
      expect(createCloudEvent({ ...base, source, clock }).source).toBe(source);
    }
  });

  it('names the wrong attribute', () => {
    expect(attributeOf(() => createCloudEvent({ ...base, source: '' }))).toBe('source');
    expect(attributeOf(() => createCloudEvent({ ...base, source: 'has space' }))).toBe('source');
    expect(attributeOf(() => createCloudEvent({ ...base, source: ':no-scheme' }))).toBe('source');
    expect(attributeOf(() => createCloudEvent({ ...base, source: 'bad%zz' }))).toBe('source');
    expect(attributeOf(() => createCloudEvent({ ...base, type: '' }))).toBe('type');
    expect(attributeOf(() => createCloudEvent({ ...base, type: 'a\u0000b' }))).toBe('type');
    expect(attributeOf(() => createCloudEvent({ ...base, id: '' }))).toBe('id');
    expect(attributeOf(() => createCloudEvent({ ...base, id: '\ud800' }))).toBe('id');
    expect(attributeOf(() => createCloudEvent({ ...base, subject: '' }))).toBe('subject');
    expect(attributeOf(() => createCloudEvent({ ...base, time: '2025-02-30T00:00:00Z' }))).toBe(
      'time',
    );
    expect(attributeOf(() => createCloudEvent({ ...base, time: '2025-03-17 01:40:33' }))).toBe(
      'time',
    );
    expect(attributeOf(() => createCloudEvent({ ...base, time: new Date(Number.NaN) }))).toBe(
      'time',
    );
    expect(attributeOf(() => createCloudEvent({ ...base, datacontenttype: 'json' }))).toBe(
      'datacontenttype',
    );
    expect(attributeOf(() => createCloudEvent({ ...base, dataschema: '/relative' }))).toBe(
      'dataschema',
    );
    expect(
      attributeOf(() =>
        createCloudEvent({ ...base, datacontenttype: 'text/plain', data: { a: 1 } }),
      ),
    ).toBe('data');
  });

  it('validates extension names: a-z 0-9, at most 20 characters, not a spec attribute', () => {
    const withExtension = (name: string) => () =>
      createCloudEvent({ ...base, clock, extensions: { [name]: 'x' } });
    expect(attributeOf(withExtension('traceParent'))).toBe('traceParent');
    expect(attributeOf(withExtension('trace_parent'))).toBe('trace_parent');
    expect(attributeOf(withExtension('a'.repeat(21)))).toBe('a'.repeat(21));
    expect(attributeOf(withExtension('time'))).toBe('time');
    expect(attributeOf(withExtension('data'))).toBe('data');
    expect(attributeOf(withExtension(''))).toBe('(unprintable name)');
    expect(withExtension('a'.repeat(20))().extensions).toEqual({ ['a'.repeat(20)]: 'x' });
    expect(withExtension('comexample1')().extensions).toEqual({ comexample1: 'x' });
  });

  it('validates extension values: string, 32-bit integer or boolean', () => {
    const withValue = (value: unknown) => () =>
      createCloudEvent({ ...base, clock, extensions: { ext: value as string } });
    expect(attributeOf(withValue(1.5))).toBe('ext');
    expect(attributeOf(withValue(2 ** 31))).toBe('ext');
    expect(attributeOf(withValue({ nested: true }))).toBe('ext');
    expect(attributeOf(withValue('bell\u0007'))).toBe('ext');
    expect(withValue(-(2 ** 31))().extensions).toEqual({ ext: -(2 ** 31) });
  });
});

describe('isJsonMediaType', () => {
  it('recognises JSON media types', () => {
    expect(isJsonMediaType(undefined)).toBe(true);
    expect(isJsonMediaType('application/json')).toBe(true);
    expect(isJsonMediaType('Application/JSON; charset=utf-8')).toBe(true);
    expect(isJsonMediaType('application/cloudevents+json')).toBe(true);
    expect(isJsonMediaType('text/json')).toBe(true);
    expect(isJsonMediaType('text/plain')).toBe(false);
    expect(isJsonMediaType('application/jsonx')).toBe(false);
  });
});
