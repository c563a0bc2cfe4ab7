import {
  isSchemaObject,
  type LocatedSchema,
  type SchemaNode,
  type SchemaResolver,
} from './schema-resolver.js';

/** An `if` with its `then` and `else`, where they were found. */
export interface ConditionalBranch {
  readonly condition: LocatedSchema;
  readonly consequence?: LocatedSchema;
  readonly otherwise?: LocatedSchema;
}

/** A constant a citizen may choose, with its label. */
export interface SchemaChoice {
  readonly value: unknown;
  readonly title?: string;
  readonly description?: string;
}

/**
 * What a subschema asks for, with `$ref` and `allOf` followed and merged:
 * the information needed to ask for a value. Validation never uses it:
 * answers are always validated against the original schema with ajv.
 */
export interface SchemaView {
  readonly pointer: string;
  /** Pointers of every subschema merged into this view (itself, its `$ref` targets, `allOf` members). */
  readonly sources: readonly string[];
  /** `false`, or a subschema nothing can satisfy for asking purposes. */
  readonly never: boolean;
  /** Allowed JSON types (intersection of every `type`); `undefined` when unconstrained. */
  readonly types: readonly string[] | undefined;
  readonly properties: ReadonlyMap<string, readonly LocatedSchema[]>;
  readonly required: ReadonlySet<string>;
  readonly choices: readonly SchemaChoice[] | undefined;
  readonly constant: { readonly value: unknown } | undefined;
  readonly items: readonly LocatedSchema[];
  readonly conditionals: readonly ConditionalBranch[];
  readonly dependentRequired: ReadonlyMap<string, readonly string[]>;
  readonly keywords: Readonly<Record<string, unknown>>;
  /** Why this subschema cannot be turned into questions, if it cannot. */
  readonly problems: readonly string[];
}

const annotationKeywords = [
  'title',
  'description',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contentMediaType',
];

function choiceOf(branch: unknown): SchemaChoice | undefined {
  if (!isSchemaObject(branch)) return undefined;
  const title = typeof branch.title === 'string' ? branch.title : undefined;
  const description = typeof branch.description === 'string' ? branch.description : undefined;
  const extra = {
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
  };
  if (Object.hasOwn(branch, 'const')) return { value: branch.const, ...extra };
  if (Array.isArray(branch.enum) && branch.enum.length === 1)
    return { value: branch.enum[0], ...extra };
  return undefined;
}

/** Merges a subschema with what its `$ref`s and `allOf` members say. */
export function viewSchema(
  located: LocatedSchema,
  resolver: SchemaResolver,
  stack: readonly string[] = [],
): SchemaView {
  const parts: { schema: Readonly<Record<string, unknown>>; pointer: string }[] = [];
  const problems: string[] = [];
  let never = false;
  const collect = (node: SchemaNode, pointer: string, trail: readonly string[]): void => {
    if (node === false) {
      never = true;
      return;
    }
    if (node === true || !isSchemaObject(node)) return;
    if (trail.includes(pointer)) {
      problems.push(`${pointer || '/'}: refers to itself ($ref cycle), so it has no end to ask`);
      return;
    }
    const next = [...trail, pointer];
    parts.push({ schema: node, pointer });
    if (typeof node.$ref === 'string') {
      const target = resolver.resolve(node.$ref);
      if (target === undefined)
        problems.push(
          `${pointer || '/'}: $ref "${node.$ref.slice(0, 80)}" is not in this document`,
        );
      else collect(target.schema, target.pointer, next);
    }
    if (Array.isArray(node.allOf)) {
      node.allOf.forEach((member, index) => {
        collect(member as SchemaNode, `${pointer}/allOf/${index}`, next);
      });
    }
  };
  collect(located.schema, located.pointer, stack);

  let types: string[] | undefined;
  const properties = new Map<string, LocatedSchema[]>();
  const required = new Set<string>();
  let choices: SchemaChoice[] | undefined;
  let constant: { value: unknown } | undefined;
  const items: LocatedSchema[] = [];
  const conditionals: ConditionalBranch[] = [];
  const dependentRequired = new Map<string, string[]>();
  const keywords: Record<string, unknown> = {};
  for (const { schema, pointer } of parts) {
    const declared =
      typeof schema.type === 'string'
        ? [schema.type]
        : Array.isArray(schema.type)
          ? schema.type.filter((type): type is string => typeof type === 'string')
          : undefined;
    if (declared !== undefined) {
      const widened = declared.includes('number') ? [...declared, 'integer'] : declared;
      types = types === undefined ? widened : types.filter((type) => widened.includes(type));
    }
    if (isSchemaObject(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties)) {
        const list = properties.get(name) ?? [];
        list.push({
          schema: property as SchemaNode,
          pointer: `${pointer}/properties/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        });
        properties.set(name, list);
      }
    }
    if (Array.isArray(schema.required))
      for (const name of schema.required) if (typeof name === 'string') required.add(name);
    if (Object.hasOwn(schema, 'const') && constant === undefined)
      constant = { value: schema.const };
    if (Array.isArray(schema.enum) && choices === undefined)
      choices = schema.enum.map((value) => ({ value }));
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const branches = schema[keyword];
      if (!Array.isArray(branches) || branches.length === 0) continue;
      const constants = branches.map(choiceOf);
      if (constants.every((choice) => choice !== undefined)) {
        if (choices === undefined) choices = constants as SchemaChoice[];
      } else {
        problems.push(
          `${pointer || '/'}: ${keyword} offers alternatives other than constants, which cannot be asked as one question`,
        );
      }
    }
    if (schema.items !== undefined && schema.items !== false)
      items.push({ schema: schema.items as SchemaNode, pointer: `${pointer}/items` });
    if (schema.if !== undefined) {
      conditionals.push({
        condition: { schema: schema.if as SchemaNode, pointer: `${pointer}/if` },
        ...(schema.then === undefined
          ? {}
          : { consequence: { schema: schema.then as SchemaNode, pointer: `${pointer}/then` } }),
        ...(schema.else === undefined
          ? {}
          : { otherwise: { schema: schema.else as SchemaNode, pointer: `${pointer}/else` } }),
      });
    }
    if (isSchemaObject(schema.dependentRequired)) {
      for (const [name, needed] of Object.entries(schema.dependentRequired)) {
        if (Array.isArray(needed))
          dependentRequired.set(name, [
            ...(dependentRequired.get(name) ?? []),
            ...needed.filter((item): item is string => typeof item === 'string'),
          ]);
      }
    }
    for (const keyword of annotationKeywords)
      if (keywords[keyword] === undefined && schema[keyword] !== undefined)
        keywords[keyword] = schema[keyword];
  }
  if (types !== undefined && types.length === 0) never = true;
  return {
    pointer: located.pointer,
    sources: parts.map((part) => part.pointer),
    never,
    types,
    properties,
    required,
    choices,
    constant,
    items,
    conditionals,
    dependentRequired,
    keywords,
    problems,
  };
}

/** The view of a property given by several subschemas (from `allOf` members). */
export function viewAll(located: readonly LocatedSchema[], resolver: SchemaResolver): SchemaView {
  const [first, ...rest] = located;
  if (first === undefined) return viewSchema({ schema: true, pointer: '' }, resolver);
  if (rest.length === 0) return viewSchema(first, resolver);
  return viewSchema(
    { schema: { allOf: located.map((item) => item.schema) }, pointer: first.pointer },
    {
      resolve: (reference) => resolver.resolve(reference),
    },
  );
}
