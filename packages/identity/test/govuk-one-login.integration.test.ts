// GOV.UK One Login end to end: the Cl.Cm.P2 journey through the handlers against the dev
// provider (which issues the real service's shapes), and the profile against recorded tokens
// of the documented shape (test/fixtures/govuk-one-login.ts) served by a fixture provider.
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevProvider, startDevProvider } from '../src/dev-provider.js';
import {
  coreIdentitySourceFor,
  createRelyingParty,
  generateClientKeys,
  govukOneLoginProfile,
  IdentityError,
  type IdentityErrorCode,
  type RelyingParty,
  type VerifiedIdentity,
} from '../src/index.js';
import { CookieJar, followRedirects } from '../src/testing/cookie-jar.js';
import { prepareCallback } from '../src/testing/sign-in.js';
import {
  coreIdentityClaims,
  documentedSubject,
  idTokenClaims,
  userinfoBody,
} from './fixtures/govuk-one-login.js';
import { type HostileProvider, startHostileProvider } from './support/hostile-provider.js';

const redirectUri = 'http://127.0.0.1:3000/auth/callback';
const cookieSecret = 'dGhpcy1pcy1hLXRlc3QtY29va2llLXNlY3JldC0zMmJ5dGVz';
const clientId = 'govuk-journey';

describe('GOV.UK One Login: the Cl.Cm.P2 journey through the handlers (dev provider)', () => {
  let devProvider: DevProvider;
  const parties: RelyingParty[] = [];
  let keys: Awaited<ReturnType<typeof generateClientKeys>>;

  const partyFor = (vectorsOfTrust: string[]): RelyingParty => {
    const party = createRelyingParty({
      issuer: devProvider.issuer,
      clientId,
      clientPrivateKey: keys.signingKey,
      redirectUri,
      cookieSecret,
      keepTokens: true,
      profile: govukOneLoginProfile({
        vectorsOfTrust,
        coreIdentityIssuer: devProvider.govuk.coreIdentityIssuer,
      }),
    });
    parties.push(party);
    return party;
  };

  // handleLogin -> the provider -> handleCallback; the identity given to onSignedIn, or the error given to onError
  const journey = async (
    party: RelyingParty,
    loginHint: string,
  ): Promise<{ identity?: VerifiedIdentity; error?: IdentityError; status: number }> => {
    const callback = await prepareCallback(party, redirectUri, { loginHint, returnTo: '/apply' });
    let identity: VerifiedIdentity | undefined;
    let error: IdentityError | undefined;
    const response = await party.handleCallback(callback, {
      onSignedIn: (signedIn, { returnTo }) => {
        identity = signedIn;
        return new Response(null, { status: 303, headers: { location: returnTo } });
      },
      onError: (refused) => {
        error = refused;
        return new Response('refused', { status: 400 });
      },
    });
    return {
      ...(identity === undefined ? {} : { identity }),
      ...(error === undefined ? {} : { error }),
      status: response.status,
    };
  };

  beforeAll(async () => {
    keys = await generateClientKeys();
    devProvider = await startDevProvider({
      profile: 'govuk-one-login',
      clients: [
        {
          clientId,
          redirectUris: [redirectUri],
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks: keys.publicJwks,
        },
      ],
    });
  });
  afterAll(async () => {
    for (const party of parties) await party.close();
    await devProvider.close();
  });

  it('completes with the level P2 maps to and the verified core identity claims; the ID token is shaped as the real one', async () => {
    const { identity, status } = await journey(partyFor(['Cl.Cm.P2']), 'alice-smith');
    expect(status).toBe(303);
    expect(identity).toMatchObject({
      subject: devProvider.subjectOf('alice-smith'),
      provider: 'govuk-one-login',
      assurance: { authentication: 'substantial', identity: 'medium' },
      claims: {
        name: { full: 'Alice Smith', given: 'Alice', family: 'Smith' },
        birthDate: '1978-02-28',
      },
      providerData: { vot: 'Cl.Cm', coreIdentityVot: 'P2' },
    });
    // the ID token as GOV.UK One Login issues it: credential trust only in vot, nothing personal
    const idToken = decodeJwt(identity?.tokens?.idToken ?? '');
    expect(idToken.vot).toBe('Cl.Cm');
    expect(idToken.sub).toMatch(/^urn:fdc:gov\.uk:2022:[\w-]{43}=$/);
    expect(idToken.vtm).toBe(`${devProvider.issuer}/trustmark`);
    for (const personal of ['email', 'name', 'given_name', 'birthdate', 'phone_number'])
      expect(idToken).not.toHaveProperty(personal);
    // the documented claims (the recorded ID token) and those tied to the run, nothing else;
    // oidc-provider issues no `at_hash` from the token endpoint and `sid` only to clients
    // registered for back-channel logout, so the dev provider's token lacks those two
    const documented = [...Object.keys(idTokenClaims), 'iss', 'aud', 'exp', 'iat', 'nonce'];
    expect(Object.keys(idToken).sort()).toEqual(
      documented.filter((claim) => claim !== 'at_hash' && claim !== 'sid').sort(),
    );
  });

  it('refuses a P1 core identity for a P2 request and a missing core identity, with distinct codes', async () => {
    const party = partyFor(['Cl.Cm.P2']);
    devProvider.setFaults({ coreIdentity: 'lower-level' });
    const lower = await journey(party, 'nguyen-van-an').finally(() => devProvider.setFaults({}));
    devProvider.setFaults({ coreIdentity: 'missing' });
    const missing = await journey(party, 'nguyen-van-an').finally(() => devProvider.setFaults({}));
    expect(lower.error?.code).toBe('IDENTITY_CORE_IDENTITY_VOT_MISMATCH');
    expect(missing.error?.code).toBe('IDENTITY_CORE_IDENTITY_MISSING');
    expect(lower.identity).toBeUndefined();
    expect(missing.identity).toBeUndefined();
  });

  it('refuses a Cl ID token for a Cl.Cm request', async () => {
    const { error } = await journey(partyFor(['Cl.Cm']), 'le-hoang-duc');
    expect(error?.code).toBe('IDENTITY_VECTOR_OF_TRUST_MISMATCH');
    expect(error?.details).toMatchObject({ requested: ['Cl.Cm'], achieved: 'Cl' });
  });
});

