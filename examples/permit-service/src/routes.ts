import { CivicError, negotiateLocale, userMessageOf } from '@civicblocks/core';
import type { FormLocale } from '@civicblocks/forms';
import type { RelyingParty } from '@civicblocks/identity';
import type { DevPersona } from '@civicblocks/identity/dev-provider';
import type { ApplicationStore } from './applications.js';
import { createAssetHandler } from './assets.js';
import {
  answersCookie,
  cookieOf,
  languageCookie,
  redirect,
  sessionCookie,
  setCookie,
  withCookies,
} from './cookies.js';
import {
  confirmationPage,
  devSignInPage,
  notFoundPage,
  serviceProblemPage,
  signedOutPage,
  signInFailedPage,
  startPage,
} from './pages.js';
import type { Session, SessionStore } from './sessions.js';

/** Where the form is mounted. */
export const formBasePath = '/apply';
/** How long a sign-in lasts. */
export const sessionLifetimeSeconds = 2 * 3600;

/** What the routes use, made once at start-up. */
export interface RouteDependencies {
  readonly relyingParty: RelyingParty;
  /** The dev provider's test people, offered on the sign-in page. */
  readonly personas: readonly DevPersona[];
  readonly sessions: SessionStore;
  readonly applications: ApplicationStore;
  readonly handleForm: (request: Request) => Promise<Response>;
  /** Links each request handed to the form handler to the signed-in citizen's session (read in `onSubmit`). */
  readonly sessionOfRequest: WeakMap<Request, Session>;
  readonly secure: boolean;
  readonly log: (line: string) => void;
}

/**
 * The service's routes: assets, the start and sign-in pages, the identity
 * callbacks, sign-out, and the form (for signed-in citizens only).
 *
 * @example
 * ```ts
 * const handle = createRoutes({ relyingParty, personas, sessions, applications, handleForm, sessionOfRequest, secure: false, log });
 * const response = await handle(new Request('http://127.0.0.1:3000/'));
 * ```
 */
export function createRoutes(
  dependencies: RouteDependencies,
): (request: Request) => Promise<Response> {
  const {
    relyingParty,
    personas,
    sessions,
    applications,
    handleForm,
    sessionOfRequest,
    secure,
    log,
  } = dependencies;
  const clearAnswers = setCookie(answersCookie, '', {
    path: formBasePath,
    maxAgeSeconds: 0,
    secure,
  });
  const assets = createAssetHandler();

  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const asset = await assets(url.pathname);
    if (asset !== undefined) return asset;

    // The language: ?lang= (remembered), then the cookie, then Accept-Language.
    const asked = url.searchParams.get('lang');
    const chosen = asked === 'vi' || asked === 'en' ? asked : undefined;
    const remembered = cookieOf(request, languageCookie);
    const locale: FormLocale =
      chosen ??
      (remembered === 'vi' || remembered === 'en'
        ? remembered
        : negotiateLocale(request.headers.get('accept-language'), ['vi', 'en'], 'vi'));
    const languageCookies =
      chosen === undefined
        ? []
        : [setCookie(languageCookie, chosen, { maxAgeSeconds: 31_536_000, secure })];

    const token = cookieOf(request, sessionCookie);
    const session = token === undefined ? undefined : await sessions.get(token);
    const path = url.pathname;
    const isGet = request.method === 'GET' || request.method === 'HEAD';

    const respond = async (): Promise<Response> => {
      if (path === '/' && isGet) return startPage(locale, session);
      if (path === '/sign-in' && isGet) {
        return session === undefined ? devSignInPage(locale, personas) : redirect('/');
      }
      if (path === '/auth/login' && isGet) return relyingParty.handleLogin(request);
      if (path === '/auth/callback' && isGet) {
        return relyingParty.handleCallback(request, {
          onSignedIn: async (identity, { returnTo }) => {
            const newToken = await sessions.create(identity);
            return redirect(returnTo, [
              setCookie(sessionCookie, newToken, {
                maxAgeSeconds: sessionLifetimeSeconds,
                secure,
              }),
              clearAnswers,
            ]);
          },
          onError: (error) =>
            signInFailedPage(
              locale,
              userMessageOf(error, locale),
              // The provider failing is a 502 (try again later); a refused sign-in is a 400.
              error.isRetryable ||
                error.code === 'IDENTITY_PROVIDER_REQUEST_FAILED' ||
                error.code === 'IDENTITY_DISCOVERY_FAILED'
                ? 502
                : 400,
            ),
        });
      }
      if (path === '/sign-out' && isGet) {
        const cleared = [setCookie(sessionCookie, '', { maxAgeSeconds: 0, secure }), clearAnswers];
        if (token === undefined || session === undefined) return redirect('/', cleared);
        await sessions.delete(token);
        // RP-initiated logout: the provider ends its session too, then returns to /signed-out.
        const logout = await relyingParty.handleLogout(
          request,
          session.idToken === undefined ? {} : { idTokenHint: session.idToken },
        );
        return withCookies(logout, cleared);
      }
      if (path === '/signed-out' && isGet) return signedOutPage(locale);
      if (path === formBasePath || path.startsWith(`${formBasePath}/`)) {
        if (session === undefined) return redirect('/sign-in');
        if (path === `${formBasePath}/confirmation` && isGet) {
          // The form handler sends the citizen here once their application is recorded (and again
          // for a repeated submit): the page shows the signed-in applicant's own latest reference.
          const application = await applications.latest(session);
          return application === undefined
            ? notFoundPage(locale, path)
            : confirmationPage(locale, path, application.reference);
        }
        const forForm = await formRequest(request, locale);
        sessionOfRequest.set(forForm, session);
        return handleForm(forForm);
      }
      return notFoundPage(locale, path);
    };

    try {
      return withCookies(await respond(), languageCookies);
    } catch (error) {
      // The error's name and code only: messages may carry more than a log should.
      const code = CivicError.isInstance(error) ? ` ${error.code}` : '';
      log(`permit-service: ${request.method} ${path} failed: ${nameOf(error)}${code}`);
      return serviceProblemPage(locale);
    }
  };
}

/**
 * The request the form handler sees: only its own answers cookie, and the
 * service's language as `Accept-Language`, so the form and the service's
 * own pages always speak the same language.
 */
async function formRequest(request: Request, locale: FormLocale): Promise<Request> {
  const headers = new Headers(request.headers);
  const answers = cookieOf(request, answersCookie);
  headers.delete('cookie');
  if (answers !== undefined) headers.set('cookie', `${answersCookie}=${answers}`);
  headers.set('accept-language', locale);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(request.url, {
    method: request.method,
    headers,
    ...(hasBody ? { body: await request.arrayBuffer() } : {}),
  });
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
