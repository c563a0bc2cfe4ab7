// The negative corpus: every way a sign-in must be refused, each with its own
// error code. ID-token and callback attacks run against a hostile provider
// (test/support/hostile-provider.ts); GOV.UK core identity, vot, acr and amr
// cases run against the dev provider with injected faults.
import { CompactEncrypt, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevProvider, devPersonas, startDevProvider } from '../src/dev-provider.js';
import {
  createRelyingParty,
  generateClientKeys,
  genericProfile,
  govukOneLoginProfile,
  IdentityError,
  type IdentityErrorCode,
  type RelyingParty,
  type RelyingPartyOptions,
  taraProfile,
} from '../src/index.js';
import { CookieJar, followRedirects } from '../src/testing/cookie-jar.js';
import { prepareCallback } from '../src/testing/sign-in.js';
import { causeChain, reachableText } from './support/error-chain.js';
import {
  type HostileProvider,
  type Scenario,
  signDefault,
  startHostileProvider,
} from './support/hostile-provider.js';

const clientId = 'corpus-service';
const redirectUri = 'http://127.0.0.1:3000/auth/callback';
const cookieSecret = 'dGhpcy1pcy1hLXRlc3QtY29va2llLXNlY3JldC0zMmJ5dGVz';
const codesSeen = new Set<IdentityErrorCode>();
const corpusErrors: IdentityError[] = [];
// personal data the providers put in tokens and userinfo: none of it may be reachable from an error
const personalData = [
  'Phạm Minh Châu',
  'chau.pham@example.vn',
  'S7654321B',
  ...devPersonas.flatMap((persona) => [
    persona.name,
    persona.givenName,
    persona.familyName,
    ...(persona.email === undefined ? [] : [persona.email]),
    ...(persona.birthDate === undefined ? [] : [persona.birthDate]),
    ...(persona.nationalIdentifier === undefined ? [] : [persona.nationalIdentifier]),
    ...(persona.phoneNumber === undefined ? [] : [persona.phoneNumber]),
  ]),
];

function relyingPartyFor(issuer: string, options: Partial<RelyingPartyOptions> = {}): RelyingParty {
  return createRelyingParty({
    issuer,
    clientId,
    clientSecret: 'corpus-secret-0123456789abcdef',
    redirectUri,
    cookieSecret,
    unsafeAllowHttp: true,
    profile: genericProfile({ idTokenSigningAlgorithms: ['RS256'] }),
    ...options,
  });
}

interface Callback {
  readonly url: string;
  readonly cookie: string;
}

async function callbackFrom(relyingParty: RelyingParty, returnTo?: string): Promise<Callback> {
  const start = await relyingParty.startLogin(returnTo === undefined ? {} : { returnTo });
  const cookie = start.setCookie.split(';')[0] ?? '';
  const url = await followRedirects(new CookieJar(), start.authorizationUrl, redirectUri);
  return { url: url.href, cookie };
}

async function expectRefusal(
  promise: Promise<unknown>,
  code: IdentityErrorCode,
): Promise<IdentityError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(IdentityError.isInstance(error), `expected ${code}, got ${String(error)}`).toBe(true);
  expect((error as IdentityError).code).toBe(code);
  codesSeen.add(code);
  corpusErrors.push(error as IdentityError);
  const text = `${(error as IdentityError).message} ${JSON.stringify(error)}`;
  expect(text).not.toMatch(/eyJ[\w-]{10,}/); // no token in messages or serialised errors
  return error as IdentityError;
}

