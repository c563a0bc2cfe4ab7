import { escapeHtml } from '@civicblocks/core';
import { formatAnswer } from '../components/answer-format.js';
import { firstInputId, isQuestion } from '../components/component-kind.js';
import type { FieldError } from '../components/field-error.js';
import type { PostedForm } from '../components/posted-form.js';
import type {
  FormLocale,
  PageDefinition,
  QuestionComponent,
} from '../definition/form-definition.js';
import { type InterfaceTextOverrides, interfaceMessage, textFor } from '../i18n/form-messages.js';
import { type JourneyRoute, routePath } from '../journey/form-journey.js';
import type { CompiledForm, FormAnswers } from '../validation/compiled-form.js';
import { renderContent, renderErrorSummary, renderQuestion } from './component-html.js';
import { escapeLines } from './escape-html.js';

const e = escapeHtml;

/**
 * A rendered page: its `<title>` text and the HTML inside `<main>`.
 *
 * @example
 * ```ts
 * const page: RenderedPage = { title: 'Full name - Register a birth', main: '<h1>…</h1>' };
 * ```
 */
export interface RenderedPage {
  readonly title: string;
  readonly main: string;
}

/**
 * What {@link renderFormPage} needs.
 *
 * @example
 * ```ts
 * const options: RenderFormPageOptions = { route: { kind: 'page', pageId: 'name' }, answers: {}, locale: 'vi', basePath: '/apply' };
 * ```
 */
export interface RenderFormPageOptions {
  readonly route: JourneyRoute;
  readonly answers: FormAnswers;
  readonly locale: FormLocale;
  /** Where the form is mounted, e.g. `/register-birth`. Page links are `${basePath}/${path}`. */
  readonly basePath: string;
  /** Values to show in the inputs (the posted values after an error). */
  readonly inputs?: PostedForm;
  readonly errors?: readonly FieldError[];
  /** True when the citizen came from check your answers. */
  readonly change?: boolean;
  /** Extra hidden fields (a CSRF token, for example). */
  readonly hiddenFields?: Readonly<Record<string, string>>;
  /** The reference shown on the confirmation page. */
  readonly reference?: string;
  /** Replacements for the interface texts (buttons, headings). */
  readonly texts?: InterfaceTextOverrides;
}

function titleOf(
  form: CompiledForm<unknown>,
  heading: string,
  locale: FormLocale,
  hasErrors: boolean,
  options: { readonly texts?: InterfaceTextOverrides } = {},
): string {
  return `${hasErrors ? textFor('errorTitlePrefix', locale, options.texts) : ''}${heading} - ${form.definition.title[locale]}`;
}

function sectionCaption(
  form: CompiledForm<unknown>,
  page: PageDefinition,
  locale: FormLocale,
): string {
  const section = form.definition.sections?.find((candidate) => candidate.id === page.section);
  return section === undefined
    ? ''
    : `<span class="govuk-caption-l">${e(section.title[locale])}</span>`;
}

function hidden(fields: Readonly<Record<string, string>> | undefined): string {
  if (fields === undefined) return '';
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${e(name)}" value="${e(value)}">`)
    .join('');
}

function formOpen(action: string, multipart: boolean): string {
  return `<form method="post" action="${e(action)}" novalidate${multipart ? ' enctype="multipart/form-data"' : ''}>`;
}

function href(basePath: string, route: JourneyRoute, change = false): string {
  return `${basePath}/${routePath(route)}${change ? '?change=1' : ''}`;
}

function questionPage(
  form: CompiledForm<unknown>,
  options: RenderFormPageOptions,
  pageId: string,
  item: FormAnswers | undefined,
): RenderedPage {
  const { locale, route } = options;
  const page = form.page(pageId);
  const errors = options.errors ?? [];
  const components = form.visibleComponents(pageId, options.answers, item);
  const questions = components.filter(isQuestion);
  const single = questions.length === 1 && page.kind !== 'repeater' && page.title === undefined;
  const caption = sectionCaption(form, page, locale);
  let heading: string;
  let headingHtml = '';
  if (single) {
    heading = questions[0]?.label[locale] ?? '';
  } else if (page.kind === 'repeater' && route.kind === 'item') {
    heading = interfaceMessage(locale, 'itemHeading', {
      name: page.itemName[locale],
      number: route.index + 1,
    });
    headingHtml = `<h1 class="govuk-heading-l">${e(heading)}</h1>`;
  } else {
    heading = page.title?.[locale] ?? '';
    headingHtml = `<h1 class="govuk-heading-l">${e(heading)}</h1>`;
  }
  const body = components
    .map((component) =>
      isQuestion(component)
        ? renderQuestion(component, {
            locale,
            isPageHeading: single,
            inputs: options.inputs ?? {},
            errors,
          })
        : renderContent(component, locale),
    )
    .join('');
  const multipart = questions.some((question) => question.type === 'file');
  const action = href(options.basePath, route, options.change === true);
  const captionHtml = single && caption !== '' ? caption : caption;
  return {
    title: titleOf(form, heading, locale, errors.length > 0, options),
    main: `${renderErrorSummary(errors, locale)}${captionHtml}${headingHtml}${formOpen(action, multipart)}${hidden(options.hiddenFields)}${body}<button type="submit" class="govuk-button" data-module="govuk-button">${e(textFor('continue', locale, options.texts))}</button></form>`,
  };
}

