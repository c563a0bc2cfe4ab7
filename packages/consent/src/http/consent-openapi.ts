/**
 * Options of {@link consentOpenApiDocument}.
 *
 * @example
 * ```ts
 * const options: ConsentOpenApiOptions = { serverUrl: 'https://consent.example.gov.vn/consent' };
 * ```
 */
export interface ConsentOpenApiOptions {
  /** The URL the handler is mounted at. Default `/`. */
  readonly serverUrl?: string;
}

const id = { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' };
const subject = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  description: 'The data subject (a citizen id, an account id).',
};
const dateTime = { type: 'string', format: 'date-time' };
const uuid = { type: 'string', format: 'uuid' };
const ref = (name: string): Record<string, string> => ({ $ref: `#/components/schemas/${name}` });
const problemResponse = (description: string): Record<string, unknown> => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const jsonBody = (schema: Record<string, unknown>): Record<string, unknown> => ({
  required: true,
  content: { 'application/json': { schema } },
});
const jsonResponse = (
  description: string,
  schema: Record<string, unknown>,
): Record<string, unknown> => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  '400': problemResponse('Bad input: `code` and `field` say what and where. Nothing was recorded.'),
  '401': problemResponse('No valid API key or bearer token.'),
  '403': problemResponse('The caller lacks the scope.'),
  '500': problemResponse('The service failed (INTERNAL_ERROR); nothing more is said.'),
  '503': problemResponse('Briefly unavailable: retry (with the same Idempotency-Key).'),
};
const keyReused = problemResponse('The Idempotency-Key was used for another request.');
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A retried request with the same key returns the first outcome and records nothing twice.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

/**
 * The OpenAPI 3.1 document of {@link createConsentHandler}'s routes. The
 * same document ships with the package as `openapi.json`, beside its
 * `package.json` (find it with `require.resolve('@civicblocks/consent/package.json')`).
 *
 * @example
 * ```ts
 * import { consentOpenApiDocument } from '@civicblocks/consent';
 *
 * const document = consentOpenApiDocument({ serverUrl: 'https://consent.example.gov.vn/consent' });
 * await writeFile('consent-openapi.json', JSON.stringify(document, null, 2));
 * ```
 */
