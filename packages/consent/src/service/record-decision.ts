import type { Clock, SqlExecutor, Uuidv7Generator } from '@civicblocks/core';
import { ConsentError } from '../errors/consent-error.js';
import { addDuration, checkId, checkIdentifier, checkIdList, invalid } from '../model/check-input.js';
import {
  type CollectionMethod,
  type ConsentActor,
  type ConsentEvent,
  type ConsentEventKind,
  statusAt,
} from '../model/consent-event.js';
import type { ConsentNotice } from '../model/notice.js';
import { consentRecordOf } from '../receipts/consent-record.js';
import { signReceipt } from '../receipts/consent-receipt.js';
import type { ReceiptSigner } from '../receipts/signing-keys.js';
import { chainPayloadOf, type EventRow, eventColumns, eventOf, insertEvent } from '../store/event-rows.js';
import { appendToChain } from '../store/history-chain.js';
import { publishConsentEvent } from './consent-events-out.js';
import type {
  ConsentDecisionResult,
  ConsentEventsOptions,
  ConsentProxy,
  DecisionInput,
  WithdrawInput,
} from './consent-service-types.js';
import { receiptKinds } from './consent-service-types.js';
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
  | { readonly kind: 'requested' | 'given' | 'refused'; readonly input: CheckedDecision }
  | { readonly kind: 'withdrawn' | 'renewed'; readonly input: CheckedWithdrawal };

/** @internal */
export interface CheckedDecision {
  readonly subject: string;
  readonly notice: ConsentNotice;
  readonly purposes: readonly string[];
  readonly actor: ConsentActor;
  readonly method: CollectionMethod;
}

/** @internal */
export interface CheckedWithdrawal {
  readonly subject: string;
  readonly noticeId: string;
  readonly purposes: readonly string[] | undefined;
  readonly actor: ConsentActor;
  readonly method: CollectionMethod;
}

const methods: ReadonlySet<string> = new Set(['web-form', 'api', 'paper', 'in-person', 'phone']);
const relationships: ReadonlySet<string> = new Set(['parent', 'guardian', 'legal-representative', 'authorised-person']);

function actorOf(proxy: ConsentProxy | undefined): ConsentActor {
  if (proxy === undefined) return { kind: 'subject' };
  if (typeof proxy !== 'object' || proxy === null) throw invalid('proxy', 'proxy must be { id, relationship }');
  const id = checkIdentifier(proxy.id, 'proxy.id');
  if (!relationships.has(proxy.relationship)) {
    throw invalid('proxy.relationship', `proxy.relationship must be one of ${[...relationships].join(', ')}`);
  }
  return { kind: 'proxy', id, relationship: proxy.relationship };
}

function methodOf(method: unknown): CollectionMethod {
  if (method === undefined) return 'api';
  if (typeof method !== 'string' || !methods.has(method)) {
    throw invalid('method', `method must be one of ${[...methods].join(', ')}`);
  }
  return method as CollectionMethod;
}

/** Checks a give / refuse / request before anything is written. @internal */
export async function checkDecisionInput(
  notices: NoticeStore,
  input: DecisionInput,
  executor: SqlExecutor,
): Promise<CheckedDecision> {
  if (typeof input !== 'object' || input === null) throw invalid('input', 'input must be an object');
  const subject = checkIdentifier(input.subject, 'subject');
  const purposes = checkIdList(input.purposes, 'purposes', 50);
  if (purposes.length === 0) throw invalid('purposes', 'purposes must name at least one purpose');
  const actor = actorOf(input.proxy);
  const method = methodOf(input.method);
  const notice = await notices.get(input.notice, executor);
  for (const purpose of purposes) {
    if (!notice.purposes.some((declared) => declared.id === purpose)) {
      throw new ConsentError('CONSENT_UNKNOWN_PURPOSE', 'the notice version has no such purpose', {
        details: { field: 'purposes' },
      });
    }
  }
  return { subject, notice, purposes, actor, method };
}

