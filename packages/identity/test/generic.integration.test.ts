import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevProvider, startDevProvider } from '../src/dev-provider.js';
import { IdentityError } from '../src/errors/identity-error.js';
import { genericProfile } from '../src/profiles/generic.js';
import { createRelyingParty, type RelyingParty } from '../src/relying-party/relying-party.js';
import type { VerifiedIdentity } from '../src/relying-party/verified-identity.js';
import { CookieJar, followRedirects } from '../src/testing/cookie-jar.js';
import { prepareCallback } from '../src/testing/sign-in.js';

const redirectUri = 'http://127.0.0.1:3000/auth/callback';
const cookieSecret = 'dGhpcy1pcy1hLXRlc3QtY29va2llLXNlY3JldC0zMmJ5dGVz';

describe('generic OIDC profile, end to end against the dev provider', () => {
  let devProvider: DevProvider;
  let relyingParty: RelyingParty;

  beforeAll(async () => {
    devProvider = await startDevProvider({
      clients: [
        {
          clientId: 'generic-service',
          clientSecret: 'generic-secret-0123456789abcdef',
          redirectUris: [redirectUri],
          postLogoutRedirectUris: ['http://127.0.0.1:3000/signed-out'],
        },
      ],
    });
    relyingParty = createRelyingParty({
      issuer: devProvider.issuer,
      clientId: 'generic-service',
      clientSecret: 'generic-secret-0123456789abcdef',
      redirectUri,
      postLogoutRedirectUri: 'http://127.0.0.1:3000/signed-out',
      cookieSecret,
      profile: genericProfile({ scope: 'openid profile email phone address' }),
      unsafeAllowHttp: true,
    });
  });
  afterAll(async () => {
    await relyingParty.close();
    await devProvider.close();
  });

  it('signs Nguyễn Văn An in and hands the normalised identity to onSignedIn', async () => {
    const callback = await prepareCallback(relyingParty, redirectUri, {
      loginHint: 'nguyen-van-an',
      returnTo: '/applications/42?tab=summary',
    });
    let signedIn: VerifiedIdentity | undefined;
    const response = await relyingParty.handleCallback(callback, {
      onSignedIn: (identity, { returnTo }) => {
        signedIn = identity;
        return Response.redirect(`http://127.0.0.1:3000${returnTo}`, 303);
      },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      'http://127.0.0.1:3000/applications/42?tab=summary',
    );
    expect(response.headers.get('set-cookie')).toMatch(/^civicblocks-login=; Max-Age=0/);
    expect(signedIn).toMatchObject({
      subject: 'nguyen-van-an',
      provider: 'generic',
      issuer: devProvider.issuer,
      assurance: { authentication: 'high', identity: 'high' },
      claims: {
        name: { full: 'Nguyễn Văn An', given: 'Văn An', family: 'Nguyễn' },
        birthDate: '1985-04-12',
        email: 'an.nguyen@example.vn',
        emailVerified: true,
        phoneNumber: '+84912345678',
        address: { country: 'VN', locality: 'Hà Nội' },
      },
      providerData: { acr: 'http://eidas.europa.eu/LoA/high' },
    });
    expect(signedIn?.tokens).toBeUndefined();
  });

  it('uses PAR and PKCE S256, with a CSPRNG state and nonce', async () => {
    const first = await relyingParty.startLogin();
    const second = await relyingParty.startLogin();
    expect(first.authorizationUrl.searchParams.get('request_uri')).toMatch(
      /^urn:ietf:params:oauth:request_uri:/,
    );
    expect(first.setCookie).toMatch(
      /^civicblocks-login=[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    expect(first.setCookie).not.toBe(second.setCookie);
  });

  it('refuses a sign-in below the minimum level of assurance with a typed error', async () => {
    const strict = createRelyingParty({
      issuer: devProvider.issuer,
      clientId: 'generic-service',
      clientSecret: 'generic-secret-0123456789abcdef',
      redirectUri,
      cookieSecret,
      minimumAssurance: { authentication: 'substantial', identity: 'medium' },
      unsafeAllowHttp: true,
    });
    const callback = await prepareCallback(strict, redirectUri, { loginHint: 'le-hoang-duc' });
    const error = await strict
      .finishLogin({ url: callback.url, cookie: callback.headers.get('cookie') })
      .catch((caught: unknown) => caught);
    expect(IdentityError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'IDENTITY_ASSURANCE_TOO_LOW' });
    expect((error as IdentityError).userMessage?.vi).toContain('mức xác thực');
    await strict.close();
  });

  it('builds an RP-initiated logout redirect', async () => {
    const response = await relyingParty.handleLogout(
      new Request('http://127.0.0.1:3000/auth/logout'),
      {
        idTokenHint: 'an-id-token',
      },
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(`${devProvider.issuer}/session/end`);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(
      'http://127.0.0.1:3000/signed-out',
    );
    expect(location.searchParams.get('id_token_hint')).toBe('an-id-token');
  });

  it('refreshes tokens and verifies the refreshed ID token', async () => {
    const keeping = createRelyingParty({
      issuer: devProvider.issuer,
      clientId: 'generic-service',
      clientSecret: 'generic-secret-0123456789abcdef',
      redirectUri,
      cookieSecret,
      keepTokens: true,
      profile: genericProfile({ scope: 'openid offline_access profile' }),
      unsafeAllowHttp: true,
    });
    try {
      const start = await keeping.startLogin({ loginHint: 'alice-smith', prompt: 'consent' });
      const callbackUrl = await followRedirects(
        new CookieJar(),
        start.authorizationUrl,
        redirectUri,
      );
      const { identity } = await keeping.finishLogin({
        url: callbackUrl,
        cookie: start.setCookie.split(';')[0] ?? '',
      });
      expect(identity.tokens?.refreshToken).toEqual(expect.any(String));
      const refreshed = await keeping.refresh(identity.tokens?.refreshToken ?? '');
      expect(refreshed.accessToken).not.toBe(identity.tokens?.accessToken);
      expect(refreshed.idTokenClaims?.sub).toBe('alice-smith');
    } finally {
      await keeping.close();
    }
  });

  it('answers 502 with a citizen message when the provider cannot be reached', async () => {
    const unreachable = createRelyingParty({
      issuer: 'http://127.0.0.1:1',
      clientId: 'generic-service',
      clientSecret: 'generic-secret-0123456789abcdef',
      redirectUri,
      cookieSecret,
      timeoutMilliseconds: 2_000,
      unsafeAllowHttp: true,
    });
    try {
      const response = await unreachable.handleLogin(
        new Request('http://127.0.0.1:3000/auth/login', {
          headers: { 'accept-language': 'vi-VN' },
        }),
      );
      expect(response.status).toBe(502);
      expect(await response.text()).toContain('Dịch vụ định danh hiện không phản hồi');
    } finally {
      await unreachable.close();
    }
  });

  it('allows plain http only for a loopback issuer, whatever unsafeAllowHttp says', async () => {
    // loopback (the dev provider): accepted without any switch
    const loopback = createRelyingParty({
      issuer: devProvider.issuer,
      clientId: 'generic-service',
      clientSecret: 'x',
      redirectUri,
      cookieSecret,
    });
    await loopback.close();
    for (const issuer of ['http://id.example.gov', 'http://10.0.0.5:8080', 'http://[fd00::1]']) {
      expect(() =>
        createRelyingParty({
          issuer,
          clientId: 'generic-service',
          clientSecret: 'x',
          redirectUri,
          cookieSecret,
          unsafeAllowHttp: true,
        }),
      ).toThrow(expect.objectContaining({ code: 'IDENTITY_INSECURE_TRANSPORT' }));
    }
  });
});
