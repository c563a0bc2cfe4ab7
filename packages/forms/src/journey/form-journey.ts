import { answerToInputs } from '../components/answer-format.js';
import { type FieldError, makeFieldError } from '../components/field-error.js';
import type { PostedFiles, PostedForm } from '../components/posted-form.js';
import type { FormLocale, PageDefinition, RepeaterPage } from '../definition/form-definition.js';
import type { CompiledForm, FormAnswers } from '../validation/compiled-form.js';

/**
 * Where a citizen is in a form: a question page, one item of a repeater,
 * a repeater's "add another" list, check your answers, or the confirmation.
 *
 * @example
 * ```ts
 * const route: JourneyRoute = { kind: 'item', pageId: 'children', index: 0 };
 * ```
 */
export type JourneyRoute =
  | { readonly kind: 'page'; readonly pageId: string }
  | { readonly kind: 'item'; readonly pageId: string; readonly index: number }
  | { readonly kind: 'list'; readonly pageId: string }
  | { readonly kind: 'checkAnswers' }
  | { readonly kind: 'confirmation' };

/**
 * The path of a route, relative to the form's base path (`name`,
 * `children/0`, `children`, `check-answers`, `confirmation`).
 *
 * @example
 * ```ts
 * routePath({ kind: 'item', pageId: 'children', index: 1 }); // 'children/1'
 * ```
 */
export function routePath(route: JourneyRoute): string {
  switch (route.kind) {
    case 'page':
    case 'list':
      return route.pageId;
    case 'item':
      return `${route.pageId}/${route.index}`;
    case 'checkAnswers':
      return 'check-answers';
    case 'confirmation':
      return 'confirmation';
  }
}

function itemsOf(answers: FormAnswers, pageId: string): Record<string, unknown>[] {
  const items = answers[pageId];
  return Array.isArray(items)
    ? items.filter(
        (item): item is Record<string, unknown> =>
          typeof item === 'object' && item !== null && !Array.isArray(item),
      )
    : [];
}

/**
 * Reads a path back into a route, or `undefined` when the form has no such
 * page.
 *
 * @example
 * ```ts
 * parseRoutePath(form, 'children/0'); // { kind: 'item', pageId: 'children', index: 0 }
 * ```
 */
export function parseRoutePath(
  form: CompiledForm<unknown>,
  path: string,
): JourneyRoute | undefined {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === 'check-answers') return { kind: 'checkAnswers' };
  if (trimmed === 'confirmation') return { kind: 'confirmation' };
  const [pageId = '', index, ...rest] = trimmed.split('/');
  if (rest.length > 0 || !form.hasPage(pageId)) return undefined;
  const page = form.page(pageId);
  if (page.kind === 'repeater') {
    if (index === undefined) return { kind: 'list', pageId };
    if (!/^[0-9]{1,3}$/.test(index)) return undefined;
    return { kind: 'item', pageId, index: Number(index) };
  }
  return index === undefined ? { kind: 'page', pageId } : undefined;
}

function entryRoute(page: PageDefinition, answers: FormAnswers): JourneyRoute {
  if (page.kind === 'repeater') {
    return itemsOf(answers, page.id).length === 0
      ? { kind: 'item', pageId: page.id, index: 0 }
      : { kind: 'list', pageId: page.id };
  }
  return { kind: 'page', pageId: page.id };
}

function pageValues(
  form: CompiledForm<unknown>,
  pageId: string,
  answers: FormAnswers,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const question of form.visibleQuestions(pageId, answers)) {
    if (answers[question.id] !== undefined) values[question.id] = answers[question.id];
  }
  return values;
}

/**
 * The first route a citizen still has to complete (a visible page whose
 * answers are missing or no longer valid), or check your answers when
 * everything is answered. A repeater needs at least one item (at least
 * `minItems`); make a repeater optional with a yes/no question and a
 * condition on it.
 *
 * @example
 * ```ts
 * routePath(firstIncompleteRoute(form, {})); // the first page's path
 * ```
 */
export function firstIncompleteRoute(
  form: CompiledForm<unknown>,
  answers: FormAnswers,
): JourneyRoute {
  for (const page of form.visiblePages(answers)) {
    if (page.kind === 'repeater') {
      const items = itemsOf(answers, page.id);
      if (items.length === 0) return { kind: 'item', pageId: page.id, index: 0 };
      const invalid = items.findIndex(
        (item) => form.validatePageValues(page.id, item, answers, item).length > 0,
      );
      if (invalid >= 0) return { kind: 'item', pageId: page.id, index: invalid };
      if (items.length < Math.max(1, page.minItems ?? 1)) return { kind: 'list', pageId: page.id };
      continue;
    }
    if (form.validatePageValues(page.id, pageValues(form, page.id, answers), answers).length > 0) {
      return { kind: 'page', pageId: page.id };
    }
  }
  // Whole-form rules (an original JSON Schema's, for example) point at the page to fix.
  const result = form.validate(answers);
  if (!result.valid) {
    for (const error of result.errors) {
      const [id = '', index] = error.field.split('.');
      const pageId = form.pageOfAnswer(id);
      if (pageId === undefined) continue;
      if (index !== undefined && /^[0-9]+$/.test(index))
        return { kind: 'item', pageId, index: Number(index) };
      return form.page(pageId).kind === 'repeater'
        ? { kind: 'list', pageId }
        : { kind: 'page', pageId };
    }
  }
  return { kind: 'checkAnswers' };
}

