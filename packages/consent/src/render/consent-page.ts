import { escapeHtml } from '@civicblocks/core';
import type { ConsentNotice, NoticePurpose } from '../model/notice.js';
import { consentPageMessages, lawfulBasisText } from './consent-page-messages.js';
import { plainDuration, plainPlace } from './plain-duration.js';

const e = escapeHtml;

/**
 * What {@link renderConsentRequestPage} needs.
 *
 * @example
 * ```ts
 * const options: ConsentPageOptions = { notice, locale: 'vi', action: '/consent/benefit-updates', stylesheetHref: '/assets/govuk-frontend.min.css' };
 * ```
 */
export interface ConsentPageOptions {
  readonly notice: ConsentNotice;
  readonly locale: 'vi' | 'en';
  /** Where the form posts to. */
  readonly action: string;
  /** The GOV.UK Frontend stylesheet. */
  readonly stylesheetHref: string;
  /** Purposes the citizen left unanswered on a previous submission. */
  readonly missing?: readonly string[];
  /** Choices to keep on re-display: purpose id to `'agree'` or `'disagree'`. */
  readonly choices?: Readonly<Record<string, 'agree' | 'disagree'>>;
  /** Extra hidden fields (a CSRF token, for example). */
  readonly hiddenFields?: Readonly<Record<string, string>>;
  /** Links to the page in the other language. */
  readonly languages?: readonly {
    readonly locale: 'vi' | 'en';
    readonly href: string;
    readonly label: string;
  }[];
  /** Script nonce for a strict Content-Security-Policy. */
  readonly nonce?: string;
}

/**
 * A rendered page: the `<title>`, the HTML inside `<main>`, and the whole document.
 *
 * @example
 * ```ts
 * const page: ConsentPage = renderConsentRequestPage(options);
 * return new Response(page.html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
 * ```
 */
export interface ConsentPage {
  readonly title: string;
  readonly main: string;
  readonly html: string;
}

function purposeFieldset(
  purpose: NoticePurpose,
  options: ConsentPageOptions,
  translate: (key: never, values?: never) => string,
): string {
  const { notice, locale } = options;
  const t = translate as (key: string, values?: Record<string, string>) => string;
  const name = `purpose-${purpose.id}`;
  const missing = options.missing?.includes(purpose.id) ?? false;
  const chosen = options.choices?.[purpose.id];
  const categories = purpose.dataCategories
    .map((id) => notice.dataCategories.find((category) => category.id === id))
    .filter((category) => category !== undefined)
    .map(
      (category) =>
        `<li>${e(category.title[locale])}${category.sensitive ? ` <strong class="govuk-tag govuk-tag--orange">${t('sensitive')}</strong>` : ''}</li>`,
    )
    .join('');
  const recipients = purpose.recipients
    .map((id) => notice.recipients.find((recipient) => recipient.id === id))
    .filter((recipient) => recipient !== undefined)
    .map((recipient) => `<li>${e(recipient.name[locale])}</li>`)
    .join('');
  const hint = `${name}-hint`;
  const error = `${name}-error`;
  const radio = (value: 'agree' | 'disagree', index: number): string =>
    `<div class="govuk-radios__item"><input class="govuk-radios__input" id="${name}${index === 0 ? '' : `-${index}`}" name="${name}" type="radio" value="${value}"${chosen === value ? ' checked' : ''}><label class="govuk-label govuk-radios__label" for="${name}${index === 0 ? '' : `-${index}`}">${t(value)}</label></div>`;
  return `<div class="govuk-form-group${missing ? ' govuk-form-group--error' : ''}"><fieldset class="govuk-fieldset" aria-describedby="${hint}${missing ? ` ${error}` : ''}"><legend class="govuk-fieldset__legend govuk-fieldset__legend--m"><h2 class="govuk-fieldset__heading">${e(purpose.title[locale])}</h2></legend><div id="${hint}" class="govuk-hint"><p class="govuk-body">${e(purpose.description[locale])}</p><p class="govuk-body govuk-!-margin-bottom-1">${t('dataUsed')}:</p><ul class="govuk-list govuk-list--bullet">${categories}</ul><p class="govuk-body govuk-!-margin-bottom-1">${t('sharedWith')}:</p>${recipients === '' ? `<p class="govuk-body">${t('sharedWithNobody')}</p>` : `<ul class="govuk-list govuk-list--bullet">${recipients}</ul>`}</div>${missing ? `<p id="${error}" class="govuk-error-message"><span class="govuk-visually-hidden">${t('errorPrefix')}</span> ${t('chooseOne', { purpose: purpose.title[locale] })}</p>` : ''}<div class="govuk-radios" data-module="govuk-radios">${radio('agree', 0)}${radio('disagree', 1)}</div></fieldset></div>`;
}

/**
 * Renders the page that asks a citizen for consent, in GOV.UK Frontend
 * markup: who asks, how to withdraw (stated first, before any choice), then
 * for each purpose what it is for, the data it uses (sensitive data marked),
 * who receives it, and a separate "agree" and "do not agree" with neither
 * preselected — silence is not consent. The details (lawful basis,
 * retention, storage, validity) and the full notice follow. Vietnamese and
 * English; every value is HTML-escaped; works without JavaScript.
 *
 * Read the posted form with {@link readConsentChoices}.
 *
 * @example
 * ```ts
 * import { renderConsentRequestPage } from '@civicblocks/consent';
 *
 * const page = renderConsentRequestPage({ notice, locale: 'vi', action: '/consent/benefit-updates', stylesheetHref: '/assets/govuk-frontend.min.css' });
 * return new Response(page.html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
 * ```
 */
