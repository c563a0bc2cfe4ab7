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

// sql

// audit

// webhooks

// events

// time and ids

// i18n
