// The consent service over HTTP: a benefits service records consent, the tax
// office (another agency, read-only key) checks it, a withdrawal is visible
// at once, receipts verify with the published JWKS, and every response
// matches the shipped OpenAPI 3.1 document.
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsentHandler } from '../src/http/consent-handler.js';
import { consentOpenApiDocument } from '../src/http/consent-openapi.js';
import { verifyReceipt } from '../src/receipts/consent-receipt.js';
import { type ConsentFixture, consentFixture, notice } from './consent-setup.js';

const writerKey = 'benefits-service-key-0123456789abcdef0123';
const readerKey = 'tax-office-key-0123456789abcdef0123456789';
const origin = 'https://consent.example.gov.vn';

describe('consent HTTP service', () => {
  let fixture: ConsentFixture;
  let handle: (request: Request) => Promise<Response>;
  const document = consentOpenApiDocument();
  const ajv = new Ajv2020({ strict: false });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: 'consent-openapi', components: document.components }, 'consent-openapi');
  const matches = (name: string, value: unknown): boolean => {
    const validate = ajv.getSchema(`consent-openapi#/components/schemas/${name}`);
    if (validate === undefined) throw new Error(`no schema ${name}`);
    const ok = validate(JSON.parse(JSON.stringify(value)));
    if (!ok) console.error(name, validate.errors);
    return ok as boolean;
  };

  beforeAll(async () => {
    fixture = await consentFixture({ kind: 'pglite', name: 'pglite' });
    handle = createConsentHandler({
      service: fixture.consent,
      basePath: '/consent',
      apiKeys: [
        { caller: 'benefits-service', key: writerKey, scopes: ['read', 'write'] },
        { caller: 'tax-office', key: readerKey, scopes: ['read'] },
      ],
      verifyBearerToken: async (token) =>
        token === 'valid-token' ? { id: 'portal', scopes: ['read'] } : undefined,
    });
  }, 120_000);
  afterAll(async () => {
    await fixture.database.drop();
  });

  const post = (
    path: string,
    key: string | undefined,
    body: unknown,
    headers: Record<string, string> = {},
  ) =>
    handle(
      new Request(`${origin}/consent${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key === undefined ? {} : { 'x-api-key': key }),
          ...headers,
        },
        body: JSON.stringify(body),
      }),
    );

  it('lets another agency check consent, and sees a withdrawal at once', {
    timeout: 60_000,
  }, async () => {
    const subject = '079088005555';
    const given = await post('/consents/give', writerKey, {
      subject,
      notice,
      purposes: ['income-sharing'],
      method: 'web-form',
    });
    expect(given.status).toBe(201);
    const givenBody = await given.json();
    expect(matches('DecisionResult', givenBody)).toBe(true);

    const query = {
      subject,
      controller: 'molisa',
      purpose: 'income-sharing',
      dataCategories: ['income'],
      recipient: 'tax-office',
    };
    const checked = await post('/consents/check', readerKey, query);
    expect(checked.status).toBe(200);
    const decision = await checked.json();
    expect(decision).toMatchObject({
      allowed: true,
      reason: 'CONSENT_IN_FORCE',
      record: { eventId: givenBody.event.id },
    });
    expect(matches('CheckDecision', decision)).toBe(true);

    // the tax office may read but not write
    expect(
      (await post('/consents/withdraw', readerKey, { subject, notice: { id: notice.id } })).status,
    ).toBe(403);
    const withdrawn = await post('/consents/withdraw', writerKey, {
      subject,
      notice: { id: notice.id },
    });
    expect(withdrawn.status).toBe(200);
    expect(await (await post('/consents/check', readerKey, query)).json()).toMatchObject({
      allowed: false,
      reason: 'CONSENT_WITHDRAWN',
    });

    const jwks = await (
      await handle(new Request(`${origin}/consent/.well-known/jwks.json`))
    ).json();
    const receipt = await handle(
      new Request(`${origin}/consent/receipts/${givenBody.event.id}`, {
        headers: { 'x-api-key': readerKey },
      }),
    );
    const { receipt: jws } = await receipt.json();
    expect((await verifyReceipt(jws, jwks)).record.record_id).toBe(givenBody.event.id);
    const kantara = await handle(
      new Request(`${origin}/consent/receipts/${givenBody.event.id}/kantara`, {
        headers: { authorization: 'Bearer valid-token' },
      }),
    );
    expect(await kantara.json()).toMatchObject({
      version: 'KI-CR-v1.1.0',
      consentReceiptID: givenBody.event.id,
    });

    const history = await post('/consents/history', readerKey, { subject });
    const historyBody = await history.json();
    expect(historyBody.events.map((event: { kind: string }) => event.kind)).toEqual([
      'given',
      'withdrawn',
    ]);
    expect(matches('History', historyBody)).toBe(true);
  });

  it('refuses unauthenticated callers and bad input with problem documents', {
    timeout: 60_000,
  }, async () => {
    const anonymous = await post('/consents/check', undefined, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="consent"');
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    expect(matches('Problem', await anonymous.json())).toBe(true);
    expect((await post('/consents/check', 'wrong-key', {})).status).toBe(401);
    expect(
      (await post('/consents/check', undefined, {}, { authorization: 'Bearer forged' })).status,
    ).toBe(401);

    const unknownPurpose = await post('/consents/give', writerKey, {
      subject: 's',
      notice,
      purposes: ['marketing'],
    });
    expect(unknownPurpose.status).toBe(400);
    expect(unknownPurpose.headers.get('content-type')).toBe('application/problem+json');
    const problemBody = await unknownPurpose.json();
    expect(problemBody).toMatchObject({
      status: 400,
      code: 'CONSENT_UNKNOWN_PURPOSE',
      userMessage: { vi: expect.any(String) },
    });
    expect(matches('Problem', problemBody)).toBe(true);

    const notGiven = await post('/consents/withdraw', writerKey, {
      subject: 'nobody',
      notice: { id: notice.id },
    });
    expect(notGiven.status).toBe(409);
    const notJson = await handle(
      new Request(`${origin}/consent/consents/check`, {
        method: 'POST',
        headers: { 'x-api-key': readerKey, 'content-type': 'application/json' },
        body: '{',
      }),
    );
    expect(notJson.status).toBe(400);
    const tooBig = await post('/consents/check', readerKey, { subject: 'x'.repeat(70_000) });
    expect(tooBig.status).toBe(400);
    expect(
      (
        await handle(
          new Request(`${origin}/consent/nowhere`, { headers: { 'x-api-key': readerKey } }),
        )
      ).status,
    ).toBe(404);
    expect((await handle(new Request(`${origin}/elsewhere`))).status).toBe(404);
  });

  it('answers every refusal with a problem its OpenAPI operation documents, never a 500', {
    timeout: 60_000,
  }, async () => {
    const operations = consentOpenApiDocument().paths as Record<
      string,
      Record<string, { responses: Record<string, unknown> }>
    >;
    const refusal = async (response: Response, path: string, status: number) => {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(matches('Problem', await response.json())).toBe(true);
      expect(Object.keys(operations[path]?.post?.responses ?? {})).toContain(String(status));
    };
    const subject = '079088007777';
    const refused = { subject, notice, purposes: ['sms-updates'] };
    const key = { 'idempotency-key': 'refuse-form-1' };
    expect((await post('/consents/refuse', writerKey, refused, key)).status).toBe(201);
    await refusal(
      await post('/consents/refuse', writerKey, { ...refused, purposes: ['income-sharing'] }, key),
      '/consents/refuse',
      422,
    );
    await post('/consents/give', writerKey, { subject, notice, purposes: ['income-sharing'] });
    const withdrawKey = { 'idempotency-key': 'withdraw-form-1' };
    const withdrawal = { subject, notice: { id: notice.id } };
    expect((await post('/consents/withdraw', writerKey, withdrawal, withdrawKey)).status).toBe(200);
    await refusal(
      await post('/consents/withdraw', writerKey, { ...withdrawal, method: 'paper' }, withdrawKey),
      '/consents/withdraw',
      422,
    );
    await refusal(
      await post('/consents/withdraw', writerKey, {
        subject,
        notice: { id: 'no-such-notice' },
        purposes: ['x'],
      }),
      '/consents/withdraw',
      404,
    );
    // `at` is an RFC 3339 date-time, as documented: not a date alone, not a number
    for (const at of ['2026-01-05', '1', 'yesterday']) {
      await refusal(
        await post('/consents/check', readerKey, {
          subject,
          controller: 'molisa',
          purpose: 'sms-updates',
          dataCategories: [],
          at,
        }),
        '/consents/check',
        400,
      );
    }
    // a body nested too deep for JSON.stringify, and a `__proto__` key, are only data
    const deep = `{"subject":"${subject}-2","notice":{"id":"${notice.id}","version":1},"purposes":["sms-updates"],"__proto__":{"proxy":{"id":"x","relationship":"parent"}},"note":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const response = await handle(
      new Request(`${origin}/consent/consents/give`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': writerKey, ...key },
        body: deep,
      }),
    );
    expect(response.status).toBe(201);
    expect((await response.json()).event.actor).toEqual({ kind: 'subject' });
  });

  it('serves the OpenAPI 3.1 document that ships with the package', async () => {
    const served = await (await handle(new Request(`${origin}/consent/openapi.json`))).json();
    expect(served.openapi).toBe('3.1.0');
    expect(served.servers).toEqual([{ url: `${origin}/consent` }]);
    const shipped = JSON.parse(await readFile(new URL('../openapi.json', import.meta.url), 'utf8'));
    expect(shipped).toEqual(consentOpenApiDocument());
    for (const path of [
      '/consents/give',
      '/consents/withdraw',
      '/consents/check',
      '/consents/history',
      '/receipts/{eventId}',
      '/.well-known/jwks.json',
    ]) {
      expect(Object.keys(served.paths)).toContain(path);
    }
  });
});
