import type { LocalizedText } from '@civicblocks/core';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FieldError } from '../components/field-error.js';
import { errorFromSchemaKeyword } from '../components/schema-errors.js';
import type {
  ComponentDefinition,
  FormDefinition,
  FormLocale,
  PageDefinition,
  QuestionComponent,
} from '../definition/form-definition.js';
import { FormsError } from '../errors/forms-error.js';
import {
  type CompiledForm,
  compileForm,
  type FormAnswers,
  type ValidationResult,
} from '../validation/compiled-form.js';

type Schema = Record<string, unknown>;

/**
 * Options of {@link formFromJsonSchema}.
 *
 * @example
 * ```ts
 * const options: JsonSchemaFormOptions = { id: 'registration', labels: { '/firstName': { label: { vi: 'Tên', en: 'First name' } } } };
 * ```
 */
export interface JsonSchemaFormOptions {
  readonly id?: string;
  readonly version?: string;
  readonly title?: LocalizedText;
  readonly languages?: readonly FormLocale[];
  /**
   * Labels and hints by JSON Pointer of the property (`/address/city`).
   * Without one, a property's `title` (or its name) is used in both languages
   * and its `description` is the hint.
   */
  readonly labels?: Readonly<
    Record<string, { readonly label?: LocalizedText; readonly hint?: LocalizedText }>
  >;
  readonly timeZone?: string;
  readonly clock?: { now(): Date };
}

/**
 * A form made from a JSON Schema: the generated definition, the compiled
 * form (render it and run it like any other), and conversions between the
 * form's flat answers and data shaped by the schema. `validateData` is ajv
 * on the original schema, so it gives the same result as ajv.
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
  /** Form answers -> data in the schema's shape (nested objects restored). */
  toData(answers: FormAnswers): Record<string, unknown>;
  /** Data in the schema's shape -> form answers. */
  fromData(data: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Validates data with ajv against the original schema; errors as citizens read them. */
  validateData(data: unknown): ValidationResult;
}

interface Mapping {
  readonly id: string;
  readonly path: readonly string[];
  readonly component: QuestionComponent;
  readonly repeater?: string;
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unsupported(pointer: string, problem: string): never {
  throw new FormsError('FORMS_INVALID_SCHEMA', `JSON Schema: ${pointer || '/'} ${problem}`, {
    details: { pointer },
  });
}

function idFor(path: readonly string[]): string {
  const raw = path.join('__').replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z]/.test(raw) ? raw.slice(0, 64) : `f_${raw}`.slice(0, 64);
}

