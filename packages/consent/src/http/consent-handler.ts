import { readLimitedBody } from '@civicblocks/core';
import { ConsentError } from '../errors/consent-error.js';
import type { ConsentCheckQuery } from '../model/check-decision.js';
import { invalid } from '../model/check-input.js';
import { verifyReceipt } from '../receipts/consent-receipt.js';
import { toKantaraReceipt } from '../receipts/kantara-receipt.js';
import type {
  ConsentService,
  DecisionInput,
  WithdrawInput,
} from '../service/consent-service-types.js';
import {
  type ConsentAuthenticationOptions,
  type ConsentScope,
  createAuthenticator,
} from './consent-authentication.js';
import { consentOpenApiDocument } from './consent-openapi.js';
import { problem, problemOf } from './consent-problem.js';

/**
 * Options of {@link createConsentHandler}.
 *
 * @example
 * ```ts
 * const options: ConsentHandlerOptions = { service: consent, basePath: '/consent', apiKeys: [{ caller: 'tax-office', key, scopes: ['read'] }] };
 * ```
 */
export interface ConsentHandlerOptions extends ConsentAuthenticationOptions {
  readonly service: ConsentService;
  /** Where the handler is mounted, e.g. `/consent`. Default `''`. */
  readonly basePath?: string;
  /** Largest request body accepted, in bytes. Default 65 536. */
  readonly maximumBodyBytes?: number;
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

/** RFC 3339 `date-time`, as the OpenAPI document declares `at` (a date alone or `"1"` is refused). */
const dateTimePattern =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const isDateTime = (text: string): boolean =>
  dateTimePattern.test(text) && !Number.isNaN(Date.parse(text));

const receiptPath = /^\/receipts\/([0-9a-f-]{36})(\/kantara)?$/;

/**
 * The consent service over HTTP, as a web-standard handler
 * (`(request: Request) => Promise<Response>`), for a platform team that runs
 * consent once for many services and agencies. Callers authenticate with an
 * API key (`X-Api-Key`) or a bearer token; subjects travel in POST bodies,
 * never in URLs, so they stay out of access logs. Errors are RFC 9457
 * problem documents. The routes are described by {@link consentOpenApiDocument}
 * (served at `GET /openapi.json`, and shipped as `openapi.json` beside the package's `package.json`).
 *
 * - `POST /consents/give`, `/consents/refuse`, `/consents/withdraw` (scope `write`; `Idempotency-Key` header honoured)
 * - `POST /consents/check`, `/consents/history` (scope `read`)
 * - `GET /receipts/{eventId}`, `/receipts/{eventId}/kantara` (scope `read`)
 * - `GET /.well-known/jwks.json`, `GET /openapi.json` (public)
 *
 * @example
 * ```ts
 * import { createConsentHandler } from '@civicblocks/consent';
 *
 * const handle = createConsentHandler({
 *   service: consent,
 *   basePath: '/consent',
 *   apiKeys: [
 *     { caller: 'benefits-service', key: benefitsKey, scopes: ['read', 'write'] },
 *     { caller: 'tax-office', key: taxOfficeKey, scopes: ['read'] },
 *   ],
 * });
 * // Hono: app.all('/consent/*', (c) => handle(c.req.raw));
 * ```
 */
export function createConsentHandler(
  options: ConsentHandlerOptions,
): (request: Request) => Promise<Response> {
  const { service } = options;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const maximumBodyBytes = options.maximumBodyBytes ?? 65_536;
  const authenticate = createAuthenticator(options);

  const body = async (request: Request): Promise<Record<string, unknown>> => {
    if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
      throw invalid('content-type', 'send application/json');
    }
    const bytes = await readLimitedBody(request, maximumBodyBytes, () =>
      invalid('body', `the body is larger than ${maximumBodyBytes} bytes`),
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (error) {
      throw new ConsentError('CONSENT_INVALID_INPUT', 'the body is not JSON', {
        cause: error,
        details: { field: 'body' },
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw invalid('body', 'the body must be a JSON object');
    return parsed as Record<string, unknown>;
  };

  const idempotencyKey = (request: Request): { idempotencyKey?: string } => {
    const key = request.headers.get('idempotency-key');
    return key === null ? {} : { idempotencyKey: key };
  };

  const route = async (
    request: Request,
    path: string,
    allowed: (scope: ConsentScope) => boolean,
  ): Promise<Response> => {
    const method = request.method;
    if (path.startsWith('/consents/') && method === 'POST') {
      const action = path.slice('/consents/'.length);
      const needs: ConsentScope = action === 'check' || action === 'history' ? 'read' : 'write';
      if (!allowed(needs)) return problem(403, 'FORBIDDEN', `this caller lacks the ${needs} scope`);
      const input = await body(request);
      switch (action) {
        case 'give':
          return json(
            201,
            await service.give(input as unknown as DecisionInput, idempotencyKey(request)),
          );
        case 'refuse':
          return json(
            201,
            await service.refuse(input as unknown as DecisionInput, idempotencyKey(request)),
          );
        case 'withdraw':
          return json(
            200,
            await service.withdraw(input as unknown as WithdrawInput, idempotencyKey(request)),
          );
        case 'check': {
          const at = input.at;
          if (at !== undefined && (typeof at !== 'string' || !isDateTime(at))) {
            throw invalid('at', 'at must be an RFC 3339 date-time');
          }
          return json(
            200,
            await service.check({
              ...(input as unknown as ConsentCheckQuery),
              ...(at === undefined ? {} : { at: new Date(at) }),
            }),
          );
        }
        case 'history':
          return json(200, await service.history(input.subject as string));
        default:
          return problem(404, 'NOT_FOUND', 'no such route');
      }
    }
    const receipt = receiptPath.exec(path);
    if (receipt !== null && method === 'GET') {
      if (!allowed('read')) return problem(403, 'FORBIDDEN', 'this caller lacks the read scope');
      const jws = await service.receipt(receipt[1] as string);
      if (receipt[2] === undefined) return json(200, { eventId: receipt[1], receipt: jws });
      const { record } = await verifyReceipt(jws, service.jwks());
      return json(200, toKantaraReceipt(record));
    }
    return problem(404, 'NOT_FOUND', 'no such route');
  };

  return async (request) => {
    try {
      const url = new URL(request.url);
      if (!url.pathname.startsWith(`${basePath}/`))
        return problem(404, 'NOT_FOUND', 'no such route');
      const path = url.pathname.slice(basePath.length);
      if (request.method === 'GET' && path === '/.well-known/jwks.json') {
        return new Response(JSON.stringify(service.jwks()), {
          headers: {
            'content-type': 'application/jwk-set+json',
            'cache-control': 'public, max-age=300',
          },
        });
      }
      if (request.method === 'GET' && path === '/openapi.json') {
        return new Response(
          JSON.stringify(consentOpenApiDocument({ serverUrl: `${url.origin}${basePath}` })),
          {
            headers: { 'content-type': 'application/json' },
          },
        );
      }
      const caller = await authenticate(request);
      if (caller === undefined) {
        return problem(
          401,
          'UNAUTHENTICATED',
          'send X-Api-Key or Authorization: Bearer',
          {},
          {
            'www-authenticate': 'Bearer realm="consent"',
          },
        );
      }
      return await route(request, path, (scope) => caller.scopes.includes(scope));
    } catch (error) {
      return problemOf(error);
    }
  };
}
