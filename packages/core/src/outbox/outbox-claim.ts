// The SQL of a worker: claim under a lease, settle, release, renew, reap.
// Every statement that settles a claim checks the claim is still ours
// (owner and attempt number), so a worker that lost its lease changes nothing.
import type { SqlExecutor } from '../sql/sql-executor.js';
import { type OutboxJobRow, outboxJobColumns, toOutboxJob } from './outbox-job-row.js';
import { outboxJobsTable } from './outbox-migrations.js';
import type { OutboxFailure, OutboxJob } from './outbox-types.js';

/**
 * One claim: the job, who holds it and which attempt it is.
 *
 * @internal
 */
export interface Claim {
  readonly job: OutboxJob;
  readonly owner: string;
}

const prefixedColumns = outboxJobColumns
  .split(', ')
  .map((column) => `jobs.${column}`)
  .join(', ');

/**
 * Claims up to `limit` ready jobs of `topics`, highest priority and oldest
 * first, skipping rows other workers hold locked; each gets a lease until
 * `leaseUntil` and its attempt counted.
 *
 * @internal
 */
export async function claimJobs(
  executor: SqlExecutor,
  input: {
    readonly topics: readonly string[];
    readonly limit: number;
    readonly owner: string;
    readonly now: Date;
    readonly leaseUntil: Date;
  },
): Promise<Claim[]> {
  const { rows } = await executor.query<OutboxJobRow>(
    `WITH next AS (
       SELECT id FROM ${outboxJobsTable}
       WHERE state = 'pending' AND run_at <= $1 AND topic = ANY($2::text[])
       ORDER BY priority DESC, run_at, id
       LIMIT $3
       FOR UPDATE SKIP LOCKED
     )
     UPDATE ${outboxJobsTable} AS jobs
     SET state = 'running', attempts = jobs.attempts + 1, lease_owner = $4, lease_expires_at = $5
     FROM next WHERE jobs.id = next.id
     RETURNING ${prefixedColumns}`,
    [input.now, [...input.topics], input.limit, input.owner, input.leaseUntil],
  );
  return rows
    .map((row) => ({ job: toOutboxJob(row), owner: input.owner }))
    .sort(
      (a, b) =>
        b.job.priority - a.job.priority ||
        a.job.runAt.getTime() - b.job.runAt.getTime() ||
        (a.job.id < b.job.id ? -1 : 1),
    );
}

const ours = 'id = $1::uuid AND state = $2 AND lease_owner = $3 AND attempts = $4';

function claimParameters(claim: Claim): [string, string, string, number] {
  return [claim.job.id, 'running', claim.owner, claim.job.attempts];
}

/**
 * Marks a claimed job done. False when the claim was no longer ours.
 *
 * @internal
 */
export async function completeJob(
  executor: SqlExecutor,
  claim: Claim,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await executor.query(
    `UPDATE ${outboxJobsTable}
     SET state = 'done', finished_at = $5, lease_owner = NULL, lease_expires_at = NULL
     WHERE ${ours}`,
    [...claimParameters(claim), now],
  );
  return rowCount === 1;
}

/**
 * Schedules another attempt at `runAt`, recording the failure.
 *
 * @internal
 */
export async function retryJob(
  executor: SqlExecutor,
  claim: Claim,
  runAt: Date,
  failure: OutboxFailure,
): Promise<boolean> {
  const { rowCount } = await executor.query(
    `UPDATE ${outboxJobsTable}
     SET state = 'pending', run_at = $5, last_failure = $6::jsonb,
         lease_owner = NULL, lease_expires_at = NULL
     WHERE ${ours}`,
    [...claimParameters(claim), runAt, JSON.stringify(failure)],
  );
  return rowCount === 1;
}

/**
 * Dead-letters a claimed job, recording the failure.
 *
 * @internal
 */
export async function buryJob(
  executor: SqlExecutor,
  claim: Claim,
  now: Date,
  failure: OutboxFailure,
): Promise<boolean> {
  const { rowCount } = await executor.query(
    `UPDATE ${outboxJobsTable}
     SET state = 'dead', finished_at = $5, last_failure = $6::jsonb,
         lease_owner = NULL, lease_expires_at = NULL
     WHERE ${ours}`,
    [...claimParameters(claim), now, JSON.stringify(failure)],
  );
  return rowCount === 1;
}

/**
 * Gives claimed jobs back without counting the attempt, to run at `runAt`
 * (a stop that does not wait, a rate limit). Returns how many were released.
 *
 * @internal
 */
export async function releaseJobs(
  executor: SqlExecutor,
  claims: readonly Claim[],
  runAt: Date,
): Promise<number> {
  if (claims.length === 0) return 0;
  const owner = claims[0]?.owner ?? '';
  const { rowCount } = await executor.query(
    `UPDATE ${outboxJobsTable} AS jobs
     SET state = 'pending', attempts = jobs.attempts - 1, run_at = $4,
         lease_owner = NULL, lease_expires_at = NULL
     FROM unnest($1::uuid[], $2::int[]) AS claimed (id, attempts)
     WHERE jobs.id = claimed.id AND jobs.attempts = claimed.attempts
       AND jobs.state = 'running' AND jobs.lease_owner = $3`,
    [claims.map((claim) => claim.job.id), claims.map((claim) => claim.job.attempts), owner, runAt],
  );
  return rowCount;
}

/**
 * Extends the leases of claims still ours; returns the ids whose lease was lost.
 *
 * @internal
 */
export async function renewLeases(
  executor: SqlExecutor,
  claims: readonly Claim[],
  leaseUntil: Date,
): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const owner = claims[0]?.owner ?? '';
  const { rows } = await executor.query<{ id: string }>(
    `UPDATE ${outboxJobsTable} AS jobs
     SET lease_expires_at = $4
     FROM unnest($1::uuid[], $2::int[]) AS claimed (id, attempts)
     WHERE jobs.id = claimed.id AND jobs.attempts = claimed.attempts
       AND jobs.state = 'running' AND jobs.lease_owner = $3
     RETURNING jobs.id`,
    [
      claims.map((claim) => claim.job.id),
      claims.map((claim) => claim.job.attempts),
      owner,
      leaseUntil,
    ],
  );
  const renewed = new Set(rows.map((row) => row.id));
  return new Set(claims.map((claim) => claim.job.id).filter((id) => !renewed.has(id)));
}

/**
 * Takes back jobs whose lease ran out (their worker died or stalled): back
 * to `pending`, or `dead` when that was their last allowed attempt. Returns
 * how many.
 *
 * @internal
 */
export async function expireLeases(executor: SqlExecutor, now: Date): Promise<number> {
  const { rowCount } = await executor.query(
    `WITH expired AS (
       SELECT id FROM ${outboxJobsTable}
       WHERE state = 'running' AND lease_expires_at <= $1
       LIMIT 1000
       FOR UPDATE SKIP LOCKED
     )
     UPDATE ${outboxJobsTable} AS jobs
     SET state = CASE WHEN jobs.attempts >= jobs.max_attempts THEN 'dead' ELSE 'pending' END,
         finished_at = CASE WHEN jobs.attempts >= jobs.max_attempts THEN $1 ELSE NULL END,
         last_failure = jsonb_build_object(
           'name', 'OutboxLeaseExpired',
           'message', 'the worker running this attempt stopped renewing its lease',
           'attempt', jobs.attempts,
           'at', $2::text,
           'retryable', jobs.attempts < jobs.max_attempts),
         lease_owner = NULL, lease_expires_at = NULL
     FROM expired WHERE jobs.id = expired.id`,
    [now, now.toISOString()],
  );
  return rowCount;
}
