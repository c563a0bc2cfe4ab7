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

/** Inserts an event, its decision rows and its receipt in one statement. @internal */
export async function insertEvent(
  transaction: SqlExecutor,
  recordId: string,
  event: ConsentEvent,
  notice: ConsentNotice,
  receipt: { kid: string; jws: string } | undefined,
): Promise<void> {
  await transaction.query(
    `WITH event AS (
       INSERT INTO consent_events (id, record_id, sequence, kind, notice_id, notice_version, controller_id, purposes, decided_at, expires_at, actor, method)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11::jsonb, $12)),
     receipt AS (
       INSERT INTO consent_receipts (event_id, record_id, kid, jws)
       SELECT $1, $2, $14, $15 WHERE $15::text IS NOT NULL)
     INSERT INTO consent_decisions (record_id, controller_id, purpose, sequence, kind, notice_id, notice_version, event_id, decided_at, expires_at, data_categories, recipients)
     SELECT $2, $7, decision.purpose, $3, $4, $5, $6, $1, $9, $10,
            ARRAY(SELECT jsonb_array_elements_text(decision.categories)),
            ARRAY(SELECT jsonb_array_elements_text(decision.recipients))
       FROM jsonb_to_recordset($13::jsonb) AS decision(purpose text, categories jsonb, recipients jsonb)`,
    [
      event.id,
      recordId,
      event.sequence,
      event.kind,
      event.notice.id,
      event.notice.version,
      event.controller,
      [...event.purposes],
      event.decidedAt,
      event.expiresAt ?? null,
      JSON.stringify(event.actor),
      event.method,
      JSON.stringify(decisionRowsOf(event, notice)),
      receipt?.kid ?? null,
      receipt?.jws ?? null,
    ],
  );
}
