/**
 * Record, prove, check and withdraw citizens' consent: notices versioned per
 * ISO/IEC TS 27560 and the W3C Data Privacy Vocabulary, an event log per
 * subject on core's erasable audit chain, signed receipts (compact JWS,
 * ES256) exportable as Kantara Consent Receipts, consent CloudEvents through
 * core's outbox, a web-standard HTTP service and an accessible consent page.
 *
 * @packageDocumentation
 * @module @civicblocks/consent
 */

export {
  ConsentError,
  type ConsentErrorCode,
  consentUserMessages,
} from './errors/consent-error.js';
export type {
  ConsentApiKey,
  ConsentAuthenticationOptions,
  ConsentCaller,
  ConsentScope,
} from './http/consent-authentication.js';
export { type ConsentHandlerOptions, createConsentHandler } from './http/consent-handler.js';
export { type ConsentOpenApiOptions, consentOpenApiDocument } from './http/consent-openapi.js';
export type {
  ConsentCheckDecision,
  ConsentCheckQuery,
  ConsentCheckReason,
} from './model/check-decision.js';
export { checkNotice } from './model/check-notice.js';
export {
  type CollectionMethod,
  type ConsentActor,
  type ConsentEvent,
  type ConsentEventKind,
  derivePurposeStatuses,
  type ProxyRelationship,
  type PurposeState,
  type PurposeStatus,
} from './model/consent-event.js';
export {
  type ConsentNotice,
  type DataCategory,
  type ExistingConsents,
  type LawfulBasis,
  lawfulBasisDpv,
  type NoticeController,
  type NoticePurpose,
  type NoticeReference,
  type Recipient,
} from './model/notice.js';
export { type VerifiedReceipt, verifyReceipt } from './receipts/consent-receipt.js';
export type { ConsentRecord, ConsentRecordProcessing } from './receipts/consent-record.js';
export { type KantaraConsentReceipt, toKantaraReceipt } from './receipts/kantara-receipt.js';
export {
  type ConsentJwks,
  type ConsentKeyRing,
  type ConsentSigningKey,
  consentJwks,
  generateConsentSigningKey,
  publicJwk,
} from './receipts/signing-keys.js';
export {
  type ConsentPage,
  type ConsentPageOptions,
  readConsentChoices,
  renderConsentRequestPage,
} from './render/consent-page.js';
export type { ConsentCloudEventData } from './service/consent-events-out.js';
export type {
  ConsentDecisionResult,
  ConsentErasure,
  ConsentEventsOptions,
  ConsentHistory,
  ConsentProxy,
  ConsentService,
  ConsentServiceOptions,
  ConsentSubjectExport,
  ConsentWriteOptions,
  DecisionInput,
  HistoryVerification,
  RenewInput,
  WithdrawInput,
} from './service/consent-service-types.js';
export { createConsentService } from './service/create-consent-service.js';
export { consentMigrations, consentTables } from './store/consent-migrations.js';
