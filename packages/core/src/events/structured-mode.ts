import { InvalidInputError } from '../errors/core-errors.js';
import {
  assemble,
  type CloudEvent,
  type EventLocation,
  invalid,
  reservedNames,
} from './cloud-event.js';

/**
 * A CloudEvent (or a batch) in structured mode: the `content-type` header and
 * the JSON body to send.
 *
 * @example
 * ```ts
 * const { headers, body }: StructuredCloudEvent = serializeCloudEvent(event);
 * await fetch(sinkUrl, { method: 'POST', headers, body });
 * ```
 */
export interface StructuredCloudEvent {
  readonly headers: { readonly 'content-type': string };
  readonly body: string;
}

/**
 * Options of {@link parseCloudEvent} and {@link parseCloudEventBatch}.
 *
 * @typeParam Data - what `parseData` returns.
 * @example
 * ```ts
 * const options: ParseCloudEventOptions<{ paymentId: string }> = {
 *   parseData: (data) => paymentSchema.parse(data),
 * };
 * ```
 */
export interface ParseCloudEventOptions<Data> {
  /**
   * Checks and converts `data` (when present). Anything it throws becomes an
   * `INVALID_EVENT` error for the attribute `data`, with the thrown error as `cause`.
   */
  readonly parseData: (data: unknown) => Data;
}

const structuredContentType = 'application/cloudevents+json; charset=utf-8';
const batchContentType = 'application/cloudevents-batch+json; charset=utf-8';
/** Names of extensions read from the wire may be longer than the 20 characters we write. */
const lenientNameLength = 256;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Serialises a CloudEvent in structured mode: `content-type:
 * application/cloudevents+json; charset=utf-8` and a JSON body with the
 * extensions as top-level members and bytes as `data_base64`. The event is
 * validated first, so an invalid event is never sent.
 *
 * @throws {@link InvalidInputError} `INVALID_EVENT` naming the attribute that is wrong.
 * @example
 * ```ts
 * import { createCloudEvent, serializeCloudEvent } from '@civicblocks/core';
 *
 * const event = createCloudEvent({ source: '/consent', type: 'gov.example.consent.consent-given' });
 * const { headers, body } = serializeCloudEvent(event);
 * headers['content-type']; // 'application/cloudevents+json; charset=utf-8'
 * ```
 */
export function serializeCloudEvent(event: CloudEvent<unknown>): StructuredCloudEvent {
  return {
    headers: { 'content-type': structuredContentType },
    body: stringify(toJsonObject(event, {}), {}),
  };
}

/**
 * Serialises several CloudEvents as one JSON array
 * (`application/cloudevents-batch+json; charset=utf-8`).
 *
 * @throws {@link InvalidInputError} `INVALID_EVENT` naming the attribute and the index.
 * @example
 * ```ts
 * import { serializeCloudEventBatch } from '@civicblocks/core';
 *
 * const { headers, body } = serializeCloudEventBatch([first, second]);
 * ```
 */
export function serializeCloudEventBatch(
  events: readonly CloudEvent<unknown>[],
): StructuredCloudEvent {
  return {
    headers: { 'content-type': batchContentType },
    // Each event on its own, so a failure names its index.
    body: `[${events
      .map((event, index) => stringify(toJsonObject(event, { index }), { index }))
      .join(',')}]`,
  };
}

/**
 * Parses and validates a structured-mode CloudEvent body (JSON text or UTF-8
 * bytes). `null` attributes are read as absent, `data_base64` becomes bytes,
 * other members become `extensions`. Without `parseData`, `data` is `unknown`.
 *
 * @throws {@link InvalidInputError} `INVALID_EVENT` naming the attribute that is wrong;
 *   the message never holds the event's data or attribute values.
 * @example
 * ```ts
 * import { InvalidInputError, parseCloudEvent } from '@civicblocks/core';
 *
 * try {
 *   const event = parseCloudEvent(await request.text(), { parseData: toPaymentCaptured });
 *   await handle(event);
 * } catch (error) {
 *   if (InvalidInputError.isInstance(error)) return new Response(error.message, { status: 400 });
 *   throw error;
 * }
 * ```
 */
export function parseCloudEvent(body: string | Uint8Array): CloudEvent<unknown>;
export function parseCloudEvent<Data>(
  body: string | Uint8Array,
  options: ParseCloudEventOptions<Data>,
): CloudEvent<Data>;
export function parseCloudEvent<Data>(
  body: string | Uint8Array,
  options?: ParseCloudEventOptions<Data>,
): CloudEvent<Data | unknown> {
  return fromJsonObject(parseJson(body), options, {});
}

/**
 * Parses and validates a batch-mode body (a JSON array of structured events).
 *
 * @throws {@link InvalidInputError} `INVALID_EVENT` naming the attribute and `details.index`.
 * @example
 * ```ts
 * import { parseCloudEventBatch } from '@civicblocks/core';
 *
 * for (const event of parseCloudEventBatch(await request.text())) await handle(event);
 * ```
 */
