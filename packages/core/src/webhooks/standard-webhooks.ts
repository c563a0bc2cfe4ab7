import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidInputError, WebhookError } from '../errors/core-errors.js';
import { type Clock, systemClock } from '../time/clock.js';
import { decodeWebhookSecrets, type WebhookSecret } from './webhook-secret.js';

/**
 * The raw body of a webhook exactly as sent or received: text, or bytes
 * (HMACed as they are, never re-decoded). A parsed JSON object is refused,
 * because serialising it again rarely gives back the signed bytes.
 *
 * @example
 * ```ts
 * const body: WebhookBody = await request.text();
 * ```
 */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

/**
 * Request headers as a `Headers` instance or a plain record (such as Node's
 * `IncomingHttpHeaders`). Names are matched case-insensitively.
 *
 * @example
 * ```ts
 * const headers: WebhookHeaders = { 'Webhook-Id': 'msg_1', 'webhook-timestamp': '1614265330' };
 * ```
 */
export type WebhookHeaders =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The three Standard Webhooks headers, ready to send. A plain record, so it
 * spreads into `fetch` headers.
 *
 * @example
 * ```ts
 * const headers: StandardWebhookHeaders = signWebhook({ id, body, secret });
 * headers['webhook-signature']; // 'v1,...'
 * ```
 */
