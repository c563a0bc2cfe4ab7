import type {
  Clock,
  EventDelivery,
  IdempotencyStore,
  SqlExecutor,
  SqlWriteOptions,
} from '@civicblocks/core';
import type { ConsentCheckDecision, ConsentCheckQuery } from '../model/check-decision.js';
import type {
  CollectionMethod,
  ConsentEvent,
  ConsentEventKind,
  ProxyRelationship,
  PurposeState,
} from '../model/consent-event.js';
import type { ConsentNotice, NoticeReference } from '../model/notice.js';
import type { ConsentJwks, ConsentKeyRing } from '../receipts/signing-keys.js';

/**
 * A proxy deciding for the subject: their identifier and relationship.
 *
 * @example
 * ```ts
 * const proxy: ConsentProxy = { id: '079088001234', relationship: 'parent' };
 * ```
 */
export interface ConsentProxy {
  readonly id: string;
  readonly relationship: ProxyRelationship;
}

/**
 * A decision about some purposes of one notice version: `give`, `refuse`
 * and `request` take it.
 *
 * @example
 * ```ts
 * const input: DecisionInput = { subject: '079088001234', notice: { id: 'sms-updates', version: 1 }, purposes: ['sms-updates'], method: 'web-form' };
 * ```
 */
export interface DecisionInput {
  /** The data subject's identifier (a citizen id, an account id): 1 to 200 characters. */
  readonly subject: string;
  readonly notice: NoticeReference;
  /** The purposes decided (at least one, all of the notice's). */
  readonly purposes: readonly string[];
  /** Set when a parent, guardian or representative decides for the subject. */
  readonly proxy?: ConsentProxy;
  /** Default `'api'`. */
  readonly method?: CollectionMethod;
}

/**
 * A withdrawal: every purpose of the notice (any version) in force, or only those listed.
 *
 * @example
 * ```ts
 * const input: WithdrawInput = { subject: '079088001234', notice: { id: 'sms-updates' } };
 * ```
 */
export interface WithdrawInput {
  readonly subject: string;
  readonly notice: { readonly id: string };
  readonly purposes?: readonly string[];
  readonly proxy?: ConsentProxy;
  readonly method?: CollectionMethod;
}

/**
 * A renewal: the purposes of the notice in force get a new expiry
 * (the notice version's `validity` from now).
 *
 * @example
 * ```ts
 * const input: RenewInput = { subject: '079088001234', notice: { id: 'sms-updates' } };
 * ```
 */
export type RenewInput = WithdrawInput;

/**
 * Options of a writing operation: the caller's transaction (core's unit of
 * work) and, for `give` and `withdraw`, an idempotency key so a retried
 * request never records a decision twice.
 *
 * @example
 * ```ts
 * await consent.give(input, { transaction, idempotencyKey: request.headers.get('idempotency-key') ?? undefined });
 * ```
 */
export interface ConsentWriteOptions extends SqlWriteOptions {
  /** 1 to 200 characters; the same key with a different request is refused. */
  readonly idempotencyKey?: string;
}

/**
 * What a recorded decision returns: the event, its receipt (a compact JWS,
 * for `given` and `withdrawn`), and whether it was replayed from an earlier
 * call with the same idempotency key or an earlier identical withdrawal.
 *
 * @example
 * ```ts
 * const { event, receipt } = await consent.give(input);
 * ```
 */
export interface ConsentDecisionResult {
  /** The random id of the subject's consent record (no personal data). */
  readonly recordId: string;
  readonly event: ConsentEvent;
  readonly receipt?: string;
  readonly replayed: boolean;
}

/**
 * A subject's history: their record id and every event, oldest first.
 *
 * @example
 * ```ts
 * const { events } = await consent.history(subject);
 * ```
 */
export interface ConsentHistory {
  readonly recordId?: string;
  readonly events: readonly ConsentEvent[];
  readonly statuses: readonly PurposeState[];
}

/**
 * Everything held about a subject, for a subject access request: the
 * history, the derived statuses, the receipts and the notices decided on.
 *
 * @example
 * ```ts
 * const data = await consent.export(subject);
 * return Response.json(data);
 * ```
 */
export interface ConsentSubjectExport {
  readonly subject: string;
  readonly recordId?: string;
  readonly exportedAt: string;
  readonly events: readonly ConsentEvent[];
  readonly statuses: readonly PurposeState[];
  readonly receipts: readonly { readonly eventId: string; readonly jws: string }[];
  readonly notices: readonly ConsentNotice[];
}

/**
 * The tombstone an erasure leaves: no personal data, only the record's random
 * id, its chain, when, how many events were erased, and the chain head.
 *
 * @example
 * ```ts
 * const tombstone: ConsentErasure = await consent.erase(subject);
 * await consent.verifyHistory({ recordId: tombstone.recordId });
 * ```
 */
export interface ConsentErasure {
  readonly id: string;
  readonly recordId: string;
  readonly chain: string;
  readonly erasedAt: Date;
  readonly events: number;
  readonly head: { readonly length: number; readonly hash: string };
}

/**
 * Where a subject's history is wrong, at the first place it goes wrong.
 * `table` says whether the chain itself or the event / decision rows
 * disagree with it.
 *
 * @example
 * ```ts
 * const result = await consent.verifyHistory(subject);
 * if (!result.ok) console.warn(result.problem, result.sequence, result.table);
 * ```
 */
export type HistoryVerification =
  | {
      readonly ok: true;
      readonly recordId?: string;
      readonly length: number;
      /** Entries whose personal data was erased (all of them after `erase`). */
      readonly erased: number;
    }
  | {
      readonly ok: false;
      readonly recordId: string;
      readonly problem: 'modified' | 'missing' | 'reordered' | 'added';
      readonly sequence: number;
      readonly table: 'chain' | 'events' | 'decisions';
      readonly eventId?: string;
    };

