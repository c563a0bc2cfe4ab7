import type { HttpClientOptions } from './http-client-options.js';

/**
 * Options of {@link deliveryHttpClientOptions}: any {@link HttpClientOptions},
 * plus the targets to let through the egress policy.
 *
 * @example
 * ```ts
 * const options: DeliveryHttpClientOptions = { allow: ['hooks.internal'], headersTimeoutMs: 5_000 };
 * ```
 */
export interface DeliveryHttpClientOptions extends HttpClientOptions {
  /** Added to `egress.allow`. See {@link EgressPolicyOptions.allow}. */
  readonly allow?: readonly string[];
}

/**
 * Options for a client that delivers to URLs someone else configured
 * (webhooks, callbacks): the egress policy on, paths redacted in events,
 * redirects never followed. Whatever else is given is kept.
 *
 * @example
 * ```ts
 * const client = createHttpClient(deliveryHttpClientOptions({ allow: options.allow ?? [] }));
 * ```
 */
export function deliveryHttpClientOptions(
  options: DeliveryHttpClientOptions = {},
): HttpClientOptions {
  const { allow, egress, redactPath, ...rest } = options;
  return {
    ...rest,
    egress: { ...egress, allow: [...(egress?.allow ?? []), ...(allow ?? [])] },
    redactPath: redactPath ?? true,
  };
}
