import { escapeHtml, negotiateLocale, userMessageOf } from '@civicblocks/core';
import { IdentityError, isConfigurationError } from '../errors/identity-error.js';

/**
 * The HTTP status of a failed sign-in: 503 when the provider is unavailable
 * (try again), 502 when it could not be reached, 500 for a configuration
 * mistake of the service, 400 for a refused or abandoned sign-in.
 */
export function statusOf(error: IdentityError): number {
  if (isConfigurationError(error)) return 500;
  if (error.code === 'IDENTITY_PROVIDER_UNAVAILABLE') return 503;
  if (
    error.isRetryable ||
    error.code === 'IDENTITY_PROVIDER_REQUEST_FAILED' ||
    error.code === 'IDENTITY_DISCOVERY_FAILED'
  ) {
    return 502;
  }
  return 400;
}

/**
 * The default page for a failed sign-in: the error's citizen text in the
 * language the browser prefers (Vietnamese or English), a neutral text for
 * configuration mistakes, `Retry-After` when the provider is unavailable.
 */
export function errorPage(error: IdentityError, request: Request): Response {
  const language = negotiateLocale(request.headers.get('accept-language'), ['vi', 'en'], 'en');
  const text = userMessageOf(error, language);
  const status = statusOf(error);
  return new Response(
    `<!doctype html><html lang="${language}"><meta charset="utf-8"><title>${escapeHtml(text)}</title><p>${escapeHtml(text)}</p></html>`,
    {
      status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        ...(status === 503 ? { 'retry-after': '60' } : {}),
      },
    },
  );
}

/** Anything thrown that is not an IdentityError becomes one (its cause sanitised). */
export function asIdentityError(error: unknown): IdentityError {
  return IdentityError.isInstance(error)
    ? error
    : new IdentityError('IDENTITY_PROVIDER_REQUEST_FAILED', 'sign-in failed unexpectedly', {
        cause: error,
      });
}

/**
 * The default error report: configuration mistakes, loudly, as one stderr
 * line with the code and the developer message (never personal data);
 * other refusals are the citizen's business and are not logged.
 */
export function defaultErrorReport(error: IdentityError): void {
  if (!isConfigurationError(error)) return;
  console.error(
    `@civicblocks/identity: CONFIGURATION ERROR ${error.code}: ${error.message} — fix the relying party's options or its registration with the provider`,
  );
}
