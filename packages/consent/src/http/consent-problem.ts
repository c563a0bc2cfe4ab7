import { ConsentError, type ConsentErrorCode } from '../errors/consent-error.js';

const statuses: Record<ConsentErrorCode, number> = {
  CONSENT_INVALID_INPUT: 400,
  CONSENT_INVALID_NOTICE: 400,
  CONSENT_UNKNOWN_PURPOSE: 400,
  CONSENT_INVALID_RECEIPT: 400,
  CONSENT_UNKNOWN_NOTICE: 404,
  CONSENT_UNKNOWN_RECEIPT: 404,
  CONSENT_NOT_GIVEN: 409,
  CONSENT_NOTICE_EXISTS: 409,
  CONSENT_IDEMPOTENCY_CONFLICT: 422,
  CONSENT_INVALID_KEY: 500,
  CONSENT_HISTORY_BROKEN: 500,
};

/** An RFC 9457 problem response. @internal */
export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(
    JSON.stringify({ type: 'about:blank', title: code, status, code, detail, ...extra }),
    {
      status,
      headers: {
        'content-type': 'application/problem+json',
        'cache-control': 'no-store',
        ...headers,
      },
    },
  );
}

/** The response for an error: a typed error says what; anything else is a bare 500. @internal */
export function problemOf(error: unknown): Response {
  if (ConsentError.isInstance(error)) {
    const status = statuses[error.code] ?? 500;
    if (status === 500) return problem(500, 'INTERNAL_ERROR', 'the consent service failed');
    const field = error.details?.field;
    return problem(status, error.code, error.message, {
      ...(typeof field === 'string' ? { field } : {}),
      ...(error.userMessage === undefined ? {} : { userMessage: error.userMessage }),
    });
  }
  const retryable =
    typeof error === 'object' &&
    error !== null &&
    (error as { isRetryable?: unknown }).isRetryable === true;
  return retryable
    ? problem(503, 'UNAVAILABLE', 'the consent service is briefly unavailable: retry', {})
    : problem(500, 'INTERNAL_ERROR', 'the consent service failed');
}