function summaryRows(
  _form: CompiledForm<unknown>,
  questions: readonly QuestionComponent[],
  source: FormAnswers,
  locale: FormLocale,
  changeHref: (question: QuestionComponent) => string,
  options: { readonly texts?: InterfaceTextOverrides },
): string {
  return questions
    .filter((question) => source[question.id] !== undefined)
    .map((question) => {
      const value = escapeLines(formatAnswer(question, source[question.id], locale));
      return `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${e(question.label[locale])}</dt><dd class="govuk-summary-list__value">${value}</dd><dd class="govuk-summary-list__actions"><a class="govuk-link" href="${e(changeHref(question))}">${e(textFor('change', locale, options.texts))}<span class="govuk-visually-hidden"> ${e(question.label[locale].toLocaleLowerCase())}</span></a></dd></div>`;
    })
    .join('');
}

function itemsOf(answers: FormAnswers, pageId: string): FormAnswers[] {
  const items = answers[pageId];
  return Array.isArray(items)
    ? (items.filter((item) => typeof item === 'object' && item !== null) as FormAnswers[])
    : [];
}

function itemTitle(
  form: CompiledForm<unknown>,
  pageId: string,
  item: FormAnswers,
  index: number,
  locale: FormLocale,
): string {
  const page = form.page(pageId);
  const firstQuestion = form.visibleQuestions(pageId, {}, item)[0];
  const answer =
    firstQuestion === undefined
      ? ''
      : formatAnswer(firstQuestion, item[firstQuestion.id], locale).split('\n')[0];
  if (answer !== undefined && answer !== '') return answer;
  return page.kind === 'repeater'
    ? interfaceMessage(locale, 'itemHeading', {
        name: page.itemName[locale],
        number: index + 1,
      })
    : '';
}

function listPage(
  form: CompiledForm<unknown>,
  options: RenderFormPageOptions,
  pageId: string,
): RenderedPage {
  const { locale } = options;
  const page = form.page(pageId);
  if (page.kind !== 'repeater') throw new TypeError('not a repeater');
  const items = itemsOf(options.answers, pageId);
  const errors = options.errors ?? [];
  const heading = interfaceMessage(locale, 'youHaveAdded', {
    count: items.length,
    name: (items.length === 1 ? page.itemName : (page.itemNamePlural ?? page.itemName))[locale],
  });
  const rows = items
    .map((item, index) => {
      const title = itemTitle(form, pageId, item, index, locale);
      return `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${e(title)}</dt><dd class="govuk-summary-list__actions"><ul class="govuk-summary-list__actions-list"><li class="govuk-summary-list__actions-list-item"><a class="govuk-link" href="${e(href(options.basePath, { kind: 'item', pageId, index }))}">${e(textFor('change', locale, options.texts))}<span class="govuk-visually-hidden"> ${e(title)}</span></a></li><li class="govuk-summary-list__actions-list-item"><button type="submit" name="remove" value="${index}" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">${e(textFor('remove', locale, options.texts))}<span class="govuk-visually-hidden"> ${e(title)}</span></button></li></ul></dd></div>`;
    })
    .join('');
  const atMaximum = page.maxItems !== undefined && items.length >= page.maxItems;
  const error = errors[0];
  const question = interfaceMessage(locale, 'addAnotherQuestion', {
    name: page.itemName[locale],
  });
  const radios = atMaximum
    ? ''
    : `<div class="govuk-form-group${error === undefined ? '' : ' govuk-form-group--error'}"><fieldset class="govuk-fieldset"${error === undefined ? '' : ' aria-describedby="addAnother-error"'}><legend class="govuk-fieldset__legend govuk-fieldset__legend--m"><h2 class="govuk-fieldset__heading">${e(question)}</h2></legend>${
        error === undefined
          ? ''
          : `<p id="addAnother-error" class="govuk-error-message"><span class="govuk-visually-hidden">${e(textFor('errorPrefix', locale, options.texts))}</span> ${e(error.message[locale])}</p>`
      }<div class="govuk-radios govuk-radios--inline" data-module="govuk-radios"><div class="govuk-radios__item"><input class="govuk-radios__input" id="addAnother" name="addAnother" type="radio" value="yes"><label class="govuk-label govuk-radios__label" for="addAnother">${e(textFor('yes', locale, options.texts))}</label></div><div class="govuk-radios__item"><input class="govuk-radios__input" id="addAnother-2" name="addAnother" type="radio" value="no"><label class="govuk-label govuk-radios__label" for="addAnother-2">${e(textFor('no', locale, options.texts))}</label></div></div></fieldset></div>`;
  const summaryErrors = errors.map((candidate) => ({ ...candidate, href: '#addAnother' }));
  return {
    title: titleOf(form, heading, locale, errors.length > 0, options),
    main: `${renderErrorSummary(summaryErrors, locale)}${sectionCaption(form, page, locale)}<h1 class="govuk-heading-l">${e(heading)}</h1>${formOpen(href(options.basePath, options.route, options.change === true), false)}${hidden(options.hiddenFields)}<dl class="govuk-summary-list">${rows}</dl>${radios}<button type="submit" class="govuk-button" data-module="govuk-button">${e(textFor('continue', locale, options.texts))}</button></form>`,
  };
}