export type StandardWebhookHeaders = {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

/**
 * What {@link signWebhook} needs.
 *
 * @example
 * ```ts
 * const options: SignWebhookOptions = { id: 'msg_2b6e8f1a', body: '{"ok":true}', secret };
 * ```
 */
export interface SignWebhookOptions {
  /**
   * The message id: unique per message and the same on every retry of it, so
   * the receiver can drop duplicates. 1 to 256 visible ASCII characters,
   * without `.` (which would make the signed content ambiguous).
   */
  readonly id: string;
  /** The exact body that will be sent. */
  readonly body: string | Uint8Array | ArrayBuffer;
  /** The secret to sign with, or several (one signature each) while rotating. */
  readonly secret: WebhookSecret | readonly WebhookSecret[];
  /** The signing time. Defaults to `clock.now()`. */
  readonly timestamp?: Date;
  /** Where the current time comes from. Defaults to {@link systemClock}. */
  readonly clock?: Clock;
}

/**
 * What {@link verifyWebhook} needs.
 *
 * @example
 * ```ts
 * const options: VerifyWebhookOptions = {
 *   headers: request.headers,
 *   body: await request.text(),
 *   secret: [currentSecret, previousSecret],
 * };
 * ```
 */
export interface VerifyWebhookOptions {
  /** The received headers. */
  readonly headers: WebhookHeaders;
  /** The received body, raw: never a parsed object. */
  readonly body: WebhookBody;
  /**
   * The secret, or several during key rotation: the webhook is accepted when
   * any signature in the header matches any secret.
   */
  readonly secret: WebhookSecret | readonly WebhookSecret[];
  /**
   * How far `webhook-timestamp` may be from now, in seconds, either way.
   * Defaults to 300 (five minutes), as the spec recommends.
   */
  readonly toleranceSeconds?: number;
  /** Where the current time comes from. Defaults to {@link systemClock}. */
  readonly clock?: Clock;
}

/**
 * A webhook whose signature matched.
 *
 * @example
 * ```ts
 * const { id, timestamp }: VerifiedWebhook = verifyWebhook(options);
 * if (await alreadyProcessed(id)) return new Response(null, { status: 204 });
 * ```
 */
export interface VerifiedWebhook {
  /** The `webhook-id`: use it to drop duplicate deliveries. */
  readonly id: string;
  /** The `webhook-timestamp`, as a `Date`. */
  readonly timestamp: Date;
}

const defaultToleranceSeconds = 300;
const maximumIdLength = 256;
const idPattern = /^[\x21-\x2d\x2f-\x7e]+$/;
const timestampPattern = /^(?:0|[1-9][0-9]{0,11})$/;
const signaturePattern = /^[A-Za-z0-9+/]{43}=?$/;
const signatureBytes = 32;

/**
 * Signs a webhook per the Standard Webhooks spec and returns the
 * `webhook-id`, `webhook-timestamp` and `webhook-signature` headers to send
 * with the body. The signature is `v1,` and the base64 HMAC-SHA256 of
 * `${id}.${timestamp}.${body}`; with several secrets the header holds one
 * signature per secret, separated by spaces.
 *
 * @throws {@link WebhookError} `WEBHOOK_INVALID_ID`, `WEBHOOK_INVALID_SECRET` or
 *   `WEBHOOK_BODY_NOT_RAW`; {@link InvalidInputError} `INVALID_ARGUMENT` for an invalid timestamp.
 * @example
 * ```ts
 * import { signWebhook } from '@civicblocks/core';
 *
 * const body = JSON.stringify({ type: 'payment-captured', paymentId: 'pay_123' });
 * await fetch('https://agency.example.gov/hooks', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', ...signWebhook({ id: 'msg_2b6e8f1a', body, secret }) },
 *   body,
 * });
 * ```
 */
export function signWebhook(options: SignWebhookOptions): StandardWebhookHeaders {
  const body = rawBody(options.body);
  checkId(options.id);
  const keys = decodeWebhookSecrets(options.secret);
  const time = options.timestamp ?? (options.clock ?? systemClock).now();
  const milliseconds = time instanceof Date ? time.getTime() : Number.NaN;
  if (!(milliseconds >= 0)) {
    throw new InvalidInputError('INVALID_ARGUMENT', 'timestamp must be a valid Date after 1970', {
      details: { argument: 'timestamp' },
    });
  }
  const timestamp = String(Math.floor(milliseconds / 1000));
  const signatures = keys.map(
    (key) => `v1,${computeSignature(key, options.id, timestamp, body).toString('base64')}`,
  );
  return {
    'webhook-id': options.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * Verifies a received webhook per the Standard Webhooks spec: the three
 * headers are present and well formed, the timestamp is within tolerance of
 * the clock (too old and too new are both refused, against replays), and a
 * `v1` signature in `webhook-signature` matches one of the secrets, compared
 * in constant time. Signatures of other versions (such as `v1a`) are ignored.
 *
 * Pass the body exactly as received. Errors never include the body, the
 * signatures or the secrets.
 *
 * @throws {@link WebhookError} `WEBHOOK_BODY_NOT_RAW`, `WEBHOOK_INVALID_SECRET`,
 *   `WEBHOOK_MISSING_HEADER`, `WEBHOOK_INVALID_ID`, `WEBHOOK_INVALID_TIMESTAMP`,
 *   `WEBHOOK_TIMESTAMP_TOO_OLD`, `WEBHOOK_TIMESTAMP_TOO_NEW` or `WEBHOOK_SIGNATURE_MISMATCH`.
 * @example
 * ```ts
 * import { verifyWebhook, WebhookError } from '@civicblocks/core';
 *
 * app.post('/hooks', express.raw({ type: '*\/*' }), (request, response) => {
 *   try {
 *     const { id } = verifyWebhook({ headers: request.headers, body: request.body, secret });
 *     handle(id, JSON.parse(request.body.toString('utf8')));
 *     response.sendStatus(204);
 *   } catch (error) {
 *     if (WebhookError.isInstance(error)) response.sendStatus(400);
 *     else throw error;
 *   }
 * });
 * ```
 */
export function verifyWebhook(options: VerifyWebhookOptions): VerifiedWebhook {
  const body = rawBody(options.body);
  const keys = decodeWebhookSecrets(options.secret);
  const received = checkWebhookHeaders(options.headers, options);
  return matchSignature(received, keys, body);
}

/**
 * Headers that passed every check that does not need the body.
 *
 * @internal
 */
export interface ReceivedWebhookHeaders {
  readonly id: string;
  readonly timestamp: string;
  readonly signatures: readonly Buffer[];
}

/**
 * Reads and checks the three headers and the timestamp tolerance: everything
 * that can be refused before reading the body.
 *
 * @internal
 */
export function checkWebhookHeaders(
  headers: WebhookHeaders,
  options: { readonly toleranceSeconds?: number; readonly clock?: Clock },
): ReceivedWebhookHeaders {
  const tolerance = options.toleranceSeconds ?? defaultToleranceSeconds;
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'toleranceSeconds must be a finite number >= 0',
      {
        details: { argument: 'toleranceSeconds' },
      },
    );
  }
  const id = readHeader(headers, 'webhook-id', ', ');
  const timestamp = readHeader(headers, 'webhook-timestamp', ', ');
  const signatureHeader = readHeader(headers, 'webhook-signature', ' ');
  checkId(id);
  if (!timestampPattern.test(timestamp)) {
    throw new WebhookError(
      'WEBHOOK_INVALID_TIMESTAMP',
      'webhook-timestamp must be whole seconds since the Unix epoch',
      { details: { header: 'webhook-timestamp' } },
    );
  }
  const nowSeconds = Math.floor((options.clock ?? systemClock).now().getTime() / 1000);
  const age = nowSeconds - Number(timestamp);
  if (age > tolerance) {
    throw new WebhookError(
      'WEBHOOK_TIMESTAMP_TOO_OLD',
      `webhook-timestamp is ${age} s old, more than the ${tolerance} s allowed`,
      { details: { header: 'webhook-timestamp', ageSeconds: age, toleranceSeconds: tolerance } },
    );
  }
  if (-age > tolerance) {
    throw new WebhookError(
      'WEBHOOK_TIMESTAMP_TOO_NEW',
      `webhook-timestamp is ${-age} s in the future, more than the ${tolerance} s allowed`,
      { details: { header: 'webhook-timestamp', aheadSeconds: -age, toleranceSeconds: tolerance } },
    );
  }
  const signatures: Buffer[] = [];
  for (const item of signatureHeader.split(' ')) {
    // A repeated header joined by `Headers` reads "v1,a, v1,b": drop the joining comma.
    const entry = item.endsWith(',') ? item.slice(0, -1) : item;
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const encoded = entry.slice(comma + 1);
    if (!signaturePattern.test(encoded)) continue;
    const decoded = Buffer.from(encoded, 'base64');
    if (decoded.length === signatureBytes) signatures.push(decoded);
  }
  if (signatures.length === 0) {
    throw new WebhookError(
      'WEBHOOK_SIGNATURE_MISMATCH',
      'webhook-signature holds no well-formed v1 signature',
      { details: { header: 'webhook-signature', supportedSignatures: 0 } },
    );
  }
  return { id, timestamp, signatures };
}

/**
 * Compares every received signature with the HMAC under every key.
 *
 * @internal
 */
export function matchSignature(
  received: ReceivedWebhookHeaders,
  keys: readonly Uint8Array[],
  body: string | Uint8Array,
): VerifiedWebhook {
  let matched = false;
  for (const key of keys) {
    const expected = computeSignature(key, received.id, received.timestamp, body);
    for (const signature of received.signatures) {
      // Both are 32 bytes (checked when parsing), as timingSafeEqual requires.
      if (timingSafeEqual(expected, signature)) matched = true;
    }
  }
  if (!matched) {
    throw new WebhookError(
      'WEBHOOK_SIGNATURE_MISMATCH',
      'no webhook signature matched the body with any of the secrets',
      {
        details: {
          header: 'webhook-signature',
          supportedSignatures: received.signatures.length,
          secrets: keys.length,
        },
      },
    );
  }
  return { id: received.id, timestamp: new Date(Number(received.timestamp) * 1000) };
}

/**
 * The body as text or bytes to HMAC, or `WEBHOOK_BODY_NOT_RAW`.
 *
 * @internal
 */
export function rawBody(body: unknown): string | Uint8Array {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new WebhookError(
    'WEBHOOK_BODY_NOT_RAW',
    `the webhook body must be the raw body (a string, Uint8Array or ArrayBuffer) exactly as received, not ${describe(body)}: re-serialising a parsed body changes the signed bytes`,
    { details: { argument: 'body' } },
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return 'a typed array other than Uint8Array';
  return typeof value === 'object' ? 'a parsed object' : `a ${typeof value}`;
}

function computeSignature(
  key: Uint8Array,
  id: string,
  timestamp: string,
  body: string | Uint8Array,
): Buffer {
  const hmac = createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8');
  if (typeof body === 'string') hmac.update(body, 'utf8');
  else hmac.update(body);
  return hmac.digest();
}

function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new WebhookError('WEBHOOK_INVALID_ID', 'webhook-id must be a non-empty string', {
      details: { header: 'webhook-id' },
    });
  }
  if (id.length > maximumIdLength || !idPattern.test(id)) {
    throw new WebhookError(
      'WEBHOOK_INVALID_ID',
      `webhook-id must be 1 to ${maximumIdLength} visible ASCII characters without spaces or dots`,
      { details: { header: 'webhook-id', maximumLength: maximumIdLength } },
    );
  }
}

function readHeader(headers: unknown, name: string, separator: string): string {
  const values: string[] = [];
  if (typeof headers === 'object' && headers !== null) {
    const get = (headers as { get?: unknown }).get;
    if (typeof get === 'function') {
      const value: unknown = Reflect.apply(get, headers, [name]);
      if (typeof value === 'string') values.push(value);
    } else {
      for (const [key, value] of Object.entries(headers)) {
        if (key.toLowerCase() !== name) continue;
        if (typeof value === 'string') values.push(value);
        else if (Array.isArray(value)) {
          for (const item of value) if (typeof item === 'string') values.push(item);
        }
      }
    }
  }
  const distinct = [...new Set(values.map((value) => value.trim()))].filter(Boolean);
  if (distinct.length === 0) {
    throw new WebhookError('WEBHOOK_MISSING_HEADER', `the ${name} header is missing or empty`, {
      details: { header: name },
    });
  }
  return distinct.join(separator);
}
