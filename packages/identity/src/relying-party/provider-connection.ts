import { createHttpClient } from '@civicblocks/core';
import { importJWK, type JWK } from 'jose';
import * as client from 'openid-client';
import { IdentityError } from '../errors/identity-error.js';
import { createDiscoveryCache, type ProviderMetadata } from './discovery.js';
import { createIdTokenVerifier, type IdTokenVerifier } from './id-token-verifier.js';
import { isSecureOrLoopback } from './loopback.js';
import type { RelyingPartySettings } from './settings.js';

/**
 * What the parts of a relying party (login start, callback, refresh,
 * logout) share: the provider's `fetch`, cached discovery, openid-client
 * configurations, the ID token verifier and DPoP handles.
 */
export interface ProviderConnection {
  readonly settings: RelyingPartySettings;
  readonly now: () => number;
  readonly fetch: typeof fetch;
  /** Discovery metadata, checked once per document against what the profile and settings need. */
  metadata(): Promise<ProviderMetadata>;
  configurationFor(
    metadata: ProviderMetadata,
    time: number,
    nonRepudiation?: boolean,
  ): Promise<client.Configuration>;
  verifierFor(metadata: ProviderMetadata): IdTokenVerifier;
  dpopHandleFor(configuration: client.Configuration, privateJwk: JWK): Promise<client.DPoPHandle>;
  close(): Promise<void>;
}

const contentEncryptionAlgorithms = [
  'A128GCM',
  'A192GCM',
  'A256GCM',
  'A128CBC-HS256',
  'A192CBC-HS384',
  'A256CBC-HS512',
];

const endpointNames = [
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'jwks_uri',
  'end_session_endpoint',
  'pushed_authorization_request_endpoint',
] as const;

/**
 * Refuses discovery metadata the relying party cannot work with, as a
 * configuration mistake with its own code: a missing endpoint the profile
 * needs, plain http to a host that is not loopback, or algorithms the
 * provider does not advertise.
 */
function checkMetadata(settings: RelyingPartySettings, metadata: ProviderMetadata): void {
  const { profile } = settings;
  const missing = (endpoint: string, why: string): never => {
    throw new IdentityError(
      'IDENTITY_PROVIDER_ENDPOINT_MISSING',
      `the provider's discovery document has no ${endpoint} (${why})`,
      { details: { endpoint } },
    );
  };
  if (metadata.authorization_endpoint === undefined)
    missing('authorization_endpoint', 'needed to sign in');
  if (metadata.token_endpoint === undefined) missing('token_endpoint', 'needed to sign in');
  if (metadata.jwks_uri === undefined) missing('jwks_uri', 'needed to verify ID tokens');
  if (
    profile.pushedAuthorization === 'required' &&
    metadata.pushed_authorization_request_endpoint === undefined
  ) {
    missing(
      'pushed_authorization_request_endpoint',
      `the ${profile.name} profile requires pushed authorization requests; for an environment without PAR set the profile's pushedAuthorization to 'never'`,
    );
  }
  for (const name of endpointNames) {
    const value = metadata[name];
    if (typeof value !== 'string') continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new IdentityError('IDENTITY_DISCOVERY_FAILED', `the provider's ${name} is not a URL`);
    }
    if (!isSecureOrLoopback(url)) {
      throw new IdentityError(
        'IDENTITY_INSECURE_TRANSPORT',
        `the provider's ${name} is plain http to a host that is not loopback`,
        { details: { endpoint: name } },
      );
    }
  }
  const advertisedIdToken = metadata.id_token_signing_alg_values_supported;
  if (
    Array.isArray(advertisedIdToken) &&
    !profile.idTokenSigningAlgorithms.some((algorithm) => advertisedIdToken.includes(algorithm))
  ) {
    throw new IdentityError(
      'IDENTITY_ALGORITHM_NOT_SUPPORTED',
      `the provider signs ID tokens with ${advertisedIdToken.join(', ')}; the profile accepts ${profile.idTokenSigningAlgorithms.join(', ')}`,
    );
  }
  const advertisedAssertion = metadata.token_endpoint_auth_signing_alg_values_supported;
  const assertion = settings.clientAssertionAlgorithm;
  if (
    assertion !== undefined &&
    Array.isArray(advertisedAssertion) &&
    !advertisedAssertion.includes(assertion)
  ) {
    throw new IdentityError(
      'IDENTITY_ALGORITHM_NOT_SUPPORTED',
      `the provider accepts client assertions signed with ${advertisedAssertion.join(', ')}, not ${assertion} (set clientAssertionAlgorithm, or import the key for another algorithm)`,
    );
  }
}

