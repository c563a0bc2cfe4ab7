import { describe, expectTypeOf, it } from 'vitest';
import type { SqlExecutor } from '../sql/sql-executor.js';
import type { SqlWriteOptions } from '../sql/unit-of-work.js';
import { createOutbox } from './outbox.js';
import type { OutboxEnqueueResult, OutboxEvent, OutboxHandler, OutboxJob } from './outbox-types.js';

declare const executor: SqlExecutor;

describe('outbox types', () => {
  it('enqueues JSON payloads in a unit of work', () => {
    const outbox = createOutbox(executor);
    expectTypeOf(outbox.enqueue).parameter(1).toEqualTypeOf<SqlWriteOptions | undefined>();
    expectTypeOf(
      outbox.enqueue({ topic: 't', payload: { a: [1, 'b', null] } }),
    ).resolves.toEqualTypeOf<OutboxEnqueueResult>();
    // @ts-expect-error a Date is not JSON
    void outbox.enqueue({ topic: 't', payload: { at: new Date() } });
    // @ts-expect-error the topic is required
    void outbox.enqueue({ payload: {} });
  });

  it('gives handlers the job, a signal and the attempt', () => {
    expectTypeOf<Parameters<OutboxHandler>[0]>().toEqualTypeOf<OutboxJob>();
    expectTypeOf<Parameters<OutboxHandler>[1]>().toEqualTypeOf<{
      readonly signal: AbortSignal;
      readonly attempt: number;
    }>();
    expectTypeOf<ReturnType<OutboxHandler>>().toEqualTypeOf<Promise<void>>();
  });

  it('narrows worker events by type', () => {
    const describe = (event: OutboxEvent): number | undefined =>
      event.type === 'job-retry-scheduled' ? event.delayMs : undefined;
    expectTypeOf(describe).returns.toEqualTypeOf<number | undefined>();
  });
});
