import type { JsonValue } from '../audit/canonical-json.js';
import type { ClosableSqlExecutor, SqlExecutor } from '../sql/sql-executor.js';
import type { SqlWriteOptions } from '../sql/unit-of-work.js';
import type { Clock } from '../time/clock.js';

/**
 * Where a job stands: waiting to run (`pending`, possibly not before
 * `runAt`), claimed by a worker under a lease (`running`), finished (`done`),
 * or given up on (`dead`: a permanent failure or every attempt used), from
 * where {@link Outbox.replay} puts it back.
 *
 * @example
 * ```ts
 * const state: OutboxJobState = 'dead';
 * ```
 */
export type OutboxJobState = 'pending' | 'running' | 'done' | 'dead';

/**
 * Why the last attempt of a job failed, as stored with it: the error's name,
 * code and message (core's errors never hold personal data or secrets in
 * these), never its cause or stack.
 *
 * @example
 * ```ts
 * const failure: OutboxFailure = {
 *   name: 'HttpError', code: 'HTTP_STATUS', message: 'POST https://agency.example.gov answered 503',
 *   attempt: 3, at: '2026-11-29T09:30:00.000Z', retryable: true,
 * };
 * ```
 */
export interface OutboxFailure {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
  /** The attempt that failed, counting from 1. */
  readonly attempt: number;
  /** When it failed, RFC 3339. */
  readonly at: string;
  /** Whether the worker would try again (false for a permanent failure). */
  readonly retryable: boolean;
}

/**
 * One unit of work in the outbox, as stored.
 *
 * @example
 * ```ts
 * const job: OutboxJob = await outbox.get(id);
 * console.log(job.topic, job.state, job.attempts);
 * ```
 */
export interface OutboxJob {
  /** A UUIDv7, sortable by enqueue time. Event delivery sends it as the `webhook-id`. */
  readonly id: string;
  /** Which handler runs the job. */
  readonly topic: string;
  /** What the handler needs, as JSON. */
  readonly payload: JsonValue;
  /** The deduplication key given to {@link Outbox.enqueue}, if any. */
  readonly key: string | undefined;
  /** The rate-limit bucket the job counts against, if any. */
  readonly destination: string | undefined;
  /** Higher runs first. */
  readonly priority: number;
  readonly state: OutboxJobState;
  /** Not before this time (the next retry for a job that failed). */
  readonly runAt: Date;
  /** Attempts started so far, the running one included. */
  readonly attempts: number;
  /** Attempts allowed in all; the job is dead-lettered after the last one fails. */
  readonly maxAttempts: number;
  readonly createdAt: Date;
  /** When it finished (`done`) or was dead-lettered (`dead`). */
  readonly finishedAt: Date | undefined;
  /** Why the last attempt failed, if one did. */
  readonly lastFailure: OutboxFailure | undefined;
}

/**
 * A job to add with {@link Outbox.enqueue}.
 *
 * @example
 * ```ts
 * const input: OutboxEnqueueInput = {
 *   topic: 'consent.withdrawal-notice',
 *   payload: { consentId: 'c_123', agency: 'tax' },
 *   key: 'withdrawal:c_123:tax',
 *   destination: 'https://tax.example.gov',
 *   priority: 10,
 * };
 * ```
 */
export interface OutboxEnqueueInput {
  /** Which handler runs the job: 1 to 200 characters. */
  readonly topic: string;
  /** What the handler needs. Stored as jsonb: keep personal data out where you can. */
  readonly payload: JsonValue;
  /**
   * Deduplication key: while a job of the same topic and key exists (in any
   * state, until purged), enqueueing again adds nothing and returns that job
   * with `duplicate: true`.
   */
  readonly key?: string;
  /** Rate-limit bucket (see {@link OutboxWorkerOptions.rateLimits}), e.g. the receiving origin. */
  readonly destination?: string;
  /** Higher runs first; an integer, default 0. */
  readonly priority?: number;
  /** Do not run before this time. Default: at once. */
  readonly notBefore?: Date;
  /** Attempts allowed in all, default 10. */
  readonly maxAttempts?: number;
}

/**
 * What {@link Outbox.enqueue} did.
 *
 * @example
 * ```ts
 * const { id, duplicate }: OutboxEnqueueResult = await outbox.enqueue(input);
 * ```
 */
export interface OutboxEnqueueResult {
  /** The new job's id, or the existing one's when `duplicate`. */
  readonly id: string;
  /** True when a job with the same topic and key already existed. */
  readonly duplicate: boolean;
}

/**
 * Options of {@link Outbox.listDeadLetters}.
 *
 * @example
 * ```ts
 * const page: OutboxListOptions = { topic: 'event-delivery', limit: 50, after: lastSeenId };
 * ```
 */
export interface OutboxListOptions {
  /** Only jobs of this topic. */
  readonly topic?: string;
  /** At most this many, default 100, at most 1000. */
  readonly limit?: number;
  /** Only jobs with an id greater than this one (for paging, ids are sortable). */
  readonly after?: string;
}

