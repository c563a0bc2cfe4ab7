import { InvalidInputError } from '../errors/core-errors.js';
import { uuidv7 } from '../ids/uuidv7.js';
import { type Clock, systemClock } from '../time/clock.js';

/**
 * The value of a CloudEvents extension attribute: a String (also used for
 * URI, URI-reference, Timestamp and Binary values), an Integer (32-bit) or a Boolean.
 *
 * @example
 * ```ts
 * const value: CloudEventExtensionValue = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
 * ```
 */
export type CloudEventExtensionValue = string | number | boolean;

/**
 * A CloudEvent (CloudEvents 1.0). Attribute names are those of the spec;
 * extension attributes are kept apart in `extensions` (they are flattened to
 * top-level members on the wire). Binary data is a `Uint8Array` here and
 * `data_base64` on the wire.
 *
 * @typeParam Data - the type of `data`.
 * @example
 * ```ts
 * const event: CloudEvent<{ consentId: string }> = {
 *   specversion: '1.0',
 *   id: '0195a1c2-7f3e-7a41-9c0d-2b6e8f1a3c57',
 *   source: 'https://consent.example.gov/records',
 *   type: 'gov.example.consent.consent-given',
 *   time: '2025-03-17T01:40:33.214Z',
 *   datacontenttype: 'application/json',
 *   data: { consentId: 'c_123' },
 * };
 * ```
 */
export interface CloudEvent<Data = unknown> {
  /** Always `'1.0'`. */
  readonly specversion: '1.0';
  /** Unique for this `source`; consumers use `source` + `id` to drop duplicates. */
  readonly id: string;
  /** A URI-reference naming the context in which the event happened. */
  readonly source: string;
  /** The kind of event, usually reverse-DNS prefixed, e.g. `gov.example.payment.payment-captured`. */
  readonly type: string;
  /** What the event is about, within `source`. */
  readonly subject?: string;
  /** When it happened, RFC 3339. */
  readonly time?: string;
  /** The media type of `data`. Absent means JSON in structured mode. */
  readonly datacontenttype?: string;
  /** A URI of the schema `data` adheres to. */
  readonly dataschema?: string;
  /** The payload. */
  readonly data?: Data;
  /** Extension attributes: lower-case a-z and 0-9 names. */
  readonly extensions?: Readonly<Record<string, CloudEventExtensionValue>>;
}

/**
 * What {@link createCloudEvent} needs. Only `source` and `type` are required.
 *
 * @example
 * ```ts
 * const options: CreateCloudEventOptions<{ paymentId: string }> = {
 *   source: '/payments',
 *   type: 'gov.example.payment.payment-captured',
 *   data: { paymentId: 'pay_123' },
 * };
 * ```
 */
export interface CreateCloudEventOptions<Data> {
  /** A URI-reference naming the context in which the event happened. */
  readonly source: string;
  /** The kind of event. */
  readonly type: string;
  /** Defaults to a new UUIDv7 from `clock`. */
  readonly id?: string;
  /** What the event is about, within `source`. */
  readonly subject?: string;
  /** When it happened. Defaults to `clock.now()`. A string must be RFC 3339. */
  readonly time?: Date | string;
  /**
   * The media type of `data`. Defaults, when there is data, to
   * `application/json`, or `application/octet-stream` for bytes.
   */
  readonly datacontenttype?: string;
  /** A URI of the schema `data` adheres to. */
  readonly dataschema?: string;
  /** The payload: any JSON value, or bytes. */
  readonly data?: Data;
  /** Extension attributes: names of 1 to 20 lower-case letters and digits, not a spec attribute. */
  readonly extensions?: Readonly<Record<string, CloudEventExtensionValue>>;
  /** Where the time and the default id come from. Defaults to the system clock. */
  readonly clock?: Clock;
}

/**
 * The attribute names CloudEvents 1.0 defines (plus the structured-mode
 * `data` and `data_base64`); every other member is an extension.
 *
 * @example
 * ```ts
 * reservedNames.has('datacontenttype'); // true
 * ```
 */
export const reservedNames: ReadonlySet<string> = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
  'data_base64',
]);
const strictNameLength = 20;
const namePattern = /^[a-z0-9]+$/;
const forbiddenCharacters =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: CloudEvents forbids control characters in string attributes; this finds them.
  /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\p{Noncharacter_Code_Point}/u;
const uriCharacters = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
const schemePattern = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const token = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const mediaTypePattern = new RegExp(
  `^${token}/${token}(?:[ \\t]*;[ \\t]*${token}=(?:${token}|"(?:[\\t\\x20-\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t\\x20-\\x7e])*"))*[ \\t]*$`,
);
const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const int32Minimum = -(2 ** 31);
const int32Maximum = 2 ** 31 - 1;

