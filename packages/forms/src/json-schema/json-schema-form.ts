import type { LocalizedText } from '@civicblocks/core';
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { FieldError } from '../components/field-error.js';
import { errorFromSchemaKeyword } from '../components/schema-errors.js';
import type { FormDefinition, FormLocale } from '../definition/form-definition.js';
import { FormsError } from '../errors/forms-error.js';
import {
  type CompiledForm,
  compileForm,
  type FormAnswers,
  type ValidationResult,
} from '../validation/compiled-form.js';
import {
  type ConstantMapping,
  type FieldMapping,
  getAt,
  getOwn,
  type RepeaterMapping,
  setAt,
  type UnaskablePart,
} from './schema-mapping.js';
import { createSchemaResolver, isSchemaObject } from './schema-resolver.js';
import {
  compileOriginalSchema,
  errorPath,
  genericSchemaError,
  type SchemaValidatorOptions,
} from './schema-validator.js';
import { viewSchema } from './schema-view.js';
import { type SuppliedComponent, walkSchema } from './schema-walk.js';

/**
 * Options of {@link formFromJsonSchema}.
 *
 * @example
 * ```ts
 * const options: JsonSchemaFormOptions = {
 *   id: 'registration',
 *   labels: { '/firstName': { label: { vi: 'Tên', en: 'First name' } } },
 *   components: { '/home': { type: 'address', format: 'vn' } },
 * };
 * ```
 */
export interface JsonSchemaFormOptions extends SchemaValidatorOptions {
  readonly id?: string;
  readonly version?: string;
  readonly title?: LocalizedText;
  readonly languages?: readonly FormLocale[];
  /**
   * Labels and hints by JSON Pointer of the value in the data (`/address/city`;
   * `*` stands for any item of a list: `/members/*‍/name`). Without one, a
   * property's `title` (or its name) is used in both languages and its
   * `description` is the hint.
   */
  readonly labels?: Readonly<
    Record<string, { readonly label?: LocalizedText; readonly hint?: LocalizedText }>
  >;
  /**
   * The author's own question for a part of the schema that cannot be asked
   * as it is (or should be asked differently), by the same pointers. Its
   * answer must be data the schema accepts there: ajv still validates it.
   */
  readonly components?: Readonly<Record<string, SuppliedComponent>>;
  readonly timeZone?: string;
  readonly clock?: { now(): Date };
}

/**
 * A form made from a JSON Schema: the generated definition, the compiled
 * form (render it and run it like any other), and conversions between the
 * form's answers and data shaped by the schema. `validateData` is ajv on
 * the original schema, so it gives ajv's verdict on any data.
 *
 * @example
 * ```ts
 * const source = formFromJsonSchema(registrationSchema);
 * source.validateData({ firstName: 'Lan' }).valid;
 * ```
 */
