import { escapeHtml } from '@civicblocks/core';
import { type FormLocale, renderDocument } from '@civicblocks/forms';
import type { DevPersona } from '@civicblocks/identity/dev-provider';
import { messages } from './messages.js';
import type { Session } from './sessions.js';

/** Where the GOV.UK Frontend files are served (see `assets.ts`). */
export const stylesheetHref = '/assets/govuk-frontend.min.css';
export const scriptHref = '/assets/govuk-frontend.min.js';

type MessageKey = Parameters<typeof messages.translate>[1];
const t = (locale: FormLocale, key: MessageKey): string => messages.translate(locale, key);
const plain = (locale: FormLocale, key: MessageKey): string =>
  messages.translatePlainText(locale, key);

/** Security headers of every HTML page, with a fresh CSP nonce for its inline scripts. */
export function htmlHeaders(nonce: string): Headers {
  return new Headers({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`,
  });
}

/** A whole page of the service: GOV.UK template, language switch, the given `main`. */
export function pageResponse(
  locale: FormLocale,
  path: string,
  title: string,
  main: string,
  status = 200,
): Response {
  const nonce = crypto.randomUUID().replace(/-/g, '');
  const other: FormLocale = locale === 'vi' ? 'en' : 'vi';
  const service = plain(locale, 'serviceName');
  const html = renderDocument({
    locale,
    title: title === service ? service : `${title} - ${service}`,
    main,
    stylesheetHref,
    scriptHref,
    nonce,
    serviceName: service,
    serviceHref: '/',
    languages: [
      {
        locale: other,
        href: `${path}${path.includes('?') ? '&' : '?'}lang=${other}`,
        label: other === 'vi' ? 'Tiếng Việt' : 'English',
      },
    ],
  });
  return new Response(html, { status, headers: htmlHeaders(nonce) });
}

const signOutLink = (locale: FormLocale): string =>
  `<p class="govuk-body"><a class="govuk-link" href="/sign-out">${t(locale, 'signOut')}</a></p>`;

/** The start page: what the service is, then "Sign in" or, once signed in, the verified name and "Start now". */
export function startPage(locale: FormLocale, session: Session | undefined): Response {
  const needs = ['needsAccount', 'needsPhone', 'needsFoodCertificate'] as const;
  const intro = `<h1 class="govuk-heading-l">${t(locale, 'serviceName')}</h1>
<p class="govuk-body">${t(locale, 'startIntro')}</p>
<p class="govuk-body">${t(locale, 'startNeeds')}</p>
<ul class="govuk-list govuk-list--bullet">${needs.map((key) => `<li>${t(locale, key)}</li>`).join('')}</ul>
<p class="govuk-body">${t(locale, 'startTime')}</p>`;
  const action =
    session === undefined
      ? `<a href="/sign-in" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">${t(locale, 'signInToStart')}</a>`
      : `<h2 class="govuk-heading-m">${t(locale, 'yourDetails')}</h2>
<dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${t(locale, 'fullName')}</dt><dd class="govuk-summary-list__value">${escapeHtml(session.fullName)}</dd></div></dl>
<p class="govuk-body">${t(locale, 'detailsFromIdentity')}</p>
<a href="/apply" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">${t(locale, 'startNow')}</a>
${signOutLink(locale)}`;
  return pageResponse(locale, '/', plain(locale, 'serviceName'), `${intro}${action}`);
}

// Levels of assurance as the citizen reads them.
const levelNames: Readonly<Record<FormLocale, Readonly<Record<string, string>>>> = {
  vi: { none: 'không', low: 'thấp', substantial: 'đáng kể', medium: 'trung bình', high: 'cao' },
  en: { none: 'none', low: 'low', substantial: 'substantial', medium: 'medium', high: 'high' },
};

/**
 * The development sign-in page: the dev identity provider signs in whoever
 * `login_hint` names, so the service lets the tester choose a persona.
 */
export function devSignInPage(locale: FormLocale, personas: readonly DevPersona[]): Response {
  const items = personas
    .map((persona) => {
      const href = `/auth/login?login_hint=${encodeURIComponent(persona.id)}&returnTo=%2F&locale=${locale}`;
      const assurance = messages.translate(locale, 'assuranceOf', {
        authentication: levelNames[locale][persona.assurance.authentication] ?? '',
        identity: levelNames[locale][persona.assurance.identity] ?? '',
      });
      return `<li><a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(persona.name)}</a> <span class="govuk-hint govuk-!-display-inline">(${assurance})</span></li>`;
    })
    .join('');
  return pageResponse(
    locale,
    '/sign-in',
    plain(locale, 'chooseTestPerson'),
    `<h1 class="govuk-heading-l">${t(locale, 'chooseTestPerson')}</h1>
<div class="govuk-inset-text">${t(locale, 'devProviderExplained')}</div>
<ul class="govuk-list">${items}</ul>`,
  );
}

/** After RP-initiated logout the provider sends the citizen here. */
export function signedOutPage(locale: FormLocale): Response {
  return pageResponse(
    locale,
    '/signed-out',
    plain(locale, 'signedOut'),
    `<h1 class="govuk-heading-l">${t(locale, 'signedOut')}</h1>
<p class="govuk-body">${t(locale, 'signedOutBody')}</p>
<p class="govuk-body"><a class="govuk-link" href="/">${t(locale, 'backToStart')}</a></p>`,
  );
}

/** A refused sign-in, with the error's message for citizens (never its details). */
export function signInFailedPage(
  locale: FormLocale,
  userMessage: string,
  status: number,
): Response {
  return pageResponse(
    locale,
    '/sign-in',
    plain(locale, 'signInFailed'),
    `<h1 class="govuk-heading-l">${t(locale, 'signInFailed')}</h1>
<p class="govuk-body">${escapeHtml(userMessage)}</p>
<p class="govuk-body"><a class="govuk-link" href="/sign-in">${t(locale, 'tryAgain')}</a></p>`,
    status,
  );
}

/** The confirmation page, shown only to the applicant whose reference it is. */
export function confirmationPage(locale: FormLocale, path: string, reference: string): Response {
  return pageResponse(
    locale,
    path,
    plain(locale, 'applicationSent'),
    `<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">${t(locale, 'applicationSent')}</h1><div class="govuk-panel__body">${t(locale, 'yourReference')}<br><strong>${escapeHtml(reference)}</strong></div></div>
<h2 class="govuk-heading-m">${t(locale, 'whatHappensNext')}</h2>
<p class="govuk-body">${t(locale, 'nextSteps')}</p>
${signOutLink(locale)}`,
  );
}

/** 404. */
export function notFoundPage(locale: FormLocale, path: string): Response {
  return pageResponse(
    locale,
    path,
    plain(locale, 'pageNotFound'),
    `<h1 class="govuk-heading-l">${t(locale, 'pageNotFound')}</h1><p class="govuk-body">${t(locale, 'pageNotFoundBody')}</p>`,
    404,
  );
}

/** 500, with nothing about the failure itself. */
export function serviceProblemPage(locale: FormLocale): Response {
  return pageResponse(
    locale,
    '/',
    plain(locale, 'serviceProblem'),
    `<h1 class="govuk-heading-l">${t(locale, 'serviceProblem')}</h1><p class="govuk-body">${t(locale, 'serviceProblemBody')}</p>`,
    500,
  );
}
