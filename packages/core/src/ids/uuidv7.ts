import { InvalidInputError } from '../errors/core-errors.js';
import { type Clock, systemClock } from '../time/clock.js';

/**
 * Makes UUIDv7 strings (RFC 9562) that sort in creation order, also within
 * one millisecond. Create one generator per process (or per service object)
 * and share it.
 *
 * @example
 * ```ts
 * const generator: Uuidv7Generator = createUuidv7Generator();
 * const first = generator.next();
 * const second = generator.next();
 * first < second; // true
 * ```
 */
export interface Uuidv7Generator {
  /** A new UUIDv7, greater than every id this generator returned before. */
  next(): string;
}

const maximumTimestamp = 2 ** 48 - 1;
const counterLimit = 2 ** 42;
const counterHighFactor = 2 ** 30;
/** A clock set back by up to this much keeps the previous timestamp (and so the order). */
const rollbackAllowanceMilliseconds = 10_000;
const uuidv7Pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const hex: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/**
 * Creates a {@link Uuidv7Generator} reading time from `clock`.
 *
 * Layout (RFC 9562 §5.7 with the fixed-length counter of §6.2 method 1): 48
 * bits of Unix milliseconds, the version, a 42-bit counter spread over
 * `rand_a` and the top of `rand_b`, then 32 random bits. The counter starts at
 * a random value below 2^41 each new millisecond and is incremented for every
 * id in the same millisecond; if it ever overflows, the timestamp is moved one
 * millisecond ahead. A clock set back by up to 10 seconds keeps the last
 * timestamp so the order holds; a larger jump back is taken as a deliberate
 * reset and the ids follow the clock.
 *
 * @throws {@link InvalidInputError} `INVALID_ARGUMENT` from `next()` if the clock is before
 *   1970 or after the year 10889, which 48 bits cannot hold.
 * @example
 * ```ts
 * import { createUuidv7Generator, systemClock } from '@civicblocks/core';
 *
 * const ids = createUuidv7Generator(systemClock);
 * const consentId = ids.next(); // e.g. '0195a1c2-7f3e-7a41-9c0d-2b6e8f1a3c57'
 * ```
 */
export function createUuidv7Generator(clock: Clock = systemClock): Uuidv7Generator {
  let lastTimestamp = -1;
  let counter = 0;
  const bytes = new Uint8Array(16);
  const random = new Uint8Array(10);

  return {
    next: () => {
      const now = timestampOf(clock);
      crypto.getRandomValues(random);
      if (now > lastTimestamp || now < lastTimestamp - rollbackAllowanceMilliseconds) {
        lastTimestamp = now;
        counter = randomCounter(random);
      } else {
        counter += 1;
        if (counter >= counterLimit) {
          if (lastTimestamp >= maximumTimestamp) throw outOfRange();
          lastTimestamp += 1;
          counter = randomCounter(random);
        }
      }
      writeTimestamp(bytes, lastTimestamp);
      writeCounter(bytes, counter);
      bytes.set(random.subarray(6, 10), 12);
      return format(bytes);
    },
  };
}

/**
 * A new UUIDv7 from `clock` (the system clock by default), without shared
 * state: the timestamp orders ids across milliseconds, but ids made in the same
 * millisecond are in random order (RFC 9562 allows this). When order within a
 * millisecond matters (an outbox, a ledger), use {@link createUuidv7Generator}.
 *
 * @throws {@link InvalidInputError} `INVALID_ARGUMENT` if the clock is outside the 48-bit range.
 * @example
 * ```ts
 * import { uuidv7 } from '@civicblocks/core';
 *
 * const requestId = uuidv7();
 * ```
 */
export function uuidv7(clock: Clock = systemClock): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes.subarray(6));
  writeTimestamp(bytes, timestampOf(clock));
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  return format(bytes);
}

/**
 * True when `value` is a UUIDv7 string: hyphenated, version 7, RFC 9562
 * variant. Upper-case hex is accepted.
 *
 * @example
 * ```ts
 * import { isUuidv7 } from '@civicblocks/core';
 *
 * isUuidv7('0195a1c2-7f3e-7a41-9c0d-2b6e8f1a3c57'); // true
 * isUuidv7('f81d4fae-7dec-11d0-a765-00a0c91e6bf6'); // false (version 1)
 * ```
 */
export function isUuidv7(value: unknown): value is string {
  return typeof value === 'string' && uuidv7Pattern.test(value);
}

/**
 * The creation time encoded in a UUIDv7 (millisecond precision).
 *
 * @throws {@link InvalidInputError} `INVALID_ARGUMENT` if `id` is not a UUIDv7.
 * @example
 * ```ts
 * import { uuidv7, uuidv7Timestamp } from '@civicblocks/core';
 *
 * uuidv7Timestamp('0195a1c2-7f3e-7a41-9c0d-2b6e8f1a3c57').toISOString();
 * // '2025-03-17T01:40:33.214Z'
 * ```
 */
export function uuidv7Timestamp(id: string): Date {
  if (!isUuidv7(id)) {
    throw new InvalidInputError('INVALID_ARGUMENT', 'id is not a UUIDv7', {
      details: { argument: 'id' },
    });
  }
  return new Date(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
}

function timestampOf(clock: Clock): number {
  const milliseconds = clock.now().getTime();
  if (!(milliseconds >= 0 && milliseconds <= maximumTimestamp)) throw outOfRange();
  return Math.floor(milliseconds);
}

function outOfRange(): InvalidInputError {
  return new InvalidInputError(
    'INVALID_ARGUMENT',
    'the clock is outside the range a UUIDv7 timestamp can hold (1970 to 10889)',
    { details: { argument: 'clock' } },
  );
}

function randomCounter(random: Uint8Array): number {
  // 41 random bits: the top bit of the 42-bit counter starts at zero, leaving room to count.
  const low =
    (((random[2] ?? 0) << 24) |
      ((random[3] ?? 0) << 16) |
      ((random[4] ?? 0) << 8) |
      (random[5] ?? 0)) >>>
    0;
  return ((random[0] ?? 0) & 0x01) * 2 ** 40 + (random[1] ?? 0) * 2 ** 32 + low;
}

function writeTimestamp(bytes: Uint8Array, timestamp: number): void {
  const high = Math.floor(timestamp / 2 ** 32);
  const low = timestamp >>> 0;
  bytes[0] = high >>> 8;
  bytes[1] = high & 0xff;
  bytes[2] = low >>> 24;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
}

function writeCounter(bytes: Uint8Array, counter: number): void {
  const high = Math.floor(counter / counterHighFactor); // 12 bits -> rand_a
  const low = counter % counterHighFactor; // 30 bits -> top of rand_b
  bytes[6] = 0x70 | (high >>> 8);
  bytes[7] = high & 0xff;
  bytes[8] = 0x80 | (low >>> 24);
  bytes[9] = (low >>> 16) & 0xff;
  bytes[10] = (low >>> 8) & 0xff;
  bytes[11] = low & 0xff;
}

function format(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < 16; index += 1) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text += '-';
    text += hex[bytes[index] ?? 0];
  }
  return text;
}
