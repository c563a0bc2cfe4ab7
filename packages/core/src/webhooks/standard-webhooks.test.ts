import fc from 'fast-check';
import { Webhook as ReferenceWebhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, WebhookError, type WebhookErrorCode } from '../errors/core-errors.js';
import { createManualClock } from '../time/clock.js';
import { signWebhook, verifyWebhook, type WebhookHeaders } from './standard-webhooks.js';
import { createWebhookSecret } from './webhook-secret.js';

// The published example of the Standard Webhooks spec.
const spec = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const specHeaders = {
  'webhook-id': spec.id,
  'webhook-timestamp': String(spec.timestamp),
  'webhook-signature': spec.signature,
};
const atSpecTime = () => createManualClock(spec.timestamp * 1000);

function codeOf(attempt: () => unknown): WebhookErrorCode | string {
  try {
    attempt();
  } catch (error) {
    if (WebhookError.isInstance(error)) return error.code;
    if (InvalidInputError.isInstance(error)) return `InvalidInputError:${error.code}`;
    throw error;
  }
  throw new Error('expected a WebhookError');
}

function thrownBy(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function verifySpec(overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}) {
  return verifyWebhook({
    headers: specHeaders,
    body: spec.body,
    secret: spec.secret,
    clock: atSpecTime(),
    ...overrides,
  });
}

describe('signWebhook', () => {
  it('reproduces the signature of the spec example', () => {
    const headers = signWebhook({
      id: spec.id,
      body: spec.body,
      secret: spec.secret,
      timestamp: new Date(spec.timestamp * 1000),
    });
    expect(headers).toEqual(specHeaders);
  });

  it('signs bytes as bytes, and reads the time from the clock', () => {
    const headers = signWebhook({
      id: spec.id,
      body: new TextEncoder().encode(spec.body),
      secret: spec.secret,
      clock: createManualClock(spec.timestamp * 1000 + 999),
    });
    expect(headers).toEqual(specHeaders);
  });

  it('accepts the secret as raw bytes', () => {
    const headers = signWebhook({
      id: spec.id,
      body: spec.body,
      secret: Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'),
      clock: atSpecTime(),
    });
    expect(headers['webhook-signature']).toBe(spec.signature);
  });

  it('adds one signature per secret while rotating', () => {
    const next = createWebhookSecret();
    const headers = signWebhook({
      id: spec.id,
      body: spec.body,
      secret: [spec.secret, next],
      clock: atSpecTime(),
    });
    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    expect(signatures[0]).toBe(spec.signature);
    const clock = atSpecTime();
    expect(verifyWebhook({ headers, body: spec.body, secret: next, clock }).id).toBe(spec.id);
    expect(verifyWebhook({ headers, body: spec.body, secret: spec.secret, clock }).id).toBe(
      spec.id,
    );
  });

  it('refuses bad ids, bodies, secrets and times', () => {
    const base = { id: spec.id, body: spec.body, secret: spec.secret };
    expect(codeOf(() => signWebhook({ ...base, id: '' }))).toBe('WEBHOOK_INVALID_ID');
    expect(codeOf(() => signWebhook({ ...base, id: 'msg.1' }))).toBe('WEBHOOK_INVALID_ID');
    expect(codeOf(() => signWebhook({ ...base, body: { test: 1 } as never }))).toBe(
      'WEBHOOK_BODY_NOT_RAW',
    );
    expect(codeOf(() => signWebhook({ ...base, secret: [] }))).toBe('WEBHOOK_INVALID_SECRET');
    expect(codeOf(() => signWebhook({ ...base, timestamp: new Date(Number.NaN) }))).toBe(
      'InvalidInputError:INVALID_ARGUMENT',
    );
  });
});

