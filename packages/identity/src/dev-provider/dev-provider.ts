import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider, { type InteractionDetails, interactionPolicy } from 'oidc-provider';
import {
  type AssuranceLevel,
  fromEsignetAcr,
  fromGovukVectorOfTrust,
  fromLoginGovAcr,
  meetsMinimumAssurance,
} from '../assurance/level-of-assurance.js';
import { IdentityError } from '../errors/identity-error.js';
import { type DevPersona, devPersonas } from './personas.js';

/**
 * Which national provider the dev identity provider imitates.
 *
 * @example
 * ```ts
 * const profile: DevProviderProfile = 'govuk-one-login';
 * ```
 */
export type DevProviderProfile =
  | 'generic'
  | 'govuk-one-login'
  | 'login-gov'
  | 'singpass'
  | 'esignet'
  | 'tara';

/**
 * A relying party registered with the dev identity provider.
 *
 * @example
 * ```ts
 * const client: DevClient = {
 *   clientId: 'my-service',
 *   clientSecret: 'a-long-random-development-secret',
 *   redirectUris: ['http://127.0.0.1:3000/auth/callback'],
 * };
 * ```
 */
export interface DevClient {
  readonly clientId: string;
  /** Needed for `client_secret_post` and `client_secret_basic`. */
  readonly clientSecret?: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  /** Default: `client_secret_post` with a secret, else `private_key_jwt`. */
  readonly tokenEndpointAuthMethod?:
    | 'client_secret_post'
    | 'client_secret_basic'
    | 'private_key_jwt';
  /** The client's public keys: signing keys for `private_key_jwt`, encryption keys for encrypted responses. */
  readonly jwks?: { readonly keys: readonly JWK[] };
  /** Default per profile: ES256 for GOV.UK One Login and Singpass, RS256 otherwise. */
  readonly idTokenSignedResponseAlgorithm?: string;
  /** Encrypt ID tokens to the client's encryption key (Singpass: `ECDH-ES+A256KW` / `A256GCM`). */
  readonly idTokenEncryption?: { readonly algorithm: string; readonly encryption: string };
  /** Sign userinfo responses (eSignet). */
  readonly userinfoSignedResponseAlgorithm?: string;
  /** Encrypt userinfo responses to the client's encryption key (eSignet). */
  readonly userinfoEncryption?: { readonly algorithm: string; readonly encryption: string };
  /** Require DPoP-bound access tokens (Singpass). */
  readonly requireDpop?: boolean;
}

/**
 * Faults the dev provider can inject into a GOV.UK One Login core identity
 * JWT, so services can test that they are refused.
 *
 * @example
 * ```ts
 * devProvider.setFaults({ coreIdentity: 'expired' });
 * ```
 */
export interface DevProviderFaults {
  readonly coreIdentity?:
    | 'different-subject'
    | 'wrong-issuer'
    | 'wrong-audience'
    | 'expired'
    | 'unknown-key'
    | 'tampered-signature';
}

/**
 * Options of {@link startDevProvider}.
 *
 * @example
 * ```ts
 * const options: DevProviderOptions = {
 *   profile: 'generic',
 *   clients: [{ clientId: 'svc', clientSecret: 'dev-secret-dev-secret', redirectUris: ['http://127.0.0.1:3000/cb'] }],
 * };
 * ```
 */
export interface DevProviderOptions {
  /** Loopback address to bind (default `127.0.0.1`). */
  readonly host?: string;
  /** Port (default 0: a free port). */
  readonly port?: number;
  /**
   * Bind to a non-loopback address. The dev provider signs in anyone as
   * anyone: never expose it to a network.
   */
  readonly unsafeAllowNonLoopback?: boolean;
  readonly profile?: DevProviderProfile;
  readonly clients: readonly DevClient[];
  /** Default: {@link devPersonas}. */
  readonly personas?: readonly DevPersona[];
  /** Persona signed in when the request has no `login_hint`. Without it, such a request gets a 400 page. */
  readonly defaultPersona?: string;
  /** Require pushed authorization requests (default: true for Singpass). */
  readonly requirePushedAuthorizationRequests?: boolean;
}

