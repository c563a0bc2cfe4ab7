import { reservedIds } from '../definition/check-definition.js';

/**
 * An id made from a data path (`mother__address__line1`, or with `-` for a
 * page id), usable as a question or page id: letters, digits, `_` and `-`,
 * starting with a letter, never a reserved name, unique among `used` (which
 * it joins).
 */
export function uniqueId(path: readonly string[], used: Set<string>, separator: string): string {
  let base = path
    .join(separator)
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 56);
  if (!/^[A-Za-z]/.test(base) || reservedIds.has(base)) base = `f${separator}${base}`.slice(0, 56);
  let id = base;
  for (let suffix = 2; used.has(id); suffix += 1) id = `${base}${separator}${suffix}`;
  used.add(id);
  return id;
}
