import type { SqlExecutor } from '../sql/sql-executor.js';
import { outboxRateLimitsTable } from './outbox-migrations.js';
import type { OutboxRateLimit } from './outbox-types.js';

/**
 * The outcome of {@link takeToken}.
 *
 * @internal
 */
export type TokenDecision =
  | { readonly granted: true }
  | { readonly granted: false; readonly waitMs: number };

/**
 * Takes one token from the destination's bucket, shared through the
 * database: one upsert refills the bucket by the time elapsed since its last
 * update and takes a token only when one is there, so concurrent workers in
 * any process never overspend it. When none is left, says how long until one is.
 *
 * @internal
 */
export async function takeToken(
  executor: SqlExecutor,
  destination: string,
  limit: OutboxRateLimit,
  now: Date,
): Promise<TokenDecision> {
  const rate = limit.perSecond;
  const burst = limit.burst ?? Math.max(1, rate);
  const refilled = `LEAST($2::float8, buckets.tokens + GREATEST(0, EXTRACT(EPOCH FROM ($3::timestamptz - buckets.updated_at))::float8) * $4::float8)`;
  const { rows } = await executor.query<{ tokens: number }>(
    `INSERT INTO ${outboxRateLimitsTable} AS buckets (destination, tokens, updated_at)
     VALUES ($1, $2::float8 - 1, $3)
     ON CONFLICT (destination) DO UPDATE
     SET tokens = ${refilled} - 1, updated_at = GREATEST($3::timestamptz, buckets.updated_at)
     WHERE ${refilled} >= 1
     RETURNING tokens`,
    [destination, burst, now, rate],
  );
  if (rows.length > 0) return { granted: true };
  const current = await executor.query<{ available: number }>(
    `SELECT ${refilled} AS available
     FROM ${outboxRateLimitsTable} AS buckets WHERE destination = $1`,
    [destination, burst, now, rate],
  );
  const available = Number(current.rows[0]?.available ?? 0);
  const waitMs = Math.max(1, Math.ceil(((1 - available) / rate) * 1000));
  return { granted: false, waitMs };
}
