import { describe, expect, it } from 'vitest';
import { WebhookError } from '../errors/core-errors.js';
import { createWebhookSecret, decodeWebhookSecrets } from './webhook-secret.js';

describe('createWebhookSecret', () => {
  it('makes a fresh 32-byte secret in whsec_<base64> form', () => {
    const first = createWebhookSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(first).not.toBe(createWebhookSecret());
    expect(decodeWebhookSecrets(first)[0]).toHaveLength(32);
  });
});

describe('decodeWebhookSecrets', () => {
  it('decodes whsec_ strings and passes raw bytes through', () => {
    const raw = new Uint8Array(24).fill(9);
    const [fromText, fromBytes] = decodeWebhookSecrets([
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      raw,
    ]);
    expect(Buffer.from(fromText ?? []).toString('base64')).toBe('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(fromBytes).toBe(raw);
  });

  it('accepts base64 with or without padding', () => {
    const padded = decodeWebhookSecrets('whsec_AAECAwQFBgcICQoLDA0ODxAREhM=')[0];
    const unpadded = decodeWebhookSecrets('whsec_AAECAwQFBgcICQoLDA0ODxAREhM')[0];
    expect(unpadded).toEqual(padded);
    expect(padded).toHaveLength(20);
  });

  it('says which secret of several is wrong', () => {
    let caught: unknown;
    try {
      decodeWebhookSecrets([createWebhookSecret(), 'password123']);
    } catch (error) {
      caught = error;
    }
    expect(WebhookError.isInstance(caught) && caught.details).toEqual({ secretIndex: 1 });
    expect(String(caught)).not.toContain('password123');
  });
});
