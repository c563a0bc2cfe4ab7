import type { FormLocale } from '../definition/form-definition.js';
import { FormsError } from '../errors/forms-error.js';
import { textFor } from '../i18n/form-messages.js';
import { createAnswerSealer } from '../journey/answer-seal.js';
import {
  canVisit,
  firstIncompleteRoute,
  type JourneyRoute,
  parseRoutePath,
  routePath,
  submitPage,
} from '../journey/form-journey.js';
import { secretBytes } from '../seal/sealed-box.js';
import {
  createMemorySubmissionLedger,
  createSqlSubmissionLedger,
} from '../store/submission-ledger.js';
import { checkCookieCapacity, createAnswerStateKeeper, type LoadedState } from './answer-state.js';
import { defaultMaximumAnswerCookieBytes, defaultMaximumAnswerCookies } from './cookie-capacity.js';
import { cookieWriter, parseCookies } from './cookies.js';
import { storePageFiles, uploadedFiles } from './file-upload.js';
import type { FormHandlerOptions } from './handler-options.js';
import { chooseLanguage, languageCookieName } from './language-choice.js';
import { createPageResponder } from './page-responses.js';
import type { BodyRefusal } from './request-body.js';
import { readPostedBody } from './request-body.js';
import { createReceiptSealer, receiptMaxAgeSeconds } from './submission-receipt.js';

const refusals: Readonly<
  Record<
    BodyRefusal,
    {
      status: number;
      body: 'requestTooLarge' | 'requestMalformed' | 'requestUnsupported' | 'requestBadEncoding';
    }
  >
> = {
  tooLarge: { status: 413, body: 'requestTooLarge' },
  malformed: { status: 400, body: 'requestMalformed' },
  unsupportedType: { status: 415, body: 'requestUnsupported' },
  badEncoding: { status: 400, body: 'requestBadEncoding' },
};

/**
 * Creates a web-standard handler (`Request` in, `Response` out) that runs a
 * whole form under `basePath`: GET shows a page, POST reads it and moves on,
 * check your answers submits to `onSubmit` exactly once per citizen's
 * answers (crash-safe with `executor`), and the confirmation shows only the
 * reference the citizen's own browser was given. Answers live in sealed,
 * compressed cookies (refused at start-up when the longest valid answers
 * could not fit) or, with `answerStore`, on the server. Every refused
 * request (too large, malformed, not a form, bad encoding) gets a page in
 * the citizen's language with a link back. Mount it for `basePath` and
 * everything under it in Hono, Fastify, Express or Next.js.
 *
 * @throws {@link FormsError} `FORMS_INVALID_OPTION` for a short secret, file
 *   questions without `fileStorage`, or answers that cannot fit in cookies.
 * @example
 * ```ts
 * const handle = createFormHandler({
 *   form, basePath: '/apply', secret, stylesheetHref: '/assets/govuk-frontend.min.css', executor,
 *   onSubmit: async ({ answers, request, transaction }) => ({ reference: await save(answers, request, { transaction }) }),
 * });
 * const response = await handle(new Request('https://service.gov.vn/apply'));
 * ```
 */
