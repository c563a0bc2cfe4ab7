import { createUuidv7Generator } from '../ids/uuidv7.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { type Clock, systemClock } from '../time/clock.js';
import {
  buryJob,
  type Claim,
  claimJobs,
  completeJob,
  expireLeases,
  releaseJobs,
  renewLeases,
  retryJob,
} from './outbox-claim.js';
import { decideFailure, type ResolvedBackoff, resolveBackoff } from './outbox-failure.js';
import { checkInteger, checkText, invalidArgument } from './outbox-input.js';
import { takeToken } from './outbox-rate-limit.js';
import type {
  OutboxEvent,
  OutboxHandler,
  OutboxRateLimit,
  OutboxStopOptions,
  OutboxWorker,
  OutboxWorkerOptions,
} from './outbox-types.js';
import { outboxChannel } from './outbox-wakeup.js';

interface Settings {
  readonly executor: SqlExecutor;
  readonly handlers: ReadonlyMap<string, OutboxHandler>;
  readonly topics: readonly string[];
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  readonly rateLimits: ReadonlyMap<string, OutboxRateLimit>;
  readonly backoff: ResolvedBackoff;
  readonly owner: string;
  readonly clock: Clock;
  readonly report: (event: OutboxEvent) => void;
}

interface Running {
  readonly claim: Claim;
  readonly controller: AbortController;
  /** Released by a stop that did not wait: the outcome is no longer ours to record. */
  released: boolean;
  done: Promise<void>;
}

interface Listening {
  listen?: (
    channel: string,
    onNotification: (payload: string) => void,
  ) => Promise<{
    close(): Promise<void>;
  }>;
}

/**
 * Creates an {@link OutboxWorker}. Nothing runs until `start()`.
 *
 * Each pass reaps expired leases, claims as many ready jobs as it has free
 * slots (`FOR UPDATE SKIP LOCKED`, so workers in other processes never get
 * the same job), takes a rate-limit token per job with a limited
 * destination, and runs the handlers. Leases are renewed every third of
 * `leaseSeconds` while handlers run. It waits for a notification on
 * {@link outboxChannel} (when the executor can `listen`), a freed slot, or
 * `pollIntervalMs`, whichever comes first.
 *
 * @throws {@link InvalidInputError} `INVALID_ARGUMENT` for a bad option.
 * @example
 * ```ts
 * import { createOutboxWorker } from '@civicblocks/core';
 *
 * const worker = createOutboxWorker({
 *   executor,
 *   handlers: {
 *     'payment.receipt': async (job, { signal }) => {
 *       await sendReceipt(job.payload, { signal });
 *     },
 *   },
 *   concurrency: 8,
 *   rateLimits: { 'https://notify.example.gov': { perSecond: 20 } },
 * });
 * worker.start();
 * process.once('SIGTERM', () => void worker.stop({ graceful: true, timeoutMs: 20_000 }));
 * ```
 */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const settings = resolveWorkerOptions(options);
  const { executor, clock, report } = settings;
  const running = new Map<string, Running>();
  let started = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let listener: Promise<{ close(): Promise<void> } | undefined> | undefined;
  let stopped: Promise<void> | undefined;
  let lastReap = Number.NEGATIVE_INFINITY;

  let woken = false;
  const wakeUp = (): void => {
    const resolve = wake;
    wake = undefined;
    if (resolve === undefined) woken = true;
    else resolve();
  };

  const leaseUntil = (now: Date): Date => new Date(now.getTime() + settings.leaseMs);

  /** One look for work; true when it claimed a full batch (more may be ready). */
  async function pass(): Promise<boolean> {
    const now = clock.now();
    if (now.getTime() - lastReap >= settings.leaseMs / 3) {
      lastReap = now.getTime();
      const expired = await expireLeases(executor, now);
      if (expired > 0) report({ type: 'leases-expired', count: expired });
    }
    const free = settings.concurrency - running.size;
    if (free <= 0 || stopping) return false;
    const claims = await claimJobs(executor, {
      topics: settings.topics,
      limit: free,
      owner: settings.owner,
      now,
      leaseUntil: leaseUntil(now),
    });
    for (const claim of claims) launch(claim);
    return claims.length === free;
  }

  function launch(claim: Claim): void {
    const entry: Running = {
      claim,
      controller: new AbortController(),
      released: false,
      done: Promise.resolve(),
    };
    running.set(claim.job.id, entry);
    entry.done = run(entry)
      .catch((error: unknown) => report({ type: 'worker-error', error }))
      .finally(() => {
        running.delete(claim.job.id);
        wakeUp();
      });
  }

  async function run(entry: Running): Promise<void> {
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

  async function renew(): Promise<void> {
    const entries = [...running.values()].filter((entry) => !entry.released);
    if (entries.length === 0) return;
    const lost = await renewLeases(
      executor,
      entries.map((entry) => entry.claim),
      leaseUntil(clock.now()),
    );
    for (const entry of entries) {
      if (lost.has(entry.claim.job.id)) entry.controller.abort(new Error('outbox lease lost'));
    }
  }

  function waitForWork(): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, settings.pollIntervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function runLoop(): Promise<void> {
    while (!stopping) {
      woken = false;
      let full = false;
      try {
        full = await pass();
      } catch (error) {
        report({ type: 'worker-error', error });
      }
      if (stopping) break;
      // A full batch and a free slot already: there may be more ready at once.
      if (full && running.size < settings.concurrency) continue;
      // Otherwise wait for a notification, a freed slot or the poll interval.
      await waitForWork();
    }
  }

  async function startListening(): Promise<{ close(): Promise<void> } | undefined> {
    const listen = (executor as Listening).listen;
    if (typeof listen !== 'function') return undefined;
    try {
      const opened = await listen.call(executor, outboxChannel, (topic) => {
        if (settings.handlers.has(topic)) wakeUp();
      });
      report({ type: 'worker-listening', channel: outboxChannel });
      return opened;
    } catch (error) {
      report({ type: 'worker-error', error });
      return undefined;
    }
  }

  async function releaseRunning(): Promise<void> {
    const entries = [...running.values()].filter((entry) => !entry.released);
    if (entries.length === 0) return;
    for (const entry of entries) {
      entry.released = true;
      entry.controller.abort(new Error('outbox worker stopped'));
    }
    const count = await releaseJobs(
      executor,
      entries.map((entry) => entry.claim),
      clock.now(),
    );
    report({ type: 'jobs-released', count });
  }

  async function stop(stopOptions: OutboxStopOptions = {}): Promise<void> {
    stopped ??= (async () => {
      stopping = true;
      wakeUp();
      await loop;
      const graceful = stopOptions.graceful ?? true;
      if (graceful) {
        const all = Promise.all([...running.values()].map((entry) => entry.done));
        if (stopOptions.timeoutMs === undefined) {
          await all;
        } else {
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            all,
            new Promise<void>((resolve) => {
              timer = setTimeout(resolve, stopOptions.timeoutMs);
            }),
          ]);
          clearTimeout(timer);
        }
      }
      await releaseRunning();
      if (heartbeat !== undefined) clearInterval(heartbeat);
      const opened = await listener;
      await opened?.close().catch((error: unknown) => report({ type: 'worker-error', error }));
    })();
    return stopped;
  }

  return {
    start(): void {
      if (started) return;
      started = true;
      listener = startListening();
      heartbeat = setInterval(() => {
        renew().catch((error: unknown) => report({ type: 'worker-error', error }));
      }, settings.leaseMs / 3);
      heartbeat.unref?.();
      // Listen first, then look: a job enqueued between the two is never missed.
      loop = listener.then(runLoop);
    },
    stop,
    get running(): number {
      return running.size;
    },
  };
}