function visibleIndex(pages: readonly PageDefinition[], pageId: string): number {
  return pages.findIndex((page) => page.id === pageId);
}

/**
 * Whether a citizen may open a route now: its page is shown for their
 * answers and every page before it is complete (no jumping ahead).
 *
 * @example
 * ```ts
 * canVisit(form, {}, { kind: 'checkAnswers' }); // false
 * ```
 */
export function canVisit(
  form: CompiledForm<unknown>,
  answers: FormAnswers,
  route: JourneyRoute,
): boolean {
  const incomplete = firstIncompleteRoute(form, answers);
  if (route.kind === 'confirmation') return false;
  if (route.kind === 'checkAnswers') return incomplete.kind === 'checkAnswers';
  const pages = form.visiblePages(answers);
  const target = visibleIndex(pages, route.pageId);
  if (target < 0) return false;
  if (route.kind === 'item') {
    const page = form.page(route.pageId) as RepeaterPage;
    const count = itemsOf(answers, route.pageId).length;
    if (
      route.index > count ||
      (route.index === count && page.maxItems !== undefined && count >= page.maxItems)
    )
      return false;
  }
  if (route.kind === 'list' && itemsOf(answers, route.pageId).length === 0) return false;
  if (incomplete.kind === 'checkAnswers' || incomplete.kind === 'confirmation') return true;
  const blocking = visibleIndex(pages, incomplete.pageId);
  return target <= blocking;
}

/**
 * The route the Back link points to, or `undefined` on the first page.
 *
 * @example
 * ```ts
 * previousRoute(form, answers, { kind: 'checkAnswers' }); // the last page
 * ```
 */
export function previousRoute(
  form: CompiledForm<unknown>,
  answers: FormAnswers,
  route: JourneyRoute,
): JourneyRoute | undefined {
  const pages = form.visiblePages(answers);
  if (route.kind === 'checkAnswers' || route.kind === 'confirmation') {
    const last = pages.at(-1);
    return last === undefined ? undefined : entryRoute(last, answers);
  }
  if (route.kind === 'item' && itemsOf(answers, route.pageId).length > 0)
    return { kind: 'list', pageId: route.pageId };
  const index = visibleIndex(pages, route.pageId);
  const previous = index > 0 ? pages[index - 1] : undefined;
  return previous === undefined ? undefined : entryRoute(previous, answers);
}

/**
 * Values to show in a page's inputs, from the stored answers (when a
 * citizen comes back with Back or Change).
 *
 * @example
 * ```ts
 * inputsForRoute(form, { dob: '2000-03-05' }, { kind: 'page', pageId: 'dob' }); // { 'dob-day': '5', ... }
 * ```
 */
export function inputsForRoute(
  form: CompiledForm<unknown>,
  answers: FormAnswers,
  route: JourneyRoute,
): Record<string, string | string[]> {
  if (route.kind !== 'page' && route.kind !== 'item') return {};
  const source =
    route.kind === 'item' ? (itemsOf(answers, route.pageId)[route.index] ?? {}) : answers;
  const page = form.page(route.pageId);
  const inputs: Record<string, string | string[]> = {};
  for (const component of page.components) {
    if (!('label' in component)) continue;
    Object.assign(inputs, answerToInputs(component, source[component.id]));
  }
  return inputs;
}

/**
 * What posting a page led to: go to another route (with the new answers),
 * show the page again with errors, or the form is complete (posted from
 * check your answers with every answer valid).
 *
 * @example
 * ```ts
 * const step: JourneyStep = { kind: 'redirect', route: { kind: 'checkAnswers' }, answers: {} };
 * ```
 */
export type JourneyStep =
  | {
      readonly kind: 'redirect';
      readonly route: JourneyRoute;
      readonly answers: Record<string, unknown>;
    }
  | {
      readonly kind: 'invalid';
      readonly route: JourneyRoute;
      readonly errors: readonly FieldError[];
      readonly inputs: PostedForm;
      readonly answers: Record<string, unknown>;
    }
  | { readonly kind: 'complete'; readonly answers: Record<string, unknown> };

/**
 * What {@link submitPage} needs.
 *
 * @example
 * ```ts
 * const submission: PageSubmission = { route: { kind: 'page', pageId: 'name' }, posted: { fullName: 'Lan' }, answers: {}, locale: 'vi' };
 * ```
 */
export interface PageSubmission {
  readonly route: JourneyRoute;
  readonly posted: PostedForm;
  readonly files?: PostedFiles;
  readonly answers: FormAnswers;
  readonly locale: FormLocale;
  /** True when the citizen came from check your answers (a Change link). */
  readonly change?: boolean;
}

