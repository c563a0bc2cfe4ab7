import { describe, expect, it } from 'vitest';
import { createMemoryReplayStore } from './replay-store.js';

describe('memory replay store', () => {
  it('accepts an id once until it expires', async () => {
    let time = 0;
    const store = createMemoryReplayStore({ now: () => new Date(time) });
    expect(await store.consume('a', new Date(1_000))).toBe(true);
    expect(await store.consume('a', new Date(1_000))).toBe(false);
    expect(await store.consume('b', new Date(1_000))).toBe(true);
    time = 1_001;
    expect(await store.consume('a', new Date(2_000))).toBe(true);
  });
});