/**
 * GOV.UK One Login specifics of a running dev provider.
 *
 * @example
 * ```ts
 * const { didDocumentUrl, coreIdentityIssuer } = devProvider.govuk;
 * ```
 */
export interface DevProviderGovuk {
  /** Where the DID document with the core identity signing key is served. */
  readonly didDocumentUrl: string;
  /** The `did:web` identifier and controller of the DID document. */
  readonly controller: string;
  /** The `iss` of core identity JWTs. */
  readonly coreIdentityIssuer: string;
}

/**
 * A running dev identity provider.
 *
 * @example
 * ```ts
 * const devProvider = await startDevProvider({ clients: [client] });
 * console.log(devProvider.issuer);
 * await devProvider.close();
 * ```
 */
export interface DevProvider {
  /** The issuer identifier, e.g. `http://127.0.0.1:49152`. */
  readonly issuer: string;
  readonly profile: DevProviderProfile;
  /** The public signing keys of the provider. */
  readonly jwks: { readonly keys: readonly JWK[] };
  readonly govuk: DevProviderGovuk;
  readonly personas: readonly DevPersona[];
  /** Injects faults into what the provider issues next (tests of refusals). */
  setFaults(faults: DevProviderFaults): void;
  /**
   * Rotates the GOV.UK core identity signing key as the real provider does:
   * a new key is added to the DID document and signs from now on; the old
   * one stays listed. Returns the new key's DID URL (`kid`).
   */
  rotateCoreIdentityKey(): Promise<string>;
  close(): Promise<void>;
}

interface LoginContext {
  readonly vectorOfTrust: string | undefined;
}

const loopbackHosts: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

