import { buryJob, type Claim, completeJob, releaseJobs, retryJob } from './outbox-claim.js';
import { decideFailure } from './outbox-failure.js';
import { invalidArgument } from './outbox-input.js';
import { takeToken } from './outbox-rate-limit.js';
import type { WorkerSettings } from './outbox-worker-options.js';

/**
 * A job a worker is running.
 *
 * @internal
 */
export interface RunningJob {
  readonly claim: Claim;
  readonly controller: AbortController;
  /** Released by a stop that did not wait: the outcome is no longer ours to record. */
  released: boolean;
  /** The handler has returned and its outcome is being recorded: a stop waits, never releases. */
  settling: boolean;
  done: Promise<void>;
}

/**
 * Runs one claimed job: takes a rate-limit token when its destination has
 * a limit (or gives the job back until the next token is due), calls the
 * handler and records the outcome — done, retry after backoff, or dead —
 * unless the claim is no longer ours.
 *
 * @internal
 */
export async function runJob(settings: WorkerSettings, entry: RunningJob): Promise<void> {
  const { executor, clock, report } = settings;
  const { claim } = entry;
  const { job } = claim;
  const limit =
    job.destination === undefined ? undefined : settings.rateLimits.get(job.destination);
  if (job.destination !== undefined && limit !== undefined) {
    const token = await takeToken(executor, job.destination, limit, clock.now());
    if (!token.granted) {
      const runAt = new Date(clock.now().getTime() + token.waitMs);
      await releaseJobs(executor, [claim], runAt);
      report({
        type: 'job-rate-limited',
        jobId: job.id,
        destination: job.destination,
        delayMs: token.waitMs,
      });
      return;
    }
  }
  // Released (a stop that did not wait) or its lease lost while the token
  // was taken: the job may already be another worker's to run.
  if (entry.released) return;
  if (entry.controller.signal.aborted) {
    report({ type: 'job-lease-lost', jobId: job.id, topic: job.topic });
    return;
  }
  const handler = settings.handlers.get(job.topic);
  const started = performance.now();
  let failed: { error: unknown } | undefined;
  try {
    if (handler === undefined) throw invalidArgument('handlers', `a handler for ${job.topic}`);
    await handler(job, { signal: entry.controller.signal, attempt: job.attempts });
  } catch (error) {
    failed = { error };
  }
  if (entry.released) return;
  entry.settling = true;
  if (entry.controller.signal.aborted) {
    // Its lease was lost (or the job claimed again by this worker): the
    // claim may match a newer one after a replay, so this run settles nothing.
    report({ type: 'job-lease-lost', jobId: job.id, topic: job.topic });
    return;
  }
  const now = clock.now();
  let ours: boolean;
  if (failed === undefined) {
    ours = await completeJob(executor, claim, now);
    if (ours) {
      report({
        type: 'job-completed',
        jobId: job.id,
        topic: job.topic,
        attempt: job.attempts,
        durationMs: performance.now() - started,
      });
    }
  } else {
    const decision = decideFailure(
      failed.error,
      job.attempts,
      job.maxAttempts,
      settings.backoff,
      now,
    );
    if (decision.kind === 'retry') {
      ours = await retryJob(
        executor,
        claim,
        new Date(now.getTime() + decision.delayMs),
        decision.failure,
      );
      if (ours) {
        report({
          type: 'job-retry-scheduled',
          jobId: job.id,
          topic: job.topic,
          attempt: job.attempts,
          delayMs: decision.delayMs,
          failure: decision.failure,
        });
      }
    } else {
      ours = await buryJob(executor, claim, now, decision.failure);
      if (ours) {
        report({
          type: 'job-dead-lettered',
          jobId: job.id,
          topic: job.topic,
          attempt: job.attempts,
          failure: decision.failure,
        });
      }
    }
  }
  if (!ours) report({ type: 'job-lease-lost', jobId: job.id, topic: job.topic });
}
