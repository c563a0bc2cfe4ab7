import type { Clock, SqlExecutor, Uuidv7Generator } from '@civicblocks/core';
import { ConsentError } from '../errors/consent-error.js';
import { addDuration } from '../model/check-input.js';
import {
  type ConsentActor,
  type ConsentEvent,
  type ConsentEventKind,
  statusAt,
} from '../model/consent-event.js';
import type { ConsentNotice } from '../model/notice.js';
import { signReceipt } from '../receipts/consent-receipt.js';
import { consentRecordOf } from '../receipts/consent-record.js';
import type { ReceiptSigner } from '../receipts/signing-keys.js';
import {
  chainPayloadOf,
  decisionRowsOf,
  type EventRow,
  eventColumns,
  eventJson,
  eventOf,
  insertEvent,
} from '../store/event-rows.js';
import { appendToChain } from '../store/history-chain.js';
import { publishConsentEvent } from './consent-events-out.js';
import type { ConsentDecisionResult, ConsentEventsOptions } from './consent-service-types.js';
import { receiptKinds } from './consent-service-types.js';
import type { CheckedDecision, CheckedWithdrawal } from './decision-input.js';
import { readReceipt } from './event-reads.js';
import type { NoticeStore } from './notice-store.js';

/** What the decision engine needs. @internal */
export interface DecisionContext {
  /** The root executor the service was created with. */
  readonly root: SqlExecutor;
  readonly clock: Clock;
  readonly ids: Uuidv7Generator;
  readonly signer: ReceiptSigner;
  readonly notices: NoticeStore;
  readonly events: ConsentEventsOptions | undefined;
}

/** A checked request for one transition. @internal */
export type DecisionAction =
  | {
      readonly kind: 'requested' | 'given' | 'refused';
      readonly input: CheckedDecision;
      readonly prepared?: PreparedDecision;
    }
  | { readonly kind: 'withdrawn' | 'renewed'; readonly input: CheckedWithdrawal };

/**
 * A new decision's event, made before the transaction opens, with its
 * receipt being signed meanwhile (the receipt does not depend on the
 * database). @internal
 */
export interface PreparedDecision {
  readonly event: Omit<ConsentEvent, 'sequence'>;
  readonly receipt: Promise<string> | undefined;
}

/** When an event decided at `at` stops being in force: `given` and `renewed` last the notice's validity. */
function expiryOf(kind: ConsentEventKind, notice: ConsentNotice, at: Date): Date | undefined {
  return (kind === 'given' || kind === 'renewed') && notice.validity !== undefined
    ? addDuration(at, notice.validity)
    : undefined;
}

/** Prepares a new decision and starts signing its receipt. @internal */
export function prepareDecision(
  context: DecisionContext,
  kind: 'requested' | 'given' | 'refused',
  input: CheckedDecision,
): PreparedDecision {
  const at = context.clock.now();
  const { subject, notice, purposes, actor, method } = input;
  const expiresAt = expiryOf(kind, notice, at);
  const event: Omit<ConsentEvent, 'sequence'> = {
    id: context.ids.next(),
    kind,
    notice: { id: notice.id, version: notice.version },
    controller: notice.controller.id,
    purposes,
    decidedAt: at,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    actor,
    method,
  };
  const receipt = receiptKinds.has(kind)
    ? signReceipt(context.signer, consentRecordOf(subject, event, notice))
    : undefined;
  receipt?.catch(() => undefined);
  return { event, receipt };
}

interface LatestRow {
  readonly controller_id: string;
  readonly purpose: string;
  readonly kind: ConsentEventKind;
  readonly notice_id: string;
  readonly notice_version: number;
  readonly event_id: string;
  readonly expires_at: Date | null;
  readonly reask_version: number | null;
}

interface OpenedRow {
  readonly r_record_id: string;
  readonly r_subject: string;
  readonly r_controller_id: string | null;
  readonly r_purpose: string | null;
  readonly r_kind: ConsentEventKind | null;
  readonly r_notice_id: string | null;
  readonly r_notice_version: number | null;
  readonly r_event_id: string | null;
  readonly r_expires_at: Date | null;
  readonly r_reask_version: number | null;
  readonly r_last_sequence: number;
}

/**
 * Locks the subject's record for this transaction (creating it when asked)
 * and reads its latest decision per purpose, in one round trip
 * (`consent_open_record`). @internal
 */
export async function openRecord(
  transaction: SqlExecutor,
  target: { subject: string } | { recordId: string },
  create: { recordId: string } | undefined,
  at: Date,
): Promise<
  { recordId: string; subject: string; latest: LatestRow[]; lastSequence: number } | undefined