function isLoopback(host: string): boolean {
  return loopbackHosts.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Starts an OpenID Connect provider (oidc-provider, OpenID-certified)
 * in-process on loopback, with test personas. Sign-in is non-interactive: the
 * persona is chosen by the `login_hint` authorization parameter (or
 * `defaultPersona`) and consent is given automatically. Configure `profile`
 * to imitate a national provider: `vtr`/`vot` and a core identity JWT with
 * its DID document (GOV.UK One Login), `acr_values` (Login.gov, eSignet),
 * PAR, DPoP and encrypted ID tokens (Singpass), `acr`/`amr` (TARA).
 *
 * Refuses to bind to anything but loopback unless `unsafeAllowNonLoopback`
 * is set.
 *
 * @example
 * ```ts
 * import { startDevProvider } from '@civicblocks/identity/dev-provider';
 *
 * const devProvider = await startDevProvider({
 *   clients: [{
 *     clientId: 'my-service',
 *     clientSecret: 'a-long-random-development-secret',
 *     redirectUris: ['http://127.0.0.1:3000/auth/callback'],
 *   }],
 * });
 * // sign in as Nguyễn Văn An by sending login_hint=nguyen-van-an
 * await devProvider.close();
 * ```
 */
export async function startDevProvider(options: DevProviderOptions): Promise<DevProvider> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.unsafeAllowNonLoopback !== true) {
    throw new IdentityError(
      'IDENTITY_DEV_PROVIDER_NON_LOOPBACK',
      `the dev identity provider binds only to loopback; refusing "${host}" (set unsafeAllowNonLoopback to override)`,
    );
  }
  const profile = options.profile ?? 'generic';
  const personas = new Map(
    (options.personas ?? devPersonas).map((persona) => [persona.id, persona]),
  );
  if (options.defaultPersona !== undefined && !personas.has(options.defaultPersona)) {
    throw new IdentityError(
      'IDENTITY_CONFIGURATION_INVALID',
      'defaultPersona is not one of the personas',
    );
  }

  const [rsa, ec, coreIdentityKey] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
  ]);
  const rsaJwk = { ...(await exportJWK(rsa.privateKey)), alg: 'RS256', use: 'sig' };
  const ecJwk = { ...(await exportJWK(ec.privateKey)), alg: 'ES256', use: 'sig' };
  rsaJwk.kid = await calculateJwkThumbprint(rsaJwk);
  ecJwk.kid = await calculateJwkThumbprint(ecJwk);
  const coreIdentityPublicJwk = { ...(await exportJWK(coreIdentityKey.publicKey)), alg: 'ES256' };
  const coreIdentityKeyId = await calculateJwkThumbprint(coreIdentityPublicJwk, 'sha256');
  let coreIdentitySigningKey = coreIdentityKey.privateKey;

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const issuer = `http://${hostForUrl}:${address.port}`;
  const controller = `did:web:${encodeURIComponent(`${hostForUrl}:${address.port}`)}`;
  const govuk: DevProviderGovuk = {
    didDocumentUrl: `${issuer}/.well-known/did.json`,
    controller,
    coreIdentityIssuer: `${issuer}/identity/`,
  };
  const didDocument = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
    id: controller,
    assertionMethod: [
      {
        type: 'JsonWebKey',
        id: `${controller}#${coreIdentityKeyId}`,
        controller,
        publicKeyJwk: coreIdentityPublicJwk,
      },
    ],
  };

  const loginContexts = new Map<string, LoginContext>();
  let faults: DevProviderFaults = {};

  const defaultSigningAlgorithm =
    profile === 'govuk-one-login' || profile === 'singpass' ? 'ES256' : 'RS256';
  const clients = options.clients.map((client) =>
    toClientMetadata(client, defaultSigningAlgorithm),
  );

  const signCoreIdentity = async (
    persona: DevPersona,
    clientId: string,
    vectorOfTrust: string,
  ): Promise<string> => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const identityVector =
      vectorOfTrust.split('.').find((component) => component.startsWith('P')) ?? 'P0';
    const payload = {
      sub: faults.coreIdentity === 'different-subject' ? `${persona.id}-other` : persona.id,
      vot: identityVector,
      vtm: `${issuer}/trustmark`,
      vc: {
        type: ['VerifiableCredential', 'IdentityCheckCredential'],
        credentialSubject: {
          name: [
            {
              nameParts: [
                { type: 'GivenName', value: persona.givenName },
                { type: 'FamilyName', value: persona.familyName },
              ],
            },
          ],
          ...(persona.birthDate === undefined ? {} : { birthDate: [{ value: persona.birthDate }] }),
        },
      },
    };
    const keyId =
      faults.coreIdentity === 'unknown-key'
        ? `${controller}#not-in-the-did-document`
        : didDocument.assertionMethod[0]?.id;
    const token = await new SignJWT(payload)
      .setProtectedHeader({
        alg: 'ES256',
        typ: 'JWT',
        ...(keyId === undefined ? {} : { kid: keyId }),
      })
      .setIssuer(
        faults.coreIdentity === 'wrong-issuer'
          ? 'https://identity.example.invalid/'
          : govuk.coreIdentityIssuer,
      )
      .setAudience(faults.coreIdentity === 'wrong-audience' ? 'another-client' : clientId)
      .setIssuedAt(nowSeconds - (faults.coreIdentity === 'expired' ? 7200 : 0))
      .setNotBefore(nowSeconds - (faults.coreIdentity === 'expired' ? 7200 : 0))
      .setExpirationTime(faults.coreIdentity === 'expired' ? nowSeconds - 3600 : nowSeconds + 3600)
      .sign(coreIdentitySigningKey);
    if (faults.coreIdentity !== 'tampered-signature') return token;
    const [header, body, signature = ''] = token.split('.');
    return `${header}.${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
  };

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [rsaJwk, ecJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    clockTolerance: 5,
    acrValues: acrValuesOf(profile),
    extraParams: profile === 'govuk-one-login' ? ['vtr'] : [],
    adapter: createMemoryAdapter(),
    claims: {
      acr: null,
      amr: null,
      auth_time: null,
      sid: null,
      openid:
        profile === 'govuk-one-login'
          ? ['sub', 'auth_time', 'vot', 'vtm']
          : [
              'sub',
              'acr',
              'amr',
              'auth_time',
              ...(profile === 'tara' ? ['profile_attributes'] : []),
            ],
      profile: [
        'name',
        'given_name',
        'family_name',
        'birthdate',
        'locale',
        'profile_attributes',
        'individual_id',
      ],
      'profile:name': ['given_name', 'family_name'],
      'profile:birthdate': ['birthdate'],
      email: ['email', 'email_verified'],
      all_emails: ['all_emails'],
      phone: ['phone_number', 'phone_number_verified', 'phone', 'phone_verified'],
      address: ['address'],
      social_security_number: ['social_security_number'],
      'https://vocab.account.gov.uk/v1/coreIdentityJWT': null,
      'https://vocab.account.gov.uk/v1/address': null,
      'https://vocab.account.gov.uk/v1/passport': null,
      'https://vocab.account.gov.uk/v1/returnCode': null,
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      encryption: { enabled: true },
      jwtUserinfo: { enabled: true },
      dPoP: { enabled: true },
      pushedAuthorizationRequests: {
        enabled: true,
        requirePushedAuthorizationRequests:
          options.requirePushedAuthorizationRequests ?? profile === 'singpass',
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (context: { body?: unknown }, form: string) => {
          context.body = signOutPage(form);
        },
        postLogoutSuccessSource: async (context: { body?: unknown }) => {
          context.body = signedOutPage;
        },
      },
      backchannelLogout: { enabled: true },
    },
    enabledJWA: {
      idTokenEncryptionAlgValues: [
        'ECDH-ES',
        'ECDH-ES+A128KW',
        'ECDH-ES+A256KW',
        'RSA-OAEP',
        'RSA-OAEP-256',
      ],
      userinfoEncryptionAlgValues: [
        'ECDH-ES',
        'ECDH-ES+A128KW',
        'ECDH-ES+A256KW',
        'RSA-OAEP',
        'RSA-OAEP-256',
      ],
      idTokenSigningAlgValues: ['RS256', 'PS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'PS256', 'ES256'],
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256'],
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      RefreshToken: 3600,
      ClientCredentials: 600,
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
    },
    interactions: {
      url: (_context: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      policy: policyWithSelectAccount(),
    },
    findAccount: async (
      _context: unknown,
      subject: string,
      token?: { grantId?: string; clientId?: string },
    ) => {
      const persona = personas.get(subject);
      if (persona === undefined) return undefined;
      const loginContext =
        token?.grantId === undefined ? undefined : loginContexts.get(token.grantId);
      return {
        accountId: subject,
        claims: async (use: string) => {
          const claims = claimsOf(profile, persona, loginContext);
          const vectorOfTrust = loginContext?.vectorOfTrust;
          if (
            use === 'userinfo' &&
            profile === 'govuk-one-login' &&
            vectorOfTrust !== undefined &&
            /P[1-9]/.test(vectorOfTrust) &&
            token?.clientId !== undefined
          ) {
            claims['https://vocab.account.gov.uk/v1/coreIdentityJWT'] = await signCoreIdentity(
              persona,
              token.clientId,
              vectorOfTrust,
            );
          }
          return claims;
        },
      };
    },
  });

  const interact = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const details: InteractionDetails = await provider.interactionDetails(request, response);
    const parameters = details.params;
    const hint =
      (typeof parameters.login_hint === 'string' ? parameters.login_hint : undefined) ??
      details.session?.accountId ??
      options.defaultPersona;
    const persona = hint === undefined ? undefined : personas.get(hint);
    if (persona === undefined) {
      response.statusCode = 400;
      response.setHeader('content-type', 'text/plain; charset=utf-8');
      response.end(
        `Dev identity provider: choose a persona with login_hint. Known: ${[...personas.keys()].join(', ')}\n`,
      );
      return;
    }
    const clientId = String(parameters.client_id);
    const existing =
      details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId);
    const grant = existing ?? new provider.Grant({ accountId: persona.id, clientId });
    if (typeof parameters.scope === 'string') grant.addOIDCScope(parameters.scope);
    const requestedClaims = claimNamesOf(parameters.claims);
    if (requestedClaims.length > 0) grant.addOIDCClaims(requestedClaims);
    const promptDetails = details.prompt.details;
    if (Array.isArray(promptDetails.missingOIDCScope))
      grant.addOIDCScope(promptDetails.missingOIDCScope.join(' '));
    if (Array.isArray(promptDetails.missingOIDCClaims))
      grant.addOIDCClaims(promptDetails.missingOIDCClaims);
    const missingResourceScopes = promptDetails.missingResourceScopes;
    if (typeof missingResourceScopes === 'object' && missingResourceScopes !== null) {
      for (const [resource, scopes] of Object.entries(missingResourceScopes)) {
        if (Array.isArray(scopes)) grant.addResourceScope(resource, scopes.join(' '));
      }
    }
    const grantId = await grant.save();
    const outcome = decideAssurance(profile, persona, parameters);
    loginContexts.set(grantId, { vectorOfTrust: outcome.vectorOfTrust });
    const login = {
      accountId: persona.id,
      ...(outcome.acr === undefined ? {} : { acr: outcome.acr }),
      ...(outcome.amr === undefined ? {} : { amr: outcome.amr }),
    };
    await provider.interactionFinished(
      request,
      response,
      details.prompt.name === 'consent'
        ? { consent: { grantId } }
        : { [details.prompt.name]: {}, login, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };

  const providerCallback = provider.callback();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/interaction/')) {
      interact(request, response).catch(() => {
        if (!response.headersSent) response.statusCode = 500;
        response.end('Dev identity provider: interaction failed\n');
      });
      return;
    }
    if (path === '/.well-known/did.json' && profile === 'govuk-one-login') {
      response.setHeader('content-type', 'application/did+json');
      response.setHeader('cache-control', 'max-age=3600');
      response.end(JSON.stringify(didDocument));
      return;
    }
    providerCallback(request, response);
  });

  const publicJwks = {
    keys: await Promise.all(
      [rsa.publicKey, ec.publicKey].map(async (key, index) => ({
        ...(await exportJWK(key)),
        kid: (index === 0 ? rsaJwk.kid : ecJwk.kid) ?? '',
        alg: index === 0 ? 'RS256' : 'ES256',
        use: 'sig',
      })),
    ),
  };

  return {
    issuer,
    profile,
    jwks: publicJwks,
    govuk,
    personas: [...personas.values()],
    setFaults(next: DevProviderFaults): void {
      faults = next;
    },
    async rotateCoreIdentityKey(): Promise<string> {
      const next = await generateKeyPair('ES256', { extractable: true });
      const publicKeyJwk = { ...(await exportJWK(next.publicKey)), alg: 'ES256' };
      const id = `${controller}#${await calculateJwkThumbprint(publicKeyJwk, 'sha256')}`;
      didDocument.assertionMethod.unshift({ type: 'JsonWebKey', id, controller, publicKeyJwk });
      coreIdentitySigningKey = next.privateKey;
      return id;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        loginContexts.clear();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

