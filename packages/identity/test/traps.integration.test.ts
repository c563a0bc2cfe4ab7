// One test per trap a team met wiring a real provider (GOV.UK One Login service team, an
// agency developer building from the docs): each shows the new behaviour. Singpass traps are
// in singpass.integration.test.ts, the GOV.UK vot journey in govuk-one-login.integration.test.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DevProvider, startDevProvider } from '../src/dev-provider.js';
import {
  createRelyingParty,
  exportKeyPem,
  generateClientKeys,
  genericProfile,
  govukOneLoginProfile,
  IdentityError,
  importPrivateKeyPem,
  isConfigurationError,
  type RelyingParty,
  type RelyingPartyOptions,
  type VerifiedIdentity,
} from '../src/index.js';
import { CookieJar } from '../src/testing/cookie-jar.js';
import { prepareCallback } from '../src/testing/sign-in.js';
import { type HostileProvider, startHostileProvider } from './support/hostile-provider.js';

const redirectUri = 'http://127.0.0.1:3000/auth/callback';
const cookieSecret = 'dGhpcy1pcy1hLXRlc3QtY29va2llLXNlY3JldC0zMmJ5dGVz';
const secret = 'traps-secret-0123456789abcdef';
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

const caught = (promise: Promise<unknown>): Promise<IdentityError> =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      if (!IdentityError.isInstance(error)) throw error;
      return error;
    },
  );