export function consentOpenApiDocument(
  options: ConsentOpenApiOptions = {},
): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'civicblocks consent service',
      version: '1',
      description:
        'Record, check, prove and withdraw consent (ISO/IEC TS 27560 shaped records, W3C DPV terms). Subjects travel in POST bodies, never in URLs.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    security: [{ apiKey: [] }, { bearer: [] }],
    paths: {
      '/consents/give': {
        post: {
          operationId: 'give',
          summary: 'Record consent to purposes of a notice version; returns a signed receipt.',
          parameters: [idempotencyKey],
          requestBody: jsonBody(ref('DecisionInput')),
          responses: {
            '201': jsonResponse('Recorded (or replayed).', ref('DecisionResult')),
            ...errors,
            '404': problemResponse('No such notice version.'),
            '422': keyReused,
          },
        },
      },
      '/consents/refuse': {
        post: {
          operationId: 'refuse',
          summary: 'Record a refusal of purposes of a notice version.',
          parameters: [idempotencyKey],
          requestBody: jsonBody(ref('DecisionInput')),
          responses: {
            '201': jsonResponse('Recorded.', ref('DecisionResult')),
            ...errors,
            '404': problemResponse('No such notice version.'),
            '422': keyReused,
          },
        },
      },
      '/consents/withdraw': {
        post: {
          operationId: 'withdraw',
          summary:
            'Withdraw consent in force for a notice (all its purposes, or those listed); returns a signed receipt.',
          parameters: [idempotencyKey],
          requestBody: jsonBody(ref('WithdrawInput')),
          responses: {
            '200': jsonResponse(
              'Withdrawn (or the earlier withdrawal, replayed).',
              ref('DecisionResult'),
            ),
            ...errors,
            '404': problemResponse('No such notice.'),
            '409': problemResponse('Nothing in force to withdraw (CONSENT_NOT_GIVEN).'),
            '422': keyReused,
          },
        },
      },
      '/consents/check': {
        post: {
          operationId: 'check',
          summary:
            'May this processing go ahead? One indexed lookup; a withdrawal is visible as soon as it returns.',
          requestBody: jsonBody(ref('CheckQuery')),
          responses: { '200': jsonResponse('The decision.', ref('CheckDecision')), ...errors },
        },
      },
      '/consents/history': {
        post: {
          operationId: 'history',
          summary: "A subject's events and derived statuses.",
          requestBody: jsonBody({
            type: 'object',
            required: ['subject'],
            properties: { subject },
            additionalProperties: false,
          }),
          responses: { '200': jsonResponse('The history.', ref('History')), ...errors },
        },
      },
      '/receipts/{eventId}': {
        get: {
          operationId: 'receipt',
          summary:
            'The receipt of a given or withdrawn event: a compact JWS (ES256) verifiable with the JWKS.',
          parameters: [{ name: 'eventId', in: 'path', required: true, schema: uuid }],
          responses: {
            '200': jsonResponse('The receipt.', {
              type: 'object',
              required: ['eventId', 'receipt'],
              properties: { eventId: uuid, receipt: { type: 'string' } },
            }),
            ...errors,
            '404': problemResponse('No such receipt.'),
          },
        },
      },
      '/receipts/{eventId}/kantara': {
        get: {
          operationId: 'kantaraReceipt',
          summary: 'The receipt as a Kantara Consent Receipt v1.1 document.',
          parameters: [{ name: 'eventId', in: 'path', required: true, schema: uuid }],
          responses: {
            '200': jsonResponse('The Kantara receipt.', { type: 'object' }),
            ...errors,
            '404': problemResponse('No such receipt.'),
          },
        },
      },
      '/.well-known/jwks.json': {
        get: {
          operationId: 'jwks',
          summary: 'The public keys receipts are signed with, current and retired.',
          security: [],
          responses: {
            '200': {
              description: 'The JWKS.',
              content: {
                'application/jwk-set+json': {
                  schema: {
                    type: 'object',
                    required: ['keys'],
                    properties: { keys: { type: 'array', items: { type: 'object' } } },
                  },
                },
              },
            },
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document.',
          security: [],
          responses: { '200': jsonResponse('OpenAPI 3.1.', { type: 'object' }) },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      schemas: {
        NoticeReference: {
          type: 'object',
          required: ['id', 'version'],
          properties: { id, version: { type: 'integer', minimum: 1 } },
        },
        Proxy: {
          type: 'object',
          required: ['id', 'relationship'],
          properties: {
            id: subject,
            relationship: {
              enum: ['parent', 'guardian', 'legal-representative', 'authorised-person'],
            },
          },
        },
        DecisionInput: {
          type: 'object',
          required: ['subject', 'notice', 'purposes'],
          properties: {
            subject,
            notice: ref('NoticeReference'),
            purposes: { type: 'array', items: id, minItems: 1, maxItems: 50, uniqueItems: true },
            proxy: ref('Proxy'),
            method: { enum: ['web-form', 'api', 'paper', 'in-person', 'phone'] },
          },
        },
        WithdrawInput: {
          type: 'object',
          required: ['subject', 'notice'],
          properties: {
            subject,
            notice: { type: 'object', required: ['id'], properties: { id } },
            purposes: { type: 'array', items: id, minItems: 1, maxItems: 50, uniqueItems: true },
            proxy: ref('Proxy'),
            method: { enum: ['web-form', 'api', 'paper', 'in-person', 'phone'] },
          },
        },
        Event: {
          type: 'object',
          required: [
            'id',
            'sequence',
            'kind',
            'notice',
            'controller',
            'purposes',
            'decidedAt',
            'actor',
            'method',
          ],
          properties: {
            id: uuid,
            sequence: { type: 'integer', minimum: 1 },
            kind: {
              enum: [
                'requested',
                'given',
                'refused',
                'withdrawn',
                'expired',
                'renewed',
                'invalidated',
              ],
            },
            notice: ref('NoticeReference'),
            controller: id,
            purposes: { type: 'array', items: id },
            decidedAt: dateTime,
            expiresAt: dateTime,
            actor: {
              type: 'object',
              required: ['kind'],
              properties: {
                kind: { enum: ['subject', 'proxy', 'system'] },
                id: { type: 'string' },
                relationship: { type: 'string' },
              },
            },
            method: { type: 'string' },
          },
        },
        DecisionResult: {
          type: 'object',
          required: ['recordId', 'event', 'replayed'],
          properties: {
            recordId: uuid,
            event: ref('Event'),
            receipt: { type: 'string', description: 'Compact JWS (ES256).' },
            replayed: { type: 'boolean' },
          },
        },
        CheckQuery: {
          type: 'object',
          required: ['subject', 'controller', 'purpose', 'dataCategories'],
          properties: {
            subject,
            controller: id,
            purpose: id,
            dataCategories: { type: 'array', items: id, maxItems: 100 },
            recipient: id,
            at: dateTime,
          },
        },
        CheckDecision: {
          type: 'object',
          required: ['allowed', 'reason'],
          properties: {
            allowed: { type: 'boolean' },
            reason: {
              enum: [
                'CONSENT_IN_FORCE',
                'NO_CONSENT',
                'CONSENT_REQUESTED',
                'CONSENT_REFUSED',
                'CONSENT_WITHDRAWN',
                'CONSENT_EXPIRED',
                'CONSENT_INVALIDATED',
                'DATA_CATEGORY_NOT_COVERED',
                'RECIPIENT_NOT_COVERED',
              ],
            },
            record: {
              type: 'object',
              properties: {
                recordId: uuid,
                eventId: uuid,
                notice: ref('NoticeReference'),
                decidedAt: dateTime,
              },
            },
            expiresAt: dateTime,
          },
        },
        History: {
          type: 'object',
          required: ['events', 'statuses'],
          properties: {
            recordId: uuid,
            events: { type: 'array', items: ref('Event') },
            statuses: { type: 'array', items: { type: 'object' } },
          },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string' },
            detail: { type: 'string' },
            field: { type: 'string' },
            userMessage: {
              type: 'object',
              properties: { vi: { type: 'string' }, en: { type: 'string' } },
            },
          },
        },
      },
    },
  };
}
