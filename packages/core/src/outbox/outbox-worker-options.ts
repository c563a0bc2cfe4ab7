import { createUuidv7Generator } from '../ids/uuidv7.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import { type Clock, systemClock } from '../time/clock.js';
import { type ResolvedBackoff, resolveBackoff } from './outbox-failure.js';
import { checkInteger, checkText, invalidArgument } from './outbox-input.js';
import type {
  OutboxEvent,
  OutboxHandler,
  OutboxRateLimit,
  OutboxWorkerOptions,
} from './outbox-types.js';

/**
 * {@link OutboxWorkerOptions} checked, with every default applied.
 *
 * @internal
 */
export interface WorkerSettings {
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

/**
 * Checks {@link OutboxWorkerOptions} and applies the defaults.
 *
 * @internal
 */
export function resolveWorkerOptions(options: OutboxWorkerOptions): WorkerSettings {
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
