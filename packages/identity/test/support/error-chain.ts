// Walks everything reachable from an error: its own properties (enumerable or not), its
// cause chain and nested objects, so a test can show no personal data is anywhere in it.

export function reachableText(root: unknown): string {
  const seen = new Set<unknown>();
  const parts: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 12) return;
    if (typeof value === 'string') {
      parts.push(value);
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined) continue;
      parts.push(String(key));
      if ('value' in descriptor) visit(descriptor.value, depth + 1);
    }
  };
  visit(root, 0);
  return parts.join('\n');
}

/** The errors of a cause chain, outermost first. */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let link: unknown = error; link !== undefined && link !== null && chain.length < 20; ) {
    chain.push(link);
    link = (link as { cause?: unknown }).cause;
  }
  return chain;
}
