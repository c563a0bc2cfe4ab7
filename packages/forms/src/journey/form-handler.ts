import { escapeHtml, readLimitedBody } from '@civicblocks/core';
import { isQuestion, type PostedForm, type UploadedFile } from '../components/component-kit.js';
import type { FormLocale } from '../definition/form-definition.js';
import { FormsError } from '../errors/forms-error.js';
import { interfaceText } from '../i18n/form-messages.js';
import { renderDocument, renderFormPage } from '../render/page-html.js';
import { type AnswerStore, createSessionId, isSessionId } from '../store/answer-store.js';
import type { CompiledForm, FormAnswers } from '../validation/compiled-form.js';
import { createAnswerSealer, resumeAnswers } from './answer-seal.js';
import {
  canVisit,
  firstIncompleteRoute,
  inputsForRoute,
  type JourneyRoute,
  parseRoutePath,
  previousRoute,
  routePath,
  submitPage,
} from './form-journey.js';

/**
 * Where uploaded files go. The handler calls `put` only for files that
 * passed the form's type, size and count checks; the returned id is stored
 * in the answer.
 *
 * @example
 * ```ts
 * const storage: FileStorage = { put: async (file) => { await bucket.write(file.name, file.bytes); return file.name; } };
 * ```
 */
export interface FileStorage {
  put(file: {
    readonly name: string;
    readonly type: string;
    readonly size: number;
    readonly bytes: Uint8Array;
  }): Promise<string>;
  /**
   * Removes a stored file. When given, the files a page stored are removed
   * again if storing a later one fails, so a failed page leaves nothing behind.
   */
  delete?(id: string): Promise<void>;
}

/**
 * Options of {@link createFormHandler}.
 *
 * @example
 * ```ts
 * const options: FormHandlerOptions = {
 *   form, basePath: '/register-birth', secret: configuration.formsSecret,
 *   stylesheetHref: '/assets/govuk-frontend.min.css', onSubmit: async (answers) => ({ reference: await save(answers) }),
 * };
 * ```
 */
export interface FormHandlerOptions {
  readonly form: CompiledForm;
  /** Where the form is mounted, without a trailing slash (`/apply`). */
  readonly basePath: string;
  /** At least 32 bytes; seals the answers cookie and save-and-resume links. */
  readonly secret: string | Uint8Array;
  readonly stylesheetHref: string;
  /** `govuk-frontend.min.js`; omit to serve pages without JavaScript. */
  readonly scriptHref?: string;
  readonly serviceName?: string;
  readonly defaultLocale?: FormLocale;
  /** Receives the valid, complete answers; returns the reference shown to the citizen. */
  readonly onSubmit: (
    answers: FormAnswers,
  ) => Promise<{ readonly reference?: string }> | { readonly reference?: string };
  /** Needed when the form has file questions. */
  readonly fileStorage?: FileStorage;
  /**
   * Told of an unexpected failure (storage, `onSubmit`, answer store) after
   * the citizen got a 500 page in their language. Default: one line on
   * stderr with the error's name and code, never its message (it may hold
   * what the citizen typed).
   */
  readonly onError?: (error: unknown, request: Request) => void;
  readonly cookieName?: string;
  /** Drop the `Secure` cookie attribute (only for plain-HTTP local testing). */
  readonly unsafeAllowHttpCookies?: boolean;
  /** Largest request body accepted; default 1 MB, or 20 MB with file questions. */
  readonly maxBodyBytes?: number;
  /** How long saved answers (a save-and-resume link) stay valid; default 30 days. */
  readonly maxAgeSeconds?: number;
  /** How long an unfinished session's cookie (and stored answers) last; default 1 day. */
  readonly sessionMaxAgeSeconds?: number;
  /**
   * Keep answers on the server: the cookie then holds only a random session
   * id, and save-and-resume links carry another one. Default: answers are
   * sealed into the cookie itself (about 4 KB at most).
   */
  readonly answerStore?: AnswerStore;
  readonly clock?: { now(): Date };
}

function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    cookies.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
  }
  return cookies;
}