function checkAnswersPage(
  form: CompiledForm<unknown>,
  options: RenderFormPageOptions,
): RenderedPage {
  const { locale, answers, basePath } = options;
  const checkAnswers = form.definition.checkAnswers;
  const heading =
    (checkAnswers === false ? undefined : checkAnswers?.title?.[locale]) ??
    textFor('checkAnswersTitle', locale, options.texts);
  const groups: { title: string; rows: string }[] = [];
  for (const page of form.visiblePages(answers)) {
    const section =
      form.definition.sections?.find((candidate) => candidate.id === page.section)?.title[locale] ??
      '';
    let rows: string;
    let title = section;
    if (page.kind === 'repeater') {
      title = page.title[locale];
      rows = itemsOf(answers, page.id)
        .map((item, index) =>
          summaryRows(
            form,
            form.visibleQuestions(page.id, answers, item),
            item,
            locale,
            (question) =>
              `${href(basePath, { kind: 'item', pageId: page.id, index }, true)}#${firstInputId(question)}`,
            options,
          ),
        )
        .join('');
    } else {
      rows = summaryRows(
        form,
        form.visibleQuestions(page.id, answers),
        answers,
        locale,
        (question) =>
          `${href(basePath, { kind: 'page', pageId: page.id }, true)}#${firstInputId(question)}`,
        options,
      );
    }
    const last = groups.at(-1);
    if (last !== undefined && last.title === title) last.rows += rows;
    else groups.push({ title, rows });
  }
  const lists = groups
    .filter((group) => group.rows !== '')
    .map(
      (group) =>
        `${group.title === '' ? '' : `<h2 class="govuk-heading-m">${e(group.title)}</h2>`}<dl class="govuk-summary-list govuk-!-margin-bottom-9">${group.rows}</dl>`,
    )
    .join('');
  return {
    title: titleOf(form, heading, locale, false, options),
    main: `<h1 class="govuk-heading-l">${e(heading)}</h1>${lists}${formOpen(href(basePath, { kind: 'checkAnswers' }), false)}${hidden(options.hiddenFields)}<button type="submit" class="govuk-button" data-module="govuk-button" data-prevent-double-click="true">${e(textFor('submit', locale, options.texts))}</button></form>`,
  };
}

function confirmationPage(
  form: CompiledForm<unknown>,
  options: RenderFormPageOptions,
): RenderedPage {
  const { locale } = options;
  const confirmation = form.definition.confirmation;
  const heading =
    confirmation?.title?.[locale] ?? textFor('confirmationTitle', locale, options.texts);
  const reference =
    options.reference === undefined
      ? ''
      : `<div class="govuk-panel__body">${e(textFor('referenceLabel', locale, options.texts))}<br><strong>${e(options.reference)}</strong></div>`;
  const body =
    confirmation?.body === undefined
      ? ''
      : `<p class="govuk-body">${escapeLines(confirmation.body[locale])}</p>`;
  return {
    title: titleOf(form, heading, locale, false, options),
    main: `<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">${e(heading)}</h1>${reference}</div>${body}`,
  };
}