/** Checks a withdraw / renew before anything is written. @internal */
export function checkWithdrawInput(input: WithdrawInput): CheckedWithdrawal {
  if (typeof input !== 'object' || input === null) throw invalid('input', 'input must be an object');
  const subject = checkIdentifier(input.subject, 'subject');
  const noticeId = checkId(input.notice?.id, 'notice.id');
  const purposes = input.purposes === undefined ? undefined : checkIdList(input.purposes, 'purposes', 50);
  if (purposes !== undefined && purposes.length === 0) throw invalid('purposes', 'purposes must name at least one purpose, or be left out');
  return { subject, noticeId, purposes, actor: actorOf(input.proxy), method: methodOf(input.method) };
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

/** Locks the subject's record for this transaction; creates it when asked. @internal */
export async function lockRecord(
  transaction: SqlExecutor,
  subject: string,
  create: { recordId: string; at: Date } | undefined,
): Promise<string | undefined> {
  if (create === undefined) {
    const { rows } = await transaction.query<{ record_id: string }>(
      'SELECT record_id FROM consent_subjects WHERE subject = $1 FOR UPDATE',
      [subject],
    );
    return rows[0]?.record_id;
  }
  // Inserting or touching the row locks it until the transaction ends: one decision per subject at a time.
  const { rows } = await transaction.query<{ record_id: string }>(
    `INSERT INTO consent_subjects (subject, record_id, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (subject) DO UPDATE SET created_at = consent_subjects.created_at
     RETURNING record_id`,
    [subject, create.recordId, create.at],
  );
  return rows[0]?.record_id;
}

async function latestDecisions(transaction: SqlExecutor, recordId: string, at: Date): Promise<LatestRow[]> {
  const { rows } = await transaction.query<LatestRow>(
    `SELECT DISTINCT ON (d.controller_id, d.purpose)
            d.controller_id, d.purpose, d.kind, d.notice_id, d.notice_version, d.event_id, d.expires_at,
            (SELECT max(n.version) FROM consent_notices n
              WHERE n.notice_id = d.notice_id AND n.reask AND n.published_at <= $2) AS reask_version
       FROM consent_decisions d
      WHERE d.record_id = $1
      ORDER BY d.controller_id, d.purpose, d.sequence DESC`,
    [recordId, at],
  );
  return rows;
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
  let recordId: string | undefined;
  let subject: string | undefined;
  if (action.kind === 'due') {
    const { rows } = await transaction.query<{ subject: string }>(
      'SELECT subject FROM consent_subjects WHERE record_id = $1 FOR UPDATE',
      [action.recordId],
    );
    subject = rows[0]?.subject;
    recordId = subject === undefined ? undefined : action.recordId;
  } else {
    subject = action.input.subject;
    const creates = action.kind === 'given' || action.kind === 'refused' || action.kind === 'requested';
    recordId = await lockRecord(transaction, subject, creates ? { recordId: context.ids.next(), at } : undefined);
  }
  if (recordId === undefined || subject === undefined) {
    if (action.kind === 'due') return undefined;
    throw new ConsentError('CONSENT_NOT_GIVEN', 'there is no consent in force to act on', { details: { field: 'subject' } });
  }

  const latest = await latestDecisions(transaction, recordId, at);
  const planned: PlannedEvent[] = [];

  // Expiry first, then invalidation by a re-asking notice version: both are facts before any new decision.
  const lapsed = latest.filter((row) => {
    const status = statusOf(row, at);
    return status === 'expired' || status === 'invalidated';
  });
  for (const group of groupBy(lapsed, (row) => `${statusOf(row, at)}|${row.notice_id}|${row.notice_version}`).values()) {
    const first = group[0] as LatestRow;
    planned.push({
      kind: statusOf(first, at) === 'expired' ? 'expired' : 'invalidated',
      notice: await context.notices.get({ id: first.notice_id, version: first.notice_version }, transaction),
      purposes: group.map((row) => row.purpose),
      actor: { kind: 'system' },
      method: 'system',
    });
  }
  const lapsedKeys = new Set(lapsed.map((row) => `${row.controller_id}|${row.purpose}`));

  let replay: ConsentDecisionResult | undefined;
  if (action.kind === 'requested' || action.kind === 'given' || action.kind === 'refused') {
    const { notice, purposes, actor, method } = action.input;
    const expiresAt =
      action.kind === 'given' && notice.validity !== undefined ? addDuration(at, notice.validity) : undefined;
    planned.push({ kind: action.kind, notice, purposes, actor, method, ...(expiresAt === undefined ? {} : { expiresAt }) });
  } else if (action.kind === 'withdrawn' || action.kind === 'renewed') {
    const { noticeId, purposes, actor, method } = action.input;
    const ofNotice = latest.filter(
      (row) => row.notice_id === noticeId && (purposes === undefined || purposes.includes(row.purpose)),
    );
    const inForce = ofNotice.filter(
      (row) => !lapsedKeys.has(`${row.controller_id}|${row.purpose}`) && statusOf(row, at) === 'given',
    );
    if (inForce.length === 0) {
      const earlier = ofNotice[0]?.event_id;
      if (
        action.kind === 'withdrawn' &&
        earlier !== undefined &&
        ofNotice.every((row) => row.kind === 'withdrawn' && row.event_id === earlier) &&
        (purposes === undefined || purposes.every((purpose) => ofNotice.some((row) => row.purpose === purpose)))
      ) {
        replay = { recordId, event: await readEvent(transaction, earlier), replayed: true };
        const receipt = await readReceipt(transaction, earlier);
        return receipt === undefined ? replay : { ...replay, receipt };
      }
      throw new ConsentError('CONSENT_NOT_GIVEN', 'there is no consent in force to act on', { details: { field: 'notice' } });
    }
    for (const group of groupBy(inForce, (row) => `${row.controller_id}|${row.notice_version}`).values()) {
      const first = group[0] as LatestRow;
      const notice = await context.notices.get({ id: first.notice_id, version: first.notice_version }, transaction);
      const expiresAt =
        action.kind === 'renewed' && notice.validity !== undefined ? addDuration(at, notice.validity) : undefined;
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
    const sequence = await appendToChain(context.root, transaction, recordId, `consent-${plan.kind}`, chainPayloadOf(withoutSequence));
    const event: ConsentEvent = { ...withoutSequence, sequence };
    let receipt: { kid: string; jws: string } | undefined;
    if (receiptKinds.has(plan.kind)) {
      const jws = await signReceipt(context.signer, consentRecordOf(subject, event, plan.notice));
      receipt = { kid: context.signer.kid, jws };
    }
    await insertEvent(transaction, recordId, event, plan.notice, receipt);
    if (context.events !== undefined) {
      await publishConsentEvent(context.events, transaction, recordId, event, context.clock);
    }
    result = { recordId, event, ...(receipt === undefined ? {} : { receipt: receipt.jws }), replayed: false };
  }
  return result;
}

/** @internal */
export async function readEvent(executor: SqlExecutor, eventId: string): Promise<ConsentEvent> {
  const { rows } = await executor.query<EventRow>(
    `SELECT ${eventColumns} FROM consent_events WHERE id = $1`,
    [eventId],
  );
  const row = rows[0];
  if (row === undefined) throw new ConsentError('CONSENT_UNKNOWN_RECEIPT', 'no such event');
  return eventOf(row);
}

/** @internal */
export async function readReceipt(executor: SqlExecutor, eventId: string): Promise<string | undefined> {
  const { rows } = await executor.query<{ jws: string }>('SELECT jws FROM consent_receipts WHERE event_id = $1', [eventId]);
  return rows[0]?.jws;
}
