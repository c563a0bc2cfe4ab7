import type { JsonValue } from '../audit/canonical-json.js';
import type { OutboxFailure, OutboxJob, OutboxJobState } from './outbox-types.js';

/**
 * The columns every outbox read selects, in the shape {@link toOutboxJob} reads.
 *
 * @internal
 */
export const outboxJobColumns =
  'id, topic, payload, dedupe_key, destination, priority, state, run_at, attempts, max_attempts, created_at, finished_at, last_failure';

/**
 * One row of the jobs table, as the adapters return it.
 *
 * @internal
 */
export interface OutboxJobRow {
  readonly id: string;
  readonly topic: string;
  readonly payload: JsonValue;
  readonly dedupe_key: string | null;
  readonly destination: string | null;
  readonly priority: number;
  readonly state: OutboxJobState;
  readonly run_at: Date;
  readonly attempts: number;
  readonly max_attempts: number;
  readonly created_at: Date;
  readonly finished_at: Date | null;
  readonly last_failure: OutboxFailure | null;
}

/**
 * A row as the public {@link OutboxJob}.
 *
 * @internal
 */
export function toOutboxJob(row: OutboxJobRow): OutboxJob {
  return Object.freeze({
    id: row.id,
    topic: row.topic,
    payload: row.payload,
    key: row.dedupe_key ?? undefined,
    destination: row.destination ?? undefined,
    priority: Number(row.priority),
    state: row.state,
    runAt: row.run_at,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    createdAt: row.created_at,
    finishedAt: row.finished_at ?? undefined,
    lastFailure: row.last_failure ?? undefined,
  });
}
