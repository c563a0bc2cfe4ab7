// A full sign-in round trip against the same in-process dev provider
// (oidc-provider): authorization request, the browser's redirects through the
// provider with a cookie jar, token request, ID token signature check and
// userinfo. Ours: the package's relying party (sealed login cookie, replay
// record, typed checks, normalised identity). Baseline: a bare openid-client
// flow doing the same protocol work (PKCE, state, nonce, signature check via
// non-repudiation, userinfo). Neither side uses PAR, so both make the same calls.
import { createRelyingParty, genericProfile } from '@civicblocks/identity';
import { startDevProvider } from '@civicblocks/identity/dev-provider';
import { CookieJar, followRedirects } from '@civicblocks/identity/testing';
import * as client from 'openid-client';
import { compare } from './lib/harness.mjs';

const redirectUri = 'http://127.0.0.1:3000/auth/callback';
const secret = 'bench-secret-0123456789abcdef';

export default async function run() {
  const devProvider = await startDevProvider({
    clients: [{ clientId: 'bench-service', clientSecret: secret, redirectUris: [redirectUri] }],
  });
  const relyingParty = createRelyingParty({
    issuer: devProvider.issuer,
    clientId: 'bench-service',
    clientSecret: secret,
    redirectUri,
    cookieSecret: 'YmVuY2gtY29va2llLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm',
    profile: genericProfile({ pushedAuthorization: 'never' }),
    unsafeAllowHttp: true,
  });
  const config = await client.discovery(
    new URL(devProvider.issuer),
    'bench-service',
    undefined,
    client.ClientSecretPost(secret),
    {
      execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
    },
  );

  const ours = async () => {
    const start = await relyingParty.startLogin({ loginHint: 'tran-thi-mai' });
    const callback = await followRedirects(new CookieJar(), start.authorizationUrl, redirectUri);
    const { identity } = await relyingParty.finishLogin({
      url: callback,
      cookie: start.setCookie.split(';')[0],
    });
    if (identity.subject !== 'tran-thi-mai') throw new Error('wrong subject');
  };
  const bare = async () => {
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      login_hint: 'tran-thi-mai',
    });
    const callback = await followRedirects(new CookieJar(), url, redirectUri);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const subject = tokens.claims()?.sub;
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, subject);
    if (userinfo.sub !== 'tran-thi-mai') throw new Error('wrong subject');
  };

  try {
    return await compare({
      name: 'identity-login',
      ours,
      baseline: { name: 'openid-client', fn: bare },
      rounds: 80,
      batch: 10,
      warmup: 20,
    });
  } finally {
    await relyingParty.close();
    await devProvider.close();
  }
}
