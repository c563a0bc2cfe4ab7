// Bundled by tsup (only the version is read); no file is read at run time.
import packageJson from '../../package.json' with { type: 'json' };
import { InvalidInputError } from '../errors/core-errors.js';
import type { EgressPolicyOptions, HttpProxyOption, HttpTlsOptions } from './egress-options.js';
import { createEgressPolicy, type EgressPolicy } from './egress-policy.js';
import { eventPathFor } from './http-event-path.js';
import type { HttpEvent } from './http-events.js';
import { type HttpRetryOptions, type RetryPolicy, resolveRetryPolicy } from './http-retry.js';

/**
 * The User-Agent sent when none is configured: `civicblocks/<version of
 * @civicblocks/core>`. Add your service in front when you configure your own.
 *
 * @example
 * ```ts
 * const client = createHttpClient({ userAgent: `apply-for-a-permit/2.3 ${defaultUserAgent}` });
 * ```
 */
export const defaultUserAgent: string = `civicblocks/${packageJson.version}`;

/**
 * Options of {@link createHttpClient}. Every one has a default.
 *
 * @example
 * ```ts
 * const options: HttpClientOptions = {
 *   baseUrl: 'https://api.notifications.service.gov.uk',
 *   userAgent: 'apply-for-a-permit/2.3 civicblocks/0.1.0',
 *   headersTimeoutMs: 10_000,
 *   retry: { maxAttempts: 4 },
 * };
 * ```
 */
export interface HttpClientOptions {
  /** Relative request URLs resolve against this, as `new URL(url, baseUrl)` does. */
  readonly baseUrl?: string | URL;
  /** The `User-Agent` of every request that sets none. Default {@link defaultUserAgent}. */
  readonly userAgent?: string;
  /** Time allowed to open a connection (TCP and TLS). Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Time allowed between sending the request and receiving the whole response head. Default 30 000 ms. */
  readonly headersTimeoutMs?: number;
  /** Longest silence allowed between two chunks of the response body. Default 30 000 ms. */
  readonly bodyTimeoutMs?: number;
  /** Largest response body accepted; larger ones fail with `HTTP_RESPONSE_TOO_LARGE`. Default 10 MiB. */
  readonly maxResponseBytes?: number;
  /** How long an idle keep-alive connection is kept when the server does not say. Default 4 000 ms. */
  readonly keepAliveTimeoutMs?: number;
  /** Most connections open to one origin at a time. Default unlimited. */
  readonly maxConnectionsPerOrigin?: number;
  /** When and how often to retry. */
  readonly retry?: HttpRetryOptions;
  /**
   * Called with what happened to each request (method, origin, path without
   * query, status, attempt, retry delay; never headers or bodies). Nothing is
   * logged when it is not given. Errors it throws are ignored.
   */
  readonly onEvent?: (event: HttpEvent) => void;
  /** The current time in epoch milliseconds, for `Retry-After` dates. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * The egress policy for URLs someone else configured: https only, no
   * private or loopback addresses (checked at connect time), no redirects.
   * See {@link EgressPolicyOptions}. Default: none (any target).
   */
  readonly egress?: EgressPolicyOptions;
  /** A proxy for every call of this client. See {@link HttpProxyOption}. Default: none. */
  readonly proxy?: HttpProxyOption;
  /** CA, client certificate and pinned servername. See {@link HttpTlsOptions}. */
  readonly tls?: HttpTlsOptions;
  /**
   * Report paths to `onEvent` with every segment replaced by `:redacted`
   * (`/hooks/s3cr3t` becomes `/:redacted/:redacted`), for URLs that carry
   * secrets in their path. Default `true` when `egress` is set, else `false`.
   */
  readonly redactPath?: boolean;
}

/**
 * {@link HttpClientOptions} checked, with every default filled in.
 *
 * @example
 * ```ts
 * const { userAgent, policy } = resolveHttpClientOptions({ retry: { maxAttempts: 2 } });
 * ```
 */
export interface ResolvedHttpClientOptions {
  readonly userAgent: string;
  readonly baseUrl: URL | undefined;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnectionsPerOrigin: number | undefined;
  readonly policy: RetryPolicy;
  readonly onEvent: ((event: HttpEvent) => void) | undefined;
  readonly now: () => number;
  readonly egress: EgressPolicy | undefined;
  readonly proxy: HttpProxyOption | undefined;
  readonly tls: HttpTlsOptions | undefined;
  /** The `path` of events, from a request's path and query. */
  readonly eventPath: (path: string) => string;
}

function invalidOption(name: string, requirement: string): InvalidInputError {
  return new InvalidInputError(
    'INVALID_ARGUMENT',
    `createHttpClient: ${name} must be ${requirement}`,
    {
      details: { argument: name },
    },
  );
}

