import type { QuestionComponent } from '../definition/form-definition.js';

/** How one question's answer sits in the schema's data. */
export interface FieldMapping {
  /** The question id (inside a repeater: the id within an item). */
  readonly id: string;
  /** Where the value sits: from the root, or from the item for a repeater's question. */
  readonly dataPath: readonly string[];
  readonly component: QuestionComponent;
  /** The repeater page the question belongs to. */
  readonly repeater?: string;
  /** The answer as the schema's data (an enum's typed value, for example). */
  readonly toData: (answer: unknown) => unknown;
  /** The schema's data as an answer; `undefined` when it cannot be one. */
  readonly fromData: (value: unknown) => unknown;
}

/** An array of the schema asked as an "add another" repeater. */
export interface RepeaterMapping {
  readonly pageId: string;
  readonly dataPath: readonly string[];
  /** For an array of scalars: the item question whose answer is the item itself. */
  readonly scalar?: string;
  readonly title: string;
  /**
   * For a list the schema lets be empty: the yes/no question asked first
   * ("do you want to add any?"); the items count only when it is yes.
   */
  readonly gate?: string;
  /** With a gate: whether "no" is an empty list (`[]`, the list is required) or no list at all. */
  readonly emptyAsList?: boolean;
}

/** A value the schema fixes (`const`), filled in rather than asked. */
export interface ConstantMapping {
  readonly dataPath: readonly string[];
  readonly value: unknown;
  readonly repeater?: string;
}

/** A part of a schema that cannot be asked, and why. */
export interface UnaskablePart {
  readonly path: string;
  readonly reason: string;
}

/** Sets an own property (never the prototype, whatever the key). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** The own property `key` of an object, or `undefined`. */
export function getOwn(value: unknown, key: string): unknown {
  return typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Sets `value` at `path`, making the objects on the way. */
export function setAt(
  root: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): void {
  let target = root;
  for (const key of path.slice(0, -1)) {
    const next = getOwn(target, key);
    if (typeof next === 'object' && next !== null && !Array.isArray(next))
      target = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      setOwn(target, key, created);
      target = created;
    }
  }
  const last = path.at(-1);
  if (last !== undefined) setOwn(target, last, value);
}

/** The value at `path`, or `undefined`. */
export function getAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) value = getOwn(value, key);
  return value;
}
