import type { LocalizedText } from '@civicblocks/core';
import type {
  ComponentDefinition,
  PageDefinition,
  QuestionComponent,
} from '../definition/form-definition.js';
import { conditionFromIf } from './schema-conditions.js';
import { uniqueId } from './schema-ids.js';
import type {
  ConstantMapping,
  FieldMapping,
  RepeaterMapping,
  UnaskablePart,
} from './schema-mapping.js';
import { inferQuestion, type QuestionBasics } from './schema-questions.js';
import { type LocatedSchema, pointerOf, type SchemaResolver } from './schema-resolver.js';
import { type ConditionalBranch, type SchemaView, viewAll, viewSchema } from './schema-view.js';

/**
 * An author's own question for a part of a JSON Schema (by its data
 * pointer, `/location`): any question component without its `id`, which
 * the form gives it; the label is optional.
 *
 * @example
 * ```ts
 * const notes: SuppliedComponent = { type: 'textarea', label: { vi: 'Ghi chú', en: 'Notes' }, maxLength: 500 };
 * ```
 */
export type SuppliedComponent = QuestionComponent extends infer Component
  ? Component extends QuestionComponent
    ? Omit<Component, 'id' | 'label'> & { readonly label?: LocalizedText }
    : never
  : never;

/** What the walk needs from the caller. */
export interface WalkOptions {
  readonly labels?: Readonly<
    Record<string, { readonly label?: LocalizedText; readonly hint?: LocalizedText }>
  >;
  readonly components?: Readonly<Record<string, SuppliedComponent>>;
}

/** The form a schema walk made. */
export interface WalkResult {
  readonly pages: PageDefinition[];
  readonly fields: FieldMapping[];
  readonly repeaters: RepeaterMapping[];
  readonly constants: ConstantMapping[];
  readonly unaskable: UnaskablePart[];
}

interface Scope {
  /** Where the questions go. */
  readonly components: ComponentDefinition[];
  readonly repeater?: string;
  /** The data path of the repeater's item, when inside one. */
  readonly itemPath?: readonly string[];
  readonly required: boolean;
  readonly labelPrefix: string;
  readonly topLevel: boolean;
  readonly condition?: string;
}

const textOf = (value: unknown, fallback: string): LocalizedText => {
  const text = typeof value === 'string' && value.trim() !== '' ? value : fallback;
  return { vi: text, en: text };
};

const and = (left: string | undefined, right: string | undefined): string | undefined =>
  left === undefined ? right : right === undefined ? left : `(${left}) and (${right})`;

