import { InvalidInputError } from '../errors/core-errors.js';

/**
 * A source of the current time. Library code takes a `Clock` instead of
 * calling `Date.now()`, so tests can control time and services can share one.
 *
 * @example
 * ```ts
 * import { type Clock, systemClock } from '@civicblocks/core';
 *
 * function isExpired(expiresAt: Date, clock: Clock = systemClock): boolean {
 *   return clock.now().getTime() >= expiresAt.getTime();
 * }
 * ```
 */
export interface Clock {
  /** The current time, as a new `Date` the caller may keep or change. */
  now(): Date;
}

/**
 * The clock of the machine: `now()` is `new Date()`.
 *
 * @example
 * ```ts
 * import { systemClock } from '@civicblocks/core';
 *
 * const startedAt = systemClock.now();
 * ```
 */
export const systemClock: Clock = Object.freeze({ now: (): Date => new Date() });

/**
 * A clock that only moves when told to. For tests, and for replaying recorded
 * events at their original times.
 *
 * @example
 * ```ts
 * const clock: ManualClock = createManualClock('2025-01-01T00:00:00Z');
 * clock.advance(5 * 60 * 1000);
 * clock.now().toISOString(); // '2025-01-01T00:05:00.000Z'
 * ```
 */
export interface ManualClock extends Clock {
  /**
   * Moves the clock by `milliseconds` (negative moves it back) and returns the new time.
   * @throws {@link InvalidInputError} `INVALID_ARGUMENT` if `milliseconds` is not a finite number.
   */
  advance(milliseconds: number): Date;
  /**
   * Sets the clock to `time` and returns it.
   * @throws {@link InvalidInputError} `INVALID_ARGUMENT` if `time` is not a valid time.
   */
  set(time: Date | number | string): Date;
}

/**
 * Creates a {@link ManualClock} that reads `start` until it is advanced or set.
 * `start` is a `Date`, milliseconds since the Unix epoch, or an ISO 8601 string.
 *
 * @throws {@link InvalidInputError} `INVALID_ARGUMENT` if `start` is not a valid time.
 * @example
 * ```ts
 * import { createManualClock } from '@civicblocks/core';
 *
 * const clock = createManualClock(new Date('2025-03-01T09:00:00+07:00'));
 * const before = clock.now();
 * clock.advance(1000);
 * clock.now().getTime() - before.getTime(); // 1000
 * ```
 */
export function createManualClock(start: Date | number | string): ManualClock {
  let current = toMilliseconds(start, 'start');
  return {
    now: () => new Date(current),
    advance: (milliseconds) => {
      if (typeof milliseconds !== 'number' || !Number.isFinite(milliseconds)) {
        throw new InvalidInputError('INVALID_ARGUMENT', 'milliseconds must be a finite number', {
          details: { argument: 'milliseconds' },
        });
      }
      current = checkRange(current + milliseconds, 'milliseconds');
      return new Date(current);
    },
    set: (time) => {
      current = toMilliseconds(time, 'time');
      return new Date(current);
    },
  };
}

function toMilliseconds(time: Date | number | string, argument: string): number {
  const milliseconds =
    time instanceof Date
      ? time.getTime()
      : typeof time === 'number'
        ? time
        : typeof time === 'string'
          ? Date.parse(time)
          : Number.NaN;
  return checkRange(milliseconds, argument);
}

function checkRange(milliseconds: number, argument: string): number {
  // new Date(x) is valid only for |x| <= 8.64e15.
  if (!Number.isFinite(milliseconds) || Number.isNaN(new Date(milliseconds).getTime())) {
    throw new InvalidInputError('INVALID_ARGUMENT', `${argument} is not a valid time`, {
      details: { argument },
    });
  }
  return milliseconds;
}