type AdapterPayload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
};

/**
 * An in-memory adapter owned by one dev provider (oidc-provider's default
 * one is shared by the whole process and warns on every start).
 */
function createMemoryAdapter(): new (model: string) => object {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number | undefined }>();
  const grants = new Map<string, Set<string>>();
  const read = (key: string): AdapterPayload | undefined => {
    const entry = store.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return class MemoryAdapter {
    readonly #model: string;
    constructor(model: string) {
      this.#model = model;
    }
    #key(id: string): string {
      return `${this.#model}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const key = this.#key(id);
      store.set(key, {
        payload,
        expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
      });
      if (payload.grantId !== undefined) {
        const keys = grants.get(payload.grantId) ?? new Set<string>();
        keys.add(key);
        grants.set(payload.grantId, keys);
      }
      if (payload.userCode !== undefined)
        store.set(`${this.#model}:userCode:${payload.userCode}`, {
          payload: { id },
          expiresAt: undefined,
        });
      if (payload.uid !== undefined)
        store.set(`${this.#model}:uid:${payload.uid}`, { payload: { id }, expiresAt: undefined });
    }
    async find(id: string): Promise<AdapterPayload | undefined> {
      return read(this.#key(id));
    }
    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const pointer = read(`${this.#model}:userCode:${userCode}`);
      return typeof pointer?.id === 'string' ? read(this.#key(pointer.id)) : undefined;
    }
    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const pointer = read(`${this.#model}:uid:${uid}`);
      return typeof pointer?.id === 'string' ? read(this.#key(pointer.id)) : undefined;
    }
    async consume(id: string): Promise<void> {
      const payload = read(this.#key(id));
      if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      store.delete(this.#key(id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const key of grants.get(grantId) ?? []) store.delete(key);
      grants.delete(grantId);
    }
  };
}

/** oidc-provider's default prompts plus a requestable `select_account` (Login.gov sends it). */
function policyWithSelectAccount(): ReturnType<typeof interactionPolicy.base> {
  const policy = interactionPolicy.base();
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
  return policy;
}

function toClientMetadata(
  client: DevClient,
  defaultSigningAlgorithm: string,
): Record<string, unknown> {
  const method =
    client.tokenEndpointAuthMethod ??
    (client.clientSecret === undefined ? 'private_key_jwt' : 'client_secret_post');
  return {
    client_id: client.clientId,
    ...(client.clientSecret === undefined ? {} : { client_secret: client.clientSecret }),
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...(client.postLogoutRedirectUris ?? [])],
    token_endpoint_auth_method: method,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    id_token_signed_response_alg: client.idTokenSignedResponseAlgorithm ?? defaultSigningAlgorithm,
    ...(client.jwks === undefined ? {} : { jwks: { keys: [...client.jwks.keys] } }),
    ...(client.idTokenEncryption === undefined
      ? {}
      : {
          id_token_encrypted_response_alg: client.idTokenEncryption.algorithm,
          id_token_encrypted_response_enc: client.idTokenEncryption.encryption,
        }),
    ...(client.userinfoSignedResponseAlgorithm === undefined
      ? {}
      : { userinfo_signed_response_alg: client.userinfoSignedResponseAlgorithm }),
    ...(client.userinfoEncryption === undefined
      ? {}
      : {
          userinfo_encrypted_response_alg: client.userinfoEncryption.algorithm,
          userinfo_encrypted_response_enc: client.userinfoEncryption.encryption,
        }),
    ...(client.requireDpop === true ? { dpop_bound_access_tokens: true } : {}),
  };
}