/**
 * Creates a valid CloudEvent, filling in `specversion`, a UUIDv7 `id`, the
 * `time` from the clock and, when there is data, `datacontenttype`.
 *
 * @throws {@link InvalidInputError} `INVALID_EVENT`, with `details.attribute` naming the
 *   attribute that is wrong (never its value).
 * @example
 * ```ts
 * import { createCloudEvent, serializeCloudEvent } from '@civicblocks/core';
 *
 * const event = createCloudEvent({
 *   source: 'https://payments.example.gov',
 *   type: 'gov.example.payment.payment-captured',
 *   subject: 'pay_123',
 *   data: { amount: 12_500, currency: 'VND' },
 *   extensions: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
 * });
 * const { headers, body } = serializeCloudEvent(event);
 * ```
 */
export function createCloudEvent<Data = undefined>(
  options: CreateCloudEventOptions<Data>,
): CloudEvent<Data> {
  const clock = options.clock ?? systemClock;
  const time = options.time ?? clock.now();
  let timeText: string;
  if (time instanceof Date) {
    if (Number.isNaN(time.getTime())) throw invalid('time', 'must be a valid Date');
    timeText = time.toISOString();
  } else {
    timeText = time;
  }
  const hasData = options.data !== undefined;
  const datacontenttype =
    options.datacontenttype ??
    (hasData
      ? options.data instanceof Uint8Array
        ? 'application/octet-stream'
        : 'application/json'
      : undefined);
  const event = assemble<Data>(
    {
      id: options.id ?? uuidv7(clock),
      source: options.source,
      type: options.type,
      subject: options.subject,
      time: timeText,
      datacontenttype,
      dataschema: options.dataschema,
    },
    options.extensions,
    hasData ? { data: options.data as Data } : undefined,
    { maximumNameLength: strictNameLength, location: {} },
  );
  if (
    hasData &&
    !isJsonMediaType(event.datacontenttype) &&
    typeof options.data !== 'string' &&
    !(options.data instanceof Uint8Array)
  ) {
    throw invalid('data', 'must be a string or bytes when datacontenttype is not JSON');
  }
  return event;
}

/**
 * True when `mediaType` is JSON (`application/json`, `text/json` or any
 * `+json` suffix), or absent, which structured mode reads as JSON.
 *
 * @example
 * ```ts
 * import { isJsonMediaType } from '@civicblocks/core';
 *
 * isJsonMediaType('application/geo+json; charset=utf-8'); // true
 * isJsonMediaType('text/plain'); // false
 * ```
 */
export function isJsonMediaType(mediaType: string | undefined): boolean {
  if (mediaType === undefined) return true;
  const essence = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  return essence === 'application/json' || essence === 'text/json' || essence.endsWith('+json');
}

/** Where an attribute sits, for error details (the index in a batch). @internal */
export interface EventLocation {
  readonly index?: number;
}

/** The context attributes before validation. @internal */
export interface RawAttributes {
  readonly id: unknown;
  readonly source: unknown;
  readonly type: unknown;
  readonly subject?: unknown;
  readonly time?: unknown;
  readonly datacontenttype?: unknown;
  readonly dataschema?: unknown;
}

/**
 * Validates attributes and extensions and builds a frozen event.
 *
 * @internal
 */
export function assemble<Data>(
  attributes: RawAttributes,
  extensions: unknown,
  data: { readonly data: Data } | undefined,
  options: { readonly maximumNameLength: number; readonly location: EventLocation },
): CloudEvent<Data> {
  const { location } = options;
  const event: {
    -readonly [Key in keyof CloudEvent<Data>]: CloudEvent<Data>[Key];
  } = {
    specversion: '1.0',
    id: requiredString(attributes.id, 'id', location),
    source: uriReference(attributes.source, 'source', location),
    type: requiredString(attributes.type, 'type', location),
  };
  if (attributes.subject != null) {
    event.subject = requiredString(attributes.subject, 'subject', location);
  }
  if (attributes.time != null) event.time = timestamp(attributes.time, location);
  if (attributes.datacontenttype != null) {
    event.datacontenttype = mediaType(attributes.datacontenttype, location);
  }
  if (attributes.dataschema != null) event.dataschema = uri(attributes.dataschema, location);
  if (data !== undefined) event.data = data.data;
  if (extensions != null) {
    if (typeof extensions !== 'object' || Array.isArray(extensions)) {
      throw invalid('extensions', 'must be an object of extension attributes', location);
    }
    const checked: Record<string, CloudEventExtensionValue> = {};
    for (const [name, value] of Object.entries(extensions)) {
      checkExtensionName(name, options.maximumNameLength, location);
      const extensionValue = extensionAttribute(name, value, location);
      if (extensionValue !== undefined) checked[name] = extensionValue;
    }
    if (Object.keys(checked).length > 0) event.extensions = Object.freeze(checked);
  }
  return Object.freeze(event);
}

