import { describe, expect, it } from 'vitest';
import { deliveryHttpClientOptions } from './delivery-http-client-options.js';

describe('deliveryHttpClientOptions', () => {
  it('turns the egress policy and path redaction on, keeping every other option', () => {
    expect(deliveryHttpClientOptions()).toEqual({ egress: { allow: [] }, redactPath: true });
    const lookup = (() => undefined) as never;
    expect(
      deliveryHttpClientOptions({
        allow: ['hooks.internal'],
        egress: { allow: ['10.0.0.0/8'], lookup },
        headersTimeoutMs: 5_000,
        retry: { maxAttempts: 1 },
      }),
    ).toEqual({
      egress: { allow: ['10.0.0.0/8', 'hooks.internal'], lookup },
      redactPath: true,
      headersTimeoutMs: 5_000,
      retry: { maxAttempts: 1 },
    });
    expect(deliveryHttpClientOptions({ redactPath: false }).redactPath).toBe(false);
  });
});