/**
 * Counts of jobs by state, for dashboards and tests.
 *
 * @example
 * ```ts
 * const { pending, dead }: OutboxCounts = await outbox.counts();
 * ```
 */
export type OutboxCounts = Readonly<Record<OutboxJobState, number>>;

/**
 * The durable outbox: jobs written in the caller's transaction, run later by
 * any number of {@link OutboxWorker}s, at least once.
 *
 * @example
 * ```ts
 * const outbox = createOutbox(executor);
 * await executor.transaction(async (transaction) => {
 *   await transaction.query('UPDATE consents SET withdrawn_at = now() WHERE id = $1', [consentId]);
 *   await outbox.enqueue({ topic: 'consent.withdrawn', payload: { consentId } }, { transaction });
 * });
 * ```
 */
export interface Outbox {
  /**
   * Adds a job, in `options.transaction` when given (it then exists only if
   * that transaction commits), and wakes listening workers at commit.
   *
   * @throws {@link InvalidInputError} `INVALID_ARGUMENT` naming the bad field; {@link SqlError}.
   */
  enqueue(input: OutboxEnqueueInput, options?: SqlWriteOptions): Promise<OutboxEnqueueResult>;
  /** One job by id, or `undefined`. */
  get(id: string): Promise<OutboxJob | undefined>;
  /** Dead-lettered jobs, oldest first. */
  listDeadLetters(options?: OutboxListOptions): Promise<OutboxJob[]>;
  /**
   * Puts a dead job back to `pending`, to run at once with a fresh count of
   * attempts.
   *
   * @throws {@link OutboxError} `OUTBOX_JOB_NOT_FOUND`, or `OUTBOX_JOB_NOT_DEAD` when it is not dead.
   */
  replay(id: string, options?: SqlWriteOptions): Promise<void>;
  /** How many jobs are in each state. */
  counts(): Promise<OutboxCounts>;
  /**
   * Deletes `done` jobs finished before `olderThan` (their dedupe keys become
   * free again). Returns how many were deleted.
   */
  purge(input: { readonly olderThan: Date }, options?: SqlWriteOptions): Promise<number>;
}

/**
 * Options of {@link createOutbox}.
 *
 * @example
 * ```ts
 * const options: OutboxOptions = { clock: createManualClock('2026-01-01T00:00:00Z') };
 * ```
 */
export interface OutboxOptions {
  /** Stamps `createdAt` and the default `runAt`, and makes the ids. Default the system clock. */
  readonly clock?: Clock;
}

/**
 * What a handler gets besides the job.
 *
 * @example
 * ```ts
 * const handler: OutboxHandler = async (job, { signal, attempt }) => {
 *   await client.request({ method: 'POST', url, json: job.payload, signal });
 * };
 * ```
 */
export interface OutboxHandlerContext {
  /** Aborted when the worker stops without waiting, or loses the job's lease. */
  readonly signal: AbortSignal;
  /** This attempt's number, counting from 1. */
  readonly attempt: number;
}

/**
 * Runs one job. Resolve when the work is done; the job is then `done`.
 * Reject to fail the attempt:
 * - an error with `isRetryable: false` (a {@link CivicError} such as an
 *   `HttpError` for a 400, or `OutboxError` `OUTBOX_PERMANENT_FAILURE`)
 *   dead-letters the job at once;
 * - anything else is retried after exponential backoff with full jitter, or
 *   after `details.retryAfterMs` when the error carries one (what a
 *   `Retry-After` asked for), until `maxAttempts` is used up.
 *
 * @example
 * ```ts
 * const handler: OutboxHandler = async (job) => {
 *   const response = await client.request({ method: 'POST', url, json: job.payload });
 *   if (!response.ok) throw outboxFailureFromResponse(response);
 * };
 * ```
 */
export type OutboxHandler = (job: OutboxJob, context: OutboxHandlerContext) => Promise<void>;

/**
 * A per-destination budget, shared by every worker on the database: a token
 * bucket refilled at `perSecond`, holding at most `burst` (default
 * `max(1, perSecond)`).
 *
 * @example
 * ```ts
 * const limit: OutboxRateLimit = { perSecond: 5, burst: 10 };
 * ```
 */
export interface OutboxRateLimit {
  readonly perSecond: number;
  readonly burst?: number;
}

/**
 * Backoff of failed attempts: a delay drawn uniformly from
 * `[0, min(maxDelayMs, baseDelayMs * 2^(attempt - 1)))`, or what the error's
 * `retryAfterMs` asks for (capped at `maxRetryAfterMs`).
 *
 * @example
 * ```ts
 * const backoff: OutboxBackoffOptions = { baseDelayMs: 1000, maxDelayMs: 3_600_000 };
 * ```
 */
