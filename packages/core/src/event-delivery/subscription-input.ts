import { checkText, invalidArgument } from '../outbox/outbox-input.js';
import { decodeWebhookSecrets } from '../webhooks/webhook-secret.js';
import type { EventSubscriptionInput } from './event-delivery-types.js';

/**
 * A subscription input checked, its secret in `whsec_` form.
 *
 * @internal
 */
export interface CheckedSubscriptionInput {
  readonly subscriber: string;
  readonly url: string;
  readonly secret: string;
  readonly types: readonly string[];
}

const maximumUrlLength = 2000;
const maximumTypes = 100;

/**
 * Checks {@link EventSubscriptionInput}. Errors name the field, never its
 * value (a URL path or a secret may be confidential).
 *
 * @internal
 */
export function checkSubscriptionInput(input: EventSubscriptionInput): CheckedSubscriptionInput {
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'an object');
  const subscriber = checkText(input.subscriber, 'subscriber', 200);
  const text = checkText(input.url, 'url', maximumUrlLength);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidArgument('url', 'an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidArgument('url', 'an https (or allow-listed http) URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidArgument('url', 'a URL without credentials');
  }
  // Validates the secret (throws WebhookError WEBHOOK_INVALID_SECRET, never echoing it).
  const [key] = decodeWebhookSecrets(input.secret);
  const secret =
    typeof input.secret === 'string'
      ? input.secret
      : `whsec_${Buffer.from(key ?? new Uint8Array()).toString('base64')}`;
  const types = input.types;
  if (!Array.isArray(types) || types.length === 0 || types.length > maximumTypes) {
    throw invalidArgument('types', `an array of 1 to ${maximumTypes} event types`);
  }
  const checkedTypes = types.map((type) => checkText(type, 'types', 200));
  return { subscriber, url: url.href, secret, types: [...new Set(checkedTypes)] };
}
