import { randomBytes } from 'node:crypto';
import { WebhookError } from '../errors/core-errors.js';

/**
 * A Standard Webhooks signing secret: either the `whsec_<base64>` string that
 * senders such as Svix hand out, or the raw key bytes.
 *
 * @example
 * ```ts
 * const fromText: WebhookSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
 * const fromBytes: WebhookSecret = crypto.getRandomValues(new Uint8Array(32));
 * ```
 */
export type WebhookSecret = string | Uint8Array;

/** The Standard Webhooks prefix of a textual secret. */
const secretPrefix = 'whsec_';
/** The spec recommends 24 to 64 bytes; anything below 128 bits is refused. */
const minimumSecretBytes = 16;
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A new random signing secret (32 bytes) in `whsec_<base64>` form, ready to
 * share with the receiver of your webhooks.
 *
 * @example
 * ```ts
 * import { createWebhookSecret } from '@civicblocks/core';
 *
 * const secret = createWebhookSecret(); // 'whsec_...' — store it like a password
 * ```
 */
export function createWebhookSecret(): string {
  return `${secretPrefix}${randomBytes(32).toString('base64')}`;
}

/**
 * Decodes one or several secrets to key bytes. Messages and details never
 * include any part of a secret.
 *
 * @internal
 */
export function decodeWebhookSecrets(
  secret: WebhookSecret | readonly WebhookSecret[],
): readonly Uint8Array[] {
  const secrets: readonly unknown[] = Array.isArray(secret) ? secret : [secret];
  if (secrets.length === 0) {
    throw new WebhookError('WEBHOOK_INVALID_SECRET', 'at least one webhook secret is required');
  }
  return secrets.map((one, index) => decodeOne(one, index));
}

function decodeOne(secret: unknown, index: number): Uint8Array {
  const details = { secretIndex: index };
  let key: Uint8Array;
  if (secret instanceof Uint8Array) {
    key = secret;
  } else if (typeof secret === 'string') {
    if (!secret.startsWith(secretPrefix)) {
      throw new WebhookError(
        'WEBHOOK_INVALID_SECRET',
        `webhook secret ${index} must be in the form whsec_<base64> (or raw bytes)`,
        { details },
      );
    }
    const encoded = secret.slice(secretPrefix.length);
    if (!base64Pattern.test(encoded) || encoded.replace(/=+$/, '').length % 4 === 1) {
      throw new WebhookError(
        'WEBHOOK_INVALID_SECRET',
        `webhook secret ${index} is not valid base64 after the whsec_ prefix`,
        { details },
      );
    }
    key = new Uint8Array(Buffer.from(encoded, 'base64'));
  } else {
    throw new WebhookError(
      'WEBHOOK_INVALID_SECRET',
      `webhook secret ${index} must be a whsec_<base64> string or a Uint8Array`,
      { details },
    );
  }
  if (key.length < minimumSecretBytes) {
    throw new WebhookError(
      'WEBHOOK_INVALID_SECRET',
      `webhook secret ${index} is shorter than ${minimumSecretBytes} bytes`,
      { details: { ...details, minimumBytes: minimumSecretBytes } },
    );
  }
  return key;
}