describe('traps of a GOV.UK service team', () => {
  let devProvider: DevProvider;
  let hostile: HostileProvider;
  const parties: RelyingParty[] = [];
  const party = (options: Partial<RelyingPartyOptions> & { issuer: string }): RelyingParty => {
    const created = createRelyingParty({
      clientId: 'traps-service',
      clientSecret: secret,
      redirectUri,
      cookieSecret,
      ...options,
    });
    parties.push(created);
    return created;
  };

  beforeAll(async () => {
    devProvider = await startDevProvider({
      clients: [{ clientId: 'traps-service', clientSecret: secret, redirectUris: [redirectUri] }],
    });
    hostile = await startHostileProvider('traps-service');
  });
  afterAll(async () => {
    for (const created of parties) await created.close();
    await devProvider.close();
    await hostile.close();
  });

  it('a wrong issuer (a trailing slash) reaches handleLogin’s onError and the report, with both issuers named', async () => {
    const reported: IdentityError[] = [];
    const relyingParty = party({
      issuer: `${devProvider.issuer}/`,
      onError: (error) => reported.push(error),
    });
    let seen: IdentityError | undefined;
    const response = await relyingParty.handleLogin(new Request(`${redirectUri}?returnTo=/`), {
      onError: (error) => {
        seen = error;
        return new Response('custom', { status: 500 });
      },
    });
    expect(await response.text()).toBe('custom');
    expect(seen?.code).toBe('IDENTITY_DISCOVERY_ISSUER_MISMATCH');
    expect(seen?.message).toContain(`"${devProvider.issuer}"`);
    expect(seen?.message).toContain(`"${devProvider.issuer}/"`);
    expect(reported.map((error) => error.code)).toEqual(['IDENTITY_DISCOVERY_ISSUER_MISMATCH']);
    // the default: a neutral page for the citizen, one loud line for the team
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const fallback = await party({ issuer: `${devProvider.issuer}/` }).handleLogin(
        new Request(redirectUri),
      );
      expect(fallback.status).toBe(500);
      expect(await fallback.text()).toContain('service team has been told');
      expect(log).toHaveBeenCalledWith(
        expect.stringContaining('CONFIGURATION ERROR IDENTITY_DISCOVERY_ISSUER_MISMATCH'),
      );
    } finally {
      log.mockRestore();
    }
  });

  it('authorization errors are told apart: access_denied, temporarily_unavailable and server_error (retryable), invalid_request (configuration)', async () => {
    const relyingParty = party({ issuer: hostile.issuer });
    const outcome = async (error: string, description?: string) => {
      hostile.scenario = {
        callback: (parameters) => {
          parameters.delete('code');
          parameters.set('error', error);
          if (description !== undefined) parameters.set('error_description', description);
        },
      };
      try {
        const callback = await prepareCallback(relyingParty, redirectUri);
        let refused: IdentityError | undefined;
        await relyingParty.handleCallback(callback, {
          onError: (failure) => {
            refused = failure;
            return new Response(null, { status: 204 });
          },
        });
        const page = await relyingParty.handleCallback(
          await prepareCallback(relyingParty, redirectUri),
        );
        return { refused, status: page.status, retryAfter: page.headers.get('retry-after') };
      } finally {
        hostile.scenario = {};
      }
    };
    const denied = await outcome('access_denied');
    expect(denied.refused).toMatchObject({
      code: 'IDENTITY_AUTHORIZATION_DENIED',
      isRetryable: false,
    });
    expect(denied.status).toBe(400);
    for (const busy of ['temporarily_unavailable', 'server_error']) {
      const result = await outcome(busy);
      expect(result.refused).toMatchObject({
        code: 'IDENTITY_PROVIDER_UNAVAILABLE',
        isRetryable: true,
        details: { error: busy },
      });
      expect(result.status).toBe(503);
      expect(result.retryAfter).toBe('60');
    }
    const invalid = await outcome('invalid_request', 'Request vtr not valid');
    expect(invalid.refused).toMatchObject({
      code: 'IDENTITY_AUTHORIZATION_REQUEST_REJECTED',
      details: { error: 'invalid_request', errorDescription: 'Request vtr not valid' },
    });
    expect(isConfigurationError(invalid.refused as IdentityError)).toBe(true);
    expect(invalid.status).toBe(500);
  });

  it('the core identity source is derived from the issuer and never falls back to production', () => {
    const base = {
      clientId: 'svc',
      clientSecret: secret,
      redirectUri: 'https://service.example.gov.uk/auth/callback',
      cookieSecret,
    };
    // integration issuer: the integration DID document, derived; nothing written by hand
    party({
      ...base,
      issuer: 'https://oidc.integration.account.gov.uk/',
      profile: govukOneLoginProfile({ vectorsOfTrust: ['Cl.Cm.P2'] }),
    });
    // a test issuer asking for an identity, with no source: refused at creation, not at the first callback
    expect(() =>
      createRelyingParty({
        ...base,
        issuer: devProvider.issuer,
        profile: govukOneLoginProfile({ vectorsOfTrust: ['Cl.Cm.P2'] }),
      }),
    ).toThrow(expect.objectContaining({ code: 'IDENTITY_CORE_IDENTITY_SOURCE_UNKNOWN' }));
    // production keys for an integration issuer: refused
    expect(() =>
      createRelyingParty({
        ...base,
        issuer: 'https://oidc.integration.account.gov.uk/',
        profile: govukOneLoginProfile({ vectorsOfTrust: ['Cl.Cm.P2'], environment: 'production' }),
      }),
    ).toThrow(expect.objectContaining({ code: 'IDENTITY_CORE_IDENTITY_SOURCE_UNKNOWN' }));
  });

  it('plain http only to loopback: a discovery document naming a non-loopback http endpoint is refused', async () => {
    hostile.metadata = { token_endpoint: 'http://id.example.gov/token' };
    try {
      const error = await caught(party({ issuer: hostile.issuer }).startLogin());
      expect(error).toMatchObject({
        code: 'IDENTITY_INSECURE_TRANSPORT',
        details: { endpoint: 'token_endpoint' },
      });
    } finally {
      hostile.metadata = {};
    }
  });

  it('client keys as PEM, the assertion algorithm chosen, exported back as PKCS#8 and SPKI', async () => {
    const keys = await generateClientKeys({ signingAlgorithm: 'RS256' });
    expect(keys.pem.signingPrivateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(keys.pem.signingPublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const provider = await startDevProvider({
      clients: [
        {
          clientId: 'pem-service',
          redirectUris: [redirectUri],
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks: { keys: keys.publicJwks.keys.map(({ alg: _alg, ...key }) => key) },
        },
      ],
    });
    const assertions: string[] = [];
    try {
      const relyingParty = party({
        issuer: provider.issuer,
        clientId: 'pem-service',
        clientSecret: undefined as never,
        clientPrivateKey: keys.pem.signingPrivateKey,
        clientAssertionAlgorithm: 'PS256',
        fetch: async (input, init) => {
          const assertion = new URLSearchParams(String(init?.body ?? '')).get('client_assertion');
          if (assertion !== null) assertions.push(assertion);
          return fetch(input, init);
        },
      });
      const callback = await prepareCallback(relyingParty, redirectUri, {
        loginHint: 'tran-thi-mai',
      });
      const { identity } = await relyingParty.finishLogin({
        url: callback.url,
        cookie: callback.headers.get('cookie'),
      });
      expect(identity.subject).toBe('tran-thi-mai');
      expect(assertions.length).toBeGreaterThan(0);
      for (const assertion of assertions) {
        const header = JSON.parse(
          Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString(),
        );
        expect(header.alg).toBe('PS256');
      }
    } finally {
      await provider.close();
    }
    const roundTrip = await importPrivateKeyPem(keys.pem.signingPrivateKey, 'RS256');
    expect(await exportKeyPem(roundTrip)).toBe(keys.pem.signingPrivateKey);
    // mistakes fail at creation: a broken PEM, an algorithm the key cannot make
    const base = { issuer: devProvider.issuer, clientId: 'svc', redirectUri, cookieSecret };
    expect(() => createRelyingParty({ ...base, clientPrivateKey: 'not a pem' })).toThrow(
      expect.objectContaining({ code: 'IDENTITY_CLIENT_KEY_INVALID' }),
    );
    expect(() =>
      createRelyingParty({
        ...base,
        clientPrivateKey: keys.pem.signingPrivateKey,
        clientAssertionAlgorithm: 'ES256',
      }),
    ).toThrow(expect.objectContaining({ code: 'IDENTITY_CLIENT_KEY_INVALID' }));
  });

  it('an assertion algorithm the provider does not advertise is a configuration error, before any request', async () => {
    const keys = await generateClientKeys({ signingAlgorithm: 'RS256' });
    hostile.metadata = { token_endpoint_auth_signing_alg_values_supported: ['ES256'] };
    try {
      const error = await caught(
        party({
          issuer: hostile.issuer,
          clientSecret: undefined as never,
          clientPrivateKey: keys.signingKey,
        }).startLogin(),
      );
      expect(error.code).toBe('IDENTITY_ALGORITHM_NOT_SUPPORTED');
      expect(error.message).toContain('not RS256');
    } finally {
      hostile.metadata = {};
    }
  });

  it('a refused client assertion surfaces the provider’s error_description', async () => {
    const registered = await generateClientKeys();
    const other = await generateClientKeys();
    const provider = await startDevProvider({
      clients: [
        {
          clientId: 'assertion-service',
          redirectUris: [redirectUri],
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks: registered.publicJwks,
        },
      ],
    });
    try {
      const relyingParty = party({
        issuer: provider.issuer,
        clientId: 'assertion-service',
        clientSecret: undefined as never,
        clientPrivateKey: other.signingKey,
      });
      const error = await caught(relyingParty.startLogin({ loginHint: 'tran-thi-mai' }));
      expect(error.code).toBe('IDENTITY_CLIENT_AUTHENTICATION_FAILED');
      expect(error.details).toMatchObject({ error: 'invalid_client' });
      expect(String(error.details?.errorDescription)).not.toBe('undefined');
      expect(error.message).toContain(String(error.details?.errorDescription));
    } finally {
      await provider.close();
    }
  });
});

describe('traps of an agency developer building from the docs', () => {
  let devProvider: DevProvider;
  const parties: RelyingParty[] = [];
  beforeAll(async () => {
    devProvider = await startDevProvider({
      clients: [{ clientId: 'docs-service', clientSecret: secret, redirectUris: [redirectUri] }],
    });
  });
  afterAll(async () => {
    for (const created of parties) await created.close();
    await devProvider.close();
  });
  const party = (options: Partial<RelyingPartyOptions> = {}): RelyingParty => {
    const created = createRelyingParty({
      issuer: devProvider.issuer,
      clientId: 'docs-service',
      clientSecret: secret,
      redirectUri,
      cookieSecret,
      profile: genericProfile(),
      ...options,
    });
    parties.push(created);
    return created;
  };

  it('an unregistered redirect URI (localhost for 127.0.0.1) is named as such, with the provider’s explanation', async () => {
    const relyingParty = party({ redirectUri: 'http://localhost:3000/auth/callback' });
    let refused: IdentityError | undefined;
    const response = await relyingParty.handleLogin(
      new Request('http://localhost:3000/auth/login'),
      {
        onError: (error) => {
          refused = error;
          return new Response(null, { status: 500 });
        },
      },
    );
    expect(response.status).toBe(500);
    expect(refused?.code).toBe('IDENTITY_REDIRECT_URI_NOT_REGISTERED');
    expect(refused?.details).toMatchObject({
      errorDescription: expect.stringContaining('redirect_uri'),
    });
    const page = await relyingParty.handleLogin(new Request('http://localhost:3000/auth/login'));
    expect(await page.text()).not.toContain('not responding');
  });

  it('the dev provider signs in the persona login_hint names, every time, in the same browser', async () => {
    const relyingParty = party();
    const jar = new CookieJar();
    const signIn = async (loginHint: string): Promise<VerifiedIdentity> => {
      const callback = await prepareCallback(relyingParty, redirectUri, { loginHint, jar });
      return (
        await relyingParty.finishLogin({
          url: callback.url,
          cookie: callback.headers.get('cookie'),
        })
      ).identity;
    };
    expect((await signIn('alice-smith')).subject).toBe('alice-smith');
    expect((await signIn('tran-thi-mai')).subject).toBe('tran-thi-mai');
    expect((await signIn('alice-smith')).subject).toBe('alice-smith');
  });

  it('a persona refused below the minimum leaves nothing behind: the next sign-in in that browser works', async () => {
    const relyingParty = party({
      minimumAssurance: { authentication: 'substantial', identity: 'medium' },
    });
    const jar = new CookieJar();
    const attempt = async (loginHint: string) => {
      const callback = await prepareCallback(relyingParty, redirectUri, { loginHint, jar });
      return relyingParty.finishLogin({
        url: callback.url,
        cookie: callback.headers.get('cookie'),
      });
    };
    expect((await caught(attempt('le-hoang-duc'))).code).toBe('IDENTITY_ASSURANCE_TOO_LOW');
    expect((await attempt('tran-thi-mai')).identity.subject).toBe('tran-thi-mai');
  });

  it('the README documents login_hint and links only to absolute URLs (they work from the published package)', () => {
    const readme = readFileSync(`${packageRoot}/README.md`, 'utf8');
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1] ?? '');
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(link).toMatch(/^https:\/\//);
    expect(readme).toContain('login_hint');
  });

  it('a production install carries no dev-provider dependency: oidc-provider is an optional peer only, no undici', () => {
    const manifest = JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      '@civicblocks/core',
      'jose',
      'openid-client',
    ]);
    expect(manifest.peerDependenciesMeta['oidc-provider']?.optional).toBe(true);
  });
});
