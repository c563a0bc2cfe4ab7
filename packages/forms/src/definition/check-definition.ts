import { parseCondition } from '../conditions/condition-expression.js';
import { FormsError } from '../errors/forms-error.js';
import type { FormDefinition } from './form-definition.js';

const idPattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const questionTypes = new Set([
  'text',
  'textarea',
  'number',
  'email',
  'phone',
  'date',
  'yesNo',
  'radios',
  'checkboxes',
  'select',
  'autocomplete',
  'fullName',
  'address',
  'nationalId',
  'file',
  'declaration',
]);
const contentTypes = new Set(['paragraph', 'insetText', 'details', 'warning']);
/**
 * Ids a definition may not use: the names of `Object.prototype`'s members
 * (answers are handed to services as ordinary objects, where a key named
 * `toString` or `hasOwnProperty` shadows a method the service's own code or
 * a library may call), `prototype`, and the field names the handler posts
 * itself. Inside the package posted data lives in prototype-free maps, so
 * any posted field name is harmless; this refusal protects the code the
 * answers go to.
 */
export const reservedIds: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
  'item',
  'addAnother',
  'remove',
  'csrf',
]);

function invalid(path: string, problem: string): never {
  throw new FormsError('FORMS_INVALID_DEFINITION', `form definition: ${path} ${problem}`, {
    details: { path },
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkText(value: unknown, path: string, languages: readonly string[]): void {
  if (!isObject(value)) invalid(path, 'must be an object with vi and en text');
  for (const language of ['vi', 'en', ...languages]) {
    if (typeof value[language] !== 'string') invalid(`${path}.${language}`, 'must be a string');
  }
}

function checkCondition(value: unknown, path: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string') invalid(path, 'must be a string');
  try {
    parseCondition(value);
  } catch (error) {
    throw new FormsError('FORMS_INVALID_CONDITION', `form definition: ${path} does not parse`, {
      cause: error,
      details: { path },
    });
  }
}

function checkComponent(
  component: unknown,
  path: string,
  languages: readonly string[],
  ids: Set<string>,
): void {
  if (!isObject(component)) invalid(path, 'must be an object');
  const { id, type } = component;
  if (typeof id !== 'string' || !idPattern.test(id)) {
    invalid(`${path}.id`, 'must be letters, digits, "_" or "-", starting with a letter');
  }
  if (reservedIds.has(id)) {
    invalid(
      `${path}.id`,
      `"${id}" is reserved (a member of Object.prototype or a name the form posts itself); choose another id`,
    );
  }
  if (ids.has(id)) invalid(`${path}.id`, `"${id}" is used twice`);
  ids.add(id);
  if (typeof type !== 'string' || !(questionTypes.has(type) || contentTypes.has(type))) {
    invalid(`${path}.type`, 'is not a known component type');
  }
  checkCondition(component.condition, `${path}.condition`);
  if (contentTypes.has(type)) {
    checkText(component.text, `${path}.text`, languages);
    if (type === 'details') checkText(component.summary, `${path}.summary`, languages);
    return;
  }
  checkText(component.label, `${path}.label`, languages);
  if (component.hint !== undefined) checkText(component.hint, `${path}.hint`, languages);
  if (component.name !== undefined) checkText(component.name, `${path}.name`, languages);
  if (component.messages !== undefined) {
    if (!isObject(component.messages)) invalid(`${path}.messages`, 'must be an object');
    for (const [code, text] of Object.entries(component.messages))
      checkText(text, `${path}.messages.${code}`, languages);
  }
  if (type === 'radios' || type === 'checkboxes' || type === 'select' || type === 'autocomplete') {
    const options = component.options;
    if (!Array.isArray(options) || options.length === 0)
      invalid(`${path}.options`, 'must be a non-empty array');
    const values = new Set<string>();
    options.forEach((option: unknown, index: number) => {
      const optionPath = `${path}.options[${index}]`;
      if (!isObject(option) || typeof option.value !== 'string' || option.value === '') {
        invalid(`${optionPath}.value`, 'must be a non-empty string');
      }
      if (values.has(option.value)) invalid(`${optionPath}.value`, 'is used twice');
      values.add(option.value);
      checkText(option.label, `${optionPath}.label`, languages);
    });
  }
  if (type === 'address' && !['vn', 'uk', 'international'].includes(String(component.format))) {
    invalid(`${path}.format`, 'must be "vn", "uk" or "international"');
  }
  if (type === 'nationalId') {
    const schemes = component.schemes;
    if (
      !Array.isArray(schemes) ||
      schemes.length === 0 ||
      !schemes.every((scheme) =>
        ['vn-citizen-id', 'vn-legacy-id', 'uk-nino'].includes(String(scheme)),
      )
    ) {
      invalid(`${path}.schemes`, 'must list vn-citizen-id, vn-legacy-id or uk-nino');
    }
  }
  if (type === 'file') {
    if (!Array.isArray(component.accept) || component.accept.length === 0)
      invalid(`${path}.accept`, 'must list MIME types');
    if (typeof component.maxBytes !== 'number' || component.maxBytes <= 0)
      invalid(`${path}.maxBytes`, 'must be a positive number');
  }
  if (type === 'declaration') checkText(component.text, `${path}.text`, languages);
  if (type === 'text' && component.pattern !== undefined) {
    try {
      new RegExp(String(component.pattern), 'u');
    } catch (error) {
      throw new FormsError(
        'FORMS_INVALID_DEFINITION',
        `form definition: ${path}.pattern is not a valid pattern`,
        {
          cause: error,
          details: { path: `${path}.pattern` },
        },
      );
    }
  }
}

/**
 * Checks a form definition read from JSON or YAML (or built in code) and
 * returns it typed. Says exactly what is wrong and where.
 *
 * @throws {@link FormsError} `FORMS_INVALID_DEFINITION` (with `details.path`)
 *   or `FORMS_INVALID_CONDITION`.
 * @example
 * ```ts
 * const definition = checkFormDefinition(JSON.parse(text));
 * ```
 */
export function checkFormDefinition(value: unknown): FormDefinition {
  if (!isObject(value)) invalid('(root)', 'must be an object');
  if (typeof value.id !== 'string' || !idPattern.test(value.id)) invalid('id', 'must be an id');
  if (typeof value.version !== 'string' || value.version === '')
    invalid('version', 'must be a non-empty string');
  const languages = value.languages;
  if (
    !Array.isArray(languages) ||
    languages.length === 0 ||
    !languages.every((language) => language === 'vi' || language === 'en')
  ) {
    invalid('languages', 'must list "vi" and/or "en"');
  }
  checkText(value.title, 'title', languages);
  const sectionIds = new Set<string>();
  if (value.sections !== undefined) {
    if (!Array.isArray(value.sections)) invalid('sections', 'must be an array');
    value.sections.forEach((section: unknown, index: number) => {
      if (!isObject(section) || typeof section.id !== 'string')
        invalid(`sections[${index}].id`, 'must be a string');
      checkText(section.title, `sections[${index}].title`, languages);
      sectionIds.add(section.id);
    });
  }
  if (!Array.isArray(value.pages) || value.pages.length === 0)
    invalid('pages', 'must be a non-empty array');
  const pageIds = new Set<string>();
  const answerIds = new Set<string>();
  value.pages.forEach((page: unknown, pageIndex: number) => {
    const path = `pages[${pageIndex}]`;
    if (!isObject(page)) invalid(path, 'must be an object');
    if (
      typeof page.id !== 'string' ||
      !idPattern.test(page.id) ||
      reservedIds.has(page.id) ||
      ['check-answers', 'confirmation', 'start', 'resume', 'save'].includes(page.id)
    ) {
      invalid(`${path}.id`, 'must be an id (and not a reserved page name)');
    }
    if (pageIds.has(page.id)) invalid(`${path}.id`, `"${page.id}" is used twice`);
    pageIds.add(page.id);
    if (page.kind !== undefined && page.kind !== 'question' && page.kind !== 'repeater') {
      invalid(`${path}.kind`, 'must be "question" or "repeater"');
    }
    if (page.title !== undefined || page.kind === 'repeater')
      checkText(page.title, `${path}.title`, languages);
    if (page.section !== undefined && !sectionIds.has(String(page.section)))
      invalid(`${path}.section`, 'is not a declared section');
    checkCondition(page.condition, `${path}.condition`);
    if (!Array.isArray(page.components) || page.components.length === 0) {
      invalid(`${path}.components`, 'must be a non-empty array');
    }
    const components = page.components as unknown[];
    const questions = components.filter(
      (component) => isObject(component) && questionTypes.has(String(component.type)),
    );
    if (questions.length > 1 && page.title === undefined) {
      invalid(`${path}.title`, 'is needed when a page asks more than one question');
    }
    if (page.kind === 'repeater') {
      checkText(page.itemName, `${path}.itemName`, languages);
      if (page.itemNamePlural !== undefined)
        checkText(page.itemNamePlural, `${path}.itemNamePlural`, languages);
      if (answerIds.has(page.id)) invalid(`${path}.id`, `"${page.id}" is also an answer id`);
      answerIds.add(page.id);
      const itemIds = new Set<string>();
      components.forEach((component, index) => {
        checkComponent(component, `${path}.components[${index}]`, languages, itemIds);
      });
      return;
    }
    components.forEach((component, index) => {
      checkComponent(component, `${path}.components[${index}]`, languages, answerIds);
    });
  });
  for (const [pageIndex, page] of (value.pages as Record<string, unknown>[]).entries()) {
    for (const [index, component] of (page.components as Record<string, unknown>[]).entries()) {
      if (
        component.type === 'nationalId' &&
        component.dateOfBirthField !== undefined &&
        !answerIds.has(String(component.dateOfBirthField))
      ) {
        invalid(`pages[${pageIndex}].components[${index}].dateOfBirthField`, 'is not an answer id');
      }
    }
  }
  return value as unknown as FormDefinition;
}
