/**
 * The stable entry point of `@civicblocks/core`: typed errors, the HTTP client,
 * the SQL executor and migrations, the audit chain, Standard Webhooks,
 * CloudEvents, clock, ids and i18n. Database adapters live behind
 * `@civicblocks/core/pglite` and `@civicblocks/core/pg`; test helpers behind
 * `@civicblocks/core/testing`.
 *
 * @packageDocumentation
 * @module @civicblocks/core
 */

// errors
export {
  CivicError,
  type CivicErrorClass,
  type CivicErrorOptions,
  type LocalizedText,
  userMessageOf,
} from './errors/civic-error.js';
export {
  AuditError,
  type AuditErrorCode,
  type CoreError,
  type CoreErrorCode,
  HttpError,
  type HttpErrorCode,
  InvalidInputError,
  type InvalidInputErrorCode,
  SqlError,
  type SqlErrorCode,
  WebhookError,
  type WebhookErrorCode,
} from './errors/core-errors.js';

// http
export {
  createHttpClient,
  defaultUserAgent,
  type HttpClient,
  type HttpClientOptions,
  type HttpFetch,
} from './http/http-client.js';
export type {
  HttpEvent,
  HttpEventBase,
  HttpRequestFailedEvent,
  HttpResponseReceivedEvent,
  HttpRetryScheduledEvent,
} from './http/http-events.js';
export type { HttpRequestOptions } from './http/http-request.js';
export type { HttpResponse, HttpResponseHeaders } from './http/http-response.js';
export { fullJitterDelay, type HttpRetryOptions, parseRetryAfter } from './http/http-retry.js';

// sql

export { acquireTransactionLock } from './sql/advisory-lock.js';
export { auditEntriesTable, coreMigrations } from './sql/core-migrations.js';
export {
  type MigrateOptions,
  type Migration,
  type MigrationReport,
  type MigrationSet,
  migrate,
  migrationChecksum,
  migrationsTable,
} from './sql/migrations.js';
export type {
  ClosableSqlExecutor,
  SqlExecutor,
  SqlQueryResult,
  SqlRow,
  SqlValue,
} from './sql/sql-executor.js';

// audit

export {
  type AuditAppendInput,
  type AuditChain,
  type AuditChainOptions,
  type AuditChainProblem,
  type AuditChainValid,
  type AuditEntry,
  type AuditHead,
  type AuditProblemKind,
  type AuditVerification,
  type AuditVerifyOptions,
  createAuditChain,
} from './audit/audit-chain.js';
export {
  type AuditEntryHashInput,
  auditEntryHash,
  auditGenesisHash,
} from './audit/audit-entry-hash.js';
export { canonicalJson, type JsonValue } from './audit/canonical-json.js';

// webhooks

// events

// time and ids

// i18n