/**
 * Renders the page for a route as GOV.UK Frontend markup: a question page
 * (the error summary first, the question as the `h1` label or legend), a
 * repeater item or its "add another" list, check your answers (a summary
 * list with Change links) or the confirmation panel.
 *
 * @example
 * ```ts
 * const page = renderFormPage(form, { route: { kind: 'page', pageId: 'name' }, answers: {}, locale: 'vi', basePath: '/apply' });
 * const html = renderDocument({ locale: 'vi', title: page.title, main: page.main, stylesheetHref: '/assets/govuk.css' });
 * ```
 */
export function renderFormPage(
  form: CompiledForm<unknown>,
  options: RenderFormPageOptions,
): RenderedPage {
  const route = options.route;
  switch (route.kind) {
    case 'page':
      return questionPage(form, options, route.pageId, undefined);
    case 'item':
      return questionPage(
        form,
        options,
        route.pageId,
        itemsOf(options.answers, route.pageId)[route.index] ?? {},
      );
    case 'list':
      return listPage(form, options, route.pageId);
    case 'checkAnswers':
      return checkAnswersPage(form, options);
    case 'confirmation':
      return confirmationPage(form, options);
  }
}

/**
 * Options of {@link renderDocument}.
 *
 * @example
 * ```ts
 * const options: DocumentOptions = { locale: 'en', title: 'Apply', main: '<h1>Apply</h1>', stylesheetHref: '/govuk.css' };
 * ```
 */
export interface DocumentOptions {
  readonly locale: FormLocale;
  readonly title: string;
  readonly main: string;
  /** The URL of `govuk-frontend.min.css` (served by you). */
  readonly stylesheetHref: string;
  /** The URL of `govuk-frontend.min.js`; omit for a page without JavaScript. */
  readonly scriptHref?: string;
  /** A CSP nonce for the two small inline scripts. */
  readonly nonce?: string;
  readonly serviceName?: string;
  readonly serviceHref?: string;
  readonly backHref?: string;
  /** Replacements for the interface texts (Back, skip link, …). */
  readonly texts?: InterfaceTextOverrides;
  /** Links to the page in other languages. */
  readonly languages?: readonly {
    readonly locale: FormLocale;
    readonly href: string;
    readonly label: string;
  }[];
}

/**
 * Wraps a page in the GOV.UK page template: `lang`, skip link, the service
 * name in a service navigation bar (not the GOV.UK header, which is for
 * GOV.UK services only),
 * Back link, `main`, footer, and (optionally) GOV.UK Frontend's JavaScript.
 * Works without JavaScript.
 *
 * @example
 * ```ts
 * renderDocument({ locale: 'vi', title: page.title, main: page.main, stylesheetHref: '/assets/govuk-frontend.min.css' });
 * ```
 */
export function renderDocument(options: DocumentOptions): string {
  const { locale } = options;
  const nonce = options.nonce === undefined ? '' : ` nonce="${e(options.nonce)}"`;
  const back =
    options.backHref === undefined
      ? ''
      : `<a href="${e(options.backHref)}" class="govuk-back-link">${e(textFor('back', locale, options.texts))}</a>`;
  const languages =
    options.languages === undefined || options.languages.length === 0
      ? ''
      : `<nav class="govuk-!-margin-top-3" aria-label="${e(textFor('language', locale, options.texts))}"><ul class="govuk-list govuk-!-margin-bottom-0">${options.languages
          .map(
            (language) =>
              `<li><a class="govuk-link" href="${e(language.href)}" hreflang="${language.locale}" lang="${language.locale}">${e(language.label)}</a></li>`,
          )
          .join('')}</ul></nav>`;
  const script =
    options.scriptHref === undefined
      ? ''
      : `<script type="module"${nonce}>import { initAll } from ${JSON.stringify(options.scriptHref).replace(/</g, '\\u003c')}; initAll();</script>`;
  return `<!DOCTYPE html><html lang="${locale}" class="govuk-template govuk-template--rebranded"><head><meta charset="utf-8"><title>${e(options.title)}</title><meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"><link rel="stylesheet" href="${e(options.stylesheetHref)}"></head><body class="govuk-template__body"><script${nonce}>document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');</script><a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">${e(textFor('skipToMain', locale, options.texts))}</a>${options.serviceName === undefined || options.serviceName === '' ? '' : `<section aria-label="${e(textFor('serviceInformation', locale, options.texts))}" class="govuk-service-navigation"><div class="govuk-width-container"><div class="govuk-service-navigation__container"><span class="govuk-service-navigation__service-name"><a href="${e(options.serviceHref ?? '/')}" class="govuk-service-navigation__link">${e(options.serviceName)}</a></span></div></div></section>`}<div class="govuk-width-container">${languages}${back}<main class="govuk-main-wrapper" id="main-content"><div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${options.main}</div></div></main></div><footer class="govuk-footer"><div class="govuk-width-container"></div></footer>${script}</body></html>`;
}
