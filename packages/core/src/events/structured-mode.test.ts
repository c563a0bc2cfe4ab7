import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/core-errors.js';
import { createManualClock } from '../time/clock.js';
import { type CloudEvent, createCloudEvent } from './cloud-event.js';
import {
  cloudEventFromJson,
  parseCloudEvent,
  parseCloudEventBatch,
  serializeCloudEvent,
  serializeCloudEventBatch,
} from './structured-mode.js';

const clock = createManualClock('2025-03-17T01:40:33.214Z');

function thrownBy(attempt: () => unknown): InvalidInputError {
  try {
    attempt();
  } catch (error) {
    if (InvalidInputError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

const specExample = {
  specversion: '1.0',
  type: 'com.example.someevent',
  source: '/mycontext',
  subject: null,
  id: 'C234-1234-1234',
  time: '2018-04-05T17:31:00Z',
  comexampleextension1: 'value',
  comexampleothervalue: 5,
  unsetextension: null,
  datacontenttype: 'application/json',
  data: { appinfoA: 'abc', appinfoB: 123, appinfoC: true },
};

describe('serializeCloudEvent', () => {
  it('writes structured mode: the content type and a JSON body with flattened extensions', () => {
    const event = createCloudEvent({
      source: '/consent',
      type: 'gov.example.consent.consent-given',
      id: 'evt_1',
      clock,
      data: { purpose: 'Cấp hộ chiếu' },
      extensions: { traceparent: '00-abc-def-01', retries: 2 },
    });
    const { headers, body } = serializeCloudEvent(event);
    expect(headers).toEqual({ 'content-type': 'application/cloudevents+json; charset=utf-8' });
    expect(JSON.parse(body)).toEqual({
      specversion: '1.0',
      id: 'evt_1',
      source: '/consent',
      type: 'gov.example.consent.consent-given',
      time: '2025-03-17T01:40:33.214Z',
      datacontenttype: 'application/json',
      traceparent: '00-abc-def-01',
      retries: 2,
      data: { purpose: 'Cấp hộ chiếu' },
    });
  });

  it('writes bytes as data_base64 and reads them back as bytes', () => {
    const bytes = Uint8Array.of(0, 1, 2, 250, 255);
    const event = createCloudEvent({
      source: '/files',
      type: 'gov.example.file',
      clock,
      data: bytes,
    });
    const { body } = serializeCloudEvent(event);
    const json = JSON.parse(body);
    expect(json.data_base64).toBe('AAEC+v8=');
    expect('data' in json).toBe(false);
    expect(parseCloudEvent(body).data).toEqual(bytes);
    const view = new Uint8Array(Uint8Array.of(9, 9, 1, 2, 9).buffer, 2, 2);
    const sliced = createCloudEvent({
      source: '/files',
      type: 'gov.example.file',
      clock,
      data: view,
    });
    expect(JSON.parse(serializeCloudEvent(sliced).body).data_base64).toBe('AQI=');
  });

  it('validates hand-made events before writing them', () => {
    const handMade = { specversion: '1.0', id: 'x', source: 'not a uri', type: 't' } as const;
    expect(thrownBy(() => serializeCloudEvent(handMade)).details?.attribute).toBe('source');
    const reserved = { ...handMade, source: '/s', extensions: { id: 'other' } };
    expect(thrownBy(() => serializeCloudEvent(reserved)).details?.attribute).toBe('id');
    const wrongVersion = { ...handMade, source: '/s', specversion: '0.3' as '1.0' };
    expect(thrownBy(() => serializeCloudEvent(wrongVersion)).details?.attribute).toBe(
      'specversion',
    );
  });

  it('refuses data that cannot be JSON', () => {
    const event = createCloudEvent({ source: '/s', type: 't', clock, data: { amount: 10n } });
    const error = thrownBy(() => serializeCloudEvent(event));
    expect(error.details?.attribute).toBe('data');
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

describe('parseCloudEvent', () => {
  it('reads the JSON format example of the spec, nulls as absent', () => {
    const event = parseCloudEvent(JSON.stringify(specExample));
    expect(event).toEqual({
      specversion: '1.0',
      type: 'com.example.someevent',
      source: '/mycontext',
      id: 'C234-1234-1234',
      time: '2018-04-05T17:31:00Z',
      datacontenttype: 'application/json',
      data: { appinfoA: 'abc', appinfoB: 123, appinfoC: true },
      extensions: { comexampleextension1: 'value', comexampleothervalue: 5 },
    });
  });

  it('reads string data with a non-JSON content type, and UTF-8 bytes', () => {
    const xml = { ...specExample, datacontenttype: 'text/xml', data: '<much wow="xml"/>' };
    expect(parseCloudEvent(JSON.stringify(xml)).data).toBe('<much wow="xml"/>');
    const bytes = new TextEncoder().encode(JSON.stringify({ ...specExample, subject: 'Hồ sơ 1' }));
    expect(parseCloudEvent(bytes).subject).toBe('Hồ sơ 1');
  });

  it('round-trips what it serialises', () => {
    const event = createCloudEvent({
      source: 'urn:gov:example:payments',
      type: 'gov.example.payment.payment-refunded',
      subject: 'pay_123',
      clock,
      dataschema: 'https://schemas.example.gov/refund.json',
      data: { amount: 5_000, reason: 'Trùng giao dịch' },
      extensions: { partitionkey: 'agency-7', sampled: false },
    });
    expect(parseCloudEvent(serializeCloudEvent(event).body)).toEqual(event);
  });

  it('keeps an explicit null data', () => {
    const event = parseCloudEvent(JSON.stringify({ ...specExample, data: null }));
    expect('data' in event).toBe(true);
    expect(event.data).toBeNull();
  });

  it('checks and types data with parseData', () => {
    const parseData = (data: unknown): { amount: number } => {
      if (
        typeof data === 'object' &&
        data !== null &&
        typeof (data as { amount?: unknown }).amount === 'number'
      ) {
        return { amount: (data as { amount: number }).amount };
      }
      throw new TypeError('not a payment');
    };
    const good = { ...specExample, data: { amount: 7 } };
    const event: CloudEvent<{ amount: number }> = parseCloudEvent(JSON.stringify(good), {
      parseData,
    });
    expect(event.data).toEqual({ amount: 7 });
    const error = thrownBy(() => parseCloudEvent(JSON.stringify(specExample), { parseData }));
    expect(error.details?.attribute).toBe('data');
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('names the wrong attribute', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...specExample, specversion: '0.3' }, 'specversion'],
      [{ ...specExample, specversion: undefined }, 'specversion'],
      [{ ...specExample, specversion: 1 }, 'specversion'],
      [{ ...specExample, id: undefined }, 'id'],
      [{ ...specExample, id: 42 }, 'id'],
      [{ ...specExample, source: null }, 'source'],
      [{ ...specExample, type: '' }, 'type'],
      [{ ...specExample, subject: '' }, 'subject'],
      [{ ...specExample, time: 'yesterday' }, 'time'],
      [{ ...specExample, time: '2018-13-05T17:31:00Z' }, 'time'],
      [{ ...specExample, datacontenttype: 'text' }, 'datacontenttype'],
      [{ ...specExample, dataschema: 'schema.json' }, 'dataschema'],
      [{ ...specExample, data_base64: 'AAEC' }, 'data_base64'],
      [{ ...specExample, data: undefined, data_base64: 'not base64!' }, 'data_base64'],
      [{ ...specExample, data: undefined, data_base64: 12 }, 'data_base64'],
      [{ ...specExample, Upper: 'x' }, 'Upper'],
      [{ ...specExample, with_underscore: 'x' }, 'with_underscore'],
      [{ ...specExample, floaty: 1.5 }, 'floaty'],
      [{ ...specExample, nested: { a: 1 } }, 'nested'],
      [{ ...specExample, listed: ['a'] }, 'listed'],
    ];
    for (const [json, attribute] of cases) {
      const error = thrownBy(() => parseCloudEvent(JSON.stringify(json)));
      expect(error.code).toBe('INVALID_EVENT');
      expect(error.details?.attribute).toBe(attribute);
      expect(error.message).toContain(`"${attribute}"`);
    }
  });

  it('accepts extension names longer than 20 characters from other senders', () => {
    const event = parseCloudEvent(
      JSON.stringify({ ...specExample, averyveryverylongextension: 1 }),
    );
    expect(event.extensions?.averyveryverylongextension).toBe(1);
  });

  it('refuses bodies that are not one JSON object', () => {
    for (const body of ['', 'not json', '[]', '"text"', 'null', '42']) {
      expect(thrownBy(() => parseCloudEvent(body)).code).toBe('INVALID_EVENT');
    }
    expect(thrownBy(() => parseCloudEvent(Uint8Array.of(0x7b, 0xff, 0x7d))).message).toContain(
      'UTF-8',
    );
    expect(thrownBy(() => parseCloudEvent({} as string)).code).toBe('INVALID_EVENT');
  });

  it('never echoes data or attribute values in its errors', () => {
    const secret = 'CCCD 079123456789';
    const error = thrownBy(() =>
      parseCloudEvent(
        JSON.stringify({ ...specExample, subject: '', data: { nationalId: secret }, note: secret }),
      ),
    );
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('079123456789');
    const badTime = thrownBy(() =>
      parseCloudEvent(JSON.stringify({ ...specExample, time: secret })),
    );
    expect(`${badTime.message} ${JSON.stringify(badTime)}`).not.toContain('079123456789');
  });

  it('validates already-parsed JSON with cloudEventFromJson', () => {
    expect(cloudEventFromJson(specExample).id).toBe('C234-1234-1234');
    expect(thrownBy(() => cloudEventFromJson(null)).code).toBe('INVALID_EVENT');
  });
});

describe('batch mode', () => {
  it('serialises and parses a batch, including an empty one', () => {
    const first = createCloudEvent({
      source: '/a',
      type: 'gov.example.a',
      clock,
      data: Uint8Array.of(1),
    });
    const second = createCloudEvent({
      source: '/b',
      type: 'gov.example.b',
      clock,
      data: { ok: true },
    });
    const { headers, body } = serializeCloudEventBatch([first, second]);
    expect(headers['content-type']).toBe('application/cloudevents-batch+json; charset=utf-8');
    expect(parseCloudEventBatch(body)).toEqual([first, second]);
    expect(serializeCloudEventBatch([]).body).toBe('[]');
    expect(parseCloudEventBatch('[]')).toEqual([]);
  });

  it('says which event of the batch is wrong', () => {
    const error = thrownBy(() =>
      parseCloudEventBatch(JSON.stringify([specExample, { ...specExample, type: 7 }])),
    );
    expect(error.details).toEqual({ attribute: 'type', index: 1 });
    expect(error.message).toContain('event 1 of the batch');
    expect(thrownBy(() => parseCloudEventBatch(JSON.stringify(specExample))).code).toBe(
      'INVALID_EVENT',
    );
    const event = createCloudEvent({ source: '/s', type: 't', clock, data: 1n });
    expect(thrownBy(() => serializeCloudEventBatch([event, event])).details).toEqual({
      attribute: 'data',
      index: 0,
    });
  });
});

describe('parsing untrusted input (property)', () => {
  const nearlyValid = fc.record(
    {
      specversion: fc.oneof(fc.constant('1.0'), fc.jsonValue()),
      id: fc.oneof(fc.string(), fc.jsonValue()),
      source: fc.oneof(
        fc.constantFrom('/s', 'urn:x', 'https://a.example'),
        fc.string(),
        fc.jsonValue(),
      ),
      type: fc.oneof(fc.string(), fc.jsonValue()),
      subject: fc.oneof(fc.string(), fc.jsonValue()),
      time: fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        fc.string(),
      ),
      datacontenttype: fc.oneof(fc.constantFrom('application/json', 'text/plain'), fc.string()),
      dataschema: fc.oneof(fc.constant('https://s.example/x.json'), fc.string()),
      data: fc.jsonValue(),
      data_base64: fc.oneof(fc.base64String(), fc.string(), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );

  it('throws nothing but InvalidInputError on any JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), nearlyValid, fc.dictionary(fc.string(), fc.jsonValue())),
        (value) => {
          try {
            const event = parseCloudEvent(JSON.stringify(value) ?? '');
            expect(event.specversion).toBe('1.0');
            // Whatever parses must serialise again.
            expect(parseCloudEvent(serializeCloudEvent(event).body)).toEqual(event);
          } catch (error) {
            if (!InvalidInputError.isInstance(error)) throw error;
            expect(error.code).toBe('INVALID_EVENT');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('throws nothing but InvalidInputError on arbitrary text and values', () => {
    fc.assert(
      fc.property(fc.string(), fc.anything(), (text, value) => {
        expect(() => parseCloudEvent(text)).toThrow(InvalidInputError);
        try {
          cloudEventFromJson(value);
        } catch (error) {
          expect(InvalidInputError.isInstance(error)).toBe(true);
        }
      }),
    );
  });
});

describe('round trip of valid events (property)', () => {
  // Printable characters only: CloudEvents strings exclude controls, lone surrogates and
  // noncharacters (all outside these ranges).
  const character = fc
    .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xd7ff }))
    .map((code) => String.fromCharCode(code));
  const text = fc.string({ minLength: 1, unit: character });
  const event = fc.record(
    {
      id: text,
      source: fc.constantFrom('/s', 'urn:gov:example', 'https://example.gov/a?b=c#d'),
      type: text,
      subject: text,
      time: fc
        .date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        })
        .map((date) => date.toISOString()),
      data: fc.oneof(fc.jsonValue(), fc.uint8Array()),
      extensions: fc.dictionary(
        fc
          .stringMatching(/^[a-z0-9]{1,20}$/)
          .filter(
            (name) =>
              ![
                'id',
                'source',
                'type',
                'subject',
                'time',
                'data',
                'dataschema',
                'specversion',
                'datacontenttype',
              ].includes(name),
          ),
        fc.oneof(text, fc.boolean(), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
      ),
    },
    { requiredKeys: ['id', 'source', 'type', 'time', 'data', 'extensions'] },
  );

  it('parses back exactly what createCloudEvent and serializeCloudEvent write', () => {
    fc.assert(
      fc.property(event, (options) => {
        const created = createCloudEvent(options);
        const parsed = parseCloudEvent(serializeCloudEvent(created).body);
        const { data: createdData, ...createdAttributes } = created;
        const { data: parsedData, ...parsedAttributes } = parsed;
        expect(parsedAttributes).toEqual(createdAttributes);
        if (createdData instanceof Uint8Array) expect(parsedData).toEqual(createdData);
        // JSON data compares through JSON, which has no -0.
        else expect(JSON.stringify(parsedData)).toBe(JSON.stringify(createdData));
        expect(serializeCloudEvent(parsed).body).toBe(serializeCloudEvent(created).body);
      }),
      { numRuns: 300 },
    );
  });
});
