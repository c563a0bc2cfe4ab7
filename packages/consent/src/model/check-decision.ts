import type { ConsentEventKind } from './consent-event.js';
import { statusAt } from './consent-event.js';
import type { NoticeReference } from './notice.js';

/**
 * What {@link ConsentService.check} is asked: may `controller` process these
 * data categories of `subject` for `purpose` (and disclose them to
 * `recipient`), at `at` (now by default)?
 *
 * @example
 * ```ts
 * const query: ConsentCheckQuery = { subject: '079088001234', controller: 'molisa', purpose: 'benefit-sharing', dataCategories: ['income'], recipient: 'tax-office' };
 * ```
 */
export interface ConsentCheckQuery {
  readonly subject: string;
  readonly controller: string;
  readonly purpose: string;
  readonly dataCategories: readonly string[];
  readonly recipient?: string;
  readonly at?: Date;
}

/**
 * Why a check came out as it did. `allowed` is true only with `CONSENT_IN_FORCE`.
 *
 * @example
 * ```ts
 * const reason: ConsentCheckReason = 'CONSENT_WITHDRAWN';
 * ```
 */
export type ConsentCheckReason =
  | 'CONSENT_IN_FORCE'
  | 'NO_CONSENT'
  | 'CONSENT_REQUESTED'
  | 'CONSENT_REFUSED'
  | 'CONSENT_WITHDRAWN'
  | 'CONSENT_EXPIRED'
  | 'CONSENT_INVALIDATED'
  | 'DATA_CATEGORY_NOT_COVERED'
  | 'RECIPIENT_NOT_COVERED';

/**
 * The answer of a check: allowed or not, why, the record it rests on (absent
 * when nothing was ever recorded) and when the consent stops being in force.
 *
 * @example
 * ```ts
 * const decision: ConsentCheckDecision = await consent.check(query);
 * if (!decision.allowed) return refuse(decision.reason);
 * ```
 */
export interface ConsentCheckDecision {
  readonly allowed: boolean;
  readonly reason: ConsentCheckReason;
  readonly record?: {
    /** The random id of the subject's consent record: what consent CloudEvents name. */
    readonly recordId?: string;
    readonly eventId: string;
    readonly notice: NoticeReference;
    readonly decidedAt: Date;
  };
  readonly expiresAt?: Date;
}

/** The latest decision row for a (subject, controller, purpose). @internal */
export interface LatestDecision {
  readonly kind: ConsentEventKind;
  readonly notice: NoticeReference;
  readonly eventId: string;
  readonly decidedAt: Date;
  readonly expiresAt?: Date;
  readonly dataCategories: readonly string[];
  readonly recipients: readonly string[];
  readonly reaskVersion?: number;
}

const reasons: Record<ReturnType<typeof statusAt>, ConsentCheckReason> = {
  none: 'NO_CONSENT',
  requested: 'CONSENT_REQUESTED',
  given: 'CONSENT_IN_FORCE',
  refused: 'CONSENT_REFUSED',
  withdrawn: 'CONSENT_WITHDRAWN',
  expired: 'CONSENT_EXPIRED',
  invalidated: 'CONSENT_INVALIDATED',
};

/**
 * Decides a check from the latest decision for the purpose. @internal
 */
export function decideCheck(
  latest: LatestDecision | undefined,
  query: Pick<ConsentCheckQuery, 'dataCategories' | 'recipient'>,
  at: Date,
): ConsentCheckDecision {
  if (latest === undefined) return { allowed: false, reason: 'NO_CONSENT' };
  const record = { eventId: latest.eventId, notice: latest.notice, decidedAt: latest.decidedAt };
  const expiry = latest.expiresAt === undefined ? {} : { expiresAt: latest.expiresAt };
  const status = statusAt(latest, at, latest.reaskVersion);
  if (status !== 'given') return { allowed: false, reason: reasons[status], record, ...expiry };
  if (!query.dataCategories.every((category) => latest.dataCategories.includes(category))) {
    return { allowed: false, reason: 'DATA_CATEGORY_NOT_COVERED', record, ...expiry };
  }
  if (query.recipient !== undefined && !latest.recipients.includes(query.recipient)) {
    return { allowed: false, reason: 'RECIPIENT_NOT_COVERED', record, ...expiry };
  }
  return { allowed: true, reason: 'CONSENT_IN_FORCE', record, ...expiry };
}
