import { idempotencyKeysTable, type SqlExecutor } from '@civicblocks/core';
import { chainOf, eraseChain } from '../store/history-chain.js';
import type { ConsentErasure } from './consent-service-types.js';

/**
 * Erases a subject inside `transaction`: their row in consent_subjects (the
 * only place their identifier lives), events, decisions and receipts are
 * deleted, so are the idempotency keys of their decisions, their chain's
 * payloads are erased through core, and a tombstone
 * written with the record's random id and the chain head. @internal
 */
export async function eraseSubject(
  root: SqlExecutor,
  transaction: SqlExecutor,
  subject: string,
  tombstone: { id: string; at: Date },
): Promise<ConsentErasure | undefined> {
  const { rows } = await transaction.query<{ record_id: string }>(
    'DELETE FROM consent_subjects WHERE subject = $1 RETURNING record_id',
    [subject],
  );
  const recordId = rows[0]?.record_id;
  if (recordId === undefined) return undefined;
  const deleted = await transaction.query(
    `WITH decisions AS (DELETE FROM consent_decisions WHERE record_id = $1),
          receipts AS (DELETE FROM consent_receipts WHERE record_id = $1)
     DELETE FROM consent_events WHERE record_id = $1`,
    [recordId],
  );
  // Idempotency keys of the subject's decisions: a key may name the subject, and the stored
  // fingerprint is a digest of their identifier (guessable for national id numbers).
  await transaction.query(
    `DELETE FROM ${idempotencyKeysTable} WHERE scope LIKE 'consent.%' AND outcome->>'recordId' = $1`,
    [recordId],
  );
  const head = await eraseChain(root, transaction, recordId);
  const erasure: ConsentErasure = {
    id: tombstone.id,
    recordId,
    chain: chainOf(recordId),
    erasedAt: tombstone.at,
    events: deleted.rowCount,
    head,
  };
  await transaction.query(
    `INSERT INTO consent_erasures (id, record_id, chain, erased_at, events, head_length, head_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [erasure.id, recordId, erasure.chain, erasure.erasedAt, erasure.events, head.length, head.hash],
  );
  return erasure;
}
