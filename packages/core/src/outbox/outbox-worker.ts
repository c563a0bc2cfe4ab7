import { type Claim, claimJobs, expireLeases, releaseJobs, renewLeases } from './outbox-claim.js';
import { type RunningJob, runJob } from './outbox-job-runner.js';
import type { OutboxStopOptions, OutboxWorker, OutboxWorkerOptions } from './outbox-types.js';
import { outboxChannel } from './outbox-wakeup.js';
import { resolveWorkerOptions } from './outbox-worker-options.js';

interface Listening {
  listen?: (
    channel: string,
    onNotification: (payload: string) => void,
  ) => Promise<{ close(): Promise<void> }>;
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
  const running = new Map<string, RunningJob>();
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
    // Claimed again while a run whose lease was taken back is still going:
    // that run is no longer ours; this one is the one to count and renew.
    running.get(claim.job.id)?.controller.abort(new Error('outbox lease lost'));
    const entry: RunningJob = {
      claim,
      controller: new AbortController(),
      released: false,
      settling: false,
      done: Promise.resolve(),
    };
    running.set(claim.job.id, entry);
    entry.done = runJob(settings, entry)
      .catch((error: unknown) => report({ type: 'worker-error', error }))
      .finally(() => {
        if (running.get(claim.job.id) === entry) running.delete(claim.job.id);
        wakeUp();
      });
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
    // A handler that has returned is recording its outcome: let it finish.
    const settling = [...running.values()].filter((entry) => entry.settling);
    const entries = [...running.values()].filter((entry) => !entry.released && !entry.settling);
    if (entries.length > 0) {
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
    await Promise.all(settling.map((entry) => entry.done));
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
      if (started || stopping) return;
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