function acrValuesOf(profile: DevProviderProfile): string[] {
  switch (profile) {
    case 'generic':
      return [
        'http://eidas.europa.eu/LoA/low',
        'http://eidas.europa.eu/LoA/substantial',
        'http://eidas.europa.eu/LoA/high',
      ];
    case 'login-gov':
      return [
        'urn:acr.login.gov:auth-only',
        'urn:acr.login.gov:verified',
        'urn:acr.login.gov:verified-facial-match-required',
      ];
    case 'singpass':
      return [
        'urn:singpass:authentication:loa:1',
        'urn:singpass:authentication:loa:2',
        'urn:singpass:authentication:loa:3',
      ];
    case 'esignet':
      return Object.keys(esignetMethods);
    case 'tara':
      return ['low', 'substantial', 'high'];
    case 'govuk-one-login':
      return [];
  }
}

const esignetMethods: Readonly<Record<string, true>> = {
  'mosip:idp:acr:static-code': true,
  'mosip:idp:acr:generated-code': true,
  'mosip:idp:acr:linked-wallet': true,
  'mosip:idp:acr:biometrics': true,
};

interface AssuranceOutcome {
  readonly acr?: string;
  readonly amr?: string[];
  readonly vectorOfTrust?: string;
}

function eidasName(level: AssuranceLevel): 'low' | 'substantial' | 'high' {
  if (level.authentication === 'high' && level.identity === 'high') return 'high';
  if (
    level.authentication !== 'low' &&
    (level.identity === 'medium' || level.identity === 'high')
  ) {
    return 'substantial';
  }
  return 'low';
}