/**
 * Makes a form from a plain JSON Schema 2020-12 document (for example a
 * GovStack Registration e-form), so an existing schema gets accessible pages
 * for free. Each top-level property becomes a page ("one thing per page");
 * an object property becomes a page of questions; an array of objects
 * becomes an "add another" repeater. Strings become text (or email, date,
 * textarea), enums radios or a select, booleans yes/no, arrays of enums
 * checkboxes. The original schema stays the authority: the compiled form's
 * `validate()` also runs ajv on it.
 *
 * @throws {@link FormsError} `FORMS_INVALID_SCHEMA` naming the JSON Pointer of
 *   a property it cannot turn into a question.
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
  schema: Readonly<Record<string, unknown>>,
  options: JsonSchemaFormOptions = {},
): JsonSchemaForm {
  if (!isObject(schema)) unsupported('', 'must be an object schema');
  const dialect = schema.$schema;
  if (dialect !== undefined && dialect !== 'https://json-schema.org/draft/2020-12/schema') {
    unsupported(
      '',
      'must be JSON Schema 2020-12 ($schema https://json-schema.org/draft/2020-12/schema)',
    );
  }
  const definitions = isObject(schema.$defs) ? schema.$defs : {};
  const resolve = (node: unknown, pointer: string): Schema => {
    if (!isObject(node)) unsupported(pointer, 'is not a schema object');
    if (typeof node.$ref === 'string') {
      const match = /^#\/\$defs\/([^/]+)$/.exec(node.$ref);
      const target =
        match?.[1] === undefined ? undefined : definitions[decodeURIComponent(match[1])];
      if (!isObject(target))
        unsupported(
          pointer,
          `has a $ref this form builder cannot follow (${node.$ref.slice(0, 80)})`,
        );
      return {
        ...target,
        ...Object.fromEntries(Object.entries(node).filter(([key]) => key !== '$ref')),
      };
    }
    return node;
  };
  if (schema.type !== 'object' || !isObject(schema.properties))
    unsupported('', 'must be an object with properties');
  const mappings: Mapping[] = [];
  const languages = options.languages ?? ['vi', 'en'];

  const textOf = (value: unknown, fallback: string): LocalizedText => {
    const text = typeof value === 'string' && value !== '' ? value : fallback;
    return { vi: text, en: text };
  };

  const componentFor = (
    property: Schema,
    path: readonly string[],
    required: boolean,
    repeater: string | undefined,
  ): QuestionComponent => {
    const pointer = `/${path.join('/')}`;
    const name = path.at(-1) ?? '';
    const override = options.labels?.[pointer];
    const id = repeater === undefined ? idFor(path) : idFor(path.slice(1));
    const base = {
      id,
      label: override?.label ?? textOf(property.title, name),
      ...(override?.hint !== undefined
        ? { hint: override.hint }
        : typeof property.description === 'string'
          ? { hint: textOf(property.description, '') }
          : {}),
      ...(required ? {} : { optional: true }),
    };
    const type = Array.isArray(property.type) ? undefined : property.type;
    let component: QuestionComponent;
    if (Array.isArray(property.enum) && property.enum.every((value) => typeof value === 'string')) {
      const choices = (property.enum as string[]).map((value) => ({
        value,
        label: { vi: value, en: value },
      }));
      component =
        choices.length <= 6
          ? { ...base, type: 'radios', options: choices }
          : { ...base, type: 'select', options: choices };
    } else if (property.const === true) {
      component = { ...base, type: 'declaration', text: base.hint ?? base.label };
    } else if (type === 'boolean') {
      component = { ...base, type: 'yesNo' };
    } else if (type === 'integer' || type === 'number') {
      component = {
        ...base,
        type: 'number',
        ...(type === 'integer' ? { integer: true } : {}),
        ...(typeof property.minimum === 'number' ? { minimum: property.minimum } : {}),
        ...(typeof property.maximum === 'number' ? { maximum: property.maximum } : {}),
      };
    } else if (type === 'string' && property.format === 'email') {
      component = { ...base, type: 'email' };
    } else if (type === 'string' && property.format === 'date') {
      component = { ...base, type: 'date' };
    } else if (type === 'string') {
      const maxLength = typeof property.maxLength === 'number' ? property.maxLength : undefined;
      const limits = {
        ...(typeof property.minLength === 'number' && property.minLength > 0
          ? { minLength: property.minLength }
          : {}),
        ...(maxLength === undefined ? {} : { maxLength }),
      };
      component =
        maxLength !== undefined && maxLength > 500 && typeof property.pattern !== 'string'
          ? { ...base, type: 'textarea', ...limits }
          : {
              ...base,
              type: 'text',
              ...limits,
              ...(typeof property.pattern === 'string' ? { pattern: property.pattern } : {}),
            };
    } else if (type === 'array' && isObject(property.items)) {
      const items = resolve(property.items, `${pointer}/items`);
      if (!Array.isArray(items.enum))
        unsupported(pointer, 'is an array of something other than enum values or objects');
      component = {
        ...base,
        type: 'checkboxes',
        options: (items.enum as unknown[]).map((value) => ({
          value: String(value),
          label: { vi: String(value), en: String(value) },
        })),
        ...(typeof property.minItems === 'number' ? { minSelected: property.minItems } : {}),
        ...(typeof property.maxItems === 'number' ? { maxSelected: property.maxItems } : {}),
      };
    } else {
      unsupported(
        pointer,
        `has a type this form builder does not ask (${JSON.stringify(property.type ?? null)})`,
      );
    }
    mappings.push({ id, path, component, ...(repeater === undefined ? {} : { repeater }) });
    return component;
  };

  const pages: PageDefinition[] = [];
  const requiredTop = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const [name, raw] of Object.entries(schema.properties)) {
    const property = resolve(raw, `/${name}`);
    const pageId = idFor([name]).replace(/_/g, '-');
    if (property.type === 'object' && isObject(property.properties)) {
      const requiredInner = new Set(
        Array.isArray(property.required) ? (property.required as string[]) : [],
      );
      const components: ComponentDefinition[] = Object.entries(property.properties).map(
        ([inner, innerRaw]) =>
          componentFor(
            resolve(innerRaw, `/${name}/${inner}`),
            [name, inner],
            requiredTop.has(name) && requiredInner.has(inner),
            undefined,
          ),
      );
      pages.push({
        id: pageId,
        title: options.labels?.[`/${name}`]?.label ?? textOf(property.title, name),
        components,
      });
      continue;
    }
    if (property.type === 'array' && isObject(property.items)) {
      const items = resolve(property.items, `/${name}/items`);
      if (items.type === 'object' && isObject(items.properties)) {
        const requiredInner = new Set(
          Array.isArray(items.required) ? (items.required as string[]) : [],
        );
        const repeaterId = idFor([name]);
        const components: ComponentDefinition[] = Object.entries(items.properties).map(
          ([inner, innerRaw]) =>
            componentFor(
              resolve(innerRaw, `/${name}/items/${inner}`),
              [name, inner],
              requiredInner.has(inner),
              repeaterId,
            ),
        );
        const title = options.labels?.[`/${name}`]?.label ?? textOf(property.title, name);
        pages.push({
          kind: 'repeater',
          id: repeaterId,
          title,
          itemName: title,
          components,
          ...(typeof property.minItems === 'number' ? { minItems: property.minItems } : {}),
          ...(typeof property.maxItems === 'number' ? { maxItems: property.maxItems } : {}),
        });
        continue;
      }
    }
    pages.push({
      id: pageId,
      components: [componentFor(property, [name], requiredTop.has(name), undefined)],
    });
  }

  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv as unknown as Parameters<typeof addFormats.default>[0]);
  let validator: ValidateFunction;
  try {
    validator = ajv.compile(schema);
  } catch (error) {
    throw new FormsError('FORMS_INVALID_SCHEMA', 'JSON Schema: ajv could not compile it', {
      cause: error,
    });
  }

  const topLevel = mappings.filter((mapping) => mapping.repeater === undefined);
  const toData = (answers: FormAnswers): Record<string, unknown> => {
    const data: Record<string, unknown> = {};
    for (const mapping of topLevel) {
      const value = answers[mapping.id];
      if (value === undefined) continue;
      let target = data;
      for (const key of mapping.path.slice(0, -1)) {
        if (!isObject(target[key])) target[key] = {};
        target = target[key] as Record<string, unknown>;
      }
      target[mapping.path.at(-1) ?? ''] = value;
    }
    for (const page of pages) {
      if (page.kind !== 'repeater') continue;
      const items = answers[page.id];
      if (!Array.isArray(items)) continue;
      const name = mappings.find((mapping) => mapping.repeater === page.id)?.path[0] ?? page.id;
      data[name] = items.map((item: Record<string, unknown>) => {
        const out: Record<string, unknown> = {};
        for (const mapping of mappings.filter((candidate) => candidate.repeater === page.id)) {
          if (item[mapping.id] !== undefined) out[mapping.path.at(-1) ?? ''] = item[mapping.id];
        }
        return out;
      });
    }
    return data;
  };
  const fromData = (data: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const answers: Record<string, unknown> = {};
    for (const mapping of topLevel) {
      let value: unknown = data;
      for (const key of mapping.path) value = isObject(value) ? value[key] : undefined;
      if (value !== undefined) answers[mapping.id] = value;
    }
    for (const page of pages) {
      if (page.kind !== 'repeater') continue;
      const itemMappings = mappings.filter((candidate) => candidate.repeater === page.id);
      const name = itemMappings[0]?.path[0] ?? page.id;
      const items = data[name];
      if (!Array.isArray(items)) continue;
      answers[page.id] = items.map((item) => {
        const out: Record<string, unknown> = {};
        for (const mapping of itemMappings) {
          const value = isObject(item) ? item[mapping.path.at(-1) ?? ''] : undefined;
          if (value !== undefined) out[mapping.id] = value;
        }
        return out;
      });
    }
    return answers;
  };
  const mapErrors = (errors: readonly ErrorObject[]): FieldError[] => {
    const out: FieldError[] = [];
    const seen = new Set<string>();
    for (const error of errors) {
      const segments = error.instancePath
        .split('/')
        .slice(1)
        .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
      const missing = (error.params as { missingProperty?: unknown }).missingProperty;
      const path =
        error.keyword === 'required' && typeof missing === 'string'
          ? [...segments, missing]
          : segments;
      const itemIndex = path.length >= 2 && /^[0-9]+$/.test(path[1] ?? '') ? path[1] : undefined;
      const logical = itemIndex === undefined ? path : [path[0] ?? '', ...path.slice(2)];
      const mapping =
        mappings.find((candidate) => candidate.path.join('/') === logical.join('/')) ??
        mappings.find(
          (candidate) =>
            logical.length > 0 && candidate.path.join('/').startsWith(`${logical.join('/')}/`),
        );
      const field =
        mapping === undefined
          ? ''
          : itemIndex === undefined
            ? mapping.id
            : `${mapping.repeater}.${itemIndex}.${mapping.id}`;
      if (seen.has(field)) continue;
      seen.add(field);
      if (mapping === undefined) {
        out.push({
          field: '',
          href: '#main-content',
          inputs: [],
          code: 'invalid',
          message: { vi: 'Câu trả lời không hợp lệ', en: 'The answers are not valid' },
        });
        continue;
      }
      const keyword =
        error.keyword === 'required' && mapping.path.length > logical.length
          ? 'required'
          : error.keyword;
      const params =
        error.keyword === 'required'
          ? { ...error.params, missingProperty: mapping.id }
          : (error.params as Record<string, unknown>);
      out.push({ ...errorFromSchemaKeyword(mapping.component, keyword, params, ''), field });
    }
    return out;
  };
  const validateData = (data: unknown): ValidationResult => {
    if (validator(data)) return { valid: true, answers: isObject(data) ? fromData(data) : {} };
    return { valid: false, errors: mapErrors(validator.errors ?? []) };
  };

  const definition: FormDefinition = {
    id: options.id ?? 'json-schema-form',
    version: options.version ?? '1',
    languages,
    title: options.title ?? textOf(schema.title, 'Form'),
    pages,
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