/** Walks an object schema into pages of questions, with how each maps to the data. */
export function walkSchema(
  root: SchemaView,
  resolver: SchemaResolver,
  options: WalkOptions,
): WalkResult {
  const pages: PageDefinition[] = [];
  const fields: FieldMapping[] = [];
  const repeaters: RepeaterMapping[] = [];
  const constants: ConstantMapping[] = [];
  const unaskable: UnaskablePart[] = [];
  const usedIds = new Set<string>();
  const usedPages = new Set<string>(['check-answers', 'confirmation', 'start', 'resume', 'save']);

  /** A question id: unique in the form, or within its repeater item. */
  const itemIds = new Map<string, Set<string>>();
  const questionId = (scope: Scope, path: readonly string[]): string => {
    if (scope.repeater === undefined) return uniqueId(path, usedIds, '__');
    const used = itemIds.get(scope.repeater) ?? new Set<string>();
    itemIds.set(scope.repeater, used);
    const within = path.slice(scope.itemPath?.length ?? 0);
    return uniqueId(within.length === 0 ? ['value'] : within, used, '__');
  };

  const idOfSibling = new Map<string, string>();
  const siblingKey = (scope: Scope, path: readonly string[]): string =>
    `${scope.repeater ?? ''}|${path.join('\u0000')}`;

  /** The condition an `if` schema states about sibling answers, or why it cannot be stated. */
  const conditionFor = (
    branch: ConditionalBranch,
    objectPath: readonly string[],
    scope: Scope,
  ): string | { problem: string } =>
    conditionFromIf(branch, resolver, (name) => {
      const id = idOfSibling.get(siblingKey(scope, [...objectPath, name]));
      const field = fields.find(
        (candidate) => candidate.id === id && candidate.repeater === scope.repeater,
      );
      return field === undefined ? undefined : { id: field.id, fromData: field.fromData };
    });

  const addQuestion = (
    scope: Scope,
    path: readonly string[],
    view: SchemaView,
    required: boolean,
    condition: string | undefined,
    itemChoices?: SchemaView['choices'],
  ): void => {
    const pointer = pointerOf(path);
    const name = path.at(-1) ?? '';
    const override = options.labels?.[pointer];
    const title = textOf(view.keywords.title, name);
    const label =
      override?.label ??
      (scope.labelPrefix === ''
        ? title
        : { vi: `${scope.labelPrefix}: ${title.vi}`, en: `${scope.labelPrefix}: ${title.en}` });
    const id = questionId(scope, path);
    const basics: QuestionBasics = {
      id,
      label,
      ...(override?.hint !== undefined
        ? { hint: override.hint }
        : typeof view.keywords.description === 'string'
          ? { hint: textOf(view.keywords.description, '') }
          : {}),
      ...(required ? {} : { optional: true }),
    };
    const supplied = options.components?.[pointer];
    const inferred =
      supplied === undefined
        ? inferQuestion(view, basics, itemChoices)
        : {
            component: {
              ...basics,
              ...supplied,
              id,
              label: supplied.label ?? label,
            } as QuestionComponent,
            toData: (answer: unknown) => answer,
            fromData: (value: unknown) => value,
          };
    if (inferred === undefined) {
      usedIds.delete(id);
      unaskable.push({
        path: pointer || '/',
        reason: 'nothing in the schema says what kind of answer it is (no type, enum or const)',
      });
      return;
    }
    const component =
      condition === undefined ? inferred.component : { ...inferred.component, condition };
    scope.components.push(component);
    idOfSibling.set(siblingKey(scope, path), id);
    fields.push({
      id,
      dataPath: scope.itemPath === undefined ? path : path.slice(scope.itemPath.length),
      component,
      ...(scope.repeater === undefined ? {} : { repeater: scope.repeater }),
      toData: inferred.toData,
      fromData: inferred.fromData,
    });
  };

  const walkProperty = (
    scope: Scope,
    path: readonly string[],
    located: readonly LocatedSchema[],
    required: boolean,
    condition: string | undefined,
  ): void => {
    const pointer = pointerOf(path);
    const view = viewAll(located, resolver);
    const supplied = options.components?.[pointer];
    if (supplied !== undefined) {
      if (scope.topLevel) {
        const components: ComponentDefinition[] = [];
        const pageId = uniqueId(path, usedPages, '-');
        addQuestion({ ...scope, components, topLevel: false }, path, view, required, undefined);
        pages.push({ id: pageId, components, ...(condition === undefined ? {} : { condition }) });
        return;
      }
      addQuestion(scope, path, view, required, and(scope.condition, condition));
      return;
    }
    if (view.never) return; // `false`: the value must be absent, so it is never asked
    if (view.problems.length > 0) {
      for (const problem of view.problems) unaskable.push({ path: pointer, reason: problem });
      return;
    }
    if (view.types?.every((type) => type === 'null')) {
      // Only null is allowed: nothing to ask; filled in when required.
      if (required)
        constants.push({
          dataPath: scope.itemPath === undefined ? path : path.slice(scope.itemPath.length),
          value: null,
          ...(scope.repeater === undefined ? {} : { repeater: scope.repeater }),
        });
      return;
    }
    if (view.constant !== undefined && view.constant.value !== true) {
      constants.push({
        dataPath: scope.itemPath === undefined ? path : path.slice(scope.itemPath.length),
        value: view.constant.value,
        ...(scope.repeater === undefined ? {} : { repeater: scope.repeater }),
      });
      return;
    }
    const types = view.types;
    const isObject =
      view.choices === undefined &&
      (types === undefined
        ? view.properties.size > 0
        : types.includes('object') && types.length === 1);
    const isArray =
      view.choices === undefined &&
      (types === undefined
        ? false
        : types.includes('array') && types.every((type) => type === 'array' || type === 'null'));
    if (isObject) {
      const title =
        typeof view.keywords.title === 'string' ? view.keywords.title : (path.at(-1) ?? '');
      if (scope.topLevel) {
        const components: ComponentDefinition[] = [];
        const pageId = uniqueId(path, usedPages, '-');
        walkObject(view, path, {
          components,
          required,
          labelPrefix: '',
          topLevel: false,
        });
        if (components.length === 0) return;
        pages.push({
          id: pageId,
          title: options.labels?.[pointer]?.label ?? textOf(view.keywords.title, path.at(-1) ?? ''),
          components,
          ...(condition === undefined ? {} : { condition }),
        });
        return;
      }
      walkObject(view, path, {
        ...scope,
        required: scope.required && required,
        labelPrefix: scope.labelPrefix === '' ? title : `${scope.labelPrefix}: ${title}`,
        ...(condition === undefined
          ? {}
          : { condition: and(scope.condition, condition) as string }),
      });
      return;
    }
    if (isArray) {
      const items = viewAll(view.items, resolver);
      if (items.problems.length > 0) {
        for (const problem of items.problems) unaskable.push({ path: pointer, reason: problem });
        return;
      }
      if (items.choices !== undefined) {
        if (scope.topLevel) {
          const components: ComponentDefinition[] = [];
          const pageId = uniqueId(path, usedPages, '-');
          addQuestion(
            { ...scope, components, topLevel: false },
            path,
            view,
            required,
            undefined,
            items.choices,
          );
          if (components.length > 0)
            pages.push({
              id: pageId,
              components,
              ...(condition === undefined ? {} : { condition }),
            });
          return;
        }
        addQuestion(scope, path, view, required, and(scope.condition, condition), items.choices);
        return;
      }
      if (scope.repeater !== undefined) {
        unaskable.push({
          path: pointer,
          reason: 'a list inside a list item cannot be asked (give the author component for it)',
        });
        return;
      }
      const pageId = uniqueId(path, usedPages, '-');
      const title =
        options.labels?.[pointer]?.label ?? textOf(view.keywords.title, path.at(-1) ?? '');
      const components: ComponentDefinition[] = [];
      const itemScope: Scope = {
        components,
        repeater: pageId,
        itemPath: [...path, '*'],
        required: true,
        labelPrefix: '',
        topLevel: false,
      };
      const itemsAreObjects =
        items.types === undefined ? items.properties.size > 0 : items.types.includes('object');
      let scalar: string | undefined;
      if (itemsAreObjects) walkObject(items, [...path, '*'], itemScope);
      else {
        const before = fields.length;
        addQuestion(
          itemScope,
          [...path, '*'],
          { ...items, keywords: { title: title.en, ...items.keywords } },
          true,
          undefined,
        );
        scalar = fields[before]?.id;
      }
      if (components.length === 0) return;
      const minItems =
        typeof view.keywords.minItems === 'number' ? view.keywords.minItems : undefined;
      const maxItems =
        typeof view.keywords.maxItems === 'number' ? view.keywords.maxItems : undefined;
      // A list the schema lets be empty (optional, or without minItems) is
      // answerable with no items: a yes/no question first, the repeater only on yes.
      const gate = (minItems ?? 0) > 0 ? undefined : uniqueId([...path, 'any'], usedIds, '__');
      if (gate !== undefined) {
        pages.push({
          id: uniqueId([...path, 'any'], usedPages, '-'),
          components: [
            {
              type: 'yesNo',
              id: gate,
              label: options.labels?.[`${pointer}/-any`]?.label ?? {
                vi: `${title.vi}: bạn có muốn thêm không?`,
                en: `${title.en}: do you want to add any?`,
              },
            },
          ],
          ...(condition === undefined ? {} : { condition }),
        });
      }
      repeaters.push({
        pageId,
        dataPath: path,
        ...(scalar === undefined ? {} : { scalar }),
        title: title.en,
        ...(gate === undefined ? {} : { gate, emptyAsList: scope.required && required }),
      });
      const repeaterCondition = gate === undefined ? condition : and(condition, `${gate} == true`);
      pages.push({
        kind: 'repeater',
        id: pageId,
        title,
        itemName: title,
        components,
        ...(minItems === undefined ? {} : { minItems }),
        ...(maxItems === undefined ? {} : { maxItems }),
        ...(repeaterCondition === undefined ? {} : { condition: repeaterCondition }),
      });
      return;
    }
    if (scope.topLevel) {
      const components: ComponentDefinition[] = [];
      const pageId = uniqueId(path, usedPages, '-');
      addQuestion({ ...scope, components, topLevel: false }, path, view, required, undefined);
      if (components.length > 0)
        pages.push({ id: pageId, components, ...(condition === undefined ? {} : { condition }) });
      return;
    }
    addQuestion(scope, path, view, required, and(scope.condition, condition));
  };

  /** Asks an existing question only when `condition` holds (on its page, for a page of its own). */
  const attachCondition = (scope: Scope, id: string, condition: string): void => {
    const field = fields.find(
      (candidate) => candidate.id === id && candidate.repeater === scope.repeater,
    );
    if (field === undefined) return;
    const index = scope.components.indexOf(field.component);
    if (index >= 0) {
      const previous = (field.component as { condition?: string }).condition;
      const conditioned = { ...field.component, condition: and(previous, condition) as string };
      scope.components[index] = conditioned;
      fields[fields.indexOf(field)] = { ...field, component: conditioned };
      return;
    }
    const pageIndex = pages.findIndex((page) => page.components.includes(field.component));
    const page = pages[pageIndex];
    if (page !== undefined)
      pages[pageIndex] = { ...page, condition: and(page.condition, condition) as string };
  };

  /** Schema pointers of the objects being walked, outermost first: a `$ref` back to one of them nests forever. */
  const enclosing: (readonly string[])[] = [];

  function walkObject(view: SchemaView, path: readonly string[], scope: Scope): void {
    if (view.sources.some((source) => enclosing.some((outer) => outer.includes(source)))) {
      unaskable.push({
        path: pointerOf(path),
        reason:
          'contains itself through $ref (a recursive structure), so it has no end to ask (give the author component for it)',
      });
      return;
    }
    enclosing.push(view.sources);
    try {
      walkObjectProperties(view, path, scope);
    } finally {
      enclosing.pop();
    }
  }

  function walkObjectProperties(view: SchemaView, path: readonly string[], scope: Scope): void {
    const branches = view.conditionals;
    const onlyIn = new Map<string, { located: LocatedSchema[]; conditions: string[] }>();
    // Base properties first, so conditions can name them.
    for (const [name, located] of view.properties) {
      const dependsOn = [...view.dependentRequired]
        .filter(([, needed]) => needed.includes(name))
        .map(([trigger]) => trigger);
      const conditions: string[] = [];
      if (!view.required.has(name)) {
        for (const trigger of dependsOn) {
          const triggerId = idOfSibling.get(siblingKey(scope, [...path, trigger]));
          if (triggerId !== undefined) conditions.push(`answered(${triggerId})`);
        }
      }
      walkProperty(
        scope,
        [...path, name],
        located,
        scope.required && view.required.has(name),
        conditions.length === 0 ? undefined : conditions.join(' or '),
      );
    }
    for (const branch of branches) {
      const condition = conditionFor(branch, path, scope);
      for (const [side, positive] of [
        [branch.consequence, true],
        [branch.otherwise, false],
      ] as const) {
        if (side === undefined) continue;
        const sideView = viewSchema(side, resolver);
        for (const [name, located] of sideView.properties) {
          if (view.properties.has(name)) continue;
          const entry = onlyIn.get(name) ?? { located: [], conditions: [] };
          entry.located.push(...located);
          if (typeof condition === 'string')
            entry.conditions.push(positive ? condition : `not (${condition})`);
          else
            unaskable.push({
              path: pointerOf([...path, name]),
              reason: `asked only under a condition that cannot be stated: ${condition.problem}`,
            });
          onlyIn.set(name, entry);
        }
        // A base property required only in this branch is asked only when the branch applies.
        if (typeof condition === 'string') {
          for (const name of sideView.required) {
            if (!view.properties.has(name) || view.required.has(name)) continue;
            const id = idOfSibling.get(siblingKey(scope, [...path, name]));
            if (id === undefined || branches.length !== 1) continue;
            const otherSide = positive ? branch.otherwise : branch.consequence;
            if (otherSide !== undefined && viewSchema(otherSide, resolver).required.has(name))
              continue;
            attachCondition(scope, id, positive ? condition : `not (${condition})`);
          }
        }
      }
    }
    for (const [name, entry] of onlyIn) {
      if (entry.conditions.length === 0) continue;
      walkProperty(
        scope,
        [...path, name],
        entry.located,
        false,
        entry.conditions.map((item) => `(${item})`).join(' or '),
      );
    }
  }

  walkObject(root, [], {
    components: [],
    required: true,
    labelPrefix: '',
    topLevel: true,
  });
  return { pages, fields, repeaters, constants, unaskable };
}
