import type { SqlExecutor } from '@civicblocks/core';
import type { ConsentNotice } from '../model/notice.js';
import type { ConsentSubjectExport } from './consent-service-types.js';
import type { NoticeStore } from './notice-store.js';
import { historyOf } from './subject-history.js';

/** Everything held about a subject, for a subject access request. @internal */
export async function exportSubject(
  executor: SqlExecutor,
  notices: NoticeStore,
  subject: string,
  at: Date,
): Promise<ConsentSubjectExport> {
  const history = await historyOf(executor, subject, at);
  const receipts =
    history.recordId === undefined
      ? []
      : (
          await executor.query<{ event_id: string; jws: string }>(
            'SELECT event_id, jws FROM consent_receipts WHERE record_id = $1 ORDER BY event_id',
            [history.recordId],
          )
        ).rows.map((row) => ({ eventId: row.event_id, jws: row.jws }));
  const seen = new Map<string, ConsentNotice>();
  for (const event of history.events) {
    const key = `${event.notice.id}@${event.notice.version}`;
    if (!seen.has(key)) seen.set(key, await notices.get(event.notice, executor));
  }
  return {
    subject,
    ...(history.recordId === undefined ? {} : { recordId: history.recordId }),
    exportedAt: at.toISOString(),
    events: history.events,
    statuses: history.statuses,
    receipts,
    notices: [...seen.values()],
  };
}
