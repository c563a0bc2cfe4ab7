import type { LocalizedText } from '@civicblocks/core';
import type { QuestionComponent } from '../definition/form-definition.js';
import type { SchemaChoice, SchemaView } from './schema-view.js';

/** What every question made from a schema has: id, label, hint, optional. */
export interface QuestionBasics {
  readonly id: string;
  readonly label: LocalizedText;
  readonly hint?: LocalizedText;
  readonly optional?: true;
}

/** A question for a value and how its answer maps to the schema's data. */
export interface InferredQuestion {
  readonly component: QuestionComponent;
  readonly toData: (answer: unknown) => unknown;
  readonly fromData: (value: unknown) => unknown;
}

const same = (value: unknown): unknown => value;

/** Radios, a select or checkboxes for constants of any JSON type, answered as strings. */
function choiceCodec(choices: readonly SchemaChoice[]): {
  readonly options: { value: string; label: LocalizedText; hint?: LocalizedText }[];
  readonly toData: (answer: unknown) => unknown;
  readonly fromData: (value: unknown) => unknown;
} {
  const usable = choices.filter((choice) => choice.value !== null);
  const key = (value: unknown): string =>
    typeof value === 'string' ? value : JSON.stringify(value);
  const byKey = new Map(usable.map((choice) => [key(choice.value), choice.value] as const));
  return {
    options: usable.map((choice) => {
      const label =
        choice.title ??
        (typeof choice.value === 'string' ? choice.value : JSON.stringify(choice.value));
      return {
        value: key(choice.value),
        label: { vi: label, en: label },
        ...(choice.description === undefined
          ? {}
          : { hint: { vi: choice.description, en: choice.description } }),
      };
    }),
    toData: (answer) =>
      typeof answer === 'string' && byKey.has(answer) ? byKey.get(answer) : answer,
    fromData: (value) => {
      const found = usable.find((choice) => JSON.stringify(choice.value) === JSON.stringify(value));
      return found === undefined ? undefined : key(found.value);
    },
  };
}

const numberOf = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : undefined;

/**
 * The question for a scalar value (or an array of constants): constants as
 * radios (a select past six) or checkboxes, booleans as yes/no, numbers,
 * strings by `format` (email, date) and length. `undefined` when nothing
 * says what to ask (no type, no choices).
 */
export function inferQuestion(
  view: SchemaView,
  basics: QuestionBasics,
  itemChoices?: readonly SchemaChoice[],
): InferredQuestion | undefined {
  const k = view.keywords;
  if (itemChoices !== undefined) {
    const codec = choiceCodec(itemChoices);
    if (codec.options.length === 0) return undefined;
    return {
      component: {
        ...basics,
        type: 'checkboxes',
        options: codec.options,
        ...(numberOf(k.minItems) === undefined
          ? {}
          : { minSelected: numberOf(k.minItems) as number }),
        ...(numberOf(k.maxItems) === undefined
          ? {}
          : { maxSelected: numberOf(k.maxItems) as number }),
      },
      toData: (answer) => (Array.isArray(answer) ? answer.map(codec.toData) : answer),
      fromData: (value) =>
        Array.isArray(value)
          ? value.map(codec.fromData).filter((item) => item !== undefined)
          : undefined,
    };
  }
  if (view.choices !== undefined) {
    const codec = choiceCodec(view.choices);
    if (codec.options.length === 0) return undefined;
    const allBooleans = view.choices.every((choice) => typeof choice.value === 'boolean');
    if (allBooleans && codec.options.length === 2) {
      return { component: { ...basics, type: 'yesNo' }, toData: same, fromData: same };
    }
    return {
      component:
        codec.options.length <= 6
          ? { ...basics, type: 'radios', options: codec.options }
          : { ...basics, type: 'select', options: codec.options },
      toData: codec.toData,
      fromData: codec.fromData,
    };
  }
  if (view.constant?.value === true) {
    return {
      component: { ...basics, type: 'declaration', text: basics.hint ?? basics.label },
      toData: same,
      fromData: same,
    };
  }
  const types = view.types ?? [];
  const asks = (type: string): boolean => types.includes(type);
  if (asks('boolean') && !asks('string') && !asks('number') && !asks('integer')) {
    return { component: { ...basics, type: 'yesNo' }, toData: same, fromData: same };
  }
  if ((asks('integer') || asks('number')) && !asks('string')) {
    return {
      component: {
        ...basics,
        type: 'number',
        ...(asks('number') ? {} : { integer: true }),
        ...(numberOf(k.minimum) === undefined ? {} : { minimum: numberOf(k.minimum) as number }),
        ...(numberOf(k.maximum) === undefined ? {} : { maximum: numberOf(k.maximum) as number }),
      },
      toData: same,
      fromData: (value) => (typeof value === 'number' ? value : undefined),
    };
  }
  if (asks('string')) {
    const text = {
      toData: same,
      fromData: (value: unknown) => (typeof value === 'string' ? value : undefined),
    };
    if (k.format === 'email') return { component: { ...basics, type: 'email' }, ...text };
    if (k.format === 'date') return { component: { ...basics, type: 'date' }, ...text };
    const maxLength = numberOf(k.maxLength);
    const minLength = numberOf(k.minLength);
    const limits = {
      ...(minLength !== undefined && minLength > 0 ? { minLength } : {}),
      ...(maxLength === undefined ? {} : { maxLength }),
    };
    if (maxLength !== undefined && maxLength > 500 && typeof k.pattern !== 'string') {
      return {
        component: {
          ...basics,
          type: 'textarea',
          ...(maxLength === undefined ? {} : { maxLength }),
        },
        ...text,
      };
    }
    return {
      component: {
        ...basics,
        type: 'text',
        ...limits,
        ...(typeof k.pattern === 'string' ? { pattern: k.pattern } : {}),
      },
      ...text,
    };
  }
  return undefined;
}