describe('GOV.UK One Login profile against recorded tokens of the documented shape', () => {
  let provider: HostileProvider;
  let idTokenKey: CryptoKey;
  let identityKey: CryptoKey;
  let identityIssuer: string;
  let controller: string;
  const parties: RelyingParty[] = [];

  const partyWith = (options: Parameters<typeof govukOneLoginProfile>[0] = {}): RelyingParty => {
    const party = createRelyingParty({
      issuer: provider.issuer,
      clientId,
      clientSecret: 'fixture-secret-0123456789abcdef',
      redirectUri,
      cookieSecret,
      profile: govukOneLoginProfile({
        vectorsOfTrust: ['Cl.Cm.P2'],
        coreIdentityIssuer: identityIssuer,
        claims: ['coreIdentityJWT', 'address', 'returnCode'],
        ...options,
      }),
    });
    parties.push(party);
    return party;
  };

  const coreIdentityJwt = (changes: Record<string, unknown> = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      ...coreIdentityClaims,
      iss: identityIssuer,
      aud: clientId,
      nbf: now,
      iat: now,
      exp: now + 86_400,
      ...changes,
    })
      .setProtectedHeader({ kid: `${controller}#identity-key-1`, alg: 'ES256' })
      .sign(identityKey);
  };

  // serves the fixture: ID token claims over the per-run ones, userinfo replaced by the documented body
  const serve = (idToken: Record<string, unknown>, userinfo: Record<string, unknown>) => {
    provider.scenario = {
      claims: (claims) => {
        delete claims.acr;
        Object.assign(claims, idToken);
      },
      sign: (claims) =>
        new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'es-1' }).sign(idTokenKey),
      userinfo: (body) => {
        for (const key of Object.keys(body)) delete body[key];
        Object.assign(body, userinfo);
      },
    };
  };

  const signIn = async (party: RelyingParty): Promise<VerifiedIdentity> => {
    const start = await party.startLogin();
    const url = await followRedirects(new CookieJar(), start.authorizationUrl, redirectUri);
    const { identity } = await party.finishLogin({
      url: url.href,
      cookie: start.setCookie.split(';')[0] ?? '',
    });
    return identity;
  };

  const refusal = async (party: RelyingParty): Promise<IdentityErrorCode | string> =>
    signIn(party).then(
      () => 'signed in',
      (error: unknown) => (IdentityError.isInstance(error) ? error.code : String(error)),
    );

  beforeAll(async () => {
    provider = await startHostileProvider(clientId);
    identityIssuer = `${provider.issuer}/`;
    ({ controller } = coreIdentitySourceFor(identityIssuer));
    const idTokenPair = await generateKeyPair('ES256', { extractable: true });
    const identityPair = await generateKeyPair('ES256', { extractable: true });
    idTokenKey = idTokenPair.privateKey;
    identityKey = identityPair.privateKey;
    provider.extraJwks = [
      { ...(await exportJWK(idTokenPair.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' },
    ];
    provider.metadata = { id_token_signing_alg_values_supported: ['ES256', 'RS256'] };
    provider.didDocument = {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
      id: controller,
      assertionMethod: [
        {
          type: 'JsonWebKey',
          id: `${controller}#identity-key-1`,
          controller,
          publicKeyJwk: { ...(await exportJWK(identityPair.publicKey)), alg: 'ES256' },
        },
      ],
    };
  });
  afterAll(async () => {
    for (const party of parties) await party.close();
    await provider.close();
  });

  it('derives the did:web controller from the identity issuer, the port colon as %3A', () => {
    expect(controller).toBe(`did:web:127.0.0.1%3A${new URL(provider.issuer).port}`);
    expect(coreIdentitySourceFor('https://identity.integration.account.gov.uk/')).toEqual({
      issuer: 'https://identity.integration.account.gov.uk/',
      controller: 'did:web:identity.integration.account.gov.uk',
      didDocumentUrl: 'https://identity.integration.account.gov.uk/.well-known/did.json',
    });
  });

  it('signs in from the documented ID token, userinfo and core identity', async () => {
    serve(idTokenClaims, {
      ...userinfoBody,
      'https://vocab.account.gov.uk/v1/coreIdentityJWT': await coreIdentityJwt(),
    });
    const identity = await signIn(partyWith());
    expect(identity).toEqual({
      subject: documentedSubject,
      provider: 'govuk-one-login',
      issuer: provider.issuer,
      assurance: { authentication: 'substantial', identity: 'medium' },
      claims: {
        name: { full: 'GEOFFREY HEARNSHAW', given: 'GEOFFREY', family: 'HEARNSHAW' },
        birthDate: '1955-04-19',
        email: 'test@example.com',
        emailVerified: true,
        phoneNumber: '+441406946277',
        phoneNumberVerified: true,
        address: {
          streetAddress: '16 WEST LEA HIGH STREET',
          locality: 'GREAT MISSENDEN',
          postalCode: 'HP16 0AL',
          country: 'GB',
        },
      },
      providerData: { vot: 'Cl.Cm', coreIdentityVot: 'P2', returnCodes: [] },
    });
  });

  it('refuses the documented shapes with a P1 core identity, with none (return code X), and with a Cl ID token', async () => {
    serve(idTokenClaims, {
      ...userinfoBody,
      'https://vocab.account.gov.uk/v1/coreIdentityJWT': await coreIdentityJwt({ vot: 'P1' }),
    });
    expect(await refusal(partyWith())).toBe('IDENTITY_CORE_IDENTITY_VOT_MISMATCH');
    serve(idTokenClaims, {
      ...userinfoBody,
      'https://vocab.account.gov.uk/v1/returnCode': [{ code: 'X' }],
    });
    const missing = await signIn(partyWith()).catch((error: unknown) => error);
    expect(missing).toMatchObject({
      code: 'IDENTITY_CORE_IDENTITY_MISSING',
      details: { returnCodes: ['X'] },
    });
    serve({ ...idTokenClaims, vot: 'Cl' }, userinfoBody);
    expect(await refusal(partyWith({ vectorsOfTrust: ['Cl.Cm'] }))).toBe(
      'IDENTITY_VECTOR_OF_TRUST_MISMATCH',
    );
  });

  it('accepts RS256 ID tokens when the client is registered for them (ES256 only by default)', async () => {
    serve(idTokenClaims, userinfoBody);
    // the fixture provider's own RS256 key signs
    const { sign: _es256, ...rs256 } = provider.scenario;
    provider.scenario = rs256;
    const authOnly = { vectorsOfTrust: ['Cl.Cm'], claims: [] } as const;
    expect(await refusal(partyWith(authOnly))).toBe('IDENTITY_ID_TOKEN_ALGORITHM_NOT_ALLOWED');
    const identity = await signIn(partyWith({ ...authOnly, idTokenSigningAlgorithms: ['RS256'] }));
    expect(identity.assurance).toEqual({ authentication: 'substantial', identity: 'none' });
    expect(identity.subject).toBe(documentedSubject);
  });
});
