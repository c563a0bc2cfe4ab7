import {
  type AuditVerification,
  auditEntriesTable,
  auditPayloadsTable,
  createAuditChain,
  type JsonValue,
  type SqlExecutor,
} from '@civicblocks/core';

/**
 * The audit chain of one consent record: one chain per record, named by its
 * random id, and every entry's core "subject" is that id too, so core's
 * `erase` removes the record's payloads and nothing else. @internal
 */
export function chainOf(recordId: string): string {
  return `consent:${recordId}`;
}

/** Appends an event's payload to the record's chain in `transaction`; returns its sequence. @internal */
export async function appendToChain(
  root: SqlExecutor,
  transaction: SqlExecutor,
  recordId: string,
  type: string,
  payload: JsonValue,
): Promise<number> {
  const chain = createAuditChain(root, { chain: chainOf(recordId) });
  const entry = await chain.append({ type, payload, subject: recordId }, { transaction });
  return entry.sequence;
}

/** Verifies the record's chain (core reports erased entries as erased). @internal */
export async function verifyChain(
  executor: SqlExecutor,
  recordId: string,
): Promise<AuditVerification> {
  return createAuditChain(executor, { chain: chainOf(recordId) }).verify();
}

/** The chain's entries in order, with their payloads (undefined once erased). @internal */
export async function chainEntries(
  executor: SqlExecutor,
  recordId: string,
): Promise<{ sequence: number; id: string; payload: JsonValue | undefined }[]> {
  const { rows } = await executor.query<{
    sequence: bigint;
    id: string;
    payload: JsonValue | null;
  }>(
    `SELECT entry.sequence, entry.id, coalesce(entry.payload, stored.payload) AS payload
       FROM ${auditEntriesTable} AS entry
       LEFT JOIN ${auditPayloadsTable} AS stored ON stored.entry_id = entry.id
      WHERE entry.chain = $1
      ORDER BY entry.sequence`,
    [chainOf(recordId)],
  );
  return rows.map((row) => ({
    sequence: Number(row.sequence),
    id: row.id,
    payload: row.payload ?? undefined,
  }));
}

/** Erases the record's chain payloads in `transaction`; returns the chain head to keep in the tombstone. @internal */
export async function eraseChain(
  root: SqlExecutor,
  transaction: SqlExecutor,
  recordId: string,
): Promise<{ length: number; hash: string }> {
  const chain = createAuditChain(transaction, { chain: chainOf(recordId) });
  await createAuditChain(root, { chain: chainOf(recordId) }).erase(recordId, { transaction });
  return chain.head();
}
