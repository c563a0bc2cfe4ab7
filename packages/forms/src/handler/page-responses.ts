import type { LocalizedText } from '@civicblocks/core';
import { escapeHtml } from '@civicblocks/core';
import type { FieldError } from '../components/field-error.js';
import type { PostedForm } from '../components/posted-form.js';
import type { FormLocale } from '../definition/form-definition.js';
import {
  type InterfaceTextKey,
  type InterfaceTextOverrides,
  textFor,
} from '../i18n/form-messages.js';
import {
  inputsForRoute,
  type JourneyRoute,
  previousRoute,
  routePath,
} from '../journey/form-journey.js';
import { renderDocument, renderFormPage } from '../render/page-html.js';
import type { CompiledForm, FormAnswers } from '../validation/compiled-form.js';

/** What every page of one handler shares. */
export interface PageSettings {
  readonly form: CompiledForm<unknown>;
  readonly basePath: string;
  readonly stylesheetHref: string;
  readonly scriptHref?: string;
  readonly serviceName?: string | LocalizedText;
  readonly texts?: InterfaceTextOverrides;
}

/** Extra parts of a form page response. */
export interface FormPageExtras {
  readonly errors?: readonly FieldError[];
  readonly inputs?: PostedForm;
  readonly change?: boolean;
  readonly reference?: string;
  readonly cookies?: readonly string[];
}

const securityHeaders = (nonce: string): Headers =>
  new Headers({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`,
  });

/** The HTML pages of one handler: form pages, refusals, not found, problems. */
export interface PageResponder {
  formPage(
    url: URL,
    locale: FormLocale,
    route: JourneyRoute,
    answers: FormAnswers,
    status: number,
    extras?: FormPageExtras,
  ): Response;
  /** A page with a heading, a paragraph and a link back, in the citizen's language. */
  message(
    locale: FormLocale,
    status: number,
    heading: InterfaceTextKey,
    body: InterfaceTextKey | undefined,
    backHref: string | undefined,
    extraHtml?: string,
    headers?: Readonly<Record<string, string>>,
    cookies?: readonly string[],
  ): Response;
  redirect(location: string, cookies?: readonly string[]): Response;
}

/** Creates the page builder of one handler. */
export function createPageResponder(settings: PageSettings): PageResponder {
  const { form, basePath } = settings;
  const serviceNameIn = (locale: FormLocale): string => {
    const name = settings.serviceName;
    if (name === undefined) return form.definition.title[locale];
    return typeof name === 'string' ? name : name[locale];
  };
  const document = (
    locale: FormLocale,
    title: string,
    main: string,
    nonce: string,
    extra: {
      backHref?: string;
      languages?: { locale: FormLocale; href: string; label: string }[];
    } = {},
  ): string =>
    renderDocument({
      locale,
      title,
      main,
      stylesheetHref: settings.stylesheetHref,
      ...(settings.scriptHref === undefined ? {} : { scriptHref: settings.scriptHref }),
      nonce,
      serviceName: serviceNameIn(locale),
      serviceHref: basePath === '' ? '/' : basePath,
      ...(settings.texts === undefined ? {} : { texts: settings.texts }),
      ...(extra.backHref === undefined ? {} : { backHref: extra.backHref }),
      ...(extra.languages === undefined ? {} : { languages: extra.languages }),
    });
  const newNonce = (): string => crypto.randomUUID().replace(/-/g, '');

  return {
    formPage(url, locale, route, answers, status, extras = {}) {
      const nonce = newNonce();
      const change = extras.change === true;
      const page = renderFormPage(form, {
        route,
        answers,
        locale,
        basePath,
        change,
        inputs: extras.inputs ?? inputsForRoute(form, answers, route),
        errors: extras.errors ?? [],
        ...(extras.reference === undefined ? {} : { reference: extras.reference }),
        ...(settings.texts === undefined ? {} : { texts: settings.texts }),
      });
      const back =
        route.kind === 'confirmation'
          ? undefined
          : change && route.kind !== 'checkAnswers'
            ? `${basePath}/check-answers`
            : (() => {
                const previous = previousRoute(form, answers, route);
                return previous === undefined ? undefined : `${basePath}/${routePath(previous)}`;
              })();
      const html = document(locale, page.title, page.main, nonce, {
        ...(back === undefined ? {} : { backHref: back }),
        languages: form.definition.languages
          .filter((language) => language !== locale)
          .map((language) => ({
            locale: language,
            href: `${url.pathname}?lang=${language}`,
            label: language === 'vi' ? 'Tiếng Việt' : 'English',
          })),
      });
      const headers = securityHeaders(nonce);
      for (const value of extras.cookies ?? []) headers.append('set-cookie', value);
      return new Response(html, { status, headers });
    },
    message(
      locale,
      status,
      heading,
      body,
      backHref,
      extraHtml = '',
      extraHeaders = {},
      cookies = [],
    ) {
      const nonce = newNonce();
      const title = textFor(heading, locale, settings.texts);
      const paragraph =
        body === undefined
          ? ''
          : `<p class="govuk-body">${escapeHtml(textFor(body, locale, settings.texts))}</p>`;
      const link =
        backHref === undefined
          ? ''
          : `<p class="govuk-body"><a class="govuk-link" href="${escapeHtml(backHref)}">${escapeHtml(textFor('returnToForm', locale, settings.texts))}</a></p>`;
      const html = document(
        locale,
        title,
        `<h1 class="govuk-heading-l">${escapeHtml(title)}</h1>${paragraph}${extraHtml}${link}`,
        nonce,
      );
      const headers = securityHeaders(nonce);
      for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
      for (const value of cookies) headers.append('set-cookie', value);
      return new Response(html, { status, headers });
    },
    redirect(location, cookies = []) {
      const headers = new Headers({ location, 'cache-control': 'no-store' });
      for (const value of cookies) headers.append('set-cookie', value);
      return new Response(null, { status: 303, headers });
    },
  };
}