describe('verifyWebhook', () => {
  it('accepts the spec example and returns its id and time', () => {
    const verified = verifySpec();
    expect(verified.id).toBe(spec.id);
    expect(verified.timestamp.toISOString()).toBe('2021-02-25T15:02:10.000Z');
  });

  it('accepts the body as bytes (Uint8Array, Buffer or ArrayBuffer)', () => {
    const bytes = new TextEncoder().encode(spec.body);
    expect(verifySpec({ body: bytes }).id).toBe(spec.id);
    expect(verifySpec({ body: Buffer.from(spec.body) }).id).toBe(spec.id);
    expect(verifySpec({ body: bytes.buffer }).id).toBe(spec.id);
  });

  it('HMACs bytes as bytes, without decoding them as UTF-8 first', () => {
    const bytes = Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d); // not valid UTF-8
    const secret = createWebhookSecret();
    const clock = createManualClock(1_700_000_000_000);
    const headers = signWebhook({ id: 'msg_1', body: bytes, secret, clock });
    expect(verifyWebhook({ headers, body: bytes, secret, clock }).id).toBe('msg_1');
    const decoded = new TextDecoder().decode(bytes);
    expect(codeOf(() => verifyWebhook({ headers, body: decoded, secret, clock }))).toBe(
      'WEBHOOK_SIGNATURE_MISMATCH',
    );
  });

  it('refuses a tampered body, id or timestamp', () => {
    expect(codeOf(() => verifySpec({ body: '{"test": 2432232315}' }))).toBe(
      'WEBHOOK_SIGNATURE_MISMATCH',
    );
    expect(codeOf(() => verifySpec({ body: `${spec.body} ` }))).toBe('WEBHOOK_SIGNATURE_MISMATCH');
    expect(
      codeOf(() => verifySpec({ headers: { ...specHeaders, 'webhook-id': 'msg_other' } })),
    ).toBe('WEBHOOK_SIGNATURE_MISMATCH');
    expect(
      codeOf(() =>
        verifySpec({
          headers: { ...specHeaders, 'webhook-timestamp': String(spec.timestamp + 1) },
        }),
      ),
    ).toBe('WEBHOOK_SIGNATURE_MISMATCH');
  });

  it('refuses the wrong secret, and accepts any of several while rotating', () => {
    const other = createWebhookSecret();
    expect(codeOf(() => verifySpec({ secret: other }))).toBe('WEBHOOK_SIGNATURE_MISMATCH');
    expect(verifySpec({ secret: [other, spec.secret] }).id).toBe(spec.id);
    expect(verifySpec({ secret: [spec.secret, other] }).id).toBe(spec.id);
  });

  it('checks every signature in the header and ignores versions it does not know', () => {
    const wrong = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
    const header = `v1a,${Buffer.alloc(64).toString('base64')} ${wrong} v2,abc ${spec.signature} junk`;
    expect(verifySpec({ headers: { ...specHeaders, 'webhook-signature': header } }).id).toBe(
      spec.id,
    );
    const onlyUnknown = `v1a,${Buffer.alloc(64).toString('base64')} v2,${spec.signature.slice(3)}`;
    const error = thrownBy(() =>
      verifySpec({ headers: { ...specHeaders, 'webhook-signature': onlyUnknown } }),
    );
    expect(WebhookError.isInstance(error) && error.code).toBe('WEBHOOK_SIGNATURE_MISMATCH');
    expect(WebhookError.isInstance(error) && error.details?.supportedSignatures).toBe(0);
  });

  it('refuses malformed v1 signatures (wrong length, not base64)', () => {
    for (const signature of [
      spec.signature.slice(0, -2),
      `${spec.signature}AAAA`,
      'v1,',
      'v1',
      `v1,${spec.signature.slice(3).replace('+', '-')}`,
    ]) {
      expect(
        codeOf(() => verifySpec({ headers: { ...specHeaders, 'webhook-signature': signature } })),
      ).toBe('WEBHOOK_SIGNATURE_MISMATCH');
    }
  });

  it('refuses timestamps outside the tolerance, both too old and too new', () => {
    const at = (offsetSeconds: number) =>
      createManualClock((spec.timestamp + offsetSeconds) * 1000);
    expect(verifySpec({ clock: at(300) }).id).toBe(spec.id);
    expect(verifySpec({ clock: at(-300) }).id).toBe(spec.id);
    expect(codeOf(() => verifySpec({ clock: at(301) }))).toBe('WEBHOOK_TIMESTAMP_TOO_OLD');
    expect(codeOf(() => verifySpec({ clock: at(-301) }))).toBe('WEBHOOK_TIMESTAMP_TOO_NEW');
    // The default clock is the system clock: the 2021 example is long expired.
    expect(
      codeOf(() => verifyWebhook({ headers: specHeaders, body: spec.body, secret: spec.secret })),
    ).toBe('WEBHOOK_TIMESTAMP_TOO_OLD');
  });

  it('takes a configurable tolerance', () => {
    const clock = createManualClock((spec.timestamp + 30) * 1000);
    expect(codeOf(() => verifySpec({ clock, toleranceSeconds: 10 }))).toBe(
      'WEBHOOK_TIMESTAMP_TOO_OLD',
    );
    expect(verifySpec({ clock, toleranceSeconds: 30 }).id).toBe(spec.id);
    expect(codeOf(() => verifySpec({ clock: atSpecTime(), toleranceSeconds: -1 }))).toBe(
      'InvalidInputError:INVALID_ARGUMENT',
    );
    expect(codeOf(() => verifySpec({ toleranceSeconds: Number.NaN }))).toBe(
      'InvalidInputError:INVALID_ARGUMENT',
    );
  });

  it('says which header is missing', () => {
    for (const name of Object.keys(specHeaders)) {
      const headers: Record<string, string> = { ...specHeaders };
      delete headers[name];
      let caught: unknown;
      try {
        verifySpec({ headers });
      } catch (error) {
        caught = error;
      }
      expect(WebhookError.isInstance(caught) && caught.code).toBe('WEBHOOK_MISSING_HEADER');
      expect(WebhookError.isInstance(caught) && caught.details?.header).toBe(name);
      expect(codeOf(() => verifySpec({ headers: { ...specHeaders, [name]: '  ' } }))).toBe(
        'WEBHOOK_MISSING_HEADER',
      );
    }
    expect(codeOf(() => verifySpec({ headers: {} }))).toBe('WEBHOOK_MISSING_HEADER');
  });

  it('reads headers case-insensitively from Headers and plain records, including arrays', () => {
    expect(verifySpec({ headers: new Headers(specHeaders) }).id).toBe(spec.id);
    expect(
      verifySpec({
        headers: {
          'Webhook-Id': spec.id,
          'WEBHOOK-TIMESTAMP': [String(spec.timestamp)],
          'Webhook-Signature': spec.signature,
        },
      }).id,
    ).toBe(spec.id);
    const repeated = new Headers(specHeaders);
    repeated.append('webhook-signature', `v1,${Buffer.alloc(32).toString('base64')}`);
    expect(verifySpec({ headers: repeated }).id).toBe(spec.id);
    expect(
      verifySpec({
        headers: {
          ...specHeaders,
          'webhook-signature': [`v1,${Buffer.alloc(32).toString('base64')}`, spec.signature],
        },
      }).id,
    ).toBe(spec.id);
  });

  it('refuses two different ids or timestamps', () => {
    expect(
      codeOf(() => verifySpec({ headers: { ...specHeaders, 'Webhook-Id': 'msg_other' } })),
    ).toBe('WEBHOOK_INVALID_ID');
    expect(
      codeOf(() =>
        verifySpec({
          headers: { ...specHeaders, 'webhook-timestamp': ['1614265330', '1614265331'] },
        }),
      ),
    ).toBe('WEBHOOK_INVALID_TIMESTAMP');
  });

  it('refuses ids that are too long or hold spaces, dots or control characters', () => {
    for (const id of ['msg 1', 'msg.1', 'msg\t1', 'msg_\u00e9', 'x'.repeat(257)]) {
      expect(codeOf(() => verifySpec({ headers: { ...specHeaders, 'webhook-id': id } }))).toBe(
        'WEBHOOK_INVALID_ID',
      );
    }
  });

  it('refuses timestamps that are not whole seconds', () => {
    for (const timestamp of ['abc', '-1614265330', '1614265330.5', '01614265330', '1e9', '0x10']) {
      expect(
        codeOf(() => verifySpec({ headers: { ...specHeaders, 'webhook-timestamp': timestamp } })),
      ).toBe('WEBHOOK_INVALID_TIMESTAMP');
    }
  });

  it('refuses a parsed body with WEBHOOK_BODY_NOT_RAW', () => {
    for (const body of [JSON.parse(spec.body), [1], null, undefined, 42, new Uint16Array(2)]) {
      expect(codeOf(() => verifySpec({ body }))).toBe('WEBHOOK_BODY_NOT_RAW');
    }
  });

  it('refuses malformed secrets without revealing them', () => {
    for (const secret of [
      'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'whsec_not*base64',
      'whsec_A',
      'whsec_c2hvcnQ=',
      new Uint8Array(8),
      42 as never,
    ]) {
      let caught: unknown;
      try {
        verifySpec({ secret });
      } catch (error) {
        caught = error;
      }
      expect(WebhookError.isInstance(caught) && caught.code).toBe('WEBHOOK_INVALID_SECRET');
      if (typeof secret === 'string' && secret.length > 12) {
        expect(JSON.stringify(caught)).not.toContain(secret.replace('whsec_', ''));
      }
    }
    expect(codeOf(() => verifySpec({ secret: [] }))).toBe('WEBHOOK_INVALID_SECRET');
  });

  it('never puts the body, signature or secret in an error', () => {
    let caught: unknown;
    try {
      verifySpec({ body: '{"nationalId": "079123456789"}' });
    } catch (error) {
      caught = error;
    }
    const text = `${String(caught)} ${JSON.stringify(caught)}`;
    expect(text).not.toContain('079123456789');
    expect(text).not.toContain(spec.signature.slice(3));
    expect(text).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
  });
});

