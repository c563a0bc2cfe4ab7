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
  IdempotencyError,
  type IdempotencyErrorCode,
  InvalidInputError,
  type InvalidInputErrorCode,
  OutboxError,
  type OutboxErrorCode,
  SqlError,
  type SqlErrorCode,
  WebhookError,
  type WebhookErrorCode,
} from './errors/core-errors.js';

// http
export {
  type DeliveryHttpClientOptions,
  deliveryHttpClientOptions,
} from './http/delivery-http-client-options.js';
export type {
  EgressPolicyOptions,
  HttpProxyOption,
  HttpTlsOptions,
} from './http/egress-options.js';
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
export { readLimitedBody } from './http/read-limited-body.js';

// sql

export { acquireTransactionLock } from './sql/advisory-lock.js';
export { auditEntriesTable, coreMigrations } from './sql/core-migrations.js';
export {
  defineMigrations,
  type MigrateOptions,
  type Migration,
  type MigrationReport,
  type MigrationSet,
  migrate,
  migrationChecksum,
  migrationsTable,
} from './sql/migrations.js';
export { notify } from './sql/notify.js';
export type {
  ClosableSqlExecutor,
  SqlExecutor,
  SqlIsolationLevel,
  SqlListener,
  SqlQueryOptions,
  SqlQueryResult,
  SqlRow,
  SqlStreamOptions,
  SqlTransactionOptions,
  SqlValue,
} from './sql/sql-executor.js';
export {
  isTransactionRetryable,
  type TransactionRetryOptions,
  withTransactionRetry,
} from './sql/transaction-retry.js';
export { executorFor, type SqlWriteOptions } from './sql/unit-of-work.js';

// idempotency

export {
  idempotencyKeysTable,
  idempotencyMigrations,
  replayIdsTable,
} from './idempotency/idempotency-migrations.js';
export {
  createIdempotencyStore,
  type IdempotencyRunInput,
  type IdempotencyStore,
  type IdempotencyStoreOptions,
  type ReplayConsumeInput,
} from './idempotency/idempotency-store.js';
export { requestFingerprint } from './idempotency/request-fingerprint.js';

// audit

export {
  type AuditAppendInput,
  type AuditChain,
  type AuditChainOptions,
  type AuditChainProblem,
  type AuditChainValid,
  type AuditEntry,
  type AuditErasure,
  type AuditHead,
  type AuditPendingEntry,
  type AuditProblemKind,
  type AuditVerification,
  type AuditVerifyOptions,
  createAuditChain,
} from './audit/audit-chain.js';
export {
  type AuditEntryHashInput,
  type AuditEntryV2HashInput,
  type AuditPayloadDigestInput,
  auditEntryHash,
  auditEntryHashV2,
  auditGenesisHash,
  auditPayloadDigest,
} from './audit/audit-entry-hash.js';
export {
  auditMigrations,
  auditPayloadsTable,
  auditPendingTable,
} from './audit/audit-migrations.js';
export {
  type AuditAnchor,
  type AuditHeadSigningKey,
  type AuditHeadVerificationKeys,
  type SignedAuditHead,
  type SignHeadOptions,
  signHead,
  type VerifySignedHeadOptions,
  verifySignedHead,
} from './audit/audit-signed-head.js';
export { canonicalJson, type JsonValue } from './audit/canonical-json.js';

// webhooks

export {
  type SignWebhookOptions,
  type StandardWebhookHeaders,
  signWebhook,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookBody,
  type WebhookHeaders,
} from './webhooks/standard-webhooks.js';
export {
  type VerifiedWebhookRequest,
  type VerifyWebhookRequestOptions,
  verifyWebhookRequest,
} from './webhooks/webhook-request.js';
export { createWebhookSecret, type WebhookSecret } from './webhooks/webhook-secret.js';

// events

export {
  type CloudEvent,
  type CloudEventExtensionValue,
  type CreateCloudEventOptions,
  createCloudEvent,
  isJsonMediaType,
} from './events/cloud-event.js';
export {
  cloudEventFromJson,
  type ParseCloudEventOptions,
  parseCloudEvent,
  parseCloudEventBatch,
  type StructuredCloudEvent,
  serializeCloudEvent,
  serializeCloudEventBatch,
} from './events/structured-mode.js';

// outbox and event delivery

export { createEventDelivery } from './event-delivery/event-delivery.js';
export type {
  EventDelivery,
  EventDeliveryOptions,
  EventPublishResult,
  EventSubscription,
  EventSubscriptionInput,
} from './event-delivery/event-delivery-types.js';
export { createOutbox } from './outbox/outbox.js';
export {
  eventSubscriptionsTable,
  outboxJobsTable,
  outboxMigrations,
  outboxRateLimitsTable,
} from './outbox/outbox-migrations.js';
export type {
  Outbox,
  OutboxBackoffOptions,
  OutboxCounts,
  OutboxEnqueueInput,
  OutboxEnqueueResult,
  OutboxEvent,
  OutboxFailure,
  OutboxHandler,
  OutboxHandlerContext,
  OutboxJob,
  OutboxJobState,
  OutboxListOptions,
  OutboxOptions,
  OutboxRateLimit,
  OutboxStopOptions,
  OutboxWorker,
  OutboxWorkerOptions,
} from './outbox/outbox-types.js';
export { outboxChannel } from './outbox/outbox-wakeup.js';
export { createOutboxWorker } from './outbox/outbox-worker.js';

// time and ids

export {
  createUuidv7Generator,
  isUuidv7,
  type Uuidv7Generator,
  uuidv7,
  uuidv7Timestamp,
} from './ids/uuidv7.js';
export { type Clock, createManualClock, type ManualClock, systemClock } from './time/clock.js';

// i18n

export {
  createMessageCatalogue,
  escapeHtml,
  type MessageCatalogue,
  type MessageCatalogueOptions,
  type MessageTemplate,
  type MessageValue,
  negotiateLocale,
  type UnsafeHtml,
  unsafeHtml,
} from './i18n/message-catalogue.js';
