import { InvalidInputError, WebhookError } from '../errors/core-errors.js';
import { readLimitedBody } from '../http/read-limited-body.js';
import type { Clock } from '../time/clock.js';
import {
  checkWebhookHeaders,
  matchSignature,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
} from './standard-webhooks.js';
import { decodeWebhookSecrets } from './webhook-secret.js';

/**
 * What {@link verifyWebhookRequest} needs besides the request.
 *
 * @example
 * ```ts
 * const options: VerifyWebhookRequestOptions = { secret, maximumBodyBytes: 64 * 1024 };
 * ```
 */
export interface VerifyWebhookRequestOptions {
  /** The secret, or several during key rotation. */
  readonly secret: VerifyWebhookOptions['secret'];
  /** How far `webhook-timestamp` may be from now, in seconds, either way. Defaults to 300. */
  readonly toleranceSeconds?: number;
  /** Where the current time comes from. Defaults to the system clock. */
  readonly clock?: Clock;
  /** The largest body read before refusing with `WEBHOOK_BODY_TOO_LARGE`. Defaults to 1 MiB. */
  readonly maximumBodyBytes?: number;
}

/**
 * A verified webhook request with its raw body.
 *
 * @example
 * ```ts
 * const webhook: VerifiedWebhookRequest = await verifyWebhookRequest(request, { secret });
 * const event = JSON.parse(webhook.text());
 * ```
 */
export interface VerifiedWebhookRequest extends VerifiedWebhook {
  /** The body exactly as received. */
  readonly body: Uint8Array;
  /** The body decoded as UTF-8 (invalid sequences become U+FFFD). */
  text(): string;
}

const defaultMaximumBodyBytes = 1024 * 1024;

/**
 * Verifies a web-standard `Request` carrying a Standard Webhook: checks the
 * headers and the timestamp first (so a stale or unsigned request is refused
 * before its body is read), then reads the raw body once, up to
 * `maximumBodyBytes`, and checks the signature over those bytes. The request
 * body is consumed; use the returned `body` or `text()`.
 *
 * @throws {@link WebhookError} any code of {@link verifyWebhook}, plus
 *   `WEBHOOK_BODY_TOO_LARGE` and `WEBHOOK_BODY_UNREADABLE` (body already read, or the
 *   stream failed); {@link InvalidInputError} `INVALID_ARGUMENT` for invalid options.
 * @example
 * ```ts
 * import { verifyWebhookRequest, WebhookError } from '@civicblocks/core';
 *
 * export async function POST(request: Request): Promise<Response> {
 *   try {
 *     const webhook = await verifyWebhookRequest(request, { secret: [current, previous] });
 *     await handle(webhook.id, JSON.parse(webhook.text()));
 *     return new Response(null, { status: 204 });
 *   } catch (error) {
 *     if (WebhookError.isInstance(error)) return new Response(null, { status: 400 });
 *     throw error;
 *   }
 * }
 * ```
 */
export async function verifyWebhookRequest(
  request: Request,
  options: VerifyWebhookRequestOptions,
): Promise<VerifiedWebhookRequest> {
  const maximumBytes = options.maximumBodyBytes ?? defaultMaximumBodyBytes;
  if (!Number.isSafeInteger(maximumBytes) || maximumBytes < 0) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'maximumBodyBytes must be a whole number >= 0',
      {
        details: { argument: 'maximumBodyBytes' },
      },
    );
  }
  const keys = decodeWebhookSecrets(options.secret);
  const received = checkWebhookHeaders(request.headers, options);
  const body = await readBody(request, maximumBytes);
  const verified = matchSignature(received, keys, body);
  return {
    id: verified.id,
    timestamp: verified.timestamp,
    body,
    text: () => new TextDecoder().decode(body),
  };
}

async function readBody(request: Request, maximumBytes: number): Promise<Uint8Array> {
  if (request.bodyUsed) {
    throw new WebhookError(
      'WEBHOOK_BODY_UNREADABLE',
      'the request body was already read; verify before reading it, or use verifyWebhook with the raw body',
    );
  }
  try {
    return await readLimitedBody(request, maximumBytes, () => tooLarge(maximumBytes));
  } catch (error) {
    if (WebhookError.isInstance(error)) throw error;
    throw new WebhookError('WEBHOOK_BODY_UNREADABLE', 'reading the webhook request body failed', {
      cause: error,
      isRetryable: true,
    });
  }
}

function tooLarge(maximumBytes: number): WebhookError {
  return new WebhookError(
    'WEBHOOK_BODY_TOO_LARGE',
    `the webhook body is larger than ${maximumBytes} bytes`,
    { details: { maximumBytes } },
  );
}
