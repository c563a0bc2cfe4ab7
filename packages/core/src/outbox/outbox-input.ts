import { canonicalJson } from '../audit/canonical-json.js';
import { InvalidInputError } from '../errors/core-errors.js';
import type { OutboxEnqueueInput } from './outbox-types.js';

/** Attempts allowed when the caller gives none. @internal */
export const defaultMaxAttempts = 10;
const maximumNameLength = 200;
const maximumKeyLength = 500;

/**
 * An enqueue input checked, the payload serialised.
 *
 * @internal
 */
export interface CheckedEnqueueInput {
  readonly topic: string;
  readonly payloadJson: string;
  readonly key: string | null;
  readonly destination: string | null;
  readonly priority: number;
  readonly notBefore: Date | undefined;
  readonly maxAttempts: number;
}

/**
 * An `INVALID_ARGUMENT` error naming the argument, never its value.
 *
 * @internal
 */
export function invalidArgument(argument: string, requirement: string): InvalidInputError {
  return new InvalidInputError('INVALID_ARGUMENT', `${argument} must be ${requirement}`, {
    details: { argument },
  });
}

/**
 * Checks a text field: a non-empty string of at most `maximum` characters.
 *
 * @internal
 */
export function checkText(value: unknown, argument: string, maximum: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maximum) {
    throw invalidArgument(argument, `a string of 1 to ${maximum} characters`);
  }
  return value;
}

/**
 * Checks an integer within bounds.
 *
 * @internal
 */
export function checkInteger(
  value: unknown,
  argument: string,
  minimum: number,
  maximum: number,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    throw invalidArgument(argument, `an integer from ${minimum} to ${maximum}`);
  }
  return value;
}

/**
 * Checks {@link OutboxEnqueueInput} and serialises its payload.
 *
 * @internal
 */
export function checkEnqueueInput(input: OutboxEnqueueInput): CheckedEnqueueInput {
  if (typeof input !== 'object' || input === null) {
    throw invalidArgument('input', 'an object');
  }
  const topic = checkText(input.topic, 'topic', maximumNameLength);
  let payloadJson: string;
  try {
    payloadJson = canonicalJson(input.payload);
  } catch (cause) {
    throw new InvalidInputError('INVALID_ARGUMENT', 'payload must be a JSON value', {
      cause,
      details: { argument: 'payload' },
    });
  }
  const key = input.key === undefined ? null : checkText(input.key, 'key', maximumKeyLength);
  const destination =
    input.destination === undefined
      ? null
      : checkText(input.destination, 'destination', maximumKeyLength);
  const priority =
    input.priority === undefined
      ? 0
      : checkInteger(input.priority, 'priority', -1_000_000, 1_000_000);
  const maxAttempts =
    input.maxAttempts === undefined
      ? defaultMaxAttempts
      : checkInteger(input.maxAttempts, 'maxAttempts', 1, 1_000);
  if (
    input.notBefore !== undefined &&
    !(input.notBefore instanceof Date && Number.isFinite(input.notBefore.getTime()))
  ) {
    throw invalidArgument('notBefore', 'a valid Date');
  }
  return {
    topic,
    payloadJson,
    key,
    destination,
    priority,
    notBefore: input.notBefore,
    maxAttempts,
  };
}