describe('negative corpus: ID token and callback attacks (hostile provider)', () => {
  let hostile: HostileProvider;
  let relyingParty: RelyingParty;

  const attempt = async (
    scenario: Scenario,
    code: IdentityErrorCode,
    party: RelyingParty = relyingParty,
  ) => {
    // personal claims in every ID token, as national providers put them there
    hostile.scenario = {
      ...scenario,
      claims: (claims) => {
        Object.assign(claims, { name: 'Phạm Minh Châu', nric: 'S7654321B' });
        scenario.claims?.(claims);
      },
    };
    try {
      const callback = await callbackFrom(party);
      return await expectRefusal(party.finishLogin(callback), code);
    } finally {
      hostile.scenario = {};
    }
  };

  beforeAll(async () => {
    hostile = await startHostileProvider(clientId);
    relyingParty = relyingPartyFor(hostile.issuer);
  });
  afterAll(async () => {
    await relyingParty.close();
    await hostile.close();
  });

  it('accepts the well-behaved baseline (so each refusal below is due to its one fault)', async () => {
    const { identity } = await relyingParty.finishLogin(await callbackFrom(relyingParty));
    expect(identity).toMatchObject({
      subject: 'citizen-1',
      claims: { name: { full: 'Phạm Minh Châu' } },
    });
  });

  it('1. alg "none"', () =>
    attempt(
      { sign: async (claims) => new UnsecuredJWT(claims).encode() },
      'IDENTITY_ID_TOKEN_UNSIGNED',
    ));

  it('2. HS256 signed with the provider public key', () =>
    attempt(
      {
        sign: (claims, keys) =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256', kid: 'published' })
            .sign(new TextEncoder().encode(keys.publicPem)),
      },
      'IDENTITY_ID_TOKEN_ALGORITHM_NOT_ALLOWED',
    ));

  it('3. wrong iss', () =>
    attempt(
      { claims: (claims) => Object.assign(claims, { iss: 'https://evil.example' }) },
      'IDENTITY_ID_TOKEN_ISSUER_MISMATCH',
    ));

  it('4. wrong aud', () =>
    attempt(
      { claims: (claims) => Object.assign(claims, { aud: 'another-service' }) },
      'IDENTITY_ID_TOKEN_AUDIENCE_MISMATCH',
    ));

  it('5. azp mismatch', () =>
    attempt(
      {
        claims: (claims) =>
          Object.assign(claims, { aud: [clientId, 'another-service'], azp: 'another-service' }),
      },
      'IDENTITY_ID_TOKEN_AUTHORIZED_PARTY_MISMATCH',
    ));

  it('6. expired', () =>
    attempt(
      {
        claims: (claims) =>
          Object.assign(claims, {
            exp: Math.floor(Date.now() / 1000) - 120,
            iat: Math.floor(Date.now() / 1000) - 600,
          }),
      },
      'IDENTITY_ID_TOKEN_EXPIRED',
    ));

  it('7. iat in the future beyond the tolerance', () =>
    attempt(
      { claims: (claims) => Object.assign(claims, { iat: Math.floor(Date.now() / 1000) + 120 }) },
      'IDENTITY_ID_TOKEN_ISSUED_IN_FUTURE',
    ));

  it('8. nonce missing', () =>
    attempt(
      {
        claims: (claims) => {
          delete claims.nonce;
        },
      },
      'IDENTITY_ID_TOKEN_NONCE_MISSING',
    ));

  it('9. nonce different', () =>
    attempt(
      { claims: (claims) => Object.assign(claims, { nonce: 'a-different-nonce' }) },
      'IDENTITY_ID_TOKEN_NONCE_MISMATCH',
    ));

  it('10. state different', () =>
    attempt(
      { callback: (parameters) => parameters.set('state', 'forged-state') },
      'IDENTITY_STATE_MISMATCH',
    ));

  it('11. state replayed: the same callback and login cookie used twice', async () => {
    const callback = await callbackFrom(relyingParty);
    await relyingParty.finishLogin(callback);
    await expectRefusal(relyingParty.finishLogin(callback), 'IDENTITY_LOGIN_REPLAYED');
  });

  it('12. iss response parameter different (mix-up)', () =>
    attempt(
      { callback: (parameters) => parameters.set('iss', 'https://other-idp.example') },
      'IDENTITY_ISSUER_MIX_UP',
    ));

  it('13. unknown kid: refused; refetched at most once, and not again within the cooldown', async () => {
    const before = hostile.jwksFetches();
    await attempt(
      {
        sign: (claims, keys) =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: 'RS256', kid: 'rotated' })
            .sign(keys.unpublished),
      },
      'IDENTITY_ID_TOKEN_KEY_NOT_FOUND',
    );
    await attempt(
      {
        sign: (claims, keys) =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: 'RS256', kid: 'rotated' })
            .sign(keys.unpublished),
      },
      'IDENTITY_ID_TOKEN_KEY_NOT_FOUND',
    );
    // the key set was fetched by the baseline already; within the 30 s cooldown no refetch happens
    expect(hostile.jwksFetches() - before).toBe(0);
  });

  it('13b. a rotated key is picked up by one refetch once the cooldown has passed', async () => {
    const rotating = relyingPartyFor(hostile.issuer, { jwksCooldownSeconds: 0 });
    try {
      await rotating.finishLogin(await callbackFrom(rotating));
      const afterFirst = hostile.jwksFetches();
      hostile.publishSecondKey = true;
      hostile.scenario = {
        sign: (claims, keys) =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: 'RS256', kid: 'rotated' })
            .sign(keys.unpublished),
      };
      const { identity } = await rotating.finishLogin(await callbackFrom(rotating));
      expect(identity.subject).toBe('citizen-1');
      expect(hostile.jwksFetches() - afterFirst).toBe(1);
    } finally {
      hostile.publishSecondKey = false;
      hostile.scenario = {};
      await rotating.close();
    }
  });

  it('14. tampered signature', () =>
    attempt(
      {
        sign: async (claims, keys) => {
          const [header, payload, signature = ''] = (await signDefault(claims, keys)).split('.');
          const flipped = signature[10] === 'A' ? 'B' : 'A';
          return `${header}.${payload}.${signature.slice(0, 10)}${flipped}${signature.slice(11)}`;
        },
      },
      'IDENTITY_ID_TOKEN_SIGNATURE_INVALID',
    ));

  it('15. missing sub', () =>
    attempt(
      {
        claims: (claims) => {
          delete claims.sub;
        },
      },
      'IDENTITY_ID_TOKEN_SUBJECT_MISSING',
    ));

  it('16. userinfo sub different', () =>
    attempt(
      { userinfo: (body) => Object.assign(body, { sub: 'someone-else' }) },
      'IDENTITY_USERINFO_SUBJECT_MISMATCH',
    ));

  it('17. malformed ID token', () =>
    attempt({ sign: async () => 'not-a.jwt' }, 'IDENTITY_ID_TOKEN_MALFORMED'));

  it('18. JWE encrypted to another key', async () => {
    const keys = await generateClientKeys({ encryptionAlgorithm: 'ECDH-ES+A256KW' });
    const decrypting = relyingPartyFor(hostile.issuer, { decryptionKeys: keys.decryptionKeys });
    const stranger = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256' });
    try {
      await attempt(
        {
          sign: async (claims, hostileKeys) =>
            new CompactEncrypt(new TextEncoder().encode(await signDefault(claims, hostileKeys)))
              .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT' })
              .encrypt(stranger.publicKey),
        },
        'IDENTITY_DECRYPTION_FAILED',
        decrypting,
      );
    } finally {
      await decrypting.close();
    }
  });

  it('19. iss response parameter missing where the provider advertises it', () =>
    attempt(
      { callback: (parameters) => parameters.delete('iss') },
      'IDENTITY_ISSUER_PARAMETER_MISSING',
    ));

  it('20. the provider answers with an error', () =>
    attempt(
      {
        callback: (parameters) => {
          parameters.delete('code');
          parameters.set('error', 'access_denied');
        },
      },
      'IDENTITY_AUTHORIZATION_DENIED',
    ));

  it('21. login cookie tampered', async () => {
    const callback = await callbackFrom(relyingParty);
    const [name, value = ''] = callback.cookie.split('=');
    const position = Math.floor(value.length / 2);
    const tampered = `${value.slice(0, position)}${value[position] === 'A' ? 'B' : 'A'}${value.slice(position + 1)}`;
    await expectRefusal(
      relyingParty.finishLogin({ url: callback.url, cookie: `${name}=${tampered}` }),
      'IDENTITY_LOGIN_COOKIE_INVALID',
    );
  });

  it('22. login cookie expired', async () => {
    let offset = 0;
    const clocked = relyingPartyFor(hostile.issuer, {
      clock: { now: () => new Date(Date.now() + offset) },
    });
    try {
      const callback = await callbackFrom(clocked);
      offset = 11 * 60 * 1000;
      await expectRefusal(clocked.finishLogin(callback), 'IDENTITY_LOGIN_COOKIE_EXPIRED');
    } finally {
      await clocked.close();
    }
  });

  it('23. login cookie missing', async () => {
    const callback = await callbackFrom(relyingParty);
    await expectRefusal(
      relyingParty.finishLogin({ url: callback.url, cookie: null }),
      'IDENTITY_LOGIN_COOKIE_MISSING',
    );
  });

  it('24. login cookie of a sign-in with another provider', async () => {
    const other = await startHostileProvider(clientId);
    const otherParty = relyingPartyFor(other.issuer);
    try {
      const foreign = await callbackFrom(otherParty);
      const ours = await callbackFrom(relyingParty);
      await expectRefusal(
        relyingParty.finishLogin({ url: ours.url, cookie: foreign.cookie }),
        'IDENTITY_LOGIN_PROVIDER_MISMATCH',
      );
    } finally {
      await otherParty.close();
      await other.close();
    }
  });

  it('25. a return-to pointing to another origin', async () => {
    for (const returnTo of [
      'https://evil.example/steal',
      '//evil.example/steal',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      await expectRefusal(relyingParty.startLogin({ returnTo }), 'IDENTITY_RETURN_TO_INVALID');
    }
    const response = await relyingParty.handleLogin(
      new Request('http://127.0.0.1:3000/auth/login?returnTo=https://evil.example'),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('negative corpus: assurance and GOV.UK core identity (dev provider with faults)', () => {
  let devProvider: DevProvider;
  let relyingParty: RelyingParty;
  let taraProvider: DevProvider;
  let taraParty: RelyingParty;

  const refuse = async (party: RelyingParty, loginHint: string, code: IdentityErrorCode) => {
    const callback = await prepareCallback(party, redirectUri, { loginHint });
    return expectRefusal(
      party.finishLogin({ url: callback.url, cookie: callback.headers.get('cookie') }),
      code,
    );
  };

  const signIn = async (party: RelyingParty, loginHint: string) => {
    const callback = await prepareCallback(party, redirectUri, { loginHint });
    return party.finishLogin({ url: callback.url, cookie: callback.headers.get('cookie') });
  };

  // A GOV.UK dev provider and a relying party for it (private_key_jwt, P2, the provider's DID
  // document), counting the DID-document fetches the relying party makes.
  const startGovuk = async (options: { keyRefetchCooldownSeconds?: number } = {}) => {
    const keys = await generateClientKeys();
    const provider = await startDevProvider({
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
    let didFetches = 0;
    const party = createRelyingParty({
      issuer: provider.issuer,
      clientId,
      clientPrivateKey: keys.signingKey,
      redirectUri,
      cookieSecret,
      unsafeAllowHttp: true,
      fetch: (input, init) => {
        if (String(input instanceof Request ? input.url : input).endsWith('/did.json'))
          didFetches += 1;
        return fetch(input, init);
      },
      profile: govukOneLoginProfile({
        vectorsOfTrust: ['Cl.Cm.P2'],
        coreIdentityIssuer: provider.govuk.coreIdentityIssuer,
        ...options,
      }),
    });
    return { party, provider, didFetches: () => didFetches };
  };

  // A pair of its own (own DID cache and keys); faults set on `devProvider` reach it meanwhile.
  const govukPartyWithCounters = async (options: { keyRefetchCooldownSeconds?: number }) => {
    const started = await startGovuk(options);
    const previous = devProvider;
    devProvider = started.provider;
    return {
      ...started,
      close: async () => {
        devProvider = previous;
        await started.party.close();
        await started.provider.close();
      },
    };
  };

  beforeAll(async () => {
    ({ provider: devProvider, party: relyingParty } = await startGovuk());
    taraProvider = await startDevProvider({
      profile: 'tara',
      clients: [
        {
          clientId,
          clientSecret: 'corpus-secret-0123456789abcdef',
          redirectUris: [redirectUri],
          tokenEndpointAuthMethod: 'client_secret_basic',
        },
      ],
    });
    taraParty = createRelyingParty({
      issuer: taraProvider.issuer,
      clientId,
      clientSecret: 'corpus-secret-0123456789abcdef',
      clientAuthentication: 'client_secret_basic',
      redirectUri,
      cookieSecret,
      unsafeAllowHttp: true,
      profile: taraProfile({ allowedMethods: ['idcard', 'mID'] }),
      minimumAssurance: { authentication: 'substantial', identity: 'medium' },
    });
  });
  afterAll(async () => {
    await relyingParty.close();
    await taraParty.close();
    await devProvider.close();
    await taraProvider.close();
  });

  it.each([
    [
      '26. core identity JWT with a different sub',
      'different-subject',
      'IDENTITY_CORE_IDENTITY_SUBJECT_MISMATCH',
    ],
    [
      '27. core identity JWT with a wrong iss',
      'wrong-issuer',
      'IDENTITY_CORE_IDENTITY_ISSUER_MISMATCH',
    ],
    ['28. core identity JWT expired', 'expired', 'IDENTITY_CORE_IDENTITY_EXPIRED'],
    [
      '29. core identity JWT kid not in the DID document',
      'unknown-key',
      'IDENTITY_CORE_IDENTITY_KEY_NOT_FOUND',
    ],
    [
      '30. core identity JWT for another audience',
      'wrong-audience',
      'IDENTITY_CORE_IDENTITY_AUDIENCE_MISMATCH',
    ],
    [
      '31. core identity JWT with a tampered signature',
      'tampered-signature',
      'IDENTITY_CORE_IDENTITY_SIGNATURE_INVALID',
    ],
  ] as const)('%s', async (_name, fault, code) => {
    devProvider.setFaults({ coreIdentity: fault });
    try {
      await refuse(relyingParty, 'nguyen-van-an', code);
    } finally {
      devProvider.setFaults({});
    }
  });

  it('29b. unknown core identity kid within the refetch cooldown: refused without a refetch', async () => {
    const governed = await govukPartyWithCounters({});
    try {
      const { identity } = await signIn(governed.party, 'nguyen-van-an');
      expect(identity.assurance.identity).toBe('medium');
      expect(governed.didFetches()).toBe(1);
      devProvider.setFaults({ coreIdentity: 'unknown-key' });
      await refuse(governed.party, 'nguyen-van-an', 'IDENTITY_CORE_IDENTITY_KEY_NOT_FOUND');
      await refuse(governed.party, 'nguyen-van-an', 'IDENTITY_CORE_IDENTITY_KEY_NOT_FOUND');
      expect(governed.didFetches()).toBe(1); // fetched under 30 s ago: the default cooldown holds
    } finally {
      await governed.close();
    }
  });

  it('29c. unknown core identity kid past the cooldown: exactly one refetch; a rotated key is found by it', async () => {
    const governed = await govukPartyWithCounters({ keyRefetchCooldownSeconds: 0 });
    try {
      await signIn(governed.party, 'nguyen-van-an');
      expect(governed.didFetches()).toBe(1);
      devProvider.setFaults({ coreIdentity: 'unknown-key' });
      await refuse(governed.party, 'nguyen-van-an', 'IDENTITY_CORE_IDENTITY_KEY_NOT_FOUND');
      expect(governed.didFetches()).toBe(2); // one refetch, then refused: no loop
      devProvider.setFaults({});
      const kid = await governed.provider.rotateCoreIdentityKey();
      expect(kid).toMatch(/^did:web:.+#/);
      // the cached document (max-age 3600) lacks the new key: one refetch finds it
      const { identity } = await signIn(governed.party, 'nguyen-van-an');
      expect(identity.subject).toBe(governed.provider.subjectOf('nguyen-van-an'));
      expect(governed.didFetches()).toBe(3);
    } finally {
      await governed.close();
    }
  });

  it('32. ID token vot (credential trust) lower than requested: a Cl ID token for a Cl.Cm.P2 request', () =>
    refuse(relyingParty, 'le-hoang-duc', 'IDENTITY_VECTOR_OF_TRUST_MISMATCH'));

  it('32b. no core identity for an identity request (the citizen could not prove it)', async () => {
    const error = await refuse(relyingParty, 'oliver-jones', 'IDENTITY_CORE_IDENTITY_MISSING');
    expect(error.details).toMatchObject({ requested: ['Cl.Cm.P2'] });
  });

  it('32c. a core identity below the identity level requested (P1 for P2)', async () => {
    devProvider.setFaults({ coreIdentity: 'lower-level' });
    try {
      const error = await refuse(
        relyingParty,
        'nguyen-van-an',
        'IDENTITY_CORE_IDENTITY_VOT_MISMATCH',
      );
      expect(error.details).toMatchObject({ achieved: 'P1', minimumIdentity: 'medium' });
    } finally {
      devProvider.setFaults({});
    }
  });

  it('33. acr below the minimum', () =>
    refuse(taraParty, 'oliver-jones', 'IDENTITY_ASSURANCE_TOO_LOW'));

  it('34. amr not among the allowed methods', () =>
    refuse(taraParty, 'le-hoang-duc', 'IDENTITY_AUTHENTICATION_METHOD_NOT_ALLOWED'));

  it('has at least 25 distinct error codes in the corpus', () => {
    expect(codesSeen.size).toBeGreaterThanOrEqual(25);
  });

  it('no corpus error carries personal data or a token anywhere in its whole cause chain', () => {
    expect(corpusErrors.length).toBeGreaterThan(30);
    // the walk does reach into causes (openid-client's and jose's, sanitised)
    expect(corpusErrors.some((error) => causeChain(error).length > 2)).toBe(true);
    for (const error of corpusErrors) {
      const text = reachableText(error);
      expect(text, error.code).not.toMatch(/eyJ[\w-]{10,}/);
      for (const value of personalData) expect(text, `${error.code} leaks`).not.toContain(value);
    }
  });
});