export function parseCloudEventBatch(body: string | Uint8Array): readonly CloudEvent<unknown>[];
export function parseCloudEventBatch<Data>(
  body: string | Uint8Array,
  options: ParseCloudEventOptions<Data>,
): readonly CloudEvent<Data>[];
export function parseCloudEventBatch<Data>(
  body: string | Uint8Array,
  options?: ParseCloudEventOptions<Data>,
): readonly CloudEvent<Data | unknown>[] {
  const value = parseJson(body);
  if (!Array.isArray(value)) throw notAnEvent('a CloudEvents batch must be a JSON array');
  return value.map((item, index) => fromJsonObject(item, options, { index }));
}

/**
 * Validates an already-parsed structured-mode JSON value as a CloudEvent.
 *
 * @throws {@link InvalidInputError} `INVALID_EVENT` naming the attribute that is wrong.
 * @example
 * ```ts
 * import { cloudEventFromJson } from '@civicblocks/core';
 *
 * const event = cloudEventFromJson(await request.json());
 * ```
 */
export function cloudEventFromJson(value: unknown): CloudEvent<unknown>;
export function cloudEventFromJson<Data>(
  value: unknown,
  options: ParseCloudEventOptions<Data>,
): CloudEvent<Data>;
export function cloudEventFromJson<Data>(
  value: unknown,
  options?: ParseCloudEventOptions<Data>,
): CloudEvent<Data | unknown> {
  return fromJsonObject(value, options, {});
}

function parseJson(body: unknown): unknown {
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else if (body instanceof Uint8Array) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch (error) {
      throw notAnEvent('a CloudEvent body must be UTF-8', error);
    }
  } else {
    throw notAnEvent('a CloudEvent body must be a string or a Uint8Array');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw notAnEvent('a CloudEvent body must be valid JSON', error);
  }
}

function fromJsonObject<Data>(
  value: unknown,
  options: ParseCloudEventOptions<Data> | undefined,
  location: EventLocation,
): CloudEvent<Data | unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw notAnEvent('a CloudEvent must be a JSON object', undefined, location);
  }
  const member = (name: string): unknown =>
    Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
  const specversion = member('specversion');
  if (specversion !== '1.0') {
    throw invalid('specversion', specversion == null ? 'is required' : 'must be "1.0"', location);
  }
  const extensions: Record<string, unknown> = {};
  for (const [name, extensionValue] of Object.entries(value)) {
    if (!reservedNames.has(name)) extensions[name] = extensionValue;
  }
  const base64 = member('data_base64');
  const data = member('data');
  let payload: { readonly data: unknown } | undefined;
  if (base64 != null) {
    if (data != null)
      throw invalid('data_base64', 'cannot be present together with data', location);
    if (typeof base64 !== 'string' || !base64Pattern.test(base64)) {
      throw invalid('data_base64', 'must be a base64 string (RFC 4648)', location);
    }
    payload = { data: new Uint8Array(Buffer.from(base64, 'base64')) };
  } else if (Object.hasOwn(value, 'data')) {
    payload = { data };
  }
  if (payload !== undefined && options !== undefined) {
    try {
      payload = { data: options.parseData(payload.data) };
    } catch (error) {
      throw invalid('data', 'was refused by parseData', location, error);
    }
  }
  return assemble(
    {
      id: member('id'),
      source: member('source'),
      type: member('type'),
      subject: member('subject'),
      time: member('time'),
      datacontenttype: member('datacontenttype'),
      dataschema: member('dataschema'),
    },
    extensions,
    payload,
    { maximumNameLength: lenientNameLength, location },
  );
}

function toJsonObject(
  event: CloudEvent<unknown>,
  location: EventLocation,
): Record<string, unknown> {
  if (typeof event !== 'object' || event === null) {
    throw notAnEvent('a CloudEvent must be an object', undefined, location);
  }
  if (event.specversion !== '1.0') throw invalid('specversion', 'must be "1.0"', location);
  const hasData = event.data !== undefined;
  const checked = assemble(event, event.extensions, hasData ? { data: event.data } : undefined, {
    maximumNameLength: lenientNameLength,
    location,
  });
  const json: Record<string, unknown> = {
    specversion: checked.specversion,
    id: checked.id,
    source: checked.source,
    type: checked.type,
  };
  for (const name of ['subject', 'time', 'datacontenttype', 'dataschema'] as const) {
    if (checked[name] !== undefined) json[name] = checked[name];
  }
  Object.assign(json, checked.extensions);
  if (checked.data instanceof Uint8Array) {
    json.data_base64 = Buffer.from(
      checked.data.buffer,
      checked.data.byteOffset,
      checked.data.byteLength,
    ).toString('base64');
  } else if (hasData) {
    json.data = checked.data;
  }
  return json;
}

function stringify(value: Record<string, unknown>, location: EventLocation): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    // Attributes are validated strings, numbers and booleans: only data can fail.
    throw invalid('data', 'cannot be serialised as JSON', location, error);
  }
}

function notAnEvent(
  message: string,
  cause?: unknown,
  location: EventLocation = {},
): InvalidInputError {
  return new InvalidInputError('INVALID_EVENT', message, {
    details: { ...location },
    ...(cause === undefined ? {} : { cause }),
  });
}