export interface JsonSchemaForm {
  readonly definition: FormDefinition;
  readonly form: CompiledForm;
  /** Form answers -> data in the schema's shape (nested objects, lists and constants restored). */
  toData(answers: FormAnswers): Record<string, unknown>;
  /** Data in the schema's shape -> form answers. */
  fromData(data: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Validates data with ajv against the original schema; errors on the questions, in vi and en. */
  validateData(data: unknown): ValidationResult;
}

function unaskableError(parts: readonly UnaskablePart[]): FormsError {
  return new FormsError(
    'FORMS_INVALID_SCHEMA',
    `JSON Schema: ${parts.length} part(s) cannot be asked as questions: ${parts
      .slice(0, 10)
      .map((part) => `${part.path} (${part.reason})`)
      .join('; ')}. Give the author's own question for these paths in options.components`,
    { details: { unaskable: parts.map((part) => ({ path: part.path, reason: part.reason })) } },
  );
}

/**
 * Makes a form from any JSON Schema 2020-12 document whose instances are
 * objects — an agency's data standard as published. Top-level properties
 * become pages ("one thing per page"); nested objects become the questions
 * of their page; lists of objects or values become "add another"
 * repeaters; `enum`, `const` and `oneOf`/`anyOf` of constants become radios,
 * a select or checkboxes (with each constant's `title`); `if`/`then`/`else`
 * on constants and `dependentRequired` become conditional questions;
 * `$ref` to any pointer or `$anchor` in the document, `$defs`, `allOf` and
 * boolean subschemas are followed. Answers are always validated against the
 * original schema with ajv (every keyword, nothing dropped) and its errors
 * are put on the questions, in Vietnamese and English.
 *
 * @throws {@link FormsError} `FORMS_INVALID_SCHEMA` listing each schema path
 *   that cannot be asked and why (supply `components` for those), or when
 *   ajv cannot compile the schema or its instances cannot be objects.
 * @example
 * ```ts
 * const { form, toData } = formFromJsonSchema({
 *   $schema: 'https://json-schema.org/draft/2020-12/schema',
 *   type: 'object', required: ['name'],
 *   properties: { name: { type: 'string', title: 'Full name', maxLength: 100 } },
 * });
 * ```
 */
export function formFromJsonSchema(
  schema: Readonly<Record<string, unknown>> | boolean,
  options: JsonSchemaFormOptions = {},
): JsonSchemaForm {
  if (isSchemaObject(schema)) {
    const dialect = schema.$schema;
    if (dialect !== undefined && dialect !== 'https://json-schema.org/draft/2020-12/schema') {
      throw new FormsError(
        'FORMS_INVALID_SCHEMA',
        'JSON Schema: must be JSON Schema 2020-12 ($schema https://json-schema.org/draft/2020-12/schema)',
        { details: { pointer: '' } },
      );
    }
  }
  const validator = compileOriginalSchema(schema, options.formats ?? 'assert');
  const resolver = createSchemaResolver(schema);
  const root = viewSchema({ schema, pointer: '' }, resolver);
  if (root.never || (root.types !== undefined && !root.types.includes('object'))) {
    throw new FormsError('FORMS_INVALID_SCHEMA', 'JSON Schema: its instances must be objects', {
      details: { pointer: '' },
    });
  }
  if (root.problems.length > 0)
    throw unaskableError(root.problems.map((reason) => ({ path: '/', reason })));
  const walk = walkSchema(root, resolver, {
    ...(options.labels === undefined ? {} : { labels: options.labels }),
    ...(options.components === undefined ? {} : { components: options.components }),
  });
  if (walk.unaskable.length > 0) throw unaskableError(walk.unaskable);
  if (walk.pages.length === 0) {
    throw new FormsError('FORMS_INVALID_SCHEMA', 'JSON Schema: it has no property to ask', {
      details: { pointer: '' },
    });
  }
  const { fields, repeaters, constants } = walk;
  const topFields = fields.filter((field) => field.repeater === undefined);
  const itemFields = (repeater: RepeaterMapping): FieldMapping[] =>
    fields.filter((field) => field.repeater === repeater.pageId);
  const itemConstants = (repeater: RepeaterMapping): ConstantMapping[] =>
    constants.filter((constant) => constant.repeater === repeater.pageId);

  const fillConstants = (
    target: Record<string, unknown>,
    list: readonly ConstantMapping[],
  ): void => {
    for (const constant of list) {
      const parent = constant.dataPath.slice(0, -1);
      if (parent.length === 0 || getAt(target, parent) !== undefined)
        setAt(target, constant.dataPath, constant.value);
    }
  };

  const toData = (answers: FormAnswers): Record<string, unknown> => {
    const data: Record<string, unknown> = {};
    for (const field of topFields) {
      const value = getOwn(answers, field.id);
      if (value !== undefined) setAt(data, field.dataPath, field.toData(value));
    }
    for (const repeater of repeaters) {
      if (repeater.gate !== undefined && getOwn(answers, repeater.gate) !== true) {
        if (getOwn(answers, repeater.gate) === false && repeater.emptyAsList === true)
          setAt(data, repeater.dataPath, []);
        continue;
      }
      const items = getOwn(answers, repeater.pageId);
      if (!Array.isArray(items)) continue;
      const list = items.map((item) => {
        if (repeater.scalar !== undefined) {
          const field = itemFields(repeater).find((candidate) => candidate.id === repeater.scalar);
          const value = getOwn(item, repeater.scalar);
          return field === undefined || value === undefined ? null : field.toData(value);
        }
        const out: Record<string, unknown> = {};
        for (const field of itemFields(repeater)) {
          const value = getOwn(item, field.id);
          if (value !== undefined) setAt(out, field.dataPath, field.toData(value));
        }
        fillConstants(out, itemConstants(repeater));
        return out;
      });
      setAt(data, repeater.dataPath, list);
    }
    fillConstants(
      data,
      constants.filter((constant) => constant.repeater === undefined),
    );
    return data;
  };

  const fromData = (data: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const answers: Record<string, unknown> = {};
    for (const field of topFields) {
      const value = getAt(data, field.dataPath);
      const answer = value === undefined ? undefined : field.fromData(value);
      if (answer !== undefined) answers[field.id] = answer;
    }
    for (const repeater of repeaters) {
      const items = getAt(data, repeater.dataPath);
      if (repeater.gate !== undefined)
        answers[repeater.gate] = Array.isArray(items) && items.length > 0;
      if (!Array.isArray(items) || (repeater.gate !== undefined && items.length === 0)) continue;
      answers[repeater.pageId] = items.map((item) => {
        const out: Record<string, unknown> = {};
        for (const field of itemFields(repeater)) {
          const value = repeater.scalar === field.id ? item : getAt(item, field.dataPath);
          const answer = value === undefined ? undefined : field.fromData(value);
          if (answer !== undefined) out[field.id] = answer;
        }
        return out;
      });
    }
    return answers;
  };

  const fieldFor = (
    path: readonly string[],
  ): { field: FieldMapping; name: string; exact: boolean } | undefined => {
    const key = (segments: readonly string[]) => segments.join('\u0000');
    for (const repeater of repeaters) {
      const head = repeater.dataPath;
      if (path.length < head.length || key(path.slice(0, head.length)) !== key(head)) continue;
      const index = path[head.length];
      const list = itemFields(repeater);
      if (index === undefined || !/^[0-9]+$/.test(index)) {
        const first = list[0];
        return first === undefined
          ? undefined
          : { field: first, name: `${repeater.pageId}`, exact: false };
      }
      const rest = path.slice(head.length + 1);
      const match =
        list.find((field) => key(field.dataPath) === key(rest)) ??
        list.find((field) => key(field.dataPath.slice(0, rest.length)) === key(rest)) ??
        list.find((field) => key(rest.slice(0, field.dataPath.length)) === key(field.dataPath));
      return match === undefined
        ? undefined
        : {
            field: match,
            name: `${repeater.pageId}.${index}.${match.id}`,
            exact: key(match.dataPath) === key(rest),
          };
    }
    const exact = topFields.find((field) => key(field.dataPath) === key(path));
    if (exact !== undefined) return { field: exact, name: exact.id, exact: true };
    const inside = topFields.find(
      (field) => key(field.dataPath.slice(0, path.length)) === key(path),
    );
    if (inside !== undefined && path.length > 0)
      return { field: inside, name: inside.id, exact: false };
    const around = topFields.find(
      (field) => key(path.slice(0, field.dataPath.length)) === key(field.dataPath),
    );
    return around === undefined ? undefined : { field: around, name: around.id, exact: false };
  };

  const mapErrors = (errors: readonly ErrorObject[]): FieldError[] => {
    const out: FieldError[] = [];
    const seen = new Set<string>();
    for (const error of errors) {
      if (error.keyword === 'if') continue;
      const path = errorPath(error);
      const found = fieldFor(path);
      const mapped =
        found === undefined
          ? genericSchemaError(error)
          : (() => {
              const missing = error.keyword === 'required' || error.keyword === 'dependentRequired';
              const keyword =
                missing && found.exact ? 'required' : missing ? 'invalid' : error.keyword;
              const params = missing
                ? { ...error.params, missingProperty: found.field.id }
                : (error.params as Record<string, unknown>);
              return {
                ...errorFromSchemaKeyword(found.field.component, keyword, params, ''),
                field: found.name,
              };
            })();
      if (seen.has(mapped.field)) continue;
      seen.add(mapped.field);
      out.push(mapped);
    }
    if (out.length === 0 && errors[0] !== undefined) out.push(genericSchemaError(errors[0]));
    return out;
  };

  const validateData = (data: unknown): ValidationResult => {
    if (validator(data))
      return { valid: true, answers: isSchemaObject(data) ? fromData(data) : {} };
    return { valid: false, errors: mapErrors(validator.errors ?? []) };
  };

  const definition: FormDefinition = {
    id: options.id ?? 'json-schema-form',
    version: options.version ?? '1',
    languages: options.languages ?? ['vi', 'en'],
    title:
      options.title ??
      (() => {
        const text =
          isSchemaObject(schema) && typeof schema.title === 'string' ? schema.title : 'Form';
        return { vi: text, en: text };
      })(),
    pages: walk.pages,
  };
  const form = compileForm(definition, {
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    additionalValidation: (answers) => {
      const result = validateData(toData(answers));
      return result.valid ? [] : result.errors;
    },
  });
  return { definition, form, toData, fromData, validateData };
}
