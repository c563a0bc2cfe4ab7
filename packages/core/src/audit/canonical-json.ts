import { InvalidInputError } from '../errors/core-errors.js';

/**
 * A value JSON can represent exactly: what {@link canonicalJson} accepts.
 *
 * @example
 * ```ts
 * const value: JsonValue = { purpose: 'service-delivery', granted: true, scopes: ['email'] };
 * ```
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Deeper values are refused rather than risking a stack overflow. */
const maximumDepth = 256;

/**
 * Serialises `value` with the JSON Canonicalization Scheme (RFC 8785, JCS):
 * no whitespace, object members sorted by the UTF-16 code units of their
 * names, numbers written as ECMAScript writes them (`1e+21`, `0.000001`,
 * `-0` as `0`), strings escaped as `JSON.stringify` escapes them. Equal data
 * always gives the same text, so the text can be hashed or signed.
 *
 * Refuses, with {@link InvalidInputError} `INVALID_ARGUMENT`, anything JSON
 * cannot carry unchanged: `undefined` (also as a member or array element),
 * functions, symbols, `bigint`, `NaN` and infinities, strings with unpaired
 * surrogates (RFC 8785 requires I-JSON), objects that are not plain (`Date`,
 * `Map`, class instances: convert them first), symbol keys, sparse arrays,
 * cycles, and nesting deeper than 256. `error.details.path` says where (a JSON
 * Pointer, RFC 6901) and `error.details.reason` what.
 *
 * @example
 * ```ts
 * canonicalJson({ b: [1e21, 0.5, -0], a: 'é' }); // '{"a":"é","b":[1e+21,0.5,0]}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, '', 0, new Set(), parts);
  return parts.join('');
}

function write(
  value: unknown,
  path: string,
  depth: number,
  ancestors: Set<object>,
  parts: string[],
): void {
  switch (typeof value) {
    case 'string':
      if (hasUnpairedSurrogate(value))
        refuse(path, 'unpaired-surrogate', 'a string with an unpaired surrogate');
      parts.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) refuse(path, 'non-finite-number', `${value}`);
      // ECMAScript Number::toString is the JCS number format; -0 becomes "0".
      parts.push(JSON.stringify(value));
      return;
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'undefined':
      refuse(path, 'undefined', 'undefined');
      return;
    case 'bigint':
      refuse(path, 'bigint', 'a bigint (convert it to a string or a safe integer)');
      return;
    case 'function':
      refuse(path, 'function', 'a function');
      return;
    case 'symbol':
      refuse(path, 'symbol', 'a symbol');
      return;
  }
  if (value === null) {
    parts.push('null');
    return;
  }
  const object = value as object;
  if (depth >= maximumDepth) refuse(path, 'too-deep', `nested deeper than ${maximumDepth}`);
  if (ancestors.has(object)) refuse(path, 'cycle', 'a reference to one of its own ancestors');
  ancestors.add(object);
  if (Array.isArray(object)) {
    parts.push('[');
    for (let index = 0; index < object.length; index += 1) {
      const elementPath = `${path}/${index}`;
      if (!Object.hasOwn(object, index)) refuse(elementPath, 'sparse-array', 'an array hole');
      if (index > 0) parts.push(',');
      write(object[index], elementPath, depth + 1, ancestors, parts);
    }
    parts.push(']');
  } else {
    const prototype: unknown = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      const name = (object as { constructor?: { name?: unknown } }).constructor?.name;
      refuse(
        path,
        'not-plain-object',
        `an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'}, not a plain object`,
      );
    }
    if (Object.getOwnPropertySymbols(object).length > 0) {
      refuse(path, 'symbol-key', 'an object with symbol keys');
    }
    // Default sort compares UTF-16 code units, as RFC 8785 section 3.2.3 requires.
    const keys = Object.keys(object).sort();
    parts.push('{');
    keys.forEach((key, index) => {
      const memberPath = `${path}/${escapePointerToken(key)}`;
      if (hasUnpairedSurrogate(key))
        refuse(memberPath, 'unpaired-surrogate', 'a name with an unpaired surrogate');
      if (index > 0) parts.push(',');
      parts.push(JSON.stringify(key), ':');
      write((object as Record<string, unknown>)[key], memberPath, depth + 1, ancestors, parts);
    });
    parts.push('}');
  }
  ancestors.delete(object);
}

const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hasUnpairedSurrogate(text: string): boolean {
  return unpairedSurrogate.test(text);
}

function escapePointerToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function refuse(path: string, reason: string, what: string): never {
  throw new InvalidInputError(
    'INVALID_ARGUMENT',
    `JSON cannot represent the value at "${path === '' ? '/' : path}": it is ${what}`,
    { details: { argument: 'value', path, reason } },
  );
}
