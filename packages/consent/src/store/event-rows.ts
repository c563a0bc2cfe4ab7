import type { JsonValue, SqlExecutor } from '@civicblocks/core';
import type { ConsentActor, ConsentEvent, ConsentEventKind } from '../model/consent-event.js';
import type { ConsentNotice } from '../model/notice.js';

/** A row of consent_events. @internal */
export interface EventRow {
  readonly id: string;
  readonly sequence: number;
  readonly kind: ConsentEventKind;
  readonly notice_id: string;
  readonly notice_version: number;
  readonly controller_id: string;
  readonly purposes: string[];
  readonly decided_at: Date;
  readonly expires_at: Date | null;
  readonly actor: ConsentActor;
  readonly method: ConsentEvent['method'];
}

/** @internal */
export const eventColumns =
  'id, sequence, kind, notice_id, notice_version, controller_id, purposes, decided_at, expires_at, actor, method';

/** @internal */
export function eventOf(row: EventRow): ConsentEvent {
  return {
    id: row.id,
    sequence: row.sequence,
    kind: row.kind,
    notice: { id: row.notice_id, version: row.notice_version },
    controller: row.controller_id,
    purposes: row.purposes,
    decidedAt: row.decided_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    actor: row.actor,
    method: row.method,
  };
}

/** What the audit chain commits to for an event (everything but its sequence, which the chain gives). @internal */
export function chainPayloadOf(event: Omit<ConsentEvent, 'sequence'>): JsonValue {
  return {
    id: event.id,
    kind: event.kind,
    notice: { id: event.notice.id, version: event.notice.version },
    controller: event.controller,
    purposes: [...event.purposes],
    decidedAt: event.decidedAt.toISOString(),
    expiresAt: event.expiresAt === undefined ? null : event.expiresAt.toISOString(),
    actor: event.actor as unknown as JsonValue,
    method: event.method,
  };
}

/** The decision rows an event yields: one per purpose, with the notice version's categories and recipients. @internal */
export function decisionRowsOf(
  event: Pick<ConsentEvent, 'purposes'>,
  notice: ConsentNotice,
): { purpose: string; categories: string[]; recipients: string[] }[] {
  return event.purposes.map((purpose) => {
    const declared = notice.purposes.find((candidate) => candidate.id === purpose);
    return {
      purpose,
      categories: declared === undefined ? [] : [...declared.dataCategories],
      recipients: declared === undefined ? [] : [...declared.recipients],
    };
  });
}

/** The event as consent_insert_event reads it (JSON). @internal */
export function eventJson(event: Omit<ConsentEvent, 'sequence'>): string {
  return JSON.stringify({
    id: event.id,
    kind: event.kind,
    noticeId: event.notice.id,
    noticeVersion: event.notice.version,
    controller: event.controller,
    purposes: event.purposes,
    decidedAt: event.decidedAt.toISOString(),
    expiresAt: event.expiresAt?.toISOString() ?? null,
    actor: event.actor,
    method: event.method,
  });
}

/** Inserts an event, its decision rows and its receipt in one statement. @internal */
export async function insertEvent(
  transaction: SqlExecutor,
  recordId: string,
  event: ConsentEvent,
  notice: ConsentNotice,
  receipt: { kid: string; jws: string } | undefined,
): Promise<void> {
  await transaction.query('SELECT consent_insert_event($1, $2, $3::jsonb, $4::jsonb, $5, $6)', [
    recordId,
    event.sequence,
    eventJson(event),
    JSON.stringify(decisionRowsOf(event, notice)),
    receipt?.kid ?? null,
    receipt?.jws ?? null,
  ]);
}
