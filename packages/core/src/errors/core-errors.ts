import { CivicError } from './civic-error.js';

/**
 * Codes of {@link HttpError}.
 *
 * @example
 * ```ts
 * const code: HttpErrorCode = 'HTTP_TIMEOUT';
 * ```
 */
export type HttpErrorCode =
  | 'HTTP_TIMEOUT'
  | 'HTTP_RESPONSE_TOO_LARGE'
  | 'HTTP_NETWORK'
  | 'HTTP_STATUS'
  | 'HTTP_ABORTED'
  | 'HTTP_INVALID_REQUEST'
  | 'HTTP_INVALID_RESPONSE'
  | 'HTTP_CLIENT_CLOSED'
  | 'HTTP_EGRESS_REFUSED';

/**
 * A failed outbound HTTP call: a timeout, a refused or reset connection, an
 * oversized body or an unexpected status. Carries `status`, `isRetryable` and
 * the remote `requestId`; never the response body.
 *
 * @example
 * ```ts
 * if (HttpError.isInstance(error) && error.code === 'HTTP_STATUS') console.warn(error.status);
 * ```
 */
export class HttpError extends CivicError<HttpErrorCode> {
  static override readonly errorName: string = 'HttpError';
  declare readonly name: 'HttpError';
}

/**
 * Codes of {@link SqlError}.
 *
 * @example
 * ```ts
 * const code: SqlErrorCode = 'SQL_MIGRATION_FAILED';
 * ```
 */
export type SqlErrorCode =
  | 'SQL_QUERY_FAILED'
  | 'SQL_UNIQUE_VIOLATION'
  | 'SQL_CONNECTION_FAILED'
  | 'SQL_MIGRATION_FAILED'
  | 'SQL_MIGRATION_INVALID'
  | 'SQL_MIGRATION_MODIFIED'
  | 'SQL_SERIALIZATION_FAILURE'
  | 'SQL_QUERY_TIMEOUT'
  | 'SQL_QUERY_CANCELLED'
  | 'SQL_ROOT_EXECUTOR_IN_TRANSACTION'
  | 'SQL_FOREIGN_TRANSACTION'
  | 'SQL_LOCK_TIMEOUT';

/**
 * A failed database operation or migration. The SQL text and parameters are
 * never part of the message: parameters may hold personal data.
 *
 * @example
 * ```ts
 * if (SqlError.isInstance(error) && error.code === 'SQL_UNIQUE_VIOLATION') return existing;
 * ```
 */
export class SqlError extends CivicError<SqlErrorCode> {
  static override readonly errorName: string = 'SqlError';
  declare readonly name: 'SqlError';
}

/**
 * Codes of {@link AuditError}.
 *
 * @example
 * ```ts
 * const code: AuditErrorCode = 'AUDIT_INVALID_ENTRY';
 * ```
 */
export type AuditErrorCode =
  | 'AUDIT_INVALID_ENTRY'
  | 'AUDIT_APPEND_CONFLICT'
  | 'AUDIT_DUPLICATE_ID'
  | 'AUDIT_SIGNED_HEAD_INVALID';

/**
 * A refused audit-chain operation.
 *
 * @example
 * ```ts
 * if (AuditError.isInstance(error)) console.warn(error.code);
 * ```
 */
export class AuditError extends CivicError<AuditErrorCode> {
  static override readonly errorName: string = 'AuditError';
  declare readonly name: 'AuditError';
}

/**
 * Codes of {@link WebhookError}.
 *
 * @example
 * ```ts
 * const code: WebhookErrorCode = 'WEBHOOK_SIGNATURE_MISMATCH';
 * ```
 */
export type WebhookErrorCode =
  | 'WEBHOOK_MISSING_HEADER'
  | 'WEBHOOK_INVALID_TIMESTAMP'
  | 'WEBHOOK_TIMESTAMP_TOO_OLD'
  | 'WEBHOOK_TIMESTAMP_TOO_NEW'
  | 'WEBHOOK_SIGNATURE_MISMATCH'
  | 'WEBHOOK_BODY_NOT_RAW'
  | 'WEBHOOK_INVALID_SECRET'
  | 'WEBHOOK_INVALID_ID'
  | 'WEBHOOK_BODY_TOO_LARGE'
  | 'WEBHOOK_BODY_UNREADABLE';

/**
 * A webhook that could not be signed or verified.
 *
 * @example
 * ```ts
 * if (WebhookError.isInstance(error)) return new Response(null, { status: 400 });
 * ```
 */
