import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelyingParty, genericProfile, type RelyingParty } from '../src/index.js';
import { type HostileProvider, startHostileProvider } from './support/hostile-provider.js';

const clientId = 'logout-service';
const event = { 'http://schemas.openid.net/event/backchannel-logout': {} };

describe('back-channel logout tokens', () => {
  let provider: HostileProvider;
  let relyingParty: RelyingParty;
  let jti = 0;

  const logoutToken = (claims: Record<string, unknown>, alg = 'RS256') => {
    jti += 1;
    return new SignJWT({
      iss: provider.issuer,
      aud: clientId,
      jti: `logout-${jti}`,
      events: event,
      sub: 'citizen-1',
      ...claims,
    })
      .setProtectedHeader({ alg, kid: 'published', typ: 'logout+jwt' })
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(provider.keys.published);
  };
  const post = (token: string) =>
    new Request('http://127.0.0.1:3000/auth/backchannel-logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: token }),
    });

  beforeAll(async () => {
    provider = await startHostileProvider(clientId);
    relyingParty = createRelyingParty({
      issuer: provider.issuer,
      clientId,
      clientSecret: 'logout-secret-0123456789abcdef',
      redirectUri: 'http://127.0.0.1:3000/auth/callback',
      cookieSecret: 'dGhpcy1pcy1hLXRlc3QtY29va2llLXNlY3JldC0zMmJ5dGVz',
      profile: genericProfile({ idTokenSigningAlgorithms: ['RS256'] }),
      unsafeAllowHttp: true,
    });
  });
  afterAll(async () => {
    await relyingParty.close();
    await provider.close();
  });

  it('accepts a valid logout token once and hands over the subject and session', async () => {
    const token = await logoutToken({ sid: 'session-9' });
    const seen: unknown[] = [];
    const response = await relyingParty.handleBackchannelLogout(post(token), (logout) => {
      seen.push(logout);
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ subject: 'citizen-1', sessionId: 'session-9' }]);
    const replay = await relyingParty.handleBackchannelLogout(post(token), () => undefined);
    expect(replay.status).toBe(400);
  });

  it.each([
    ['a nonce', { nonce: 'n' }, 'IDENTITY_LOGOUT_TOKEN_INVALID'],
    ['no event', { events: {} }, 'IDENTITY_LOGOUT_TOKEN_INVALID'],
    ['another audience', { aud: 'someone-else' }, 'IDENTITY_LOGOUT_TOKEN_INVALID'],
    ['neither sub nor sid', { sub: undefined }, 'IDENTITY_LOGOUT_TOKEN_INVALID'],
  ])('refuses a logout token with %s', async (_name, claims, code) => {
    await expect(relyingParty.verifyLogoutToken(await logoutToken(claims))).rejects.toMatchObject({
      code,
    });
  });
});