function numberOption(
  value: number | undefined,
  name: string,
  fallback: number,
  minimum: number,
  integer: boolean,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < minimum ||
    (integer && !Number.isInteger(value))
  ) {
    throw invalidOption(
      name,
      `${integer ? 'an integer' : 'a finite number'} of at least ${minimum}`,
    );
  }
  return value;
}

function baseUrlOption(value: string | URL | undefined): URL | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = value instanceof URL ? value : new URL(value);
  } catch (cause) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'createHttpClient: baseUrl must be an absolute URL',
      {
        cause,
        details: { argument: 'baseUrl' },
      },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidOption('baseUrl', 'an http or https URL');
  }
  return url;
}

function isPem(value: unknown): boolean {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function tlsOption(tls: HttpTlsOptions | undefined): HttpTlsOptions | undefined {
  if (tls === undefined) return undefined;
  if (typeof tls !== 'object' || tls === null) throw invalidOption('tls', 'an object');
  const { ca, cert, key, servername } = tls;
  if (ca !== undefined && !isPem(ca) && !(Array.isArray(ca) && ca.every(isPem))) {
    throw invalidOption('tls.ca', 'a PEM string or Buffer, or an array of them');
  }
  if (cert !== undefined && !isPem(cert)) throw invalidOption('tls.cert', 'a PEM string or Buffer');
  if (key !== undefined && !isPem(key)) throw invalidOption('tls.key', 'a PEM string or Buffer');
  if ((cert === undefined) !== (key === undefined)) {
    throw invalidOption('tls.cert', 'given together with tls.key');
  }
  if (servername !== undefined && (typeof servername !== 'string' || servername === '')) {
    throw invalidOption('tls.servername', 'a non-empty string');
  }
  return tls;
}

const headerValuePattern = /^[\t\x20-\x7e\x80-\xff]+$/;

/**
 * Checks {@link HttpClientOptions} and fills in the defaults. Throws
 * `INVALID_ARGUMENT` ({@link InvalidInputError}) naming the first bad option.
 *
 * @example
 * ```ts
 * resolveHttpClientOptions({}).headersTimeoutMs; // 30_000
 * ```
 */
export function resolveHttpClientOptions(options: HttpClientOptions): ResolvedHttpClientOptions {
  const userAgent = options.userAgent ?? defaultUserAgent;
  if (typeof userAgent !== 'string' || !headerValuePattern.test(userAgent)) {
    throw invalidOption('userAgent', 'a non-empty header-safe string');
  }
  const baseUrl = baseUrlOption(options.baseUrl);
  const connectTimeoutMs = numberOption(
    options.connectTimeoutMs,
    'connectTimeoutMs',
    10_000,
    1,
    false,
  );
  const headersTimeoutMs = numberOption(
    options.headersTimeoutMs,
    'headersTimeoutMs',
    30_000,
    1,
    false,
  );
  const bodyTimeoutMs = numberOption(options.bodyTimeoutMs, 'bodyTimeoutMs', 30_000, 1, false);
  const maxResponseBytes = numberOption(
    options.maxResponseBytes,
    'maxResponseBytes',
    10 * 1024 * 1024,
    0,
    true,
  );
  const keepAliveTimeoutMs = numberOption(
    options.keepAliveTimeoutMs,
    'keepAliveTimeoutMs',
    4_000,
    1,
    false,
  );
  const maxConnectionsPerOrigin =
    options.maxConnectionsPerOrigin === undefined
      ? undefined
      : numberOption(options.maxConnectionsPerOrigin, 'maxConnectionsPerOrigin', 0, 1, true);
  const retryOptions = options.retry ?? {};
  numberOption(retryOptions.maxAttempts, 'retry.maxAttempts', 3, 1, true);
  numberOption(retryOptions.baseDelayMs, 'retry.baseDelayMs', 100, 0, false);
  numberOption(retryOptions.maxDelayMs, 'retry.maxDelayMs', 10_000, 0, false);
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw invalidOption('onEvent', 'a function');
  }
  if (options.redactPath !== undefined && typeof options.redactPath !== 'boolean') {
    throw invalidOption('redactPath', 'a boolean');
  }
  if (
    options.egress !== undefined &&
    (typeof options.egress !== 'object' || options.egress === null)
  ) {
    throw invalidOption('egress', 'an object');
  }
  if (options.egress?.lookup !== undefined && typeof options.egress.lookup !== 'function') {
    throw invalidOption('egress.lookup', 'a function');
  }
  const egress = options.egress === undefined ? undefined : createEgressPolicy(options.egress);
  return {
    userAgent,
    baseUrl,
    connectTimeoutMs,
    headersTimeoutMs,
    bodyTimeoutMs,
    maxResponseBytes,
    keepAliveTimeoutMs,
    maxConnectionsPerOrigin,
    policy: resolveRetryPolicy(retryOptions),
    onEvent: options.onEvent,
    now: options.now ?? Date.now,
    egress,
    proxy: options.proxy,
    tls: tlsOption(options.tls),
    eventPath: eventPathFor(options.redactPath ?? egress !== undefined),
  };
}
