import type { SqlExecutor } from '@civicblocks/core';
import { ConsentError } from '../errors/consent-error.js';
import type { ConsentEvent } from '../model/consent-event.js';
import { type EventRow, eventColumns, eventOf } from '../store/event-rows.js';

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
export async function readReceipt(
  executor: SqlExecutor,
  eventId: string,
): Promise<string | undefined> {
  const { rows } = await executor.query<{ jws: string }>(
    'SELECT jws FROM consent_receipts WHERE event_id = $1',
    [eventId],
  );
  return rows[0]?.jws;
}
