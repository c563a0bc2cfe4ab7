import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/core-errors.js';
import { createManualClock } from '../time/clock.js';
import { createUuidv7Generator, isUuidv7, uuidv7, uuidv7Timestamp } from './uuidv7.js';

const shape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function bitsOf(id: string): { version: number; variant: number } {
  const hexDigits = id.replaceAll('-', '');
  return {
    version: Number.parseInt(hexDigits[12] ?? '', 16),
    variant: Number.parseInt(hexDigits[16] ?? '', 16) >> 2,
  };
}

describe('uuidv7', () => {
  it('has the RFC 9562 layout: lower-case hex, version 7, variant 10', () => {
    for (const id of [uuidv7(), createUuidv7Generator().next()]) {
      expect(id).toMatch(shape);
      expect(bitsOf(id)).toEqual({ version: 7, variant: 0b10 });
      expect(isUuidv7(id)).toBe(true);
    }
  });

  it('encodes the clock time as the first 48 bits', () => {
    const clock = createManualClock('2025-03-17T01:40:33.214Z');
    expect(uuidv7(clock).slice(0, 13)).toBe('0195a1c2-7f3e');
    expect(createUuidv7Generator(clock).next().slice(0, 13)).toBe('0195a1c2-7f3e');
    expect(uuidv7(createManualClock(0)).slice(0, 13)).toBe('00000000-0000');
    expect(uuidv7(createManualClock(2 ** 48 - 1)).slice(0, 13)).toBe('ffffffff-ffff');
  });

  it('round-trips the timestamp', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (milliseconds) => {
        const clock = createManualClock(milliseconds);
        expect(uuidv7Timestamp(uuidv7(clock)).getTime()).toBe(milliseconds);
        expect(uuidv7Timestamp(createUuidv7Generator(clock).next()).getTime()).toBe(milliseconds);
      }),
    );
  });

  it('is random in the remaining bits', () => {
    const clock = createManualClock(1_700_000_000_000);
    const ids = new Set(Array.from({ length: 1000 }, () => uuidv7(clock)));
    expect(ids.size).toBe(1000);
  });

  it('refuses clocks 48 bits cannot hold', () => {
    expect(() => uuidv7(createManualClock(-1))).toThrow(InvalidInputError);
    expect(() => uuidv7(createManualClock(2 ** 48))).toThrow(InvalidInputError);
    expect(() => createUuidv7Generator(createManualClock(-1)).next()).toThrow(InvalidInputError);
  });
});

describe('createUuidv7Generator', () => {
  it('sorts in creation order for 10 000 ids in the same millisecond', () => {
    const clock = createManualClock('2025-01-01T00:00:00Z');
    const generator = createUuidv7Generator(clock);
    const ids = Array.from({ length: 10_000 }, () => generator.next());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) {
      expect(bitsOf(id)).toEqual({ version: 7, variant: 0b10 });
      expect(uuidv7Timestamp(id).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    }
  });

  it('sorts in creation order across milliseconds with the system clock', () => {
    const generator = createUuidv7Generator();
    const ids = Array.from({ length: 5_000 }, () => generator.next());
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps order when the clock steps back a little, follows it when it jumps back far', () => {
    const clock = createManualClock(1_700_000_000_000);
    const generator = createUuidv7Generator(clock);
    const first = generator.next();
    clock.advance(-5_000);
    const second = generator.next();
    expect(second > first).toBe(true);
    expect(uuidv7Timestamp(second).getTime()).toBe(1_700_000_000_000);
    clock.advance(-60_000);
    const third = generator.next();
    expect(uuidv7Timestamp(third).getTime()).toBe(1_700_000_000_000 - 65_000);
  });

  it('keeps separate generators independent', () => {
    const clock = createManualClock(1_700_000_000_000);
    const a = createUuidv7Generator(clock);
    const b = createUuidv7Generator(clock);
    const fromA = Array.from({ length: 100 }, () => a.next());
    const fromB = Array.from({ length: 100 }, () => b.next());
    expect([...fromA].sort()).toEqual(fromA);
    expect([...fromB].sort()).toEqual(fromB);
    expect(new Set([...fromA, ...fromB]).size).toBe(200);
  });
});

describe('isUuidv7 and uuidv7Timestamp', () => {
  it('accepts only version 7 with the RFC variant', () => {
    expect(isUuidv7('0195A1C2-7F3E-7A41-9C0D-2B6E8F1A3C57')).toBe(true);
    expect(isUuidv7('f81d4fae-7dec-11d0-a765-00a0c91e6bf6')).toBe(false);
    expect(isUuidv7('0195a1c2-7f3e-4a41-9c0d-2b6e8f1a3c57')).toBe(false);
    expect(isUuidv7('0195a1c2-7f3e-7a41-cc0d-2b6e8f1a3c57')).toBe(false);
    expect(isUuidv7('0195a1c27f3e7a419c0d2b6e8f1a3c57')).toBe(false);
    expect(isUuidv7(' 0195a1c2-7f3e-7a41-9c0d-2b6e8f1a3c57')).toBe(false);
    expect(isUuidv7(42)).toBe(false);
    expect(isUuidv7(undefined)).toBe(false);
  });

  it('refuses to read a timestamp from something that is not a UUIDv7', () => {
    expect(() => uuidv7Timestamp('f81d4fae-7dec-11d0-a765-00a0c91e6bf6')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', name: 'InvalidInputError' }),
    );
  });
});