export function createFormHandler<Answers>(
  options: FormHandlerOptions<Answers>,
): (request: Request) => Promise<Response> {
  const { form } = options;
  const basePath = options.basePath.replace(/\/+$/, '');
  const secret = secretBytes(options.secret, 'createFormHandler');
  const clock = options.clock ?? { now: () => new Date() };
  const now = (): Date => clock.now();
  const sessionMaxAge = options.sessionMaxAgeSeconds ?? 86_400;
  const savedMaxAge = options.maxAgeSeconds ?? 30 * 24 * 3600;
  const cookieName = options.cookieName ?? `forms-${form.definition.id}`;
  const receiptCookie = `${cookieName}-receipt`;
  const hasFiles = form.definition.pages.some((page) =>
    page.components.some((component) => component.type === 'file'),
  );
  if (hasFiles && options.fileStorage === undefined) {
    throw new FormsError(
      'FORMS_INVALID_OPTION',
      'createFormHandler: the form has file questions, so fileStorage is required',
    );
  }
  const maximumCookies = options.maxAnswerCookies ?? defaultMaximumAnswerCookies;
  if (options.answerStore === undefined) checkCookieCapacity(form, maximumCookies);
  const maxBodyBytes = options.maxBodyBytes ?? (hasFiles ? 20_000_000 : 1_000_000);
  const cookie = cookieWriter(
    basePath === '' ? '/' : basePath,
    options.unsafeAllowHttpCookies !== true,
  );
  const state = createAnswerStateKeeper({
    form,
    sealer: createAnswerSealer({ secret, maxAgeSeconds: savedMaxAge, clock }),
    secret,
    store: options.answerStore,
    cookieName,
    cookie,
    sessionMaxAgeSeconds: sessionMaxAge,
    savedMaxAgeSeconds: savedMaxAge,
    maximumCookies,
    maximumCookieBytes: options.maxAnswerCookieBytes ?? defaultMaximumAnswerCookieBytes,
    now,
  });
  // Short-lived, so the next person at a shared computer never sees the previous citizen's reference.
  const receiptMaxAge = Math.min(sessionMaxAge, receiptMaxAgeSeconds);
  const receipts = createReceiptSealer(secret, receiptMaxAge, now);
  const ledger =
    options.executor === undefined
      ? createMemorySubmissionLedger(sessionMaxAge, now)
      : createSqlSubmissionLedger(options.executor, form.definition.id, sessionMaxAge, clock);
  const pages = createPageResponder({
    form,
    basePath,
    stylesheetHref: options.stylesheetHref,
    ...(options.scriptHref === undefined ? {} : { scriptHref: options.scriptHref }),
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    ...(options.texts === undefined ? {} : { texts: options.texts }),
  });
  const reportError =
    options.onError ??
    ((error: unknown) => {
      const code = (error as { code?: unknown } | null)?.code;
      console.error(
        `@civicblocks/forms: request failed with ${error instanceof Error ? error.name : typeof error}${typeof code === 'string' ? ` ${code}` : ''}`,
      );
    });
  const pathOf = (route: JourneyRoute, change = false): string =>
    `${basePath}/${routePath(route)}${change && route.kind !== 'checkAnswers' ? '?change=1' : ''}`;

  /** Records the outcome in a receipt, forgets the answers, and shows the confirmation. */
  const finish = async (
    loaded: LoadedState,
    reference: string | undefined,
    extraCookies: readonly string[],
  ): Promise<Response> =>
    pages.redirect(`${basePath}/confirmation`, [
      ...extraCookies,
      ...(await state.clear(loaded)),
      cookie(receiptCookie, await receipts.seal(form.definition.id, reference), receiptMaxAge),
    ]);

  async function handleRequest(
    request: Request,
    url: URL,
    locale: FormLocale,
    languageCookies: readonly string[],
  ): Promise<Response> {
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`))
      return pages.message(locale, 404, 'pageNotFound', undefined, undefined);
    const path = url.pathname.slice(basePath.length).replace(/^\/+/, '');
    const cookies = parseCookies(request.headers.get('cookie'));
    const loaded = await state.load(cookies);
    const { answers } = loaded;
    const start = (): string => pathOf(firstIncompleteRoute(form, answers));
    if (
      loaded.unreadable === true &&
      !(request.method === 'GET' && (path === 'confirmation' || path === 'resume'))
    ) {
      // Never an empty form as if nothing had been given, never a post into state that is not the citizen's own.
      return pages.message(
        locale,
        400,
        'answersUnreadableTitle',
        'answersUnreadable',
        basePath === '' ? '/' : basePath,
        '',
        {},
        [...languageCookies, ...(await state.clear(loaded))],
      );
    }

    if (request.method === 'GET' && path === '') return pages.redirect(start(), languageCookies);
    if (request.method === 'GET' && path === 'resume') {
      const resumed = await state.open(url.searchParams.get('token') ?? '');
      if (resumed === undefined) return pages.redirect(start(), languageCookies);
      // The resumed answers keep the key they were saved with: submitted already, they show that confirmation.
      const saved = await state.save(
        resumed.submissionKey === undefined
          ? loaded
          : { ...loaded, submissionKey: resumed.submissionKey },
        resumed.answers,
      );
      return pages.redirect(pathOf(firstIncompleteRoute(form, resumed.answers)), [
        ...languageCookies,
        ...(saved ?? []),
      ]);
    }
    if (request.method === 'GET' && path === 'save') {
      const link = `${url.origin}${basePath}/resume?token=${await state.saveForLater(answers, loaded.submissionKey)}`;
      const escaped = link.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      return pages.message(
        locale,
        200,
        'answersSaved',
        'resumeLinkIntro',
        undefined,
        `<p class="govuk-body"><a class="govuk-link" href="${escaped}">${escaped}</a></p>`,
      );
    }

    const route = parseRoutePath(form, path);
    if (route === undefined)
      return pages.message(locale, 404, 'pageNotFound', undefined, undefined);
    const change = url.searchParams.get('change') === '1';

    if (request.method === 'GET') {
      if (route.kind === 'confirmation') {
        const reference = await receipts.open(form.definition.id, cookies.get(receiptCookie));
        if (reference === undefined) return pages.redirect(start(), languageCookies);
        return pages.formPage(url, locale, route, {}, 200, {
          ...(reference === null ? {} : { reference }),
          cookies: languageCookies,
        });
      }
      if (route.kind === 'checkAnswers' && Object.keys(answers).length > 0) {
        // A submit whose response never arrived: the citizen gets its reference back.
        const earlier = await ledger.find(loaded.submissionKey);
        if (earlier !== undefined) return finish(loaded, earlier.reference, languageCookies);
      }
      if (!canVisit(form, answers, route)) return pages.redirect(start(), languageCookies);
      return pages.formPage(url, locale, route, answers, 200, { change, cookies: languageCookies });
    }

    if (request.method !== 'POST') {
      return pages.message(locale, 405, 'methodNotAllowed', undefined, url.pathname, '', {
        allow: 'GET, POST',
      });
    }
    if (route.kind === 'confirmation' || !canVisit(form, answers, route)) {
      if (route.kind === 'checkAnswers') {
        const earlier = await ledger.find(loaded.submissionKey);
        if (earlier !== undefined) return finish(loaded, earlier.reference, []);
      }
      return pages.redirect(start());
    }
    const body = await readPostedBody(request, maxBodyBytes);
    if (body.kind === 'refused') {
      const refusal = refusals[body.reason];
      return pages.message(
        locale,
        refusal.status,
        'requestRefusedTitle',
        refusal.body,
        `${url.pathname}${url.search}`,
      );
    }
    const step = submitPage(form, {
      route,
      posted: body.posted,
      files: uploadedFiles(body.files),
      answers,
      locale,
      change,
    });
    if (step.kind === 'invalid') {
      return pages.formPage(url, locale, route, step.answers, 400, {
        errors: step.errors,
        inputs: step.inputs,
        change,
      });
    }
    if (step.kind === 'complete') {
      const outcome = await ledger.submit(loaded.submissionKey, async (transaction) =>
        options.onSubmit({
          answers: step.answers as Answers,
          request,
          locale,
          submissionKey: loaded.submissionKey,
          ...(transaction === undefined ? {} : { transaction }),
        }),
      );
      return finish(loaded, outcome.reference, []);
    }
    let nextAnswers: Record<string, unknown> = step.answers;
    if (
      body.files.size > 0 &&
      options.fileStorage !== undefined &&
      (route.kind === 'page' || route.kind === 'item')
    ) {
      nextAnswers = await storePageFiles(form, route, nextAnswers, body.files, options.fileStorage);
    }
    let kept: readonly string[] | undefined;
    let failed = false;
    try {
      kept = await state.save(loaded, nextAnswers);
    } catch (error) {
      failed = true;
      reportError(error, request);
    }
    if (kept === undefined) {
      const problem = failed ? 'answersNotKept' : 'answersTooLongToKeep';
      return pages.formPage(url, locale, route, answers, failed ? 503 : 413, {
        errors: [
          {
            field: '',
            href: '#main-content',
            inputs: [],
            code: 'invalid',
            message: {
              vi: textFor(problem, 'vi', options.texts),
              en: textFor(problem, 'en', options.texts),
            },
          },
        ],
        inputs: body.posted,
        change,
      });
    }
    return pages.redirect(pathOf(step.route, change), [...languageCookies, ...kept]);
  }

  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const language = chooseLanguage(
      url,
      parseCookies(request.headers.get('cookie')),
      request.headers.get('accept-language'),
      form.definition.languages,
      options.defaultLocale,
    );
    const languageCookies = language.remember
      ? [cookie(languageCookieName, language.locale, 31_536_000)]
      : [];
    try {
      return await handleRequest(request, url, language.locale, languageCookies);
    } catch (error) {
      reportError(error, request);
      return pages.message(language.locale, 500, 'serviceProblem', undefined, undefined);
    }
  };
}
