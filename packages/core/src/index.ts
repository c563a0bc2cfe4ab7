// The stable entry point of @civicblocks/core. Explicit, named exports only.

// errors
export {
  CivicError,
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
