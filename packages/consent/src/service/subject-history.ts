import { canonicalJson, type JsonValue, type SqlExecutor } from '@civicblocks/core';
import { ConsentError } from '../errors/consent-error.js';
import { checkIdentifier, invalid } from '../model/check-input.js';
import { type ConsentEvent, derivePurposeStatuses } from '../model/consent-event.js';
import type { ConsentNotice } from '../model/notice.js';
import {
  chainPayloadOf,
  decisionRowsOf,
  type EventRow,
  eventColumns,
  eventOf,
} from '../store/event-rows.js';
import { chainEntries, verifyChain } from '../store/history-chain.js';
import type { ConsentHistory, HistoryVerification } from './consent-service-types.js';
import type { NoticeStore } from './notice-store.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The record id of a subject, if they have one. @internal */
export async function recordIdOf(
  executor: SqlExecutor,
  subject: string,
): Promise<string | undefined> {
  const { rows } = await executor.query<{ record_id: string }>(
    'SELECT record_id FROM consent_subjects WHERE subject = $1',
    [checkIdentifier(subject, 'subject')],
  );
  return rows[0]?.record_id;
}

/** @internal */
export async function eventsOf(executor: SqlExecutor, recordId: string): Promise<ConsentEvent[]> {
  const { rows } = await executor.query<EventRow>(
    `SELECT ${eventColumns} FROM consent_events WHERE record_id = $1 ORDER BY sequence`,
    [recordId],
  );
  return rows.map(eventOf);
}

/** @internal */
export async function reaskVersions(
  executor: SqlExecutor,
  noticeIds: readonly string[],
  at: Date,
): Promise<Record<string, number>> {
  if (noticeIds.length === 0) return {};
  const { rows } = await executor.query<{ notice_id: string; version: number }>(
    `SELECT notice_id, max(version) AS version FROM consent_notices
      WHERE notice_id = ANY($1::text[]) AND reask AND published_at <= $2 GROUP BY notice_id`,
    [[...new Set(noticeIds)], at],
  );
  return Object.fromEntries(rows.map((row) => [row.notice_id, row.version]));
}

/** @internal */
export async function historyOf(
  executor: SqlExecutor,
  subject: string,
  at: Date,
): Promise<ConsentHistory> {
  const recordId = await recordIdOf(executor, subject);
  if (recordId === undefined) return { events: [], statuses: [] };
  const events = await eventsOf(executor, recordId);
  const reask = await reaskVersions(
    executor,
    events.map((event) => event.notice.id),
    at,
  );
  return {
    recordId,
    events,
    statuses: derivePurposeStatuses(events, { at, reaskVersions: reask }),
  };
}

interface DecisionRow {
  readonly controller_id: string;
  readonly purpose: string;
  readonly sequence: number;
  readonly kind: string;
  readonly notice_id: string;
  readonly notice_version: number;
  readonly event_id: string;
  readonly decided_at: Date;
  readonly expires_at: Date | null;
  readonly data_categories: string[];
  readonly recipients: string[];
}

function decisionText(row: {
  controller: string;
  purpose: string;
  sequence: number;
  kind: string;
  noticeId: string;
  noticeVersion: number;
  eventId: string;
  decidedAt: Date;
  expiresAt: Date | undefined;
  categories: readonly string[];
  recipients: readonly string[];
}): string {
  return canonicalJson({
    ...row,
    decidedAt: row.decidedAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    categories: [...row.categories],
    recipients: [...row.recipients],
  } as unknown as JsonValue);
}

/**
 * Verifies a record's history: core verifies the chain; then every event
 * row must say what its chain entry committed to, at the same place, and
 * every decision row must be what its event yields. @internal
 */