/**
 * Creates a web-standard handler (`Request` in, `Response` out) that runs a
 * whole form: GET shows a page, POST reads it and moves on, answers live in
 * a sealed cookie (no server state) or, with `answerStore`, on the server
 * under a random session id, check your answers submits to
 * `onSubmit`, and `…/resume?token=` restores saved answers revalidated
 * against the current definition. Mount it in Hono, Fastify, Express or
 * Next.js under `basePath`.
 *
 * @example
 * ```ts
 * const handle = createFormHandler({ form, basePath: '/apply', secret, stylesheetHref: '/govuk.css', onSubmit });
 * const response = await handle(new Request('https://service.gov.vn/apply'));
 * ```
 */
export function createFormHandler(
  options: FormHandlerOptions,
): (request: Request) => Promise<Response> {
  const { form } = options;
  const basePath = options.basePath.replace(/\/+$/, '');
  const sealer = createAnswerSealer({
    secret: options.secret,
    ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const cookieName = options.cookieName ?? `forms-${form.definition.id}`;
  const store = options.answerStore;
  const clock = options.clock ?? { now: () => new Date() };
  const sessionMaxAge = options.sessionMaxAgeSeconds ?? 86_400;
  const savedMaxAge = options.maxAgeSeconds ?? 30 * 24 * 3600;
  const secondsFromNow = (seconds: number): Date =>
    new Date(clock.now().getTime() + seconds * 1000);
  const languageCookie = 'forms-lang';
  const languages = form.definition.languages;
  const hasFiles = form.definition.pages.some((page) =>
    page.components.some((component) => component.type === 'file'),
  );
  if (hasFiles && options.fileStorage === undefined) {
    throw new FormsError(
      'FORMS_INVALID_OPTION',
      'createFormHandler: the form has file questions, so fileStorage is required',
    );
  }
  const maxBodyBytes = options.maxBodyBytes ?? (hasFiles ? 20_000_000 : 1_000_000);
  const secure = options.unsafeAllowHttpCookies === true ? '' : '; Secure';

  const cookie = (name: string, value: string, maxAge: number): string =>
    `${name}=${value}; Path=${basePath === '' ? '/' : basePath}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;

  const localeOf = (request: Request, url: URL): { locale: FormLocale; setCookie?: string } => {
    const asked = url.searchParams.get('lang');
    if (asked === 'vi' || asked === 'en') {
      if (languages.includes(asked))
        return { locale: asked, setCookie: cookie(languageCookie, asked, 31_536_000) };
    }
    const stored = parseCookies(request.headers.get('cookie')).get(languageCookie);
    if ((stored === 'vi' || stored === 'en') && languages.includes(stored))
      return { locale: stored };
    const accept = request.headers.get('accept-language') ?? '';
    const preferred = /^\s*en\b/i.test(accept) ? 'en' : /^\s*vi\b/i.test(accept) ? 'vi' : undefined;
    if (preferred !== undefined && languages.includes(preferred)) return { locale: preferred };
    return { locale: options.defaultLocale ?? languages[0] ?? 'vi' };
  };

  const stamp = (answers: FormAnswers) => ({
    formId: form.definition.id,
    version: form.definition.version,
    answers,
  });

  /** Opens a cookie value or resume token; `undefined` when forged, unknown, expired or foreign. */
  const openSaved = async (value: string): Promise<Record<string, unknown> | undefined> => {
    try {
      const saved =
        store === undefined
          ? await sealer.open(value)
          : isSessionId(value)
            ? await store.get(value)
            : undefined;
      if (saved === undefined || saved.formId !== form.definition.id) return undefined;
      return resumeAnswers(form, saved).answers;
    } catch (error) {
      if (FormsError.isInstance(error)) return undefined;
      throw error;
    }
  };

  const loadAnswers = async (
    request: Request,
  ): Promise<{ answers: Record<string, unknown>; sessionId?: string }> => {
    const value = parseCookies(request.headers.get('cookie')).get(cookieName);
    if (value === undefined || value === '') return { answers: {} };
    const answers = await openSaved(value);
    if (answers === undefined) return { answers: {} };
    // A session id is kept only once the store has vouched for it, so a planted id is never adopted.
    return store === undefined ? { answers } : { answers, sessionId: value };
  };

  const saveCookie = async (answers: FormAnswers, sessionId?: string): Promise<string> => {
    if (store === undefined)
      return cookie(cookieName, await sealer.seal(stamp(answers)), sessionMaxAge);
    const id = sessionId ?? createSessionId();
    await store.put(id, { ...stamp(answers), expiresAt: secondsFromNow(sessionMaxAge) });
    return cookie(cookieName, id, sessionMaxAge);
  };

  const saveForLater = async (answers: FormAnswers): Promise<string> => {
    if (store === undefined) return sealer.seal(stamp(answers));
    const id = createSessionId();
    await store.put(id, { ...stamp(answers), expiresAt: secondsFromNow(savedMaxAge) });
    return id;
  };

  const headersFor = (nonce: string, extra: Record<string, string> = {}): Headers => {
    const headers = new Headers({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`,
      ...extra,
    });
    return headers;
  };

  const redirect = (location: string, cookies: readonly string[] = []): Response => {
    const headers = new Headers({ location, 'cache-control': 'no-store' });
    for (const value of cookies) headers.append('set-cookie', value);
    return new Response(null, { status: 303, headers });
  };

  const pageResponse = (
    request: Request,
    url: URL,
    locale: FormLocale,
    route: JourneyRoute,
    answers: FormAnswers,
    status: number,
    extra: {
      errors?: Parameters<typeof renderFormPage>[1]['errors'];
      inputs?: PostedForm;
      change?: boolean;
      reference?: string;
      cookies?: readonly string[];
    } = {},
  ): Response => {
    const nonce = crypto.randomUUID().replace(/-/g, '');
    const change = extra.change === true;
    const page = renderFormPage(form, {
      route,
      answers,
      locale,
      basePath,
      change,
      inputs: extra.inputs ?? inputsForRoute(form, answers, route),
      errors: extra.errors ?? [],
      ...(extra.reference === undefined ? {} : { reference: extra.reference }),
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
    const path = `${url.pathname}`;
    const html = renderDocument({
      locale,
      title: page.title,
      main: page.main,
      stylesheetHref: options.stylesheetHref,
      ...(options.scriptHref === undefined ? {} : { scriptHref: options.scriptHref }),
      nonce,
      serviceName: options.serviceName ?? form.definition.title[locale],
      serviceHref: basePath === '' ? '/' : basePath,
      ...(back === undefined ? {} : { backHref: back }),
      languages: languages
        .filter((language) => language !== locale)
        .map((language) => ({
          locale: language,
          href: `${path}?lang=${language}`,
          label: language === 'vi' ? 'Tiếng Việt' : 'English',
        })),
    });
    const headers = headersFor(nonce);
    for (const value of extra.cookies ?? []) headers.append('set-cookie', value);
    void request;
    return new Response(html, { status, headers });
  };

  const notFound = (locale: FormLocale): Response => {
    const nonce = crypto.randomUUID().replace(/-/g, '');
    const title = interfaceText.pageNotFound[locale];
    const html = renderDocument({
      locale,
      title,
      main: `<h1 class="govuk-heading-l">${escapeHtml(title)}</h1>`,
      stylesheetHref: options.stylesheetHref,
      nonce,
      serviceName: options.serviceName ?? form.definition.title[locale],
    });
    return new Response(html, { status: 404, headers: headersFor(nonce) });
  };

  /** Reads at most `maxBodyBytes`, whatever `content-length` claims (or when it is absent). */
  const readLimited = (request: Request): Promise<Uint8Array<ArrayBuffer>> =>
    readLimitedBody(
      request,
      maxBodyBytes,
      () => new FormsError('FORMS_INVALID_OPTION', 'request body is too large', { status: 413 }),
    );

  const readBody = async (
    request: Request,
  ): Promise<{ posted: Record<string, string | string[]>; files: Map<string, File[]> }> => {
    const bytes = await readLimited(request);
    const posted: Record<string, string | string[]> = {};
    const files = new Map<string, File[]>();
    const type = request.headers.get('content-type') ?? '';
    const add = (name: string, value: string): void => {
      const existing = posted[name];
      if (existing === undefined) posted[name] = value;
      else posted[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    };
    if (type.startsWith('multipart/form-data')) {
      const data = await new Response(bytes, { headers: { 'content-type': type } }).formData();
      for (const [name, value] of data.entries()) {
        if (typeof value === 'string') add(name, value);
        else files.set(name, [...(files.get(name) ?? []), value]);
      }
      return { posted, files };
    }
    for (const [name, value] of new URLSearchParams(new TextDecoder().decode(bytes)))
      add(name, value);
    return { posted, files };
  };

  const problem = (locale: FormLocale): Response => {
    const nonce = crypto.randomUUID().replace(/-/g, '');
    const text = interfaceText.serviceProblem[locale];
    const html = renderDocument({
      locale,
      title: text,
      main: `<h1 class="govuk-heading-l">${escapeHtml(text)}</h1>`,
      stylesheetHref: options.stylesheetHref,
      nonce,
      serviceName: options.serviceName ?? form.definition.title[locale],
    });
    return new Response(html, { status: 500, headers: headersFor(nonce) });
  };
  const reportError =
    options.onError ??
    ((error: unknown) => {
      const code = (error as { code?: unknown } | null)?.code;
      console.error(
        `@civicblocks/forms: request failed with ${error instanceof Error ? error.name : typeof error}${typeof code === 'string' ? ` ${code}` : ''}`,
      );
    });

  return async (request: Request): Promise<Response> => {
    try {
      return await handleRequest(request);
    } catch (error) {
      reportError(error, request);
      return problem(localeOf(request, new URL(request.url)).locale);
    }
  };

  async function handleRequest(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const { locale, setCookie } = localeOf(request, url);
    const languageCookies = setCookie === undefined ? [] : [setCookie];
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`))
      return notFound(locale);
    const path = url.pathname.slice(basePath.length).replace(/^\/+/, '');
    const { answers, sessionId } = await loadAnswers(request);

    if (request.method === 'GET' && path === '') {
      return redirect(
        `${basePath}/${routePath(firstIncompleteRoute(form, answers))}`,
        languageCookies,
      );
    }
    if (request.method === 'GET' && path === 'resume') {
      const resumed = await openSaved(url.searchParams.get('token') ?? '');
      if (resumed === undefined) {
        return redirect(
          `${basePath}/${routePath(firstIncompleteRoute(form, answers))}`,
          languageCookies,
        );
      }
      return redirect(`${basePath}/${routePath(firstIncompleteRoute(form, resumed))}`, [
        ...languageCookies,
        await saveCookie(resumed),
      ]);
    }
    if (request.method === 'GET' && path === 'save') {
      const token = await saveForLater(answers);
      const nonce = crypto.randomUUID().replace(/-/g, '');
      const link = `${url.origin}${basePath}/resume?token=${token}`;
      const heading = interfaceText.answersSaved[locale];
      const explanation = interfaceText.resumeLinkIntro[locale];
      const html = renderDocument({
        locale,
        title: heading,
        main: `<h1 class="govuk-heading-l">${escapeHtml(heading)}</h1><p class="govuk-body">${escapeHtml(explanation)}</p><p class="govuk-body"><a class="govuk-link" href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
        stylesheetHref: options.stylesheetHref,
        nonce,
        serviceName: options.serviceName ?? form.definition.title[locale],
      });
      return new Response(html, { status: 200, headers: headersFor(nonce) });
    }

    const route = parseRoutePath(form, path);
    if (route === undefined) return notFound(locale);
    const change = url.searchParams.get('change') === '1';

    if (request.method === 'GET') {
      if (route.kind === 'confirmation') {
        const reference = url.searchParams.get('reference') ?? undefined;
        return pageResponse(request, url, locale, route, {}, 200, {
          ...(reference === undefined ? {} : { reference: reference.slice(0, 64) }),
          cookies: languageCookies,
        });
      }
      if (!canVisit(form, answers, route)) {
        return redirect(
          `${basePath}/${routePath(firstIncompleteRoute(form, answers))}`,
          languageCookies,
        );
      }
      return pageResponse(request, url, locale, route, answers, 200, {
        change,
        cookies: languageCookies,
      });
    }

    if (request.method !== 'POST') {
      return new Response(null, { status: 405, headers: { allow: 'GET, POST' } });
    }
    if (route.kind === 'confirmation' || !canVisit(form, answers, route)) {
      return redirect(`${basePath}/${routePath(firstIncompleteRoute(form, answers))}`);
    }
    let body: Awaited<ReturnType<typeof readBody>>;
    try {
      body = await readBody(request);
    } catch (error) {
      if (FormsError.isInstance(error)) return new Response(null, { status: 413 });
      return new Response(null, { status: 400 });
    }
    const uploaded: Record<string, UploadedFile[]> = {};
    for (const [name, list] of body.files) {
      uploaded[name] = list.map((file) => ({ name: file.name, type: file.type, size: file.size }));
    }
    const step = submitPage(form, {
      route,
      posted: body.posted,
      files: uploaded,
      answers,
      locale,
      change,
    });
    if (step.kind === 'invalid') {
      return pageResponse(request, url, locale, route, step.answers, 400, {
        errors: step.errors,
        inputs: step.inputs,
        change,
      });
    }
    if (step.kind === 'complete') {
      const outcome = await options.onSubmit(step.answers);
      if (store !== undefined && sessionId !== undefined) await store.delete(sessionId);
      const reference =
        outcome.reference === undefined
          ? ''
          : `?reference=${encodeURIComponent(outcome.reference)}`;
      return redirect(`${basePath}/confirmation${reference}`, [cookie(cookieName, '', 0)]);
    }
    let nextAnswers: Record<string, unknown> = step.answers;
    if (
      body.files.size > 0 &&
      options.fileStorage !== undefined &&
      (route.kind === 'page' || route.kind === 'item')
    ) {
      nextAnswers = await storeFiles(form, route, nextAnswers, body.files, options.fileStorage);
    }
    const nextPath = `${basePath}/${routePath(step.route)}${change && step.route.kind !== 'checkAnswers' ? '?change=1' : ''}`;
    return redirect(nextPath, [await saveCookie(nextAnswers, sessionId)]);
  }
}

