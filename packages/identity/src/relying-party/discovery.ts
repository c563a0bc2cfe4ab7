import { type Clock, systemClock } from '@civicblocks/core';
import { IdentityError } from '../errors/identity-error.js';

/**
 * OpenID Provider metadata as published at
 * `/.well-known/openid-configuration`.
 *
 * @example
 * ```ts
 * const metadata: ProviderMetadata = { issuer: 'https://oidc.example.gov', authorization_endpoint: 'https://oidc.example.gov/authorize' };
 * ```
 */
export interface ProviderMetadata {
  readonly issuer: string;
  readonly authorization_endpoint?: string;
  readonly token_endpoint?: string;
  readonly userinfo_endpoint?: string;
  readonly jwks_uri?: string;
  readonly end_session_endpoint?: string;
  readonly pushed_authorization_request_endpoint?: string;
  readonly require_pushed_authorization_requests?: boolean;
  readonly authorization_response_iss_parameter_supported?: boolean;
  readonly id_token_signing_alg_values_supported?: readonly string[];
  readonly [parameter: string]: unknown;
}

/**
 * Options of {@link createDiscoveryCache}.
 *
 * @example
 * ```ts
 * const options: DiscoveryCacheOptions = { issuer: 'https://oidc.example.gov', fetch };
 * ```
 */
export interface DiscoveryCacheOptions {
  readonly issuer: string;
  readonly fetch: typeof fetch;
  /** The time source (default core's `systemClock`). */
  readonly clock?: Clock;
  /** Freshness when the response has no `Cache-Control: max-age` (default 3600 s). */
  readonly defaultMaxAgeSeconds?: number;
  /** Upper bound on any freshness (default 86 400 s). */
  readonly maximumMaxAgeSeconds?: number;
}

/**
 * A per-provider cache of discovery metadata.
 *
 * @example
 * ```ts
 * const metadata = await discoveryCache.get();
 * ```
 */
export interface DiscoveryCache {
  /** Fresh metadata, refetched when stale; the last good copy when the provider is down. */
  get(): Promise<ProviderMetadata>;
}

/**
 * Caches an issuer's discovery document, honouring `Cache-Control`
 * (`max-age`, `no-store`, `no-cache`), sharing one request between concurrent
 * callers, checking that `issuer` is exactly the expected one, and serving the
 * last good copy while the provider is unreachable.
 *
 * @example
 * ```ts
 * const discoveryCache = createDiscoveryCache({ issuer: 'https://oidc.example.gov', fetch });
 * const { token_endpoint } = await discoveryCache.get();
 * ```
 */
export function createDiscoveryCache(options: DiscoveryCacheOptions): DiscoveryCache {
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now().getTime();
  const defaultMaxAge = options.defaultMaxAgeSeconds ?? 3600;
  const maximumMaxAge = options.maximumMaxAgeSeconds ?? 86_400;
  const url = `${options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let current: { metadata: ProviderMetadata; freshUntil: number } | undefined;
  let inFlight: Promise<ProviderMetadata> | undefined;

  const load = async (): Promise<ProviderMetadata> => {
    let response: Response;
    try {
      response = await options.fetch(url, {
        headers: { accept: 'application/json' },
        redirect: 'manual',
      });
    } catch (cause) {
      throw new IdentityError(
        'IDENTITY_DISCOVERY_FAILED',
        `discovery request to ${new URL(url).origin} failed`,
        {
          cause,
          isRetryable: true,
        },
      );
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new IdentityError(
        'IDENTITY_DISCOVERY_FAILED',
        `discovery answered status ${response.status}`,
        {
          status: response.status,
          isRetryable: response.status >= 500,
        },
      );
    }
    let metadata: unknown;
    try {
      metadata = await response.json();
    } catch (cause) {
      throw new IdentityError('IDENTITY_DISCOVERY_FAILED', 'discovery document is not JSON', {
        cause,
      });
    }
    if (typeof metadata !== 'object' || metadata === null) {
      throw new IdentityError('IDENTITY_DISCOVERY_FAILED', 'discovery document is not an object');
    }
    const published = (metadata as ProviderMetadata).issuer;
    if (published !== options.issuer) {
      // a configuration mistake (often a missing or extra trailing slash): say both, they are public URLs
      const shown = typeof published === 'string' ? published.slice(0, 200) : String(published);
      throw new IdentityError(
        'IDENTITY_DISCOVERY_ISSUER_MISMATCH',
        `the provider's discovery document names its issuer "${shown}", not the configured "${options.issuer}"; configure the issuer exactly as published`,
        { details: { configured: options.issuer, published: shown } },
      );
    }
    const cacheControl = (response.headers.get('cache-control') ?? '').toLowerCase();
    const maxAgeMatch = /(?:^|,)\s*max-age\s*=\s*(\d+)/.exec(cacheControl);
    let maxAge = maxAgeMatch?.[1] === undefined ? defaultMaxAge : Number(maxAgeMatch[1]);
    if (/(?:^|,)\s*(no-store|no-cache)/.test(cacheControl)) maxAge = 0;
    current = {
      metadata: metadata as ProviderMetadata,
      freshUntil: now() + Math.min(maxAge, maximumMaxAge) * 1000,
    };
    return current.metadata;
  };

  return {
    async get(): Promise<ProviderMetadata> {
      if (current !== undefined && now() < current.freshUntil) return current.metadata;
      inFlight ??= load().finally(() => {
        inFlight = undefined;
      });
      try {
        return await inFlight;
      } catch (error) {
        if (current !== undefined && IdentityError.isInstance(error) && error.isRetryable)
          return current.metadata;
        throw error;
      }
    },
  };
}