export function renderConsentRequestPage(options: ConsentPageOptions): ConsentPage {
  const { notice, locale } = options;
  const catalogue = consentPageMessages();
  const t = (key: string, values?: Record<string, string>): string =>
    catalogue.translate(locale, key as never, values);
  const controller = notice.controller.name[locale];
  const heading = notice.title?.[locale] ?? t('heading', { controller });
  const missing = options.missing ?? [];
  const errorSummary =
    missing.length === 0
      ? ''
      : `<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">${t('errorTitle')}</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${notice.purposes
          .filter((purpose) => missing.includes(purpose.id))
          .map(
            (purpose) =>
              `<li><a href="#purpose-${e(purpose.id)}">${t('chooseOne', { purpose: purpose.title[locale] })}</a></li>`,
          )
          .join('')}</ul></div></div></div>`;
  const withdrawal = `<div class="govuk-inset-text"><h2 class="govuk-heading-s">${t('withdrawHeading')}</h2><p class="govuk-body">${e(notice.withdrawal[locale])}</p>${notice.withdrawalUrl === undefined ? '' : `<p class="govuk-body"><a class="govuk-link" href="${e(notice.withdrawalUrl)}">${t('withdrawLink')}</a></p>`}</div>`;
  const lawfulBases = [...new Set(notice.purposes.map((purpose) => purpose.lawfulBasis))]
    .map((basis) => lawfulBasisText[locale][basis])
    .join(', ');
  const row = (key: string, value: string): string =>
    `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${t(key)}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`;
  const details = `<h2 class="govuk-heading-m">${t('details')}</h2><dl class="govuk-summary-list">${row('controller', e(controller))}${row('lawfulBasis', e(lawfulBases))}${row('retention', e(notice.retention.description[locale]))}${row('storage', e(plainPlace(notice.storageLocation, locale)))}${notice.validity === undefined ? '' : row('validity', e(plainDuration(notice.validity, locale)))}</dl><p class="govuk-body"><a class="govuk-link" href="${e(notice.policyUrl)}">${t('policy')}</a></p>`;
  const hidden = Object.entries(options.hiddenFields ?? {})
    .map(([name, value]) => `<input type="hidden" name="${e(name)}" value="${e(value)}">`)
    .join('');
  const main = `${errorSummary}<h1 class="govuk-heading-l">${e(heading)}</h1><p class="govuk-body">${t('intro')}</p>${withdrawal}<form method="post" action="${e(options.action)}" novalidate>${hidden}<input type="hidden" name="notice" value="${e(notice.id)}"><input type="hidden" name="version" value="${notice.version}">${notice.purposes.map((purpose) => purposeFieldset(purpose, options, t as never)).join('')}<p class="govuk-body">${t('proxyNote')}</p><button type="submit" class="govuk-button" data-module="govuk-button">${t('submit')}</button></form>${details}`;
  const title = `${missing.length === 0 ? '' : `${t('errorPrefix')} `}${heading}`;
  const languages =
    options.languages === undefined || options.languages.length === 0
      ? ''
      : `<nav class="govuk-!-margin-top-3" aria-label="Language / Ngôn ngữ"><ul class="govuk-list">${options.languages
          .map(
            (language) =>
              `<li><a class="govuk-link" href="${e(language.href)}" hreflang="${language.locale}" lang="${language.locale}">${e(language.label)}</a></li>`,
          )
          .join('')}</ul></nav>`;
  const nonce = options.nonce === undefined ? '' : ` nonce="${e(options.nonce)}"`;
  const skip = locale === 'vi' ? 'Chuyển đến nội dung chính' : 'Skip to main content';
  const html = `<!DOCTYPE html><html lang="${locale}" class="govuk-template govuk-template--rebranded"><head><meta charset="utf-8"><title>${e(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"><link rel="stylesheet" href="${e(options.stylesheetHref)}"></head><body class="govuk-template__body"><script${nonce}>document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');</script><a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">${skip}</a><div class="govuk-width-container">${languages}<main class="govuk-main-wrapper" id="main-content"><div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${main}</div></div></main></div><footer class="govuk-footer"><div class="govuk-width-container"></div></footer></body></html>`;
  return { title, main, html };
}

/**
 * The citizen's choices from the posted consent page: purposes agreed to,
 * purposes refused, and purposes left unanswered (show the page again with
 * `missing`; record nothing until every purpose is answered).
 *
 * @example
 * ```ts
 * const choices = readConsentChoices(notice, new URLSearchParams(await request.text()));
 * if (choices.missing.length > 0) return renderAgain(choices);
 * if (choices.agreed.length > 0) await consent.give({ subject, notice, purposes: choices.agreed, method: 'web-form' }, { idempotencyKey });
 * if (choices.refused.length > 0) await consent.refuse({ subject, notice, purposes: choices.refused, method: 'web-form' });
 * ```
 */
export function readConsentChoices(
  notice: ConsentNotice,
  form: URLSearchParams,
): {
  agreed: string[];
  refused: string[];
  missing: string[];
  choices: Record<string, 'agree' | 'disagree'>;
} {
  const agreed: string[] = [];
  const refused: string[] = [];
  const missing: string[] = [];
  const choices: Record<string, 'agree' | 'disagree'> = {};
  for (const purpose of notice.purposes) {
    const values = form.getAll(`purpose-${purpose.id}`);
    if (values.length === 1 && values[0] === 'agree') {
      agreed.push(purpose.id);
      choices[purpose.id] = 'agree';
    } else if (values.length === 1 && values[0] === 'disagree') {
      refused.push(purpose.id);
      choices[purpose.id] = 'disagree';
    } else {
      missing.push(purpose.id);
    }
  }
  return { agreed, refused, missing, choices };
}
