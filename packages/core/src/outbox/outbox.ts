import { OutboxError } from '../errors/core-errors.js';
import { createUuidv7Generator } from '../ids/uuidv7.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { executorFor, type SqlWriteOptions } from '../sql/unit-of-work.js';
import { systemClock } from '../time/clock.js';
import { checkEnqueueInput, checkInteger, checkText, invalidArgument } from './outbox-input.js';
import { type OutboxJobRow, outboxJobColumns, toOutboxJob } from './outbox-job-row.js';
import { outboxJobsTable } from './outbox-migrations.js';
import type {
  Outbox,
  OutboxCounts,
  OutboxEnqueueInput,
  OutboxEnqueueResult,
  OutboxJob,
  OutboxListOptions,
  OutboxOptions,
} from './outbox-types.js';
import { outboxChannel, signalOutbox } from './outbox-wakeup.js';

/**
 * Creates the {@link Outbox} on `executor` (tables from `coreMigrations`).
 * Enqueue inside your own transaction to make the job part of it; a
 * {@link createOutboxWorker | worker} runs it after commit.
 *
 * @example
 * ```ts
 * import { coreMigrations, createOutbox, migrate } from '@civicblocks/core';
 *
 * await migrate(executor, coreMigrations);
 * const outbox = createOutbox(executor);
 * await executor.transaction(async (transaction) => {
 *   await transaction.query('INSERT INTO payments (id, state) VALUES ($1, $2)', [paymentId, 'captured']);
 *   await outbox.enqueue(
 *     { topic: 'payment.receipt', payload: { paymentId }, key: `receipt:${paymentId}` },
 *     { transaction },
 *   );
 * });
 * ```
 */
export function createOutbox(executor: SqlExecutor, options: OutboxOptions = {}): Outbox {
  const clock = options.clock ?? systemClock;
  const ids = createUuidv7Generator(clock);

  async function enqueue(
    input: OutboxEnqueueInput,
    writeOptions?: SqlWriteOptions,
  ): Promise<OutboxEnqueueResult> {
    const checked = checkEnqueueInput(input);
    const target = executorFor(executor, writeOptions);
    const now = clock.now();
    const id = ids.next();
    // One round trip: the row, and the wake-up (delivered at commit) only when it was new.
    const inserted = await target.query<{ id: string }>(
      `WITH inserted AS (
         INSERT INTO ${outboxJobsTable}
           (id, topic, payload, dedupe_key, destination, priority, state, run_at, max_attempts, created_at)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, 'pending', $7, $8, $9)
         ON CONFLICT (topic, dedupe_key) DO NOTHING
         RETURNING id, topic
       )
       SELECT id, pg_notify($10, topic) AS notified FROM inserted`,
      [
        id,
        checked.topic,
        checked.payloadJson,
        checked.key,
        checked.destination,
        checked.priority,
        checked.notBefore ?? now,
        checked.maxAttempts,
        now,
        outboxChannel,
      ],
    );
    if (inserted.rows.length === 0) {
      const existing = await target.query<{ id: string }>(
        `SELECT id FROM ${outboxJobsTable} WHERE topic = $1 AND dedupe_key = $2`,
        [checked.topic, checked.key],
      );
      const existingId = existing.rows[0]?.id;
      if (existingId !== undefined) return { id: existingId, duplicate: true };
      throw new OutboxError(
        'OUTBOX_RETRY_LATER',
        'a job with the same topic and key is being written by another transaction: retry the whole transaction',
        { isRetryable: true, details: { topic: checked.topic } },
      );
    }
    return { id, duplicate: false };
  }

  async function get(id: string): Promise<OutboxJob | undefined> {
    checkText(id, 'id', 100);
    const { rows } = await executor.query<OutboxJobRow>(
      `SELECT ${outboxJobColumns} FROM ${outboxJobsTable} WHERE id = $1::uuid`,
      [id],
    );
    const row = rows[0];
    return row === undefined ? undefined : toOutboxJob(row);
  }

  async function listDeadLetters(listOptions: OutboxListOptions = {}): Promise<OutboxJob[]> {
    const limit =
      listOptions.limit === undefined ? 100 : checkInteger(listOptions.limit, 'limit', 1, 1000);
    const parameters: (string | number)[] = [limit];
    let filter = '';
    if (listOptions.topic !== undefined) {
      parameters.push(checkText(listOptions.topic, 'topic', 200));
      filter += ` AND topic = $${parameters.length}`;
    }
    if (listOptions.after !== undefined) {
      parameters.push(checkText(listOptions.after, 'after', 100));
      filter += ` AND id > $${parameters.length}::uuid`;
    }
    const { rows } = await executor.query<OutboxJobRow>(
      `SELECT ${outboxJobColumns} FROM ${outboxJobsTable}
       WHERE state = 'dead'${filter} ORDER BY id LIMIT $1`,
      parameters,
    );
    return rows.map(toOutboxJob);
  }

  async function replay(id: string, writeOptions?: SqlWriteOptions): Promise<void> {
    checkText(id, 'id', 100);
    const target = executorFor(executor, writeOptions);
    const { rows } = await target.query<{ topic: string }>(
      `UPDATE ${outboxJobsTable}
       SET state = 'pending', attempts = 0, run_at = $2, finished_at = NULL,
           lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $1::uuid AND state = 'dead'
       RETURNING topic`,
      [id, clock.now()],
    );
    const topic = rows[0]?.topic;
    if (topic !== undefined) {
      await signalOutbox(target, topic);
      return;
    }
    const found = await target.query<{ state: string }>(
      `SELECT state FROM ${outboxJobsTable} WHERE id = $1::uuid`,
      [id],
    );
    const state = found.rows[0]?.state;
    if (state === undefined) {
      throw new OutboxError('OUTBOX_JOB_NOT_FOUND', 'no outbox job has this id', {
        details: { argument: 'id' },
      });
    }
    throw new OutboxError(
      'OUTBOX_JOB_NOT_DEAD',
      `the job is ${state}, not dead: only dead jobs are replayed`,
      {
        details: { state },
      },
    );
  }

  async function counts(): Promise<OutboxCounts> {
    const { rows } = await executor.query<{ state: keyof OutboxCounts; count: bigint }>(
      `SELECT state, count(*) AS count FROM ${outboxJobsTable} GROUP BY state`,
    );
    const result = { pending: 0, running: 0, done: 0, dead: 0 };
    for (const row of rows) result[row.state] = Number(row.count);
    return result;
  }

  async function purge(
    input: { readonly olderThan: Date },
    writeOptions?: SqlWriteOptions,
  ): Promise<number> {
    if (!(input?.olderThan instanceof Date) || !Number.isFinite(input.olderThan.getTime())) {
      throw invalidArgument('olderThan', 'a valid Date');
    }
    const { rowCount } = await executorFor(executor, writeOptions).query(
      `DELETE FROM ${outboxJobsTable} WHERE state = 'done' AND finished_at < $1`,
      [input.olderThan],
    );
    return rowCount;
  }

  return { enqueue, get, listDeadLetters, replay, counts, purge };
}