/** Builds the connection the parts of one relying party share. */
export function createProviderConnection(settings: RelyingPartySettings): ProviderConnection {
  const { options, profile, issuer } = settings;
  const now = (): number => settings.clock.now().getTime();
  const timeout = settings.timeout;
  // core's HTTP client (undici Agent: pools, timeouts, size limit, safe retries) unless the caller brings a fetch
  const ownClient =
    options.fetch === undefined
      ? createHttpClient({
          userAgent: settings.userAgent,
          connectTimeoutMs: timeout,
          headersTimeoutMs: timeout,
          bodyTimeoutMs: timeout,
          now,
        })
      : undefined;
  const baseFetch: typeof fetch = options.fetch ?? (ownClient?.fetch as typeof fetch);
  // openid-client and jose set their own User-Agent; the profile's (GOV.UK asks for one) wins on every call.
  const userAgent = settings.userAgent;
  const providerFetch = ((input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    // openid-client hands over a Headers of its own making: set the agent on it
    if (init?.headers instanceof Headers) {
      init.headers.set('user-agent', userAgent);
      return baseFetch(input, init);
    }
    const headers = new Headers(init?.headers);
    headers.set('user-agent', userAgent);
    return baseFetch(input, { ...init, headers });
  }) as typeof fetch;
  const discovery = createDiscoveryCache({ issuer, fetch: providerFetch, clock: settings.clock });
  const checked = new WeakSet<ProviderMetadata>();
  const verifiers = new Map<string, IdTokenVerifier>();
  // Configurations are cheap but not free: reuse one per discovery document, clock skew and mode.
  const configurations = new WeakMap<ProviderMetadata, Map<string, client.Configuration>>();

  const buildConfiguration = async (
    metadata: ProviderMetadata,
    skew: number,
    nonRepudiation: boolean,
  ): Promise<client.Configuration> => {
    const serverMetadata: client.ServerMetadata = {
      ...(metadata as client.ServerMetadata),
      id_token_signing_alg_values_supported: [...profile.idTokenSigningAlgorithms],
      ...(profile.requireIssuerParameter
        ? { authorization_response_iss_parameter_supported: true }
        : {}),
    };
    const clientMetadata: Partial<client.ClientMetadata> = {
      [client.clockTolerance]: settings.clockTolerance,
      [client.clockSkew]: skew,
    };
    let authentication: client.ClientAuth;
    if (settings.authenticationMethod === 'private_key_jwt') {
      const assertion = profile.clientAssertion;
      authentication = client.PrivateKeyJwt(
        {
          key: await settings.signingKey(),
          ...(options.clientPrivateKeyId === undefined ? {} : { kid: options.clientPrivateKeyId }),
        },
        {
          [client.modifyAssertion]: (header, payload) => {
            if (assertion?.type !== undefined) header.typ = assertion.type;
            if (assertion?.audience === 'token-endpoint' && metadata.token_endpoint !== undefined) {
              payload.aud = metadata.token_endpoint;
            }
          },
        },
      );
    } else if (settings.authenticationMethod === 'client_secret_basic') {
      authentication = client.ClientSecretBasic(options.clientSecret);
    } else {
      authentication = client.ClientSecretPost(options.clientSecret);
    }
    const configuration = new client.Configuration(
      serverMetadata,
      settings.clientId,
      clientMetadata,
      authentication,
    );
    configuration[client.customFetch] = (url, init) => providerFetch(url, init as RequestInit);
    if (options.timeoutMilliseconds !== undefined)
      configuration.timeout = Math.ceil(options.timeoutMilliseconds / 1000);
    // only ever a loopback issuer, and checkMetadata refused any non-loopback http endpoint
    if (settings.plainHttp) client.allowInsecureRequests(configuration);
    if (settings.hasDecryptionKeys) {
      client.enableDecryptingResponses(
        configuration,
        contentEncryptionAlgorithms,
        ...(await settings.decryptionKeys()).map((decryptionKey) => ({
          key: decryptionKey.key,
          alg: decryptionKey.algorithm,
          ...(decryptionKey.keyId === undefined ? {} : { kid: decryptionKey.keyId }),
        })),
      );
    }
    if (nonRepudiation) client.enableNonRepudiationChecks(configuration);
    return configuration;
  };

  return {
    settings,
    now,
    fetch: providerFetch,
    async metadata(): Promise<ProviderMetadata> {
      const metadata = await discovery.get();
      if (!checked.has(metadata)) {
        checkMetadata(settings, metadata);
        checked.add(metadata);
      }
      return metadata;
    },
    async configurationFor(metadata, time, nonRepudiation = false) {
      const skew = Math.round((time - Date.now()) / 1000);
      const key = `${skew}:${nonRepudiation}`;
      let byKey = configurations.get(metadata);
      if (byKey === undefined) {
        byKey = new Map();
        configurations.set(metadata, byKey);
      }
      const existing = byKey.get(key);
      if (existing !== undefined) return existing;
      if (byKey.size > 16) byKey.clear();
      const created = await buildConfiguration(metadata, skew, nonRepudiation);
      byKey.set(key, created);
      return created;
    },
    verifierFor(metadata) {
      if (metadata.jwks_uri === undefined) {
        throw new IdentityError(
          'IDENTITY_PROVIDER_ENDPOINT_MISSING',
          'the provider publishes no jwks_uri',
        );
      }
      let verifier = verifiers.get(metadata.jwks_uri);
      if (verifier === undefined) {
        verifier = createIdTokenVerifier({
          issuer,
          clientId: settings.clientId,
          jwksUri: metadata.jwks_uri,
          algorithms: profile.idTokenSigningAlgorithms,
          clockToleranceSeconds: settings.clockTolerance,
          jwksCooldownSeconds: options.jwksCooldownSeconds ?? 30,
          fetch: providerFetch,
          clock: settings.clock,
          ...(options.timeoutMilliseconds === undefined
            ? {}
            : { timeoutMilliseconds: options.timeoutMilliseconds }),
        });
        verifiers.set(metadata.jwks_uri, verifier);
      }
      return verifier;
    },
    async dpopHandleFor(configuration, privateJwk) {
      const { d: _private, ...publicJwk } = privateJwk;
      const privateKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
      const publicKey = (await importJWK({ ...publicJwk, ext: true }, 'ES256', {
        extractable: true,
      })) as CryptoKey;
      return client.getDPoPHandle(configuration, { privateKey, publicKey });
    },
    close: async () => {
      await ownClient?.close();
    },
  };
}
