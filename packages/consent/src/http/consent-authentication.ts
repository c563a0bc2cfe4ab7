import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * What an authenticated caller of the consent service may do: `read`
 * (check, history, receipts) and `write` (give, refuse, withdraw).
 *
 * @example
 * ```ts
 * const scope: ConsentScope = 'read';
 * ```
 */
export type ConsentScope = 'read' | 'write';

/**
 * An authenticated caller: an agency or service, and its scopes.
 *
 * @example
 * ```ts
 * const caller: ConsentCaller = { id: 'tax-office', scopes: ['read'] };
 * ```
 */
export interface ConsentCaller {
  readonly id: string;
  readonly scopes: readonly ConsentScope[];
}

/**
 * An API key given to one caller, sent in the `X-Api-Key` header. Keep at
 * least 32 random characters; keys are compared in constant time.
 *
 * @example
 * ```ts
 * const key: ConsentApiKey = { caller: 'tax-office', key: process.env.TAX_OFFICE_KEY!, scopes: ['read'] };
 * ```
 */
export interface ConsentApiKey {
  readonly caller: string;
  readonly key: string;
  readonly scopes: readonly ConsentScope[];
}

/**
 * How callers authenticate: API keys, bearer tokens checked by your own
 * verifier (an OAuth 2 access token, say, checked with jose), or both.
 *
 * @example
 * ```ts
 * const options: ConsentAuthenticationOptions = {
 *   apiKeys: [{ caller: 'tax-office', key: taxOfficeKey, scopes: ['read'] }],
 *   verifyBearerToken: async (token) => {
 *     const { payload } = await jwtVerify(token, issuerKeys, { audience: 'consent' });
 *     return { id: String(payload.sub), scopes: String(payload.scope).split(' ').filter((s) => s === 'read' || s === 'write') };
 *   },
 * };
 * ```
 */
export interface ConsentAuthenticationOptions {
  readonly apiKeys?: readonly ConsentApiKey[];
  /** Returns the caller for a valid token, undefined (or a rejection) for an invalid one. */
  readonly verifyBearerToken?: (token: string) => Promise<ConsentCaller | undefined>;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Finds the caller of a request, or undefined. @internal */
export function createAuthenticator(
  options: ConsentAuthenticationOptions,
): (request: Request) => Promise<ConsentCaller | undefined> {
  const keys = (options.apiKeys ?? []).map((entry) => ({
    caller: { id: entry.caller, scopes: [...entry.scopes] },
    digest: digest(entry.key),
  }));
  return async (request) => {
    const apiKey = request.headers.get('x-api-key');
    if (apiKey !== null && apiKey.length > 0 && apiKey.length <= 512) {
      const presented = digest(apiKey);
      let found: ConsentCaller | undefined;
      for (const entry of keys) {
        if (timingSafeEqual(entry.digest, presented)) found = entry.caller;
      }
      return found;
    }
    const authorization = request.headers.get('authorization');
    const match =
      authorization === null ? null : /^Bearer ([A-Za-z0-9._~+/=-]{1,8192})$/.exec(authorization);
    if (match !== null && options.verifyBearerToken !== undefined) {
      try {
        return await options.verifyBearerToken(match[1] as string);
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
}
