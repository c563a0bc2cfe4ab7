import { describe, expect, it } from 'vitest';
import { InvalidInputError, OutboxError } from '../errors/core-errors.js';
import { isUuidv7 } from '../ids/uuidv7.js';
import { migrate } from '../sql/migrations.js';
import type { SqlExecutor } from '../sql/sql-executor.js';
import {
  rejection,
  testDatabaseTargets,
  useTestDatabase,
} from '../testing-support/sql-test-support.js';
import { createManualClock } from '../time/clock.js';
import { createOutbox } from './outbox.js';
import { outboxJobsTable, outboxMigrations, outboxRateLimitsTable } from './outbox-migrations.js';
import type { OutboxEvent, OutboxHandler, OutboxWorker } from './outbox-types.js';
import { createOutboxWorker } from './outbox-worker.js';

/** Resolves once `condition` holds, looking again after each short pause. No deadline. */
async function eventually(condition: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

const slow = 120_000;

/**
 * `executor` with every query passed through `around` first, which runs it
 * (`run`) when it chooses: a test holds one statement back to order a race.
 */
function interceptedExecutor(
  executor: SqlExecutor,
  around: (text: string, run: () => Promise<unknown>) => Promise<unknown>,
): SqlExecutor {
  return {
    query: (text: string, parameters?: readonly never[], queryOptions?: object) =>
      around(text, () => executor.query(text, parameters, queryOptions)),
    executeScript: (script: string) => executor.executeScript(script),
    transaction: executor.transaction.bind(executor),
    stream: executor.stream.bind(executor),
    get inTransaction() {
      return executor.inTransaction;
    },
  } as unknown as SqlExecutor;
}

describe.each(testDatabaseTargets())('outbox on $name', (target) => {
  let executor: SqlExecutor;
  let topicNumber = 0;
  const nextTopic = (): string => {
    topicNumber += 1;
    return `test.topic-${topicNumber}`;
  };

  useTestDatabase(target, async (created) => {
    executor = created.executor;
    await migrate(executor, outboxMigrations);
  });

  async function drain(
    handlers: Record<string, OutboxHandler>,
    until: () => Promise<boolean>,
    extra: Partial<Parameters<typeof createOutboxWorker>[0]> = {},
  ): Promise<OutboxEvent[]> {
    const events: OutboxEvent[] = [];
    const worker = createOutboxWorker({
      executor,
      handlers,
      pollIntervalMs: 10,
      backoff: { baseDelayMs: 1, maxDelayMs: 5 },
      onEvent: (event) => events.push(event),
      ...extra,
    });
    worker.start();
    await eventually(until);
    await worker.stop();
    return events;
  }

  it('enqueues inside the caller transaction: a rollback leaves no job', async () => {
    const outbox = createOutbox(executor);
    const topic = nextTopic();
    const committed = await executor.transaction(async (transaction) =>
      outbox.enqueue({ topic, payload: { n: 1 } }, { transaction }),
    );
    await rejection(
      executor.transaction(async (transaction) => {
        await outbox.enqueue({ topic, payload: { n: 2 } }, { transaction });
        throw new Error('the caller changed its mind');
      }),
    );
    expect(isUuidv7(committed.id)).toBe(true);
    expect(committed.duplicate).toBe(false);
    const { rows } = await executor.query<{ payload: unknown }>(
      `SELECT payload FROM ${outboxJobsTable} WHERE topic = $1`,
      [topic],
    );
    expect(rows).toEqual([{ payload: { n: 1 } }]);
    const job = await outbox.get(committed.id);
    expect(job).toMatchObject({ topic, state: 'pending', attempts: 0, maxAttempts: 10 });
  });

  it('keeps one job per topic and key', async () => {
    const outbox = createOutbox(executor);
    const topic = nextTopic();
    const first = await outbox.enqueue({ topic, payload: { n: 1 }, key: 'k-1' });
    const second = await outbox.enqueue({ topic, payload: { n: 2 }, key: 'k-1' });
    const other = await outbox.enqueue({ topic: nextTopic(), payload: { n: 3 }, key: 'k-1' });
    expect(second).toEqual({ id: first.id, duplicate: true });
    expect(other.duplicate).toBe(false);
    expect((await outbox.get(first.id))?.payload).toEqual({ n: 1 });
  });

  it('refuses bad input with a typed error naming the field', async () => {
    const outbox = createOutbox(executor);
    const error = await rejection(
      outbox.enqueue({ topic: 't', payload: { when: new Date() } as never }),
    );
    expect(InvalidInputError.isInstance(error) && error.details?.argument).toBe('payload');
    const priority = await rejection(outbox.enqueue({ topic: 't', payload: 1, priority: 0.5 }));
    expect(InvalidInputError.isInstance(priority) && priority.details?.argument).toBe('priority');
  });

  it(
    'runs higher priority first and nothing before its not-before time',
    async () => {
      const clock = createManualClock('2026-01-01T00:00:00Z');
      const outbox = createOutbox(executor, { clock });
      const topic = nextTopic();
      await outbox.enqueue({ topic, payload: 'low', priority: 0 });
      await outbox.enqueue({
        topic,
        payload: 'later',
        priority: 100,
        notBefore: new Date('2026-01-01T00:01:00Z'),
      });
      await outbox.enqueue({ topic, payload: 'high', priority: 5 });
      const seen: unknown[] = [];
      const worker = createOutboxWorker({
        executor,
        clock,
        concurrency: 1,
        pollIntervalMs: 5,
        handlers: { [topic]: async (job) => void seen.push(job.payload) },
      });
      worker.start();
      await eventually(() => seen.length === 2);
      expect(seen).toEqual(['high', 'low']);
      clock.advance(60_000);
      await eventually(() => seen.length === 3);
      await worker.stop();
      expect(seen).toEqual(['high', 'low', 'later']);
    },
    slow,
  );

  it(
    'retries a failing job with backoff, honours retryAfterMs and dead-letters permanent failures at once',
    async () => {
      const clock = createManualClock('2026-01-01T00:00:00Z');
      const outbox = createOutbox(executor, { clock });
      const topic = nextTopic();
      const flaky = await outbox.enqueue({ topic, payload: 'flaky' });
      const permanent = await outbox.enqueue({ topic, payload: 'permanent' });
      const patient = await outbox.enqueue({ topic, payload: 'patient' });
      const attempts = new Map<string, number>();
      const handler: OutboxHandler = async (job, { attempt }) => {
        attempts.set(job.payload as string, attempt);
        if (job.payload === 'flaky' && attempt < 3) throw new Error('temporarily down');
        if (job.payload === 'permanent') {
          throw new OutboxError('OUTBOX_PERMANENT_FAILURE', 'the receiver refused the job');
        }
        if (job.payload === 'patient' && attempt === 1) {
          throw new OutboxError('OUTBOX_RETRY_LATER', 'come back in a minute', {
            isRetryable: true,
            details: { retryAfterMs: 60_000 },
          });
        }
      };
      const events: OutboxEvent[] = [];
      const worker = createOutboxWorker({
        executor,
        clock,
        pollIntervalMs: 5,
        backoff: { baseDelayMs: 1000, maxDelayMs: 1000, random: () => 0.5 },
        handlers: { [topic]: handler },
        onEvent: (event) => events.push(event),
      });
      worker.start();
      await eventually(async () => (await outbox.get(permanent.id))?.state === 'dead');
      // Each failure is recorded as a retry: back to pending, not before a later time.
      const retryRecorded = async (id: string, attempts: number): Promise<boolean> => {
        const job = await outbox.get(id);
        return (
          job?.state === 'pending' &&
          job.attempts === attempts &&
          job.runAt.getTime() > clock.now().getTime()
        );
      };
      await eventually(
        async () => (await retryRecorded(flaky.id, 1)) && (await retryRecorded(patient.id, 1)),
      );
      // Backoff: the first retry waits half of baseDelayMs (random 0.5).
      expect((await outbox.get(flaky.id))?.runAt.getTime()).toBe(clock.now().getTime() + 500);
      expect((await outbox.get(patient.id))?.runAt.getTime()).toBe(clock.now().getTime() + 60_000);
      clock.advance(1000);
      await eventually(() => retryRecorded(flaky.id, 2));
      clock.advance(1000);
      await eventually(async () => (await outbox.get(flaky.id))?.state === 'done');
      expect((await outbox.get(patient.id))?.state).toBe('pending');
      clock.advance(60_000);
      await eventually(async () => (await outbox.get(patient.id))?.state === 'done');
      await worker.stop();
      expect(attempts.get('permanent')).toBe(1);
      expect(attempts.get('flaky')).toBe(3);
      const dead = await outbox.get(permanent.id);
      expect(dead?.lastFailure).toMatchObject({
        name: 'OutboxError',
        code: 'OUTBOX_PERMANENT_FAILURE',
        attempt: 1,
        retryable: false,
      });
      expect(events.filter((event) => event.type === 'job-dead-lettered')).toHaveLength(1);
    },
    slow,
  );

  it(
    'dead-letters a job after its last attempt, lists it and replays it',
    async () => {
      const outbox = createOutbox(executor);
      const topic = nextTopic();
      const { id } = await outbox.enqueue({ topic, payload: {}, maxAttempts: 2 });
      let fail = true;
      await drain(
        {
          [topic]: async () => {
            if (fail) throw new Error('still down');
          },
        },
        async () => (await outbox.get(id))?.state === 'dead',
      );
      const dead = await outbox.listDeadLetters({ topic });
      expect(dead.map((job) => [job.id, job.attempts, job.lastFailure?.message])).toEqual([
        [id, 2, 'still down'],
      ]);
      const notDead = await rejection(
        outbox.replay((await outbox.enqueue({ topic, payload: 1 })).id),
      );
      expect(OutboxError.isInstance(notDead) && notDead.code).toBe('OUTBOX_JOB_NOT_DEAD');
      const missing = await rejection(outbox.replay('0195a1c2-7f3e-7a41-9c0d-2b6e8f1a3c57'));
      expect(OutboxError.isInstance(missing) && missing.code).toBe('OUTBOX_JOB_NOT_FOUND');

      await outbox.replay(id);
      expect(await outbox.get(id)).toMatchObject({ state: 'pending', attempts: 0 });
      fail = false;
      await drain(
        { [topic]: async () => {} },
        async () => (await outbox.get(id))?.state === 'done',
      );
      expect(await outbox.listDeadLetters({ topic })).toEqual([]);
    },
    slow,
  );

  it(
    'shares a destination budget through the database between workers',
    async () => {
      const clock = createManualClock('2026-01-01T00:00:00Z');
      const outbox = createOutbox(executor, { clock });
      const topic = nextTopic();
      const destination = `https://limited-${topic}.example.gov`;
      for (let index = 0; index < 10; index += 1) {
        await outbox.enqueue({ topic, payload: index, destination });
      }
      const ran: number[] = [];
      const workers: OutboxWorker[] = [1, 2].map(() =>
        createOutboxWorker({
          executor,
          clock,
          pollIntervalMs: 5,
          concurrency: 5,
          handlers: { [topic]: async (job) => void ran.push(job.payload as number) },
          rateLimits: { [destination]: { perSecond: 2, burst: 3 } },
        }),
      );
      for (const worker of workers) worker.start();
      const waiting = async (): Promise<number> => {
        const { rows } = await executor.query<{ count: bigint }>(
          `SELECT count(*) AS count FROM ${outboxJobsTable} WHERE topic = $1 AND state = 'pending' AND run_at > $2`,
          [topic, clock.now()],
        );
        return Number(rows[0]?.count);
      };
      // The clock stands still: the bucket stays empty, however often the workers look.
      await eventually(async () => ran.length === 3 && (await waiting()) === 7);
      clock.advance(1000);
      await eventually(async () => ran.length === 5 && (await waiting()) === 5);
      clock.advance(500);
      await eventually(async () => ran.length === 6 && (await waiting()) === 4);
      await Promise.all(workers.map((worker) => worker.stop()));
      expect(ran).toHaveLength(6);
      expect((await outbox.counts()).running).toBe(0);
    },
    slow,
  );

  it(
    'finishes claimed work on a graceful stop and releases it on an abrupt one',
    async () => {
      const outbox = createOutbox(executor);
      const topic = nextTopic();
      const graceful = await outbox.enqueue({ topic, payload: 'graceful' });
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = createOutboxWorker({
        executor,
        pollIntervalMs: 5,
        handlers: { [topic]: () => gate },
      });
      first.start();
      await eventually(() => first.running === 1);
      const stopping = first.stop({ graceful: true });
      release();
      await stopping;
      expect((await outbox.get(graceful.id))?.state).toBe('done');

      const abrupt = await outbox.enqueue({ topic, payload: 'abrupt' });
      let aborted = false;
      const events: OutboxEvent[] = [];
      const second = createOutboxWorker({
        executor,
        pollIntervalMs: 5,
        onEvent: (event) => events.push(event),
        handlers: {
          [topic]: (_job, { signal }) =>
            new Promise<void>((_resolve, reject) => {
              signal.addEventListener('abort', () => {
                aborted = true;
                reject(signal.reason);
              });
            }),
        },
      });
      second.start();
      await eventually(() => second.running === 1);
      await second.stop({ graceful: false });
      expect(aborted).toBe(true);
      expect(await outbox.get(abrupt.id)).toMatchObject({ state: 'pending', attempts: 0 });
      expect(events).toContainEqual({ type: 'jobs-released', count: 1 });
    },
    slow,
  );

  it(
    'wakes an idle worker through listen/notify at the commit of the enqueue, without polling',
    async () => {
      const outbox = createOutbox(executor);
      const topic = nextTopic();
      const ran: string[] = [];
      let listening = false;
      const first = await outbox.enqueue({ topic, payload: {} });
      const worker = createOutboxWorker({
        executor,
        // An hour between polls: after the first look, only a notification wakes it.
        pollIntervalMs: 3_600_000,
        handlers: { [topic]: async (job) => void ran.push(job.id) },
        onEvent: (event) => {
          if (event.type === 'worker-listening') listening = true;
        },
      });
      worker.start();
      await eventually(async () => listening && (await outbox.get(first.id))?.state === 'done');
      const { id } = await executor.transaction((transaction) =>
        outbox.enqueue({ topic, payload: {} }, { transaction }),
      );
      await eventually(() => ran.length === 2);
      await worker.stop();
      expect(ran).toEqual([first.id, id]);
    },
    slow,
  );

  it(
    'takes back the job of a worker whose lease ran out',
    async () => {
      const clock = createManualClock('2026-01-01T00:00:00Z');
      const outbox = createOutbox(executor, { clock });
      const topic = nextTopic();
      const { id } = await outbox.enqueue({ topic, payload: {} });
      // A worker that claimed the job and died: the row as it left it.
      await executor.query(
        `UPDATE ${outboxJobsTable} SET state = 'running', attempts = 1, lease_owner = 'gone', lease_expires_at = $2 WHERE id = $1`,
        [id, new Date('2026-01-01T00:00:30Z')],
      );
      clock.advance(31_000);
      const attempts: number[] = [];
      await drain(
        { [topic]: async (_job, { attempt }) => void attempts.push(attempt) },
        async () => (await outbox.get(id))?.state === 'done',
        { clock },
      );
      expect(attempts).toEqual([2]);
      expect((await outbox.get(id))?.lastFailure).toMatchObject({
        name: 'OutboxLeaseExpired',
        attempt: 1,
        retryable: true,
      });
    },
    slow,
  );

  it(
    'renews the lease of a long-running job, so no other worker takes it',
    async () => {
      const clock = createManualClock('2026-01-01T00:00:00Z');
      const outbox = createOutbox(executor, { clock });
      const topic = nextTopic();
      const { id } = await outbox.enqueue({ topic, payload: {} });
      let runs = 0;
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const handler: OutboxHandler = async () => {
        runs += 1;
        await gate;
      };
      const leaseExpiry = async (): Promise<number> => {
        const { rows } = await executor.query<{ lease_expires_at: Date | null }>(
          `SELECT lease_expires_at FROM ${outboxJobsTable} WHERE id = $1`,
          [id],
        );
        return rows[0]?.lease_expires_at?.getTime() ?? 0;
      };
      const options = { executor, clock, leaseSeconds: 0.3, pollIntervalMs: 5 };
      const holder = createOutboxWorker({ ...options, handlers: { [topic]: handler } });
      holder.start();
      await eventually(() => runs === 1);
      const other = createOutboxWorker({ ...options, handlers: { [topic]: handler } });
      other.start();
      // Time passes well beyond one lease; each step is shorter than a lease,
      // and the holder's heartbeat renews before the next.
      for (let step = 0; step < 8; step += 1) {
        clock.advance(250);
        await eventually(async () => (await leaseExpiry()) === clock.now().getTime() + 300);
      }
      release();
      await eventually(async () => (await outbox.get(id))?.state === 'done');
      await Promise.all([holder.stop(), other.stop()]);
      expect(runs).toBe(1);
      expect((await outbox.get(id))?.attempts).toBe(1);
    },
    slow,
  );

  it(
    'keeps counting a job it claims again while a run whose lease was taken back is still going',
    async () => {
      const clock = createManualClock('2026-01-01T00:00:00Z');
      const outbox = createOutbox(executor, { clock });
      const topic = nextTopic();
      const { id } = await outbox.enqueue({ topic, payload: {} });
      const finish: (() => void)[] = [];
      const events: OutboxEvent[] = [];
      const worker = createOutboxWorker({
        executor,
        clock,
        pollIntervalMs: 5,
        leaseSeconds: 0.3,
        onEvent: (event) => events.push(event),
        // Ignores its signal, as a handler stuck in a call may.
        handlers: { [topic]: () => new Promise<void>((resolve) => void finish.push(resolve)) },
      });
      worker.start();
      await eventually(() => finish.length === 1);
      // Another worker's reaper takes the job back, as after a stall longer than the lease.
      await executor.query(
        `UPDATE ${outboxJobsTable} SET state = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`,
        [id],
      );
      await eventually(() => finish.length === 2);
      finish[0]?.();
      await eventually(() => events.some((event) => event.type === 'job-lease-lost'));
      // The second run is still going: counted, so its lease keeps being renewed.
      expect(worker.running).toBe(1);
      finish[1]?.();
      await eventually(async () => (await outbox.get(id))?.state === 'done');
      await worker.stop();
      expect(await outbox.get(id)).toMatchObject({ state: 'done', attempts: 2 });
      expect(events.filter((event) => event.type === 'job-completed')).toHaveLength(1);
    },
    slow,
  );

  it(
    'lets only the current run settle a job replayed and claimed again while a stale run of it still goes',
    async () => {
      const outbox = createOutbox(executor);
      const topic = nextTopic();
      const { id } = await outbox.enqueue({ topic, payload: {}, maxAttempts: 1 });
      const finish: (() => void)[] = [];
      const events: OutboxEvent[] = [];
      const worker = createOutboxWorker({
        executor,
        pollIntervalMs: 5,
        onEvent: (event) => events.push(event),
        handlers: { [topic]: () => new Promise<void>((resolve) => void finish.push(resolve)) },
      });
      worker.start();
      await eventually(() => finish.length === 1);
      // Its lease ran out on the last attempt (dead) and an operator replayed it: the row as
      // a reaper and replay leave it, attempts from zero, so the next claim is attempt 1 again.
      await executor.query(
        `UPDATE ${outboxJobsTable} SET state = 'pending', attempts = 0, lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`,
        [id],
      );
      await eventually(() => finish.length === 2);
      finish[0]?.();
      const settled = (event: OutboxEvent): boolean =>
        event.type === 'job-completed' || event.type === 'job-lease-lost';
      await eventually(() => events.some(settled));
      expect(events.filter(settled).map((event) => event.type)).toEqual(['job-lease-lost']);
      expect((await outbox.get(id))?.state).toBe('running');
      finish[1]?.();
      await eventually(async () => (await outbox.get(id))?.state === 'done');
      await worker.stop();
      expect(events.filter((event) => event.type === 'job-completed')).toHaveLength(1);
    },
    slow,
  );

  it(
    'lets a handler that has returned record its outcome on an abrupt stop, never releasing the job to run again',
    async () => {
      const outbox = createOutbox(executor);
      const topic = nextTopic();
      const { id } = await outbox.enqueue({ topic, payload: {} });
      let openGate: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        openGate = resolve;
      });
      let settling = false;
      let released: () => void = () => {};
      const releaseDone = new Promise<void>((resolve) => {
        released = resolve;
      });
      const gated = interceptedExecutor(executor, async (text, run) => {
        if (text.includes("SET state = 'done'")) {
          settling = true;
          await gate;
        }
        const result = await run();
        if (text.includes('attempts = jobs.attempts - 1')) released();
        return result;
      });
      let runs = 0;
      const worker = createOutboxWorker({
        executor: gated,
        pollIntervalMs: 5,
        handlers: {
          [topic]: async () => {
            runs += 1;
          },
        },
      });
      worker.start();
      await eventually(() => settling);
      const stopping = worker.stop({ graceful: false });
      // The outcome is written after a release would have been: once the release has
      // run, or (when the stop releases nothing) after a pause.
      await Promise.race([releaseDone, new Promise((resolve) => setTimeout(resolve, 200))]);
      openGate();
      await stopping;
      expect(runs).toBe(1);
      expect(await outbox.get(id)).toMatchObject({ state: 'done', attempts: 1 });
    },
    slow,
  );

  it(
    'never runs the handler of a job released by an abrupt stop while its rate-limit token was taken',
    async () => {
      const outbox = createOutbox(executor);
      const topic = nextTopic();
      const destination = `https://${topic}.example`;
      const { id } = await outbox.enqueue({ topic, payload: {}, destination });
      let openGate: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        openGate = resolve;
      });
      let tokenAsked = false;
      const gated = interceptedExecutor(executor, async (text, run) => {
        if (text.includes(outboxRateLimitsTable)) {
          tokenAsked = true;
          await gate;
        }
        return run();
      });
      let runs = 0;
      const worker = createOutboxWorker({
        executor: gated,
        pollIntervalMs: 5,
        rateLimits: { [destination]: { perSecond: 100 } },
        handlers: {
          [topic]: async () => {
            runs += 1;
          },
        },
      });
      worker.start();
      await eventually(() => tokenAsked);
      await worker.stop({ graceful: false });
      expect(await outbox.get(id)).toMatchObject({ state: 'pending', attempts: 0 });
      openGate();
      await eventually(() => worker.running === 0);
      expect(runs).toBe(0);
      expect(await outbox.get(id)).toMatchObject({ state: 'pending', attempts: 0 });
    },
    slow,
  );
});
