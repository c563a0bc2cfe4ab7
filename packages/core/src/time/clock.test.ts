import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/core-errors.js';
import { createManualClock, systemClock } from './clock.js';

describe('systemClock', () => {
  it('reads the machine time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
  });

  it('returns a fresh Date each time', () => {
    const first = systemClock.now();
    first.setFullYear(1999);
    expect(systemClock.now().getFullYear()).toBeGreaterThan(2000);
  });
});

describe('createManualClock', () => {
  it('starts at a Date, epoch milliseconds or an ISO string', () => {
    expect(createManualClock(new Date('2025-01-01T00:00:00Z')).now().toISOString()).toBe(
      '2025-01-01T00:00:00.000Z',
    );
    expect(createManualClock(0).now().toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(createManualClock('2025-03-01T09:00:00+07:00').now().toISOString()).toBe(
      '2025-03-01T02:00:00.000Z',
    );
  });

  it('stands still until advanced or set', () => {
    const clock = createManualClock('2025-01-01T00:00:00Z');
    expect(clock.now().getTime()).toBe(clock.now().getTime());
    expect(clock.advance(5 * 60 * 1000).toISOString()).toBe('2025-01-01T00:05:00.000Z');
    expect(clock.now().toISOString()).toBe('2025-01-01T00:05:00.000Z');
    expect(clock.advance(-10 * 60 * 1000).toISOString()).toBe('2024-12-31T23:55:00.000Z');
    expect(clock.set('2030-06-15T12:00:00Z').toISOString()).toBe('2030-06-15T12:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2030-06-15T12:00:00.000Z');
  });

  it('does not let a caller change its time through a returned Date', () => {
    const clock = createManualClock(1_000);
    clock.now().setTime(5_000);
    clock.advance(1).setTime(9_000);
    expect(clock.now().getTime()).toBe(1_001);
  });

  it('refuses invalid times and steps with INVALID_ARGUMENT', () => {
    const clock = createManualClock(0);
    for (const attempt of [
      () => createManualClock('not a date'),
      () => createManualClock(Number.NaN),
      () => createManualClock(new Date(Number.NaN)),
      () => clock.set(9e15),
      () => clock.advance(Number.POSITIVE_INFINITY),
      () => clock.advance(Number.NaN),
      () => clock.advance(9e15),
    ]) {
      expect(attempt).toThrow(InvalidInputError);
      try {
        attempt();
      } catch (error) {
        expect(InvalidInputError.isInstance(error) && error.code).toBe('INVALID_ARGUMENT');
      }
    }
    expect(clock.now().getTime()).toBe(0);
  });
});
