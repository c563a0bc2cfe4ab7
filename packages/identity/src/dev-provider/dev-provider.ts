import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { IdentityError } from '../errors/identity-error.js';
import { isLoopbackHost } from '../relying-party/loopback.js';
import { type AssuranceOutcome, acrValuesOf } from './assurance-outcome.js';
import { toClientMetadata } from './client-metadata.js';
import type { DevProvider, DevProviderFaults, DevProviderOptions } from './dev-provider-options.js';
import { createCoreIdentityIssuer } from './govuk-core-identity-issuer.js';
import { createInteraction, devInteractionPolicy } from './interaction.js';
import { createMemoryAdapter } from './memory-adapter.js';
import { signedOutPage, signOutPage } from './pages.js';
import { claimsOf, subjectOf } from './persona-claims.js';
import { type DevPersona, devPersonas } from './personas.js';

// The dev provider is assembled from parts found by file name: dev-provider-options.ts (its
// public types), interaction.ts (persona choice), persona-claims.ts (token and userinfo
// shapes per imitated provider), assurance-outcome.ts (acr, amr, vot), govuk-core-identity-
// issuer.ts (core identity JWT and DID document), client-metadata.ts, memory-adapter.ts and
// pages.ts (its own pages).

/**
 * Starts an OpenID Connect provider (oidc-provider, OpenID-certified)
 * in-process on loopback, with test personas. Sign-in is non-interactive: the
 * persona is chosen by the `login_hint` authorization parameter (or
 * `defaultPersona`) on every request, whatever session the browser has with
 * the provider, and consent is given automatically. Tokens have the shape of
 * the imitated provider (GOV.UK One Login: `urn:fdc:gov.uk:2022:` subjects,
 * `vot` = credential trust in the ID token, the identity level in the core
 * identity JWT, userinfo with only the claims asked for). Configure `profile`
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
  if (!isLoopbackHost(host) && options.unsafeAllowNonLoopback !== true) {
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
  const byAccountId = new Map<string, DevPersona>(
    [...personas.values()].map((persona) => [subjectOf(profile, persona.id), persona]),
  );

  const [rsa, ec] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
  ]);
  const rsaJwk = { ...(await exportJWK(rsa.privateKey)), alg: 'RS256', use: 'sig' };
  const ecJwk = { ...(await exportJWK(ec.privateKey)), alg: 'ES256', use: 'sig' };
  rsaJwk.kid = await calculateJwkThumbprint(rsaJwk);
  ecJwk.kid = await calculateJwkThumbprint(ecJwk);

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
  const coreIdentity = await createCoreIdentityIssuer(issuer, hostForUrl, address.port);
  const outcomes = new Map<string, AssuranceOutcome>();
  let faults: DevProviderFaults = {};

  const defaultSigningAlgorithm =
    profile === 'govuk-one-login' || profile === 'singpass' ? 'ES256' : 'RS256';
  const clients = options.clients.map((client) =>
    toClientMetadata(client, defaultSigningAlgorithm),
  );

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
          ? ['sub', 'vot', 'vtm']
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
      sub_account: ['sub_account'],
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
      policy: devInteractionPolicy(),
    },
    findAccount: async (
      _context: unknown,
      accountId: string,
      token?: { grantId?: string; clientId?: string },
    ) => {
      const persona = byAccountId.get(accountId);
      if (persona === undefined) return undefined;
      const outcome = token?.grantId === undefined ? undefined : outcomes.get(token.grantId);
      return {
        accountId,
        claims: async (use: string, _scope: string, requested?: Record<string, unknown>) => {
          const identityVector = outcome?.identityVector;
          const claims = claimsOf(profile, persona, {
            ...(outcome?.credentialTrust === undefined
              ? {}
              : { credentialTrust: outcome.credentialTrust }),
            identityProven: identityVector !== undefined && faults.coreIdentity !== 'missing',
            issuer,
          });
          if (profile !== 'govuk-one-login') return claims;
          if (use === 'id_token') {
            // GOV.UK One Login's ID token: sub, vot, vtm (and the protocol claims); nothing personal
            return { sub: claims.sub, vot: claims.vot, vtm: claims.vtm };
          }
          if (use === 'userinfo') {
            // vot and vtm belong to the ID token; the core identity JWT only to userinfo, when asked for
            delete claims.vot;
            delete claims.vtm;
            const coreIdentityClaim = 'https://vocab.account.gov.uk/v1/coreIdentityJWT';
            if (
              identityVector !== undefined &&
              faults.coreIdentity !== 'missing' &&
              token?.clientId !== undefined &&
              (requested === undefined || coreIdentityClaim in requested)
            ) {
              claims[coreIdentityClaim] = await coreIdentity.sign(
                persona,
                token.clientId,
                identityVector,
                faults,
              );
            }
          }
          return claims;
        },
      };
    },
  });

  const interact = createInteraction({
    provider,
    profile,
    personas,
    defaultPersona: options.defaultPersona,
    outcomes,
  });
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
    if (
      (path === '/auth' || path.startsWith('/auth/')) &&
      typeof request.headers.cookie === 'string'
    ) {
      // Every authorization request starts without the provider's session: the persona
      // login_hint names is signed in, whoever was before in this browser, and a persona the
      // service refused leaves nothing behind. (Sign-out at /session/end still sees it.)
      request.headers.cookie = request.headers.cookie
        .split(';')
        .filter((part) => !part.trim().startsWith('_session'))
        .join(';');
    }
    if (path === '/.well-known/did.json' && profile === 'govuk-one-login') {
      response.setHeader('content-type', 'application/did+json');
      response.setHeader('cache-control', 'max-age=3600');
      response.end(JSON.stringify(coreIdentity.didDocument()));
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
    govuk: coreIdentity.govuk,
    personas: [...personas.values()],
    subjectOf: (personaId: string) => subjectOf(profile, personaId),
    setFaults(next: DevProviderFaults): void {
      faults = next;
    },
    rotateCoreIdentityKey: () => coreIdentity.rotate(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        outcomes.clear();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