> {
  const { rows } = await transaction.query<OpenedRow>(
    'SELECT * FROM consent_open_record($1, $2, $3, $4)',
    'subject' in target
      ? [target.subject, create?.recordId ?? null, at, create !== undefined]
      : [null, target.recordId, at, false],
  );
  const first = rows[0];
  if (first === undefined) return undefined;
  const latest = rows
    .filter((row) => row.r_purpose !== null)
    .map((row) => ({
      controller_id: row.r_controller_id as string,
      purpose: row.r_purpose as string,
      kind: row.r_kind as ConsentEventKind,
      notice_id: row.r_notice_id as string,
      notice_version: row.r_notice_version as number,
      event_id: row.r_event_id as string,
      expires_at: row.r_expires_at,
      reask_version: row.r_reask_version,
    }));
  return {
    recordId: first.r_record_id,
    subject: first.r_subject,
    latest,
    lastSequence: first.r_last_sequence,
  };
}

function statusOf(row: LatestRow, at: Date): ReturnType<typeof statusAt> {
  return statusAt(
    {
      kind: row.kind,
      notice: { id: row.notice_id, version: row.notice_version },
      ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    },
    at,
    row.reask_version ?? undefined,
  );
}

interface PlannedEvent {
  readonly kind: ConsentEventKind;
  readonly notice: ConsentNotice;
  readonly purposes: readonly string[];
  readonly actor: ConsentActor;
  readonly method: ConsentEvent['method'];
  readonly expiresAt?: Date;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/**
 * Runs one transition inside `transaction`: locks the subject's record,
 * records any expiry or invalidation due first, then the action; each event
 * goes to the chain, the tables, a receipt and the event delivery. @internal
 */
export async function recordDecision(
  context: DecisionContext,
  transaction: SqlExecutor,
  action: DecisionAction | { readonly kind: 'due'; readonly recordId: string },
): Promise<ConsentDecisionResult | undefined> {
  const at = context.clock.now();
  const creates =
    action.kind === 'given' || action.kind === 'refused' || action.kind === 'requested';
  if (action.kind === 'given' || action.kind === 'refused' || action.kind === 'requested') {
    const fresh = await decideFresh(context, transaction, action);
    if (fresh !== undefined) return fresh;
  }
  const opened = await openRecord(
    transaction,
    action.kind === 'due' ? { recordId: action.recordId } : { subject: action.input.subject },
    creates ? { recordId: context.ids.next() } : undefined,
    at,
  );
  if (opened === undefined) {
    if (action.kind === 'due') return undefined;
    throw new ConsentError('CONSENT_NOT_GIVEN', 'there is no consent in force to act on', {
      details: { field: 'subject' },
    });
  }
  const { recordId, subject, latest } = opened;
  const planned: PlannedEvent[] = [];

  // Expiry first, then invalidation by a re-asking notice version: both are facts before any new decision.
  const lapsed = latest.filter((row) => {
    const status = statusOf(row, at);
    return status === 'expired' || status === 'invalidated';
  });
  for (const group of groupBy(
    lapsed,
    (row) => `${statusOf(row, at)}|${row.notice_id}|${row.notice_version}`,
  ).values()) {
    const first = group[0] as LatestRow;
    planned.push({
      kind: statusOf(first, at) === 'expired' ? 'expired' : 'invalidated',
      notice: await context.notices.get(
        { id: first.notice_id, version: first.notice_version },
        transaction,
      ),
      purposes: group.map((row) => row.purpose),
      actor: { kind: 'system' },
      method: 'system',
    });
  }
  const lapsedKeys = new Set(lapsed.map((row) => `${row.controller_id}|${row.purpose}`));

  if (action.kind === 'requested' || action.kind === 'given' || action.kind === 'refused') {
    const { notice, purposes, actor, method } = action.input;
    const expiresAt = expiryOf(action.kind, notice, at);
    planned.push({
      kind: action.kind,
      notice,
      purposes,
      actor,
      method,
      ...(expiresAt === undefined ? {} : { expiresAt }),
    });
  } else if (action.kind === 'withdrawn' || action.kind === 'renewed') {
    const { noticeId, purposes, actor, method } = action.input;
    const ofNotice = latest.filter(
      (row) =>
        row.notice_id === noticeId && (purposes === undefined || purposes.includes(row.purpose)),
    );
    const inForce = ofNotice.filter(
      (row) =>
        !lapsedKeys.has(`${row.controller_id}|${row.purpose}`) && statusOf(row, at) === 'given',
    );
    // A purpose the notice does not have is refused before anything is written.
    const unknown = (purposes ?? []).filter(
      (purpose) => !ofNotice.some((row) => row.purpose === purpose),
    );
    if (unknown.length > 0) {
      const current = await context.notices.latest(noticeId, transaction);
      if (unknown.some((purpose) => !current.purposes.some((declared) => declared.id === purpose)))
        throw new ConsentError('CONSENT_UNKNOWN_PURPOSE', 'the notice has no such purpose', {
          details: { field: 'purposes' },
        });
    }
    if (inForce.length === 0) {
      // Withdrawing what is already withdrawn (in one call or several) is a replay of the latest withdrawal.
      if (
        action.kind === 'withdrawn' &&
        ofNotice.length > 0 &&
        unknown.length === 0 &&
        ofNotice.every((row) => row.kind === 'withdrawn')
      ) {
        const { rows: newest } = await transaction.query<EventRow>(
          `SELECT ${eventColumns} FROM consent_events WHERE id = ANY($1::uuid[]) ORDER BY sequence DESC LIMIT 1`,
          [[...new Set(ofNotice.map((row) => row.event_id))]],
        );
        const latestWithdrawal = eventOf(newest[0] as EventRow);
        const replay: ConsentDecisionResult = { recordId, event: latestWithdrawal, replayed: true };
        const receipt = await readReceipt(transaction, latestWithdrawal.id);
        return receipt === undefined ? replay : { ...replay, receipt };
      }
      throw new ConsentError('CONSENT_NOT_GIVEN', 'there is no consent in force to act on', {
        details: { field: 'notice' },
      });
    }
    for (const group of groupBy(
      inForce,
      (row) => `${row.controller_id}|${row.notice_version}`,
    ).values()) {
      const first = group[0] as LatestRow;
      const notice = await context.notices.get(
        { id: first.notice_id, version: first.notice_version },
        transaction,
      );
      const expiresAt = expiryOf(action.kind, notice, at);
      planned.push({
        kind: action.kind,
        notice,
        purposes: group.map((row) => row.purpose),
        actor,
        method,
        ...(expiresAt === undefined ? {} : { expiresAt }),
      });
    }
  }
  if (planned.length === 0) return undefined;

  let result: ConsentDecisionResult | undefined;
  for (const plan of planned) {
    const withoutSequence: Omit<ConsentEvent, 'sequence'> = {
      id: context.ids.next(),
      kind: plan.kind,
      notice: { id: plan.notice.id, version: plan.notice.version },
      controller: plan.notice.controller.id,
      purposes: plan.purposes,
      decidedAt: at,
      ...(plan.expiresAt === undefined ? {} : { expiresAt: plan.expiresAt }),
      actor: plan.actor,
      method: plan.method,
    };
    // The receipt does not depend on the chain: sign it while the append is on the wire.
    const signing = receiptKinds.has(plan.kind)
      ? signReceipt(context.signer, consentRecordOf(subject, withoutSequence, plan.notice))
      : undefined;
    signing?.catch(() => undefined);
    const sequence = await appendToChain(
      context.root,
      transaction,
      recordId,
      `consent-${plan.kind}`,
      chainPayloadOf(withoutSequence),
    );
    const event: ConsentEvent = { ...withoutSequence, sequence };
    const receipt =
      signing === undefined ? undefined : { kid: context.signer.kid, jws: await signing };
    await insertEvent(transaction, recordId, event, plan.notice, receipt);
    if (context.events !== undefined) {
      await publishConsentEvent(context.events, transaction, recordId, event, context.clock);
    }
    result = {
      recordId,
      event,
      ...(receipt === undefined ? {} : { receipt: receipt.jws }),
      replayed: false,
    };
  }
  return result;
}

/**
 * The one-round-trip path of a new decision (`consent_decide_fresh`): lock,
 * check that nothing lapsed, write the event as the next in sequence; then
 * append it to the chain. Undefined when something lapsed: the caller takes
 * the full path, the lock already held. @internal
 */
async function decideFresh(
  context: DecisionContext,
  transaction: SqlExecutor,
  action: {
    readonly kind: 'requested' | 'given' | 'refused';
    readonly input: CheckedDecision;
    readonly prepared?: PreparedDecision;
  },
): Promise<ConsentDecisionResult | undefined> {
  const { subject, notice } = action.input;
  const prepared = action.prepared ?? prepareDecision(context, action.kind, action.input);
  const withoutSequence = prepared.event;
  const at = withoutSequence.decidedAt;
  const jws = prepared.receipt === undefined ? undefined : await prepared.receipt;
  const { rows } = await transaction.query<{ r_record_id: string; r_sequence: number | null }>(
    'SELECT * FROM consent_decide_fresh($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7)',
    [
      subject,
      context.ids.next(),
      at,
      eventJson(withoutSequence),
      JSON.stringify(decisionRowsOf(withoutSequence, notice)),
      jws === undefined ? null : context.signer.kid,
      jws ?? null,
    ],
  );
  const row = rows[0];
  if (row === undefined || row.r_sequence === null) return undefined;
  const recordId = row.r_record_id;
  const sequence = await appendToChain(
    context.root,
    transaction,
    recordId,
    `consent-${action.kind}`,
    chainPayloadOf(withoutSequence),
  );
  if (sequence !== row.r_sequence) {
    throw new ConsentError(
      'CONSENT_HISTORY_BROKEN',
      "the subject's event log and history chain are out of step: run verifyHistory",
      { details: { sequence } },
    );
  }
  const event: ConsentEvent = { ...withoutSequence, sequence };
  if (context.events !== undefined) {
    await publishConsentEvent(context.events, transaction, recordId, event, context.clock);
  }
  return { recordId, event, ...(jws === undefined ? {} : { receipt: jws }), replayed: false };
}
