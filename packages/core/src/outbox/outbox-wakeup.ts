import { notify } from '../sql/notify.js';
import type { SqlExecutor } from '../sql/sql-executor.js';

/**
 * The notification channel an enqueue signals on and workers listen to.
 * Payload: the job's topic.
 *
 * @example
 * ```ts
 * await executor.listen(outboxChannel, (topic) => console.log('new job of', topic));
 * ```
 */
export const outboxChannel = 'civicblocks_outbox';

/**
 * Signals {@link outboxChannel}; inside a transaction PostgreSQL delivers it
 * at commit (and drops it on rollback).
 *
 * @internal
 */
export async function signalOutbox(executor: SqlExecutor, topic: string): Promise<void> {
  await notify(executor, outboxChannel, topic);
}
