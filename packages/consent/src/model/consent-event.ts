import type { NoticeReference } from './notice.js';

/**
 * What can happen to a consent. A record's status is never stored on its
 * own: it is derived from these events (see {@link derivePurposeStatuses}).
 *
 * @example
 * ```ts
 * const kind: ConsentEventKind = 'withdrawn';
 * ```
 */
export type ConsentEventKind =
  | 'requested'
  | 'given'
  | 'refused'
  | 'withdrawn'
  | 'expired'
  | 'renewed'
  | 'invalidated';

/**
 * How a proxy is related to the subject they decide for (Law 91/2025/QH15:
 * parents or guardians decide for children; representatives for people who
 * cannot decide themselves).
 *
 * @example
 * ```ts
 * const relationship: ProxyRelationship = 'parent';
 * ```
 */
export type ProxyRelationship =
  | 'parent'
  | 'guardian'
  | 'legal-representative'
  | 'authorised-person';

/**
 * Who recorded an event: the subject, a proxy acting for them (with the
 * relationship), or the system (expiry, invalidation by a new notice).
 *
 * @example
 * ```ts
 * const actor: ConsentActor = { kind: 'proxy', id: '079088001234', relationship: 'parent' };
 * ```
 */
export type ConsentActor =
  | { readonly kind: 'subject' }
  | { readonly kind: 'proxy'; readonly id: string; readonly relationship: ProxyRelationship }
  | { readonly kind: 'system' };

/**
 * How the decision was collected (Kantara `collectionMethod`).
 *
 * @example
 * ```ts
 * const method: CollectionMethod = 'web-form';
 * ```
 */
export type CollectionMethod = 'web-form' | 'api' | 'paper' | 'in-person' | 'phone';

/**
 * One event of a subject's consent history, as recorded.
 *
 * @example
 * ```ts
 * const [first] = (await consent.history(subject)).events;
 * console.log(first?.kind, first?.purposes, first?.decidedAt);
 * ```
 */
export interface ConsentEvent {
  /** UUIDv7. Also the id of the receipt of a `given` or `withdrawn` event. */
  readonly id: string;
  /** 1, 2, 3, ... within the subject's history (and its audit chain). */
  readonly sequence: number;
  readonly kind: ConsentEventKind;
  readonly notice: NoticeReference;
  /** The controller of the notice. */
  readonly controller: string;
  /** The purposes this event decides. */
  readonly purposes: readonly string[];
  readonly decidedAt: Date;
  /** When a `given` or `renewed` consent stops being in force, if it ever does. */
  readonly expiresAt?: Date;
  readonly actor: ConsentActor;
  readonly method: CollectionMethod | 'system';
}

/**
 * The derived state of one purpose: `none` when nothing was ever recorded.
 *
 * @example
 * ```ts
 * const status: PurposeStatus = 'given';
 * ```
 */
export type PurposeStatus =
  | 'none'
  | 'requested'
  | 'given'
  | 'refused'
  | 'withdrawn'
  | 'expired'
  | 'invalidated';

/**
 * Where one purpose stands, and the event it rests on.
 *
 * @example
 * ```ts
 * const state: PurposeState = { controller: 'molisa', purpose: 'sms-updates', status: 'given', notice: { id: 'sms', version: 1 }, eventId, decidedAt };
 * ```
 */
export interface PurposeState {
  readonly controller: string;
  readonly purpose: string;
  readonly status: PurposeStatus;
  readonly notice: NoticeReference;
  readonly eventId: string;
  readonly decidedAt: Date;
  readonly expiresAt?: Date;
}

/**
 * Derives the status of every purpose from a subject's events: the latest
 * event for a (controller, purpose) decides (a `requested` event only while
 * nothing was decided: asking again never hides a decision), then time is applied — a
 * `given` or `renewed` consent whose `expiresAt` is at or before `at` is
 * `expired`, and one given under a notice version older than the latest
 * version that re-asks (`reaskVersions[noticeId]`) is `invalidated`.
 * Events after `at` are ignored.
 *
 * @example
 * ```ts
 * const statuses = derivePurposeStatuses(history.events, { at: new Date() });
 * statuses.find((state) => state.purpose === 'sms-updates')?.status; // 'withdrawn'
 * ```
 */
export function derivePurposeStatuses(
  events: readonly ConsentEvent[],
  options: { readonly at: Date; readonly reaskVersions?: Readonly<Record<string, number>> },
): PurposeState[] {
  const latest = new Map<string, { event: ConsentEvent; purpose: string }>();
  const ordered = [...events].sort((a, b) => a.sequence - b.sequence);
  for (const event of ordered) {
    if (event.decidedAt.getTime() > options.at.getTime()) continue;
    for (const purpose of event.purposes) {
      const key = `${event.controller}\u0000${purpose}`;
      // A request never hides a decision: it stands only while nothing was decided.
      if (
        event.kind === 'requested' &&
        (latest.get(key)?.event.kind ?? 'requested') !== 'requested'
      )
        continue;
      latest.set(key, { event, purpose });
    }
  }
  return [...latest.values()].map(({ event, purpose }) => {
    const reask = options.reaskVersions?.[event.notice.id];
    return {
      controller: event.controller,
      purpose,
      status: statusAt(event, options.at, reask),
      notice: event.notice,
      eventId: event.id,
      decidedAt: event.decidedAt,
      ...(event.expiresAt === undefined ? {} : { expiresAt: event.expiresAt }),
    };
  });
}

/**
 * The status one latest event gives its purposes at `at`; expiry is checked
 * first, then a re-asking notice version.
 * @internal
 */
export function statusAt(
  event: Pick<ConsentEvent, 'kind' | 'expiresAt' | 'notice'>,
  at: Date,
  reaskVersion: number | undefined,
): PurposeStatus {
  if (event.kind === 'given' || event.kind === 'renewed') {
    if (event.expiresAt !== undefined && event.expiresAt.getTime() <= at.getTime())
      return 'expired';
    if (reaskVersion !== undefined && reaskVersion > event.notice.version) return 'invalidated';
    return 'given';
  }
  return event.kind;
}