describe('interoperability with the standardwebhooks reference library', () => {
  it('verifies what the reference library signs', () => {
    const secret = createWebhookSecret();
    const reference = new ReferenceWebhook(secret);
    const when = new Date('2025-06-01T08:00:00Z');
    const body = JSON.stringify({ type: 'payment-captured', amount: 12_500, note: 'Phí hộ chiếu' });
    const headers = {
      'webhook-id': 'msg_2b6e8f1a3c57',
      'webhook-timestamp': String(Math.floor(when.getTime() / 1000)),
      'webhook-signature': reference.sign('msg_2b6e8f1a3c57', when, body),
    };
    const clock = createManualClock(when);
    expect(verifyWebhook({ headers, body, secret, clock }).id).toBe('msg_2b6e8f1a3c57');
    expect(verifyWebhook({ headers, body: Buffer.from(body), secret, clock }).id).toBe(
      'msg_2b6e8f1a3c57',
    );
  });

  it('signs what the reference library verifies (it reads the system clock)', () => {
    const secret = createWebhookSecret();
    const body = JSON.stringify({ type: 'consent-given', locale: 'vi', text: 'Đồng ý' });
    const headers = signWebhook({ id: 'msg_consent_1', body, secret });
    expect(new ReferenceWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new ReferenceWebhook(secret).verify(Buffer.from(body), headers)).toEqual(
      JSON.parse(body),
    );
  });

  it('agrees on raw-byte secrets', () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const body = '{"ok":true}';
    const headers = signWebhook({ id: 'msg_raw', body, secret: key });
    expect(new ReferenceWebhook(key, { format: 'raw' }).verify(body, headers)).toEqual({
      ok: true,
    });
  });

  it('agrees on arbitrary text bodies and ids', () => {
    const secret = createWebhookSecret();
    const reference = new ReferenceWebhook(secret);
    const when = new Date('2025-06-01T08:00:00Z');
    const clock = createManualClock(when);
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        (body, id) => {
          const ours = signWebhook({ id, body, secret, clock });
          expect(ours['webhook-signature']).toBe(reference.sign(id, when, body));
          expect(verifyWebhook({ headers: ours, body, secret, clock }).id).toBe(id);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('verifyWebhook on untrusted input (property)', () => {
  const secret = createWebhookSecret();
  const clock = createManualClock(1_700_000_000_000);
  const nearNow = fc.integer({ min: 1_700_000_000 - 1000, max: 1_700_000_000 + 1000 });
  const headerValue = fc.oneof(
    fc.string(),
    fc.constantFrom('', ' ', 'v1,', 'v1a,abc', 'msg_1', '1700000000'),
    nearNow.map(String),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.anything(),
  );
  const headerName = fc.oneof(
    fc.constantFrom('webhook-id', 'Webhook-Timestamp', 'WEBHOOK-SIGNATURE', 'content-type'),
    fc.string(),
  );
  const body = fc.oneof(fc.string(), fc.uint8Array(), fc.anything());

  it('throws nothing but WebhookError for any headers and body', () => {
    fc.assert(
      fc.property(fc.dictionary(headerName, headerValue), body, (headers, received) => {
        try {
          verifyWebhook({
            headers: headers as WebhookHeaders,
            body: received as string,
            secret,
            clock,
          });
        } catch (error) {
          expect(WebhookError.isInstance(error)).toBe(true);
          return;
        }
        throw new Error('an unsigned webhook was accepted');
      }),
      { numRuns: 1000 },
    );
  });

  it('throws nothing but WebhookError for anything passed as headers', () => {
    fc.assert(
      fc.property(fc.anything(), (headers) => {
        expect(() =>
          verifyWebhook({ headers: headers as WebhookHeaders, body: '', secret, clock }),
        ).toThrow(WebhookError);
      }),
    );
  });

  it('accepts every signed body and refuses it after any one-byte change', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, position, flip) => {
          const headers = signWebhook({ id: 'msg_p', body: bytes, secret, clock });
          expect(verifyWebhook({ headers, body: bytes, secret, clock }).id).toBe('msg_p');
          const tampered = Uint8Array.from(bytes);
          const index = position % tampered.length;
          tampered[index] = (tampered[index] ?? 0) ^ flip;
          expect(codeOf(() => verifyWebhook({ headers, body: tampered, secret, clock }))).toBe(
            'WEBHOOK_SIGNATURE_MISMATCH',
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