export interface OutboxBackoffOptions {
  /** Default 1 000 ms. */
  readonly baseDelayMs?: number;
  /** Default one hour. */
  readonly maxDelayMs?: number;
  /** The longest `Retry-After` honoured as asked; longer ones are cut to this. Default one day. */
  readonly maxRetryAfterMs?: number;
  /** Source of the jitter in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * What a worker reports through `onEvent`. Never payloads or secrets.
 *
 * @example
 * ```ts
 * const event: OutboxEvent = { type: 'job-completed', jobId: id, topic: 'event-delivery', attempt: 1, durationMs: 12 };
 * ```
 */
export type OutboxEvent =
  | {
      readonly type: 'job-completed';
      readonly jobId: string;
      readonly topic: string;
      readonly attempt: number;
      readonly durationMs: number;
    }
  | {
      readonly type: 'job-retry-scheduled';
      readonly jobId: string;
      readonly topic: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly failure: OutboxFailure;
    }
  | {
      readonly type: 'job-dead-lettered';
      readonly jobId: string;
      readonly topic: string;
      readonly attempt: number;
      readonly failure: OutboxFailure;
    }
  | {
      readonly type: 'job-rate-limited';
      readonly jobId: string;
      readonly destination: string;
      readonly delayMs: number;
    }
  | { readonly type: 'job-lease-lost'; readonly jobId: string; readonly topic: string }
  | { readonly type: 'jobs-released'; readonly count: number }
  | { readonly type: 'leases-expired'; readonly count: number }
  | { readonly type: 'worker-listening'; readonly channel: string }
  | { readonly type: 'worker-error'; readonly error: unknown };

/**
 * Options of {@link createOutboxWorker}.
 *
 * @example
 * ```ts
 * const options: OutboxWorkerOptions = {
 *   executor,
 *   handlers: { 'consent.withdrawn': notifyAgencies },
 *   concurrency: 8,
 *   rateLimits: { 'https://tax.example.gov': { perSecond: 5 } },
 * };
 * ```
 */
export interface OutboxWorkerOptions {
  /**
   * The database. When it is a {@link ClosableSqlExecutor} with `listen`, the
   * worker wakes as soon as a job is enqueued; it polls in any case.
   */
  readonly executor: SqlExecutor | ClosableSqlExecutor;
  /** One handler per topic; the worker claims only these topics. */
  readonly handlers: Readonly<Record<string, OutboxHandler>>;
  /** Jobs run at once by this worker. Default 4. */
  readonly concurrency?: number;
  /** How long a claim lasts without renewal; renewed every third of it while the handler runs. Default 30 s. */
  readonly leaseSeconds?: number;
  /** Longest wait between two looks for work when nothing wakes the worker. Default 1 000 ms. */
  readonly pollIntervalMs?: number;
  /** Per-destination budgets, shared through the database. Destinations not listed are unlimited. */
  readonly rateLimits?: Readonly<Record<string, OutboxRateLimit>>;
  /** Backoff of failed attempts. */
  readonly backoff?: OutboxBackoffOptions;
  /** Names this worker in leases (for operators). Default a random UUIDv7. */
  readonly workerId?: string;
  /** Default the system clock. */
  readonly clock?: Clock;
  /** Told what happens; errors it throws are ignored. */
  readonly onEvent?: (event: OutboxEvent) => void;
}

/**
 * Options of {@link OutboxWorker.stop}.
 *
 * @example
 * ```ts
 * await worker.stop({ graceful: true, timeoutMs: 10_000 });
 * ```
 */
export interface OutboxStopOptions {
  /**
   * True (default): claim nothing more and let running handlers finish.
   * False: abort their signals at once and release their jobs (back to
   * `pending`, the attempt not counted).
   */
  readonly graceful?: boolean;
  /** With `graceful`, how long to wait before aborting and releasing what is left. Default no limit. */
  readonly timeoutMs?: number;
}

/**
 * A worker: claims jobs with `FOR UPDATE SKIP LOCKED` under a lease, runs
 * their handlers and records the outcome. Run one or many, in one process or
 * several, against one PostgreSQL; no coordinator. On PGlite run one, in the
 * process that owns the database.
 *
 * @example
 * ```ts
 * const worker = createOutboxWorker({ executor, handlers: { [delivery.topic]: delivery.handler } });
 * worker.start();
 * process.on('SIGTERM', () => void worker.stop({ graceful: true }));
 * ```
 */
export interface OutboxWorker {
  /** Starts claiming and running jobs. Calling it twice, or after `stop`, does nothing. */
  start(): void;
  /**
   * Stops claiming. Graceful (the default): resolves once every running
   * handler has finished (or `timeoutMs` passed and what was left was
   * released). Otherwise: aborts the handlers' signals and resolves once
   * their jobs are released; a handler that ignores its signal may still be
   * running, and what it does is no longer recorded. Either way, a handler
   * that has already returned gets its outcome recorded first (its job is
   * never released to run again).
   */
  stop(options?: OutboxStopOptions): Promise<void>;
  /** Jobs this worker is running now. */
  readonly running: number;
}
