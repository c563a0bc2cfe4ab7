// Smoke exercise for @civicblocks/identity, run by the release rehearsal in a
// scratch consumer outside the workspace, once after `import` (ESM) and once
// after `require()` (CommonJS). It uses every public subpath for real work: the
// in-process dev provider, a whole sign-in through the web handlers with a
// cookie jar (generic and GOV.UK One Login with private_key_jwt and a core
// identity JWT), a replay refused by a SQL replay store on PGlite, a refused
// open redirect, and client keys serving their JWKS.
const assert = require('node:assert/strict');

const redirectUri = 'http://127.0.0.1:3000/auth/callback';
const cookieSecret = 'cmVoZWFyc2FsLWxvZ2luLWNvb2tpZS1zZWNyZXQtMDEyMzQ1';

module.exports = async function exercise(modules, mode) {
  const identity = modules['@civicblocks/identity'];
  const { startDevProvider, devPersonas } = modules['@civicblocks/identity/dev-provider'];
  const { prepareCallback, CookieJar } = modules['@civicblocks/identity/testing'];
  const core = require('@civicblocks/core');
  const { createPgliteExecutor } = require('@civicblocks/core/pglite');
  assert.equal(typeof CookieJar, 'function');
  assert.ok(devPersonas.some((persona) => persona.id === 'tran-thi-mai'));

  // Generic OIDC against the dev provider, replay store on PGlite.
  const generic = await startDevProvider({
    clients: [
      {
        clientId: `svc-${mode}`,
        clientSecret: 'rehearsal-secret-0123456789',
        redirectUris: [redirectUri],
      },
    ],
  });
  const database = createPgliteExecutor();
  try {
    await core.migrate(database, core.coreMigrations);
    const relyingParty = identity.createRelyingParty({
      issuer: generic.issuer,
      clientId: `svc-${mode}`,
      clientSecret: 'rehearsal-secret-0123456789',
      redirectUri,
      cookieSecret,
      unsafeAllowHttp: true,
      profile: identity.genericProfile(),
      replayStore: identity.createSqlReplayStore(database),
    });
    try {
      const callback = await prepareCallback(relyingParty, redirectUri, {
        loginHint: 'tran-thi-mai',
        returnTo: '/permits?step=2',
      });
      let signedIn;
      const response = await relyingParty.handleCallback(callback, {
        onSignedIn: (verified, { returnTo }) => {
          signedIn = verified;
          return new Response(null, { status: 303, headers: { location: returnTo } });
        },
      });
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), '/permits?step=2');
      assert.equal(signedIn.subject, 'tran-thi-mai');
      assert.equal(signedIn.claims.name.full.normalize('NFC'), 'Trần Thị Mai');
      assert.equal(signedIn.tokens, undefined); // raw tokens are not kept by default

      const replayed = await relyingParty.handleCallback(callback, {
        onSignedIn: () => assert.fail('a replayed callback must not sign in'),
      });
      assert.equal(replayed.status, 400);

      const openRedirect = await relyingParty.handleLogin(
        new Request('http://127.0.0.1:3000/auth/login?returnTo=https://evil.example/'),
      );
      assert.equal(openRedirect.status, 400);
      await assert.rejects(
        relyingParty.startLogin({ returnTo: '//evil.example/' }),
        (error) =>
          identity.IdentityError.isInstance(error) && error.code === 'IDENTITY_RETURN_TO_INVALID',
      );
    } finally {
      await relyingParty.close();
    }
  } finally {
    await database.close();
    await generic.close();
  }

  // GOV.UK One Login: private_key_jwt, vtr/vot and a core identity JWT checked against the DID document.
  const keys = await identity.generateClientKeys();
  const jwks = await keys.jwksResponse().json();
  assert.equal(jwks.keys.length > 0 && jwks.keys.every((key) => key.d === undefined), true);
  const govuk = await startDevProvider({
    profile: 'govuk-one-login',
    clients: [
      {
        clientId: `govuk-${mode}`,
        redirectUris: [redirectUri],
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: keys.publicJwks,
      },
    ],
  });
  const govukParty = identity.createRelyingParty({
    issuer: govuk.issuer,
    clientId: `govuk-${mode}`,
    clientPrivateKey: keys.signingKey,
    redirectUri,
    cookieSecret,
    unsafeAllowHttp: true,
    profile: identity.govukOneLoginProfile({
      vectorsOfTrust: ['Cl.Cm.P2'],
      coreIdentityIssuer: govuk.govuk.coreIdentityIssuer,
    }),
    minimumAssurance: { authentication: 'substantial', identity: 'medium' },
  });
  try {
    const callback = await prepareCallback(govukParty, redirectUri, { loginHint: 'nguyen-van-an' });
    const { identity: verified } = await govukParty.finishLogin({
      url: callback.url,
      cookie: callback.headers.get('cookie'),
    });
    assert.equal(verified.provider, 'govuk-one-login');
    assert.deepEqual(verified.assurance, { authentication: 'substantial', identity: 'medium' });
  } finally {
    await govukParty.close();
    await govuk.close();
  }
};