function resolveWorkerOptions(options: OutboxWorkerOptions): Settings {
  if (typeof options !== 'object' || options === null)
    throw invalidArgument('options', 'an object');
  const { executor, handlers } = options;
  if (typeof executor?.query !== 'function') throw invalidArgument('executor', 'a SqlExecutor');
  if (typeof handlers !== 'object' || handlers === null) {
    throw invalidArgument('handlers', 'an object of handlers by topic');
  }
  const handlerMap = new Map<string, OutboxHandler>();
  for (const [topic, handler] of Object.entries(handlers)) {
    checkText(topic, 'handlers', 200);
    if (typeof handler !== 'function') throw invalidArgument(`handlers.${topic}`, 'a function');
    handlerMap.set(topic, handler);
  }
  if (handlerMap.size === 0) throw invalidArgument('handlers', 'at least one handler');
  const concurrency =
    options.concurrency === undefined
      ? 4
      : checkInteger(options.concurrency, 'concurrency', 1, 1000);
  const leaseSeconds = options.leaseSeconds ?? 30;
  if (
    typeof leaseSeconds !== 'number' ||
    !(leaseSeconds >= 0.3) ||
    !Number.isFinite(leaseSeconds)
  ) {
    throw invalidArgument('leaseSeconds', 'a finite number of at least 0.3');
  }
  const pollIntervalMs =
    options.pollIntervalMs === undefined
      ? 1000
      : checkInteger(options.pollIntervalMs, 'pollIntervalMs', 1, 3_600_000);
  const rateLimits = new Map<string, OutboxRateLimit>();
  for (const [destination, limit] of Object.entries(options.rateLimits ?? {})) {
    const perSecond = limit?.perSecond;
    if (typeof perSecond !== 'number' || !(perSecond > 0) || !Number.isFinite(perSecond)) {
      throw invalidArgument('rateLimits.perSecond', 'a finite number above 0');
    }
    if (
      limit.burst !== undefined &&
      (typeof limit.burst !== 'number' || !(limit.burst >= 1) || !Number.isFinite(limit.burst))
    ) {
      throw invalidArgument('rateLimits.burst', 'a finite number of at least 1');
    }
    rateLimits.set(destination, limit);
  }
  const clock = options.clock ?? systemClock;
  const onEvent = options.onEvent;
  return {
    executor,
    handlers: handlerMap,
    topics: [...handlerMap.keys()],
    concurrency,
    leaseMs: leaseSeconds * 1000,
    pollIntervalMs,
    rateLimits,
    backoff: resolveBackoff(options.backoff),
    owner: options.workerId ?? createUuidv7Generator(clock).next(),
    clock,
    report: (event) => {
      try {
        onEvent?.(event);
      } catch {
        // A listener's failure must not stop the worker.
      }
    },
  };
}
