import type { FieldError } from './field-error.js';

/**
 * Posted form fields as strings (a repeated name gives an array), as read
 * from `application/x-www-form-urlencoded` or `multipart/form-data`. The
 * handler builds it with {@link createPostedForm}: a map without a
 * prototype, so a field named `__proto__` or `constructor` is just a name.
 *
 * @example
 * ```ts
 * const posted: PostedForm = { 'dateOfBirth-day': '5', 'dateOfBirth-month': 'tháng 3', 'dateOfBirth-year': '2000' };
 * ```
 */
export type PostedForm = Readonly<Record<string, string | readonly string[] | undefined>>;
/**
 * An uploaded file's metadata (the bytes go to a {@link FileStorage}).
 *
 * @example
 * ```ts
 * const file: UploadedFile = { name: 'photo.jpg', type: 'image/jpeg', size: 120_000 };
 * ```
 */
export interface UploadedFile {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  /** The storage id, once stored. */
  readonly id?: string;
}

/**
 * Uploaded files by input name.
 *
 * @example
 * ```ts
 * const files: PostedFiles = { photo: [{ name: 'photo.jpg', type: 'image/jpeg', size: 120_000 }] };
 * ```
 */
export type PostedFiles = Readonly<Record<string, readonly UploadedFile[]>>;

/**
 * What reading one question from a posted form gives: the typed value
 * (`undefined` when left blank) and any errors found while reading it.
 *
 * @example
 * ```ts
 * const outcome: ParsedField = { value: '2000-03-05', errors: [] };
 * ```
 */
export interface ParsedField {
  readonly value: unknown;
  readonly errors: readonly FieldError[];
}

/**
 * An empty map for posted fields with no prototype: `__proto__`,
 * `constructor` or `toString` posted as field names become ordinary keys
 * and can never reach `Object.prototype`.
 *
 * @example
 * ```ts
 * const posted = createPostedForm([['__proto__', 'x'], ['name', 'Lan']]);
 * posted['__proto__']; // 'x'
 * ```
 */
export function createPostedForm(
  entries: Iterable<readonly [string, string]> = [],
): Record<string, string | string[]> {
  const posted = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of entries) {
    const existing = Object.hasOwn(posted, name) ? posted[name] : undefined;
    if (existing === undefined) posted[name] = value;
    // Appended in place: copying the list for each repeat made a body of many repeated names quadratic.
    else if (Array.isArray(existing)) existing.push(value);
    else posted[name] = [existing, value];
  }
  return posted;
}

/**
 * The posted value under `name` as one string (the first when repeated),
 * `''` when absent. Reads own keys only.
 *
 * @example
 * ```ts
 * firstValue(createPostedForm([['a', '1'], ['a', '2']]), 'a'); // '1'
 * ```
 */
export function firstValue(posted: PostedForm, name: string): string {
  const value = Object.hasOwn(posted, name) ? posted[name] : undefined;
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  const item: unknown = value[0];
  return typeof item === 'string' ? item : '';
}

/**
 * Every posted string under `name` (own keys only; anything that is not a
 * string is ignored).
 *
 * @example
 * ```ts
 * allValues(createPostedForm([['a', '1'], ['a', '2']]), 'a'); // ['1', '2']
 * ```
 */
export function allValues(posted: PostedForm, name: string): string[] {
  const value: unknown = Object.hasOwn(posted, name) ? posted[name] : undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string');
}