/** @internal */
export function checkExtensionName(
  name: string,
  maximumLength: number,
  location: EventLocation,
): void {
  if (!namePattern.test(name)) {
    throw invalid(
      /^[\x20-\x7e]{1,40}$/.test(name) ? name : '(unprintable name)',
      'is not a valid attribute name: only lower-case letters a-z and digits 0-9 are allowed',
      location,
    );
  }
  if (reservedNames.has(name)) {
    throw invalid(name, 'is a CloudEvents attribute and cannot be an extension', location);
  }
  if (name.length > maximumLength) {
    throw invalid(name, `is longer than ${maximumLength} characters`, location);
  }
}

/** @internal */
export function extensionAttribute(
  name: string,
  value: unknown,
  location: EventLocation,
): CloudEventExtensionValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < int32Minimum || value > int32Maximum) {
      throw invalid(name, 'must be a 32-bit integer when it is a number', location);
    }
    return value;
  }
  if (typeof value === 'string') {
    if (forbiddenCharacters.test(value)) {
      throw invalid(name, 'holds characters CloudEvents strings do not allow', location);
    }
    return value;
  }
  throw invalid(name, 'must be a string, an integer or a boolean', location);
}

/**
 * An `INVALID_EVENT` error naming the attribute, never its value.
 *
 * @internal
 */
export function invalid(
  attribute: string,
  problem: string,
  location: EventLocation = {},
  ...cause: [unknown] | []
): InvalidInputError {
  const where = location.index === undefined ? '' : ` (event ${location.index} of the batch)`;
  return new InvalidInputError(
    'INVALID_EVENT',
    `CloudEvent attribute "${attribute}" ${problem}${where}`,
    { details: { attribute, ...location }, ...(cause.length > 0 ? { cause: cause[0] } : {}) },
  );
}

function requiredString(value: unknown, attribute: string, location: EventLocation): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(attribute, 'must be a non-empty string', location);
  }
  if (forbiddenCharacters.test(value)) {
    throw invalid(attribute, 'holds characters CloudEvents strings do not allow', location);
  }
  return value;
}

function uriReference(value: unknown, attribute: string, location: EventLocation): string {
  if (typeof value !== 'string' || value.length === 0 || !uriCharacters.test(value)) {
    throw invalid(attribute, 'must be a non-empty URI-reference (RFC 3986)', location);
  }
  const beforePath = value.split(/[/?#]/, 1)[0] ?? '';
  const colon = beforePath.indexOf(':');
  if (colon >= 0 && !schemePattern.test(beforePath.slice(0, colon))) {
    throw invalid(attribute, 'must be a non-empty URI-reference (RFC 3986)', location);
  }
  return value;
}

function uri(value: unknown, location: EventLocation): string {
  const checked = uriReference(value, 'dataschema', location);
  const colon = checked.indexOf(':');
  if (colon <= 0 || !schemePattern.test(checked.slice(0, colon))) {
    throw invalid('dataschema', 'must be an absolute URI (RFC 3986)', location);
  }
  return checked;
}

function mediaType(value: unknown, location: EventLocation): string {
  if (typeof value !== 'string' || !mediaTypePattern.test(value)) {
    throw invalid('datacontenttype', 'must be a media type such as application/json', location);
  }
  return value;
}

function timestamp(value: unknown, location: EventLocation): string {
  const match = typeof value === 'string' ? timestampPattern.exec(value) : null;
  if (match !== null) {
    const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match
      .slice(1)
      .map((part) => (part === undefined ? 0 : Number(part)));
    if (
      (day ?? 0) <= daysInMonth(year ?? 0, month ?? 0) &&
      (month ?? 0) >= 1 &&
      (month ?? 0) <= 12 &&
      (day ?? 0) >= 1 &&
      (hour ?? 0) <= 23 &&
      (minute ?? 0) <= 59 &&
      (second ?? 0) <= 60 &&
      (offsetHour ?? 0) <= 23 &&
      (offsetMinute ?? 0) <= 59
    ) {
      return value as string;
    }
  }
  throw invalid('time', 'must be an RFC 3339 timestamp such as 2025-03-17T01:40:33Z', location);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
