import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelyingParty, genericProfile, govukOneLoginProfile } from '../src/index.js';
import { CookieJar, followRedirects } from '../src/testing/cookie-jar.js';
import { type HostileProvider, startHostileProvider } from './support/hostile-provider.js';

const redirectUri = 'http://127.0.0.1:3000/auth/callback';

describe('User-Agent on every call to the provider', () => {
  let provider: HostileProvider;
  beforeAll(async () => {
    provider = await startHostileProvider('ua-service');
  });
  afterAll(() => provider.close());

  it('sends the profile User-Agent on discovery, token, JWKS and userinfo calls', async () => {
    const govuk = govukOneLoginProfile({
      userAgent: 'my-service/2.1 (+https://my-service.gov.uk)',
    });
    const relyingParty = createRelyingParty({
      issuer: provider.issuer,
      clientId: 'ua-service',
      clientSecret: 'ua-secret-0123456789abcdef',
      redirectUri,
      cookieSecret: 'dGhpcy1pcy1hLXRlc3QtY29va2llLXNlY3JldC0zMmJ5dGVz',
      // GOV.UK's User-Agent, with a generic claims check (the hostile provider speaks RS256 and has no vot)
      profile: {
        ...genericProfile({ idTokenSigningAlgorithms: ['RS256'] }),
        userAgent: govuk.userAgent ?? '',
      },
      unsafeAllowHttp: true,
    });
    try {
      provider.userAgents.length = 0;
      const start = await relyingParty.startLogin();
      const callback = await followRedirects(new CookieJar(), start.authorizationUrl, redirectUri);
      await relyingParty.finishLogin({
        url: callback,
        cookie: start.setCookie.split(';')[0] ?? '',
      });
      expect(provider.userAgents.length).toBeGreaterThanOrEqual(4);
      expect(new Set(provider.userAgents)).toEqual(
        new Set(['my-service/2.1 (+https://my-service.gov.uk)']),
      );
    } finally {
      await relyingParty.close();
    }
  });
});