export class WebhookError extends CivicError<WebhookErrorCode> {
  static override readonly errorName: string = 'WebhookError';
  declare readonly name: 'WebhookError';
}

/**
 * Codes of {@link OutboxError}.
 *
 * @example
 * ```ts
 * const code: OutboxErrorCode = 'OUTBOX_JOB_NOT_DEAD';
 * ```
 */
export type OutboxErrorCode =
  | 'OUTBOX_JOB_NOT_FOUND'
  | 'OUTBOX_JOB_NOT_DEAD'
  | 'OUTBOX_PERMANENT_FAILURE'
  | 'OUTBOX_RETRY_LATER'
  | 'OUTBOX_DELIVERY_FAILED'
  | 'OUTBOX_SUBSCRIPTION_NOT_FOUND';

/**
 * A refused outbox operation, or a job attempt that failed. A handler throws
 * `OUTBOX_PERMANENT_FAILURE` to dead-letter its job at once and
 * `OUTBOX_RETRY_LATER` (optionally with `details.retryAfterMs`) to be
 * retried; event delivery throws `OUTBOX_DELIVERY_FAILED` with the
 * receiver's `status` when it does not answer 2xx.
 *
 * @example
 * ```ts
 * throw new OutboxError('OUTBOX_RETRY_LATER', 'the registry is closed for maintenance', {
 *   isRetryable: true,
 *   details: { retryAfterMs: 60_000 },
 * });
 * ```
 */
export class OutboxError extends CivicError<OutboxErrorCode> {
  static override readonly errorName: string = 'OutboxError';
  declare readonly name: 'OutboxError';
}

/**
 * Codes of {@link InvalidInputError}.
 *
 * @example
 * ```ts
 * const code: InvalidInputErrorCode = 'INVALID_ARGUMENT';
 * ```
 */
export type InvalidInputErrorCode = 'INVALID_ARGUMENT' | 'INVALID_EVENT' | 'I18N_MISSING_MESSAGE';

/**
 * A caller passed a value core cannot use. The message says which argument
 * and why, never the value itself.
 *
 * @example
 * ```ts
 * if (InvalidInputError.isInstance(error)) console.warn(error.details?.['argument']);
 * ```
 */
export class InvalidInputError extends CivicError<InvalidInputErrorCode> {
  static override readonly errorName: string = 'InvalidInputError';
  declare readonly name: 'InvalidInputError';
}

/**
 * Codes of {@link IdempotencyError}.
 *
 * @example
 * ```ts
 * const code: IdempotencyErrorCode = 'IDEMPOTENCY_KEY_CONFLICT';
 * ```
 */
export type IdempotencyErrorCode =
  | 'IDEMPOTENCY_KEY_CONFLICT'
  | 'IDEMPOTENCY_INVALID_INPUT'
  | 'IDEMPOTENCY_RESULT_NOT_JSON';

/**
 * A refused use of core's idempotency store: the key was already used with a
 * different request (`IDEMPOTENCY_KEY_CONFLICT`, with a `userMessage`),
 * an invalid scope, key or ttl, or a result that is not JSON. Never carries
 * the key or the request.
 *
 * @example
 * ```ts
 * if (IdempotencyError.isInstance(error) && error.code === 'IDEMPOTENCY_KEY_CONFLICT') {
 *   return new Response(null, { status: 422 });
 * }
 * ```
 */
export class IdempotencyError extends CivicError<IdempotencyErrorCode> {
  static override readonly errorName: string = 'IdempotencyError';
  declare readonly name: 'IdempotencyError';
}

/**
 * Every error `@civicblocks/core` throws. `switch (error.code)` narrows it to
 * the class that carries that code.
 *
 * @example
 * ```ts
 * function describe(error: CoreError): string {
 *   switch (error.code) {
 *     case 'HTTP_TIMEOUT': return `timed out (${error.name})`;
 *     default: return error.code;
 *   }
 * }
 * ```
 */
export type CoreError =
  | HttpError
  | SqlError
  | AuditError
  | WebhookError
  | InvalidInputError
  | OutboxError
  | IdempotencyError;

/**
 * Every code `@civicblocks/core` uses.
 *
 * @example
 * ```ts
 * const codes: CoreErrorCode[] = ['HTTP_TIMEOUT', 'SQL_QUERY_FAILED'];
 * ```
 */
export type CoreErrorCode = CoreError['code'];