/**
 * Where to send `consent-given`, `consent-withdrawn` and `consent-expired`
 * CloudEvents: core's event delivery, the CloudEvents `source`, and a type
 * prefix (types are `${typePrefix}consent-given`, ...).
 *
 * @example
 * ```ts
 * const events: ConsentEventsOptions = { delivery, source: 'https://consent.example.gov.vn' };
 * ```
 */
export interface ConsentEventsOptions {
  readonly delivery: EventDelivery;
  readonly source: string;
  /** Default `'org.civicblocks.consent.'`. */
  readonly typePrefix?: string;
}

/**
 * Options of {@link createConsentService}.
 *
 * @example
 * ```ts
 * const options: ConsentServiceOptions = { executor, keys: { current: signingKey }, events: { delivery, source: 'https://consent.example.gov.vn' } };
 * ```
 */
export interface ConsentServiceOptions {
  /** The database (run `coreMigrations` and `consentMigrations` first). */
  readonly executor: SqlExecutor;
  /** Receipt signing keys; retired keys stay in the JWKS. */
  readonly keys: ConsentKeyRing;
  /** Publishes consent events in the same transaction as the decision. */
  readonly events?: ConsentEventsOptions;
  /** Core's idempotency store (`createIdempotencyStore`); created on `executor` when absent. */
  readonly idempotency?: IdempotencyStore;
  readonly clock?: Clock;
  /** Attempts of a decision's transaction on serialization failure (default 8). */
  readonly attempts?: number;
}

/**
 * The consent service: record, check, prove and withdraw consent. Every
 * method that writes accepts `{ transaction }`; `give` and `withdraw` also
 * an idempotency key. Decisions for one subject are serialised.
 *
 * @example
 * ```ts
 * const consent = await createConsentService({ executor, keys: { current: key } });
 * await consent.publishNotice(notice);
 * await consent.give({ subject, notice: { id: notice.id, version: 1 }, purposes: ['sms-updates'] });
 * const decision = await consent.check({ subject, controller: 'molisa', purpose: 'sms-updates', dataCategories: ['phone'] });
 * ```
 */
export interface ConsentService {
  /**
   * Publishes a notice version (immutable). Publishing the same content
   * again is a no-op; other content under the same version is refused.
   * @throws {@link ConsentError} `CONSENT_INVALID_NOTICE`, `CONSENT_NOTICE_EXISTS`.
   */
  publishNotice(notice: ConsentNotice, options?: SqlWriteOptions): Promise<ConsentNotice>;
  /**
   * A notice version, or the latest version when `version` is absent.
   * @throws {@link ConsentError} `CONSENT_UNKNOWN_NOTICE`.
   */
  notice(reference: { readonly id: string; readonly version?: number }): Promise<ConsentNotice>;
  /** Records that the subject was asked (the notice was shown). */
  request(input: DecisionInput, options?: SqlWriteOptions): Promise<ConsentDecisionResult>;
  /** Records consent to the purposes; signs a receipt; publishes `consent-given`. */
  give(input: DecisionInput, options?: ConsentWriteOptions): Promise<ConsentDecisionResult>;
  /** Records a refusal of the purposes. */
  refuse(input: DecisionInput, options?: ConsentWriteOptions): Promise<ConsentDecisionResult>;
  /**
   * Withdraws consent in force; signs a receipt; publishes `consent-withdrawn`.
   * Withdrawing again what is already withdrawn returns the earlier
   * withdrawal (`replayed: true`).
   * @throws {@link ConsentError} `CONSENT_NOT_GIVEN` when nothing is in force.
   */
  withdraw(input: WithdrawInput, options?: ConsentWriteOptions): Promise<ConsentDecisionResult>;
  /**
   * Extends consent in force by the notice's validity.
   * @throws {@link ConsentError} `CONSENT_NOT_GIVEN` when nothing is in force.
   */
  renew(input: RenewInput, options?: ConsentWriteOptions): Promise<ConsentDecisionResult>;
  /** One indexed lookup: may this processing go ahead? */
  check(query: ConsentCheckQuery, options?: SqlWriteOptions): Promise<ConsentCheckDecision>;
  /** The subject's events and derived statuses. */
  history(subject: string, options?: SqlWriteOptions): Promise<ConsentHistory>;
  /** Everything held about the subject, as JSON-ready data. */
  export(subject: string, options?: SqlWriteOptions): Promise<ConsentSubjectExport>;
  /**
   * Erases the subject: deletes their identifier, events, decisions and
   * receipts, erases their chain's payloads, and leaves a tombstone.
   */
  erase(subject: string, options?: SqlWriteOptions): Promise<ConsentErasure | undefined>;
  /** Verifies a subject's (or an erased record's) history against its chain. */
  verifyHistory(
    subject: string | { readonly recordId: string },
    options?: SqlWriteOptions,
  ): Promise<HistoryVerification>;
  /**
   * The receipt (compact JWS) of a given or withdrawn event.
   * @throws {@link ConsentError} `CONSENT_UNKNOWN_RECEIPT`.
   */
  receipt(eventId: string, options?: SqlWriteOptions): Promise<string>;
  /**
   * Records `expired` for every consent whose expiry has passed (at most
   * `limit`, default 1000) and publishes `consent-expired`. Run it on a schedule.
   */
  recordExpiries(options?: { readonly limit?: number }): Promise<number>;
  /** The JWKS to publish (current and retired keys). */
  jwks(): ConsentJwks;
}

/** Kinds that yield a receipt. @internal */
export const receiptKinds: ReadonlySet<ConsentEventKind> = new Set(['given', 'withdrawn']);
