import type { IdentityError } from '../errors/identity-error.js';
import { asIdentityError, defaultErrorReport, errorPage } from './error-page.js';
import type { Logout } from './logout.js';
import type {
  CallbackHandlerOptions,
  HandlerOptions,
  LoginResult,
  LoginStart,
  StartLoginOptions,
} from './relying-party-options.js';
import type { RelyingPartySettings } from './settings.js';

/** The Web-standard handlers of a relying party. */
export interface Handlers {
  handleLogin(request: Request, options?: HandlerOptions): Promise<Response>;
  handleCallback(request: Request, options?: CallbackHandlerOptions): Promise<Response>;
  handleLogout(
    request: Request,
    options?: HandlerOptions & { readonly idTokenHint?: string },
  ): Promise<Response>;
}

/**
 * Builds `handleLogin`, `handleCallback` and `handleLogout` from the
 * lower-level functions: every failure is reported (`onError` of the
 * relying party) and answered with the handler's `onError` response or the
 * default page.
 */
export function createHandlers(
  settings: RelyingPartySettings,
  parts: {
    readonly startLogin: (options?: StartLoginOptions) => Promise<LoginStart>;
    readonly finishLogin: (input: {
      readonly url: string | URL;
      readonly cookie: string | null;
    }) => Promise<LoginResult>;
    readonly logout: Logout;
  },
): Handlers {
  const report = settings.options.onError ?? defaultErrorReport;
  const fail = async (
    caught: unknown,
    request: Request,
    render: ((error: IdentityError, request: Request) => Response | Promise<Response>) | undefined,
  ): Promise<Response> => {
    const error = asIdentityError(caught);
    try {
      report(error, request);
    } catch {
      // a failing reporter must not turn a refusal into a crash
    }
    return render === undefined ? errorPage(error, request) : render(error, request);
  };

  return {
    async handleLogin(request, handlerOptions = {}) {
      const url = new URL(request.url);
      try {
        const returnTo = url.searchParams.get('returnTo');
        const locale = url.searchParams.get('locale');
        // passed through to the provider: the dev provider picks its persona with it
        const loginHint = url.searchParams.get('login_hint');
        const start = await parts.startLogin({
          ...(returnTo === null ? {} : { returnTo }),
          ...(locale === null ? {} : { locale }),
          ...(loginHint === null ? {} : { loginHint }),
        });
        return new Response(null, {
          status: 303,
          headers: {
            location: start.authorizationUrl.href,
            'set-cookie': start.setCookie,
            'cache-control': 'no-store',
          },
        });
      } catch (error) {
        return fail(error, request, handlerOptions.onError);
      }
    },
    async handleCallback(request, handlerOptions = {}) {
      let result: LoginResult;
      try {
        result = await parts.finishLogin({
          url: request.url,
          cookie: request.headers.get('cookie'),
        });
      } catch (error) {
        const response = await fail(error, request, handlerOptions.onError);
        const copy = new Response(response.body, response);
        copy.headers.append('set-cookie', settings.clearCookie);
        return copy;
      }
      const response =
        handlerOptions.onSignedIn === undefined
          ? new Response(null, { status: 303, headers: { location: result.returnTo } })
          : await handlerOptions.onSignedIn(result.identity, {
              returnTo: result.returnTo,
              request,
            });
      const copy = new Response(response.body, response);
      copy.headers.append('set-cookie', result.setCookie);
      copy.headers.set('cache-control', 'no-store');
      return copy;
    },
    async handleLogout(request, handlerOptions = {}) {
      try {
        const location = await parts.logout.logoutUrl(
          handlerOptions.idTokenHint === undefined
            ? {}
            : { idTokenHint: handlerOptions.idTokenHint },
        );
        return new Response(null, {
          status: 303,
          headers: { location: location.href, 'cache-control': 'no-store' },
        });
      } catch (error) {
        return fail(error, request, handlerOptions.onError);
      }
    },
  };
}
