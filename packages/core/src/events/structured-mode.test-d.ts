import { describe, expectTypeOf, it } from 'vitest';
import { type CloudEvent, createCloudEvent } from './cloud-event.js';
import { parseCloudEvent, parseCloudEventBatch } from './structured-mode.js';

describe('CloudEvent types', () => {
  it('types data as unknown unless parseData checks it', () => {
    expectTypeOf(parseCloudEvent('{}')).toEqualTypeOf<CloudEvent<unknown>>();
    const parseData = (data: unknown): { amount: number } => data as { amount: number };
    expectTypeOf(parseCloudEvent('{}', { parseData })).toEqualTypeOf<
      CloudEvent<{ amount: number }>
    >();
    expectTypeOf(parseCloudEventBatch('[]', { parseData })).toEqualTypeOf<
      readonly CloudEvent<{ amount: number }>[]
    >();
  });

  it('infers the data type when creating', () => {
    const event = createCloudEvent({ source: '/s', type: 't', data: { amount: 1 } });
    expectTypeOf(event).toEqualTypeOf<CloudEvent<{ amount: number }>>();
    // @ts-expect-error source is required
    createCloudEvent({ type: 't' });
  });
});
