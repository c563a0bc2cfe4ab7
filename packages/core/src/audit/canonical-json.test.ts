import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/core-errors.js';
import { canonicalJson } from './canonical-json.js';

function float64(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

function refusal(value: unknown): InvalidInputError {
  try {
    canonicalJson(value);
  } catch (error) {
    if (InvalidInputError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('canonicalJson accepted the value');
}

describe('canonicalJson (RFC 8785)', () => {
  it('canonicalises the sample of the JCS reference implementation', () => {
    const input = JSON.parse(
      '{"numbers": [1E30,4.50,6,2e-3,0.000000000000000000000000001],' +
        '"escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"other":  [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"escaping":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/","numbers":[1e+30,4.5,6,0.002,1e-27],"other":[null,true,false]}',
    );
  });

  it('writes numbers as RFC 8785 appendix B expects', () => {
    const vectors: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, expected] of vectors) {
      expect(canonicalJson(float64(bits)), bits).toBe(expected);
    }
  });

  it('sorts member names by UTF-16 code units, recursively (RFC 8785 section 3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
      nested: { b: 1, a: [{ z: 1, y: 2 }] },
    };
    // Read the names off the text: JSON.parse would move the integer-like "1" first.
    const names = [...canonicalJson(input).matchAll(/"([^"]*)":"/g)].map((match) =>
      JSON.parse(`"${match[1]}"`),
    );
    expect(names).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    expect(canonicalJson(input)).toMatch(/^\{"\\r":"Carriage Return","1":"One","nested":\{/);
    expect(canonicalJson(input.nested)).toBe('{"a":[{"y":2,"z":1}],"b":1}');
  });

  it('keeps array order, writes no whitespace and escapes strings as JSON.stringify does', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ a: [], b: {}, c: '' })).toBe('{"a":[],"b":{},"c":""}');
    expect(canonicalJson('\u2028\u007f\u001f"\\')).toBe('"\u2028\u007f\\u001f\\"\\\\"');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(Object.create(null))).toBe('{}');
  });

  it('refuses what JSON cannot carry, with the place and the reason', () => {
    const cases: [unknown, string, string][] = [
      [undefined, '', 'undefined'],
      [{ a: { b: undefined } }, '/a/b', 'undefined'],
      [[1, undefined], '/1', 'undefined'],
      // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the case
      [[1, , 3], '/1', 'sparse-array'],
      [Number.NaN, '', 'non-finite-number'],
      [{ x: Number.POSITIVE_INFINITY }, '/x', 'non-finite-number'],
      [{ amount: 10n }, '/amount', 'bigint'],
      [{ run: () => 1 }, '/run', 'function'],
      [{ s: Symbol('x') }, '/s', 'symbol'],
      [{ at: new Date(0) }, '/at', 'not-plain-object'],
      [{ m: new Map() }, '/m', 'not-plain-object'],
      [{ [Symbol('k')]: 1 }, '', 'symbol-key'],
      [{ text: 'a\ud800b' }, '/text', 'unpaired-surrogate'],
      [{ '\udc00': 1 }, '/\udc00', 'unpaired-surrogate'],
      [{ 'a/b~c': [undefined] }, '/a~1b~0c/0', 'undefined'],
    ];
    for (const [value, path, reason] of cases) {
      const error = refusal(value);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.details).toMatchObject({ path, reason });
    }
  });

  it('refuses cycles and very deep nesting, but accepts a value shared by siblings', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(refusal(cyclic).details).toMatchObject({ path: '/self', reason: 'cycle' });

    let deep: unknown = 1;
    for (let level = 0; level < 300; level += 1) deep = [deep];
    expect(refusal(deep).details).toMatchObject({ reason: 'too-deep' });

    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('property: the output is JSON that parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('property: canonicalising is idempotent and ignores member order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(reverseMembers(value))).toBe(text);
      }),
    );
  });

  it('property: member names come out sorted and nothing but JSON.stringify output is used for leaves', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ unit: 'grapheme' }),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        (record) => {
          const text = canonicalJson(record);
          const names = Object.keys(record).sort();
          const expected = `{${names.map((name) => `${JSON.stringify(name)}:${JSON.stringify(record[name])}`).join(',')}}`;
          expect(text).toBe(expected);
        },
      ),
    );
  });
});

function reverseMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseMembers);
  if (typeof value === 'object' && value !== null) {
    const reversed: Record<string, unknown> = {};
    for (const key of Object.keys(value).reverse()) {
      Object.defineProperty(reversed, key, {
        value: reverseMembers((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return reversed;
  }
  return value;
}
