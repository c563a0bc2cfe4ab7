/** A JSON Schema as found in a document: an object, or `true` / `false`. */
export type SchemaNode = boolean | Readonly<Record<string, unknown>>;

/** A subschema and the JSON Pointer (in the schema document) it was found at. */
export interface LocatedSchema {
  readonly schema: SchemaNode;
  readonly pointer: string;
}

export function isSchemaObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodePointerSegment(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `/a/b` for the segments a, b (escaped per RFC 6901). */
export function pointerOf(segments: readonly string[]): string {
  return segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * Resolves `$ref`s inside one schema document: JSON Pointers (`#`,
 * `#/$defs/x`, `#/properties/a/items`, any local pointer), `$anchor`s
 * (`#name`) and subschemas identified by `$id`. A `$ref` to anything else
 * (another document) is not resolved.
 */
export interface SchemaResolver {
  resolve(reference: string): LocatedSchema | undefined;
}

export function createSchemaResolver(root: SchemaNode): SchemaResolver {
  const anchors = new Map<string, LocatedSchema>();
  const identified = new Map<string, LocatedSchema>();
  const visit = (node: unknown, pointer: string, depth: number): void => {
    if (depth > 64) return;
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, `${pointer}/${index}`, depth + 1);
      return;
    }
    if (!isSchemaObject(node)) return;
    if (typeof node.$anchor === 'string') anchors.set(node.$anchor, { schema: node, pointer });
    if (typeof node.$id === 'string' && pointer !== '')
      identified.set(node.$id, { schema: node, pointer });
    for (const [key, value] of Object.entries(node)) {
      if (key === 'enum' || key === 'const' || key === 'examples' || key === 'default') continue;
      visit(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1);
    }
  };
  visit(root, '', 0);
  const rootId = isSchemaObject(root) && typeof root.$id === 'string' ? root.$id : undefined;
  return {
    resolve(reference) {
      let fragment: string;
      if (reference.startsWith('#')) fragment = reference.slice(1);
      else {
        const hash = reference.indexOf('#');
        const base = hash < 0 ? reference : reference.slice(0, hash);
        const target = base === rootId ? { schema: root, pointer: '' } : identified.get(base);
        if (target === undefined) return undefined;
        if (hash < 0 || hash === reference.length - 1) return target;
        if (target.pointer !== '') return undefined;
        fragment = reference.slice(hash + 1);
      }
      if (fragment === '') return { schema: root, pointer: '' };
      if (!fragment.startsWith('/')) return anchors.get(decodeURIComponent(fragment));
      let node: unknown = root;
      for (const raw of fragment.slice(1).split('/')) {
        const segment = decodePointerSegment(raw);
        if (Array.isArray(node) && /^[0-9]+$/.test(segment)) node = node[Number(segment)];
        else if (isSchemaObject(node) && Object.hasOwn(node, segment)) node = node[segment];
        else return undefined;
      }
      return typeof node === 'boolean' || isSchemaObject(node)
        ? { schema: node, pointer: fragment }
        : undefined;
    },
  };
}