export async function verifyRecordHistory(
  executor: SqlExecutor,
  notices: NoticeStore,
  target: string | { readonly recordId: string },
): Promise<HistoryVerification> {
  let recordId: string | undefined;
  if (typeof target === 'string') {
    recordId = await recordIdOf(executor, target);
    if (recordId === undefined) return { ok: true, length: 0, erased: 0 };
  } else {
    recordId = target?.recordId;
    if (typeof recordId !== 'string' || !uuidPattern.test(recordId))
      throw invalid('recordId', 'recordId must be a UUID');
  }
  const chain = await verifyChain(executor, recordId);
  if (!chain.ok) {
    return {
      ok: false,
      recordId,
      problem: chain.problem === 'payload-missing' ? 'missing' : chain.problem,
      sequence: chain.sequence,
      table: 'chain',
      ...(chain.entryId === undefined ? {} : { eventId: chain.entryId }),
    };
  }
  const added = (sequence: number, eventId: string): HistoryVerification => ({
    ok: false,
    recordId,
    problem: 'added',
    sequence,
    table: 'events',
    eventId,
  });
  const entries = await chainEntries(executor, recordId);
  const { rows } = await executor.query<EventRow>(
    `SELECT ${eventColumns} FROM consent_events WHERE record_id = $1 ORDER BY sequence, id`,
    [recordId],
  );
  const events = rows.map(eventOf);
  const committed = new Map<string, { sequence: number; text: string }>();
  let erased = 0;
  for (const entry of entries) {
    if (entry.payload === undefined) {
      erased += 1;
      continue;
    }
    const payload = entry.payload as { id?: unknown };
    if (typeof payload.id === 'string')
      committed.set(payload.id, { sequence: entry.sequence, text: canonicalJson(entry.payload) });
  }
  const bySequence = new Map<number, ConsentEvent>();
  for (const event of events) {
    if (bySequence.has(event.sequence)) {
      return added(event.sequence, event.id);
    }
    bySequence.set(event.sequence, event);
  }
  for (const entry of entries) {
    const event = bySequence.get(entry.sequence);
    if (entry.payload === undefined) {
      if (event !== undefined) return added(entry.sequence, event.id);
      continue;
    }
    const expectedId = (entry.payload as { id?: string }).id;
    if (event === undefined) {
      return {
        ok: false,
        recordId,
        problem: 'missing',
        sequence: entry.sequence,
        table: 'events',
        ...(expectedId === undefined ? {} : { eventId: expectedId }),
      };
    }
    const { sequence: _sequence, ...withoutSequence } = event;
    const text = canonicalJson(chainPayloadOf(withoutSequence));
    if (text === committed.get(expectedId ?? '')?.text) continue;
    const elsewhere = committed.get(event.id);
    if (
      elsewhere !== undefined &&
      elsewhere.text === text &&
      elsewhere.sequence !== entry.sequence
    ) {
      return {
        ok: false,
        recordId,
        problem: 'reordered',
        sequence: entry.sequence,
        table: 'events',
        eventId: event.id,
      };
    }
    return {
      ok: false,
      recordId,
      problem: 'modified',
      sequence: entry.sequence,
      table: 'events',
      eventId: event.id,
    };
  }
  for (const event of events) {
    if (!entries.some((entry) => entry.sequence === event.sequence)) {
      return added(event.sequence, event.id);
    }
  }

  // Decision rows: exactly what the (now verified) events yield.
  const decisions = await executor.query<DecisionRow>(
    `SELECT controller_id, purpose, sequence, kind, notice_id, notice_version, event_id, decided_at, expires_at, data_categories, recipients
       FROM consent_decisions WHERE record_id = $1 ORDER BY sequence, controller_id, purpose`,
    [recordId],
  );
  const expected = new Map<string, { sequence: number; text: string; eventId: string }>();
  for (const event of events) {
    let notice: ConsentNotice;
    try {
      notice = await notices.get(event.notice, executor);
    } catch (error) {
      if (ConsentError.isInstance(error)) {
        return {
          ok: false,
          recordId,
          problem: 'modified',
          sequence: event.sequence,
          table: 'events',
          eventId: event.id,
        };
      }
      throw error;
    }
    for (const row of decisionRowsOf(event, notice)) {
      expected.set(`${event.sequence}|${event.controller}|${row.purpose}`, {
        sequence: event.sequence,
        eventId: event.id,
        text: decisionText({
          controller: event.controller,
          purpose: row.purpose,
          sequence: event.sequence,
          kind: event.kind,
          noticeId: event.notice.id,
          noticeVersion: event.notice.version,
          eventId: event.id,
          decidedAt: event.decidedAt,
          expiresAt: event.expiresAt,
          categories: row.categories,
          recipients: row.recipients,
        }),
      });
    }
  }
  for (const row of decisions.rows) {
    const key = `${row.sequence}|${row.controller_id}|${row.purpose}`;
    const wanted = expected.get(key);
    const text = decisionText({
      controller: row.controller_id,
      purpose: row.purpose,
      sequence: row.sequence,
      kind: row.kind,
      noticeId: row.notice_id,
      noticeVersion: row.notice_version,
      eventId: row.event_id,
      decidedAt: row.decided_at,
      expiresAt: row.expires_at ?? undefined,
      categories: row.data_categories,
      recipients: row.recipients,
    });
    if (wanted === undefined) {
      return {
        ok: false,
        recordId,
        problem: 'added',
        sequence: row.sequence,
        table: 'decisions',
        eventId: row.event_id,
      };
    }
    if (wanted.text !== text) {
      return {
        ok: false,
        recordId,
        problem: 'modified',
        sequence: row.sequence,
        table: 'decisions',
        eventId: wanted.eventId,
      };
    }
    expected.delete(key);
  }
  const [missing] = expected.values();
  if (missing !== undefined) {
    return {
      ok: false,
      recordId,
      problem: 'missing',
      sequence: missing.sequence,
      table: 'decisions',
      eventId: missing.eventId,
    };
  }
  return { ok: true, recordId, length: entries.length, erased };
}