function requestedAcrValues(parameters: Record<string, unknown>): string[] {
  return typeof parameters.acr_values === 'string'
    ? parameters.acr_values.split(' ').filter(Boolean)
    : [];
}

function decideAssurance(
  profile: DevProviderProfile,
  persona: DevPersona,
  parameters: Record<string, unknown>,
): AssuranceOutcome {
  const amr = [...persona.authenticationMethods];
  switch (profile) {
    case 'generic':
      return { acr: `http://eidas.europa.eu/LoA/${eidasName(persona.assurance)}`, amr };
    case 'tara': {
      const taraMethod =
        persona.assurance.authentication === 'high'
          ? 'idcard'
          : persona.assurance.authentication === 'substantial'
            ? 'mID'
            : 'eidas';
      return { acr: eidasName(persona.assurance), amr: [taraMethod] };
    }
    case 'singpass': {
      const level = { low: 1, substantial: 2, high: 3 }[persona.assurance.authentication];
      return { acr: `urn:singpass:authentication:loa:${level}`, amr };
    }
    case 'login-gov': {
      const chosen = requestedAcrValues(parameters).find((value) => {
        const level = fromLoginGovAcr(value);
        return level !== undefined && meetsMinimumAssurance(persona.assurance, level);
      });
      return { acr: chosen ?? 'urn:acr.login.gov:auth-only', amr };
    }
    case 'esignet': {
      const chosen = requestedAcrValues(parameters).find((value) => {
        const level = fromEsignetAcr(value);
        return level !== undefined && meetsMinimumAssurance(persona.assurance, level);
      });
      return { acr: chosen ?? 'mosip:idp:acr:static-code', amr };
    }
    case 'govuk-one-login': {
      let requested: unknown = ['Cl.Cm'];
      if (typeof parameters.vtr === 'string') {
        try {
          requested = JSON.parse(parameters.vtr);
        } catch {
          requested = [];
        }
      }
      const vectors = Array.isArray(requested)
        ? requested.filter((value) => typeof value === 'string')
        : [];
      const chosen = vectors.find((vector) => {
        const level = fromGovukVectorOfTrust(vector);
        return level !== undefined && meetsMinimumAssurance(persona.assurance, level);
      });
      return {
        vectorOfTrust: chosen ?? (persona.assurance.authentication === 'low' ? 'Cl' : 'Cl.Cm'),
      };
    }
  }
}