function nextAfter(
  form: CompiledForm<unknown>,
  answers: FormAnswers,
  pageId: string,
  change: boolean,
): JourneyRoute {
  if (change) return firstIncompleteRoute(form, answers);
  const pages = form.visiblePages(answers);
  const index = visibleIndex(pages, pageId);
  const next = pages[index + 1];
  if (next === undefined) return firstIncompleteRoute(form, answers);
  return entryRoute(next, answers);
}

/**
 * The stateless journey engine. Given the compiled form, the answers so
 * far and a posted page, returns where to go next with the new answers
 * (answers to questions that conditions now hide are dropped), or the
 * errors to show, or that the form is complete. It keeps no state: store
 * the answers where you like (the built-in handler seals them in a cookie).
 *
 * @example
 * ```ts
 * const step = submitPage(form, { route: { kind: 'page', pageId: 'name' }, posted: { fullName: 'Lan' }, answers: {}, locale: 'vi' });
 * if (step.kind === 'redirect') redirectTo(routePath(step.route));
 * ```
 */
export function submitPage(form: CompiledForm<unknown>, submission: PageSubmission): JourneyStep {
  const { route, posted, locale } = submission;
  const answers = form.pruneAnswers(submission.answers);
  const change = submission.change === true;
  switch (route.kind) {
    case 'confirmation':
      return { kind: 'redirect', route, answers };
    case 'checkAnswers': {
      const result = form.validate(answers);
      if (result.valid)
        return { kind: 'complete', answers: { ...(result.answers as FormAnswers) } };
      const incomplete = firstIncompleteRoute(form, answers);
      if (incomplete.kind === 'checkAnswers')
        return { kind: 'invalid', route, errors: result.errors, inputs: {}, answers };
      return { kind: 'redirect', route: incomplete, answers };
    }
    case 'page': {
      const reading = form.readPage(route.pageId, posted, {
        locale,
        answers,
        ...(submission.files === undefined ? {} : { files: submission.files }),
      });
      if (reading.errors.length > 0)
        return { kind: 'invalid', route, errors: reading.errors, inputs: posted, answers };
      const merged: Record<string, unknown> = { ...answers };
      for (const question of form.page(route.pageId).components) delete merged[question.id];
      Object.assign(merged, reading.values);
      const pruned = form.pruneAnswers(merged);
      return {
        kind: 'redirect',
        route: nextAfter(form, pruned, route.pageId, change),
        answers: pruned,
      };
    }
    case 'item': {
      const items = itemsOf(answers, route.pageId);
      const reading = form.readPage(route.pageId, posted, {
        locale,
        answers,
        item: items[route.index] ?? {},
        ...(submission.files === undefined ? {} : { files: submission.files }),
      });
      if (reading.errors.length > 0)
        return { kind: 'invalid', route, errors: reading.errors, inputs: posted, answers };
      const nextItems = [...items];
      nextItems[Math.min(route.index, items.length)] = { ...reading.values };
      const merged = form.pruneAnswers({ ...answers, [route.pageId]: nextItems });
      return { kind: 'redirect', route: { kind: 'list', pageId: route.pageId }, answers: merged };
    }
    case 'list': {
      const page = form.page(route.pageId) as RepeaterPage;
      const items = itemsOf(answers, route.pageId);
      const remove = typeof posted.remove === 'string' ? Number(posted.remove) : Number.NaN;
      if (Number.isInteger(remove) && remove >= 0 && remove < items.length) {
        const nextItems = items.filter((_, index) => index !== remove);
        const merged = form.pruneAnswers({ ...answers, [route.pageId]: nextItems });
        return {
          kind: 'redirect',
          route: nextItems.length === 0 ? { kind: 'item', pageId: route.pageId, index: 0 } : route,
          answers: merged,
        };
      }
      const addAnother = posted.addAnother;
      const question = {
        type: 'yesNo',
        id: 'addAnother',
        label: page.title,
        name: page.itemName,
      } as const;
      const atMaximum = page.maxItems !== undefined && items.length >= page.maxItems;
      if (!atMaximum && addAnother !== 'yes' && addAnother !== 'no') {
        return {
          kind: 'invalid',
          route,
          errors: [makeFieldError(question, 'addAnotherRequired')],
          inputs: posted,
          answers,
        };
      }
      if (!atMaximum && addAnother === 'yes') {
        return {
          kind: 'redirect',
          route: { kind: 'item', pageId: route.pageId, index: items.length },
          answers,
        };
      }
      const minItems = page.minItems ?? 1;
      if (items.length < minItems) {
        const name = minItems === 1 ? page.itemName : (page.itemNamePlural ?? page.itemName);
        return {
          kind: 'invalid',
          route,
          errors: [
            makeFieldError({ ...question, name }, 'repeaterTooFew', {
              values: { min: minItems },
            }),
          ],
          inputs: posted,
          answers,
        };
      }
      return { kind: 'redirect', route: nextAfter(form, answers, route.pageId, change), answers };
    }
  }
}