async function storeFiles(
  form: CompiledForm,
  route: Extract<JourneyRoute, { kind: 'page' | 'item' }>,
  answers: Record<string, unknown>,
  files: ReadonlyMap<string, File[]>,
  storage: FileStorage,
): Promise<Record<string, unknown>> {
  const page = form.page(route.pageId);
  const next = { ...answers };
  const target: Record<string, unknown> =
    route.kind === 'item' && Array.isArray(next[route.pageId])
      ? ((next[route.pageId] as Record<string, unknown>[])[route.index] ?? {})
      : next;
  const storedIds: string[] = [];
  try {
    for (const component of page.components) {
      if (!isQuestion(component) || component.type !== 'file') continue;
      const stored = target[component.id];
      const posted = files.get(component.id) ?? [];
      if (!Array.isArray(stored)) continue;
      const withIds: UploadedFile[] = [];
      for (const [index, file] of posted.filter((candidate) => candidate.size > 0).entries()) {
        const meta = stored[index] as UploadedFile | undefined;
        if (meta === undefined) continue;
        const id = await storage.put({
          name: meta.name,
          type: meta.type,
          size: meta.size,
          bytes: new Uint8Array(await file.arrayBuffer()),
        });
        storedIds.push(id);
        withIds.push({ ...meta, id });
      }
      target[component.id] = withIds;
    }
  } catch (error) {
    // best effort: the page failed, so none of its files may stay behind
    await Promise.allSettled(storedIds.map((id) => storage.delete?.(id)));
    throw error;
  }
  return next;
}