function claimNamesOf(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) return [];
    const names = new Set<string>();
    for (const section of [
      (parsed as Record<string, unknown>).userinfo,
      (parsed as Record<string, unknown>).id_token,
    ]) {
      if (typeof section === 'object' && section !== null)
        for (const name of Object.keys(section)) names.add(name);
    }
    return [...names];
  } catch {
    return [];
  }
}

function claimsOf(
  profile: DevProviderProfile,
  persona: DevPersona,
  loginContext: LoginContext | undefined,
): Record<string, unknown> {
  const address =
    persona.address === undefined
      ? undefined
      : {
          formatted: persona.address.formatted,
          ...(persona.address.streetAddress === undefined
            ? {}
            : { street_address: persona.address.streetAddress }),
          ...(persona.address.locality === undefined ? {} : { locality: persona.address.locality }),
          ...(persona.address.region === undefined ? {} : { region: persona.address.region }),
          ...(persona.address.postalCode === undefined
            ? {}
            : { postal_code: persona.address.postalCode }),
          country: persona.address.country,
        };
  const claims: Record<string, unknown> = {
    sub: persona.id,
    name: persona.name,
    given_name: persona.givenName,
    family_name: persona.familyName,
    locale: persona.locale,
    ...(persona.birthDate === undefined ? {} : { birthdate: persona.birthDate }),
    ...(persona.email === undefined ? {} : { email: persona.email, email_verified: true }),
    ...(persona.phoneNumber === undefined
      ? {}
      : { phone_number: persona.phoneNumber, phone_number_verified: true }),
    ...(address === undefined ? {} : { address }),
  };
  switch (profile) {
    case 'govuk-one-login': {
      const vectorOfTrust = loginContext?.vectorOfTrust ?? 'Cl.Cm';
      claims.vot = vectorOfTrust;
      claims.vtm = 'https://oidc.example.invalid/trustmark';
      const proven = /P[1-9]/.test(vectorOfTrust);
      if (proven && persona.address !== undefined) {
        claims['https://vocab.account.gov.uk/v1/address'] = [
          {
            ...(persona.address.streetAddress === undefined
              ? {}
              : { streetName: persona.address.streetAddress }),
            ...(persona.address.locality === undefined
              ? {}
              : { addressLocality: persona.address.locality }),
            ...(persona.address.postalCode === undefined
              ? {}
              : { postalCode: persona.address.postalCode }),
            addressCountry: persona.address.country,
          },
        ];
      }
      if (proven && persona.nationalIdentifier !== undefined) {
        claims['https://vocab.account.gov.uk/v1/passport'] = [
          {
            documentNumber: persona.nationalIdentifier,
            icaoIssuerCode: 'VNM',
            expiryDate: '2035-01-01',
          },
        ];
      }
      claims['https://vocab.account.gov.uk/v1/returnCode'] = proven ? [] : [{ code: 'X' }];
      break;
    }
    case 'login-gov':
      if (persona.phoneNumber !== undefined) {
        claims.phone = persona.phoneNumber;
        claims.phone_verified = true;
      }
      if (persona.email !== undefined) claims.all_emails = [persona.email];
      if (persona.nationalIdentifier !== undefined && persona.assurance.identity !== 'none') {
        claims.social_security_number = persona.nationalIdentifier;
      }
      break;
    case 'esignet':
      if (persona.nationalIdentifier !== undefined)
        claims.individual_id = persona.nationalIdentifier;
      break;
    case 'tara':
      claims.profile_attributes = {
        given_name: persona.givenName,
        family_name: persona.familyName,
        ...(persona.birthDate === undefined ? {} : { date_of_birth: persona.birthDate }),
      };
      break;
    case 'generic':
    case 'singpass':
      break;
  }
  return claims;
}

// The provider's own sign-out pages, in Vietnamese with English alongside
// (the dev provider does not know which language the service uses).
const pageHead =
  '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Nhà cung cấp định danh thử nghiệm – Dev identity provider</title></head><body><main>';

function signOutPage(form: string): string {
  return `${pageHead}<h1>Đăng xuất khỏi nhà cung cấp định danh thử nghiệm? <span lang="en">Sign out of the dev identity provider?</span></h1>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Có, đăng xuất – <span lang="en">Yes, sign me out</span></button> <button type="submit" form="op.logoutForm">Không, vẫn đăng nhập – <span lang="en">No, stay signed in</span></button></main></body></html>`;
}

const signedOutPage = `${pageHead}<h1>Bạn đã đăng xuất. <span lang="en">You have signed out.</span></h1></main></body></html>`;
