import type { SqlExecutor } from '@civicblocks/core';
import {
  type ConsentCheckDecision,
  type ConsentCheckQuery,
  decideCheck,
  type LatestDecision,
} from '../model/check-decision.js';
import { checkDate, checkId, checkIdentifier, checkIdList, invalid } from '../model/check-input.js';
import type { ConsentEventKind } from '../model/consent-event.js';

/**
 * The one statement behind `check`: the latest decision of the subject for
 * (controller, purpose) at or before `at` (a `requested` event only when
 * nothing was decided: a request never hides a decision), through the primary keys of
 * consent_subjects and consent_decisions, with the newest re-asking version
 * of its notice. Exported for the benchmark, which runs it raw. @internal
 */
export const checkStatement = `SELECT d.record_id, d.kind, d.notice_id, d.notice_version, d.event_id, d.decided_at, d.expires_at,
       d.data_categories, d.recipients,
       (SELECT max(n.version) FROM consent_notices n
         WHERE n.notice_id = d.notice_id AND n.reask AND n.published_at <= $4) AS reask_version
  FROM consent_subjects s
  JOIN consent_decisions d ON d.record_id = s.record_id
 WHERE s.subject = $1 AND d.controller_id = $2 AND d.purpose = $3 AND d.decided_at <= $4
 ORDER BY (d.kind = 'requested'), d.sequence DESC
 LIMIT 1`;

interface CheckRow {
  readonly record_id: string;
  readonly kind: ConsentEventKind;
  readonly notice_id: string;
  readonly notice_version: number;
  readonly event_id: string;
  readonly decided_at: Date;
  readonly expires_at: Date | null;
  readonly data_categories: string[];
  readonly recipients: string[];
  readonly reask_version: number | null;
}

/** @internal */
export async function checkConsent(
  executor: SqlExecutor,
  query: ConsentCheckQuery,
  now: Date,
): Promise<ConsentCheckDecision> {
  if (typeof query !== 'object' || query === null)
    throw invalid('query', 'query must be an object');
  const subject = checkIdentifier(query.subject, 'subject');
  const controller = checkId(query.controller, 'controller');
  const purpose = checkId(query.purpose, 'purpose');
  const dataCategories = checkIdList(query.dataCategories, 'dataCategories');
  const recipient =
    query.recipient === undefined ? undefined : checkId(query.recipient, 'recipient');
  const at = query.at === undefined ? now : checkDate(query.at, 'at');
  const { rows } = await executor.query<CheckRow>(checkStatement, [
    subject,
    controller,
    purpose,
    at,
  ]);
  const row = rows[0];
  const latest: (LatestDecision & { recordId: string }) | undefined =
    row === undefined
      ? undefined
      : {
          recordId: row.record_id,
          kind: row.kind,
          notice: { id: row.notice_id, version: row.notice_version },
          eventId: row.event_id,
          decidedAt: row.decided_at,
          ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
          dataCategories: row.data_categories,
          recipients: row.recipients,
          ...(row.reask_version === null ? {} : { reaskVersion: row.reask_version }),
        };
  const decision = decideCheck(
    latest,
    { dataCategories, ...(recipient === undefined ? {} : { recipient }) },
    at,
  );
  return latest === undefined || decision.record === undefined
    ? decision
    : { ...decision, record: { recordId: latest.recordId, ...decision.record } };
}
