import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DevProvider,
  type DevProviderProfile,
  startDevProvider,
} from '../src/dev-provider.js';
import {
  createRelyingParty,
  esignetProfile,
  generateClientKeys,
  govukOneLoginProfile,
  IdentityError,
  loginGovProfile,
  type ProviderProfile,
  type RelyingParty,
  type RelyingPartyOptions,
  singpassProfile,
  taraProfile,
  type VerifiedIdentity,
} from '../src/index.js';
import { CookieJar, followRedirects } from '../src/testing/cookie-jar.js';
import { prepareCallback } from '../src/testing/sign-in.js';

const redirectUri = 'http://127.0.0.1:3000/auth/callback';
const cookieSecret = 'dGhpcy1pcy1hLXRlc3QtY29va2llLXNlY3JldC0zMmJ5dGVz';

interface Setup {
  readonly devProvider: DevProvider;
  readonly relyingParty: RelyingParty;
  readonly requests: { url: string; body: string }[];
}

async function setUp(
  profileName: DevProviderProfile,
  profile: (devProvider: DevProvider) => ProviderProfile,
  options: {
    keys?: 'sign' | 'sign+encrypt';
    signing?: 'ES256' | 'RS256';
    basic?: boolean;
    userinfo?: 'signed' | 'encrypted';
  } & Partial<RelyingPartyOptions> = {},
): Promise<Setup> {
  const keys =
    options.keys === undefined
      ? undefined
      : await generateClientKeys({
          signingAlgorithm: options.signing ?? 'ES256',
          ...(options.keys === 'sign+encrypt'
            ? { encryptionAlgorithm: 'ECDH-ES+A256KW' as const }
            : {}),
        });
  const secret = 'profile-secret-0123456789abcdef';
  const devProvider = await startDevProvider({
    profile: profileName,
    clients: [
      {
        clientId: `${profileName}-service`,
        redirectUris: [redirectUri],
        ...(keys === undefined
          ? {
              clientSecret: secret,
              tokenEndpointAuthMethod:
                options.basic === true ? 'client_secret_basic' : 'client_secret_post',
            }
          : { tokenEndpointAuthMethod: 'private_key_jwt', jwks: keys.publicJwks }),
        ...(profileName === 'singpass'
          ? {
              idTokenEncryption: { algorithm: 'ECDH-ES+A256KW', encryption: 'A256CBC-HS512' },
              requireDpop: true,
            }
          : {}),
        ...(options.userinfo === 'signed' ? { userinfoSignedResponseAlgorithm: 'RS256' } : {}),
        ...(options.userinfo === 'encrypted'
          ? {
              userinfoSignedResponseAlgorithm: 'RS256',
              userinfoEncryption: { algorithm: 'ECDH-ES+A256KW', encryption: 'A256GCM' },
            }
          : {}),
      },
    ],
  });
  const requests: { url: string; body: string }[] = [];
  const recordingFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({
      url: String(input),
      body: typeof init?.body === 'string' ? init.body : String(init?.body ?? ''),
    });
    return fetch(input, init);
  }) as typeof fetch;
  const relyingParty = createRelyingParty({
    fetch: recordingFetch,
    issuer: devProvider.issuer,
    clientId: `${profileName}-service`,
    redirectUri,
    cookieSecret,
    profile: profile(devProvider),
    unsafeAllowHttp: true,
    ...(keys === undefined
      ? {
          clientSecret: secret,
          clientAuthentication:
            options.basic === true ? 'client_secret_basic' : 'client_secret_post',
        }
      : {
          clientPrivateKey: keys.signingKey,
          clientPrivateKeyId: keys.signingKeyId,
          decryptionKeys: keys.decryptionKeys,
        }),
    ...(options.minimumAssurance === undefined
      ? {}
      : { minimumAssurance: options.minimumAssurance }),
    ...(options.keepTokens === undefined ? {} : { keepTokens: options.keepTokens }),
  });
  return { devProvider, relyingParty, requests };
}

async function signIn(setup: Setup, loginHint: string, locale?: string): Promise<VerifiedIdentity> {
  const callback = await prepareCallback(setup.relyingParty, redirectUri, {
    loginHint,
    ...(locale === undefined ? {} : { locale }),
  });
  const { identity } = await setup.relyingParty.finishLogin({
    url: callback.url,
    cookie: callback.headers.get('cookie'),
  });
  return identity;
}

async function refusal(setup: Setup, loginHint: string): Promise<IdentityError> {
  const error = await signIn(setup, loginHint).catch((caught: unknown) => caught);
  if (!IdentityError.isInstance(error))
    throw new Error(`expected an IdentityError, got ${String(error)}`);
  return error;
}

async function tearDown(setup: Setup): Promise<void> {
  await setup.relyingParty.close();
  await setup.devProvider.close();
}

describe('GOV.UK One Login profile', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp(
      'govuk-one-login',
      (devProvider) =>
        govukOneLoginProfile({
          vectorsOfTrust: ['Cl.Cm.P2'],
          // the did:web controller and DID document URL are derived from the issuer
          coreIdentityIssuer: devProvider.govuk.coreIdentityIssuer,
          claims: ['coreIdentityJWT', 'address', 'returnCode'],
        }),
      { keys: 'sign' },
    );
  });
  afterAll(() => tearDown(setup));

  it('sends vtr as a JSON array, the claims request and ui_locales', async () => {
    const start = await setup.relyingParty.startLogin({ locale: 'cy' });
    expect(start.authorizationUrl.searchParams.get('vtr')).toBe('["Cl.Cm.P2"]');
    expect(start.authorizationUrl.searchParams.get('ui_locales')).toBe('cy');
    expect(JSON.parse(start.authorizationUrl.searchParams.get('claims') ?? '{}')).toEqual({
      userinfo: {
        'https://vocab.account.gov.uk/v1/coreIdentityJWT': null,
        'https://vocab.account.gov.uk/v1/address': null,
        'https://vocab.account.gov.uk/v1/returnCode': null,
      },
    });
  });

  it('asks by default only for what every client may ask: the core identity JWT', () => {
    const profile = govukOneLoginProfile({
      vectorsOfTrust: ['Cl.Cm.P2'],
      coreIdentityIssuer: setup.devProvider.govuk.coreIdentityIssuer,
    });
    const parameters = profile.authorizationParameters({
      minimumAssurance: { authentication: 'low', identity: 'none' },
    });
    expect(JSON.parse(parameters.claims ?? '{}')).toEqual({
      userinfo: { 'https://vocab.account.gov.uk/v1/coreIdentityJWT': null },
    });
    const authOnly = govukOneLoginProfile().authorizationParameters({
      minimumAssurance: { authentication: 'low', identity: 'none' },
    });
    expect(authOnly.claims).toBeUndefined();
  });

  it('verifies the core identity JWT against the DID document and normalises the identity', async () => {
    setup.devProvider.setFaults({});
    const identity = await signIn(setup, 'alice-smith');
    expect(identity.subject).toMatch(/^urn:fdc:gov\.uk:2022:[\w-]{43}=$/);
    expect(identity).toMatchObject({
      subject: setup.devProvider.subjectOf('alice-smith'),
      provider: 'govuk-one-login',
      assurance: { authentication: 'substantial', identity: 'medium' },
      claims: {
        name: { full: 'Alice Smith', given: 'Alice', family: 'Smith' },
        birthDate: '1978-02-28',
        email: 'alice.smith@example.org',
        address: {
          streetAddress: '221B Baker Street',
          locality: 'London',
          postalCode: 'NW1 6XE',
          country: 'GB',
        },
      },
      providerData: { vot: 'Cl.Cm', coreIdentityVot: 'P2', returnCodes: [] },
    });
  });

  it('surfaces return codes as data when no identity was proven', async () => {
    const authOnly = await setUp(
      'govuk-one-login',
      (devProvider) =>
        govukOneLoginProfile({
          vectorsOfTrust: ['Cl.Cm'],
          claims: ['returnCode'],
          coreIdentityIssuer: devProvider.govuk.coreIdentityIssuer,
        }),
      { keys: 'sign' },
    );
    try {
      const identity = await signIn(authOnly, 'oliver-jones');
      expect(identity.assurance).toEqual({ authentication: 'substantial', identity: 'none' });
      expect(identity.providerData).toEqual({ vot: 'Cl.Cm', returnCodes: ['X'] });
    } finally {
      await tearDown(authOnly);
    }
  });
});

describe('Login.gov profile', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp(
      'login-gov',
      () => loginGovProfile({ acrValues: ['urn:acr.login.gov:verified'] }),
      {
        keys: 'sign',
        signing: 'RS256',
        minimumAssurance: { authentication: 'substantial', identity: 'medium' },
      },
    );
  });
  afterAll(() => tearDown(setup));

  it('sends acr_values, prompt=select_account and a state and nonce of at least 22 characters', async () => {
    const start = await setup.relyingParty.startLogin();
    const parameters = start.authorizationUrl.searchParams;
    expect(parameters.get('acr_values')).toBe('urn:acr.login.gov:verified');
    expect(parameters.get('prompt')).toBe('select_account');
    expect(parameters.get('state')?.length).toBeGreaterThanOrEqual(22);
    expect(parameters.get('nonce')?.length).toBeGreaterThanOrEqual(22);
  });

  it('signs a verified persona in with an RSA private_key_jwt (aud = token endpoint)', async () => {
    const identity = await signIn(setup, 'tran-thi-mai');
    expect(identity).toMatchObject({
      subject: 'tran-thi-mai',
      provider: 'login-gov',
      assurance: { authentication: 'substantial', identity: 'medium' },
      claims: {
        name: { given: 'Thị Mai', family: 'Trần' },
        birthDate: '1992-11-03',
        email: 'mai.tran@example.vn',
        phoneNumber: '+84987654321',
        nationalIdentifier: '079192003456',
      },
      providerData: { acr: 'urn:acr.login.gov:verified' },
    });
  });

  it('sets the client assertion aud to the token endpoint', async () => {
    setup.requests.length = 0;
    await signIn(setup, 'alice-smith');
    const tokenRequest = setup.requests.find((request) => request.url.endsWith('/token'));
    const assertion = new URLSearchParams(tokenRequest?.body ?? '').get('client_assertion') ?? '';
    const payload = JSON.parse(
      Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString(),
    ) as { aud: unknown };
    expect(payload.aud).toBe(`${setup.devProvider.issuer}/token`);
    expect(
      JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString()),
    ).toMatchObject({ alg: 'RS256' });
  });

  it('refuses an auth-only sign-in when a verified identity is the minimum', async () => {
    expect((await refusal(setup, 'oliver-jones')).code).toBe('IDENTITY_ASSURANCE_TOO_LOW');
  });
});

describe('Singpass profile (FAPI 2.0)', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp('singpass', () => singpassProfile({ scope: 'openid sub_account' }), {
      keys: 'sign+encrypt',
    });
  });
  afterAll(() => tearDown(setup));

  it('signs in with PAR, DPoP and an ID token encrypted with ECDH-ES+A256KW', async () => {
    const start = await setup.relyingParty.startLogin();
    expect(start.authorizationUrl.searchParams.get('request_uri')).toMatch(
      /^urn:ietf:params:oauth:request_uri:/,
    );
    const identity = await signIn(setup, 'nguyen-van-an');
    expect(identity.subject).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(identity).toMatchObject({
      subject: setup.devProvider.subjectOf('nguyen-van-an'),
      provider: 'singpass',
      // FAPI 2.0: no acr; a second factor in amr is substantial; every account a verified NRIC/FIN
      assurance: { authentication: 'substantial', identity: 'high' },
      claims: { nationalIdentifier: '001085012345' },
      providerData: { amr: ['hwk', 'face'], accountType: 'standard' },
    });
  });
});

describe('Singpass profile: refresh with DPoP', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp(
      'singpass',
      () => singpassProfile({ scope: 'openid profile offline_access' }),
      { keys: 'sign+encrypt', keepTokens: true },
    );
  });
  afterAll(() => tearDown(setup));

  it('keeps the DPoP key with the tokens; a refresh needs it and stays bound to it', async () => {
    // offline_access is only granted with prompt=consent (OpenID Connect Core 11)
    const start = await setup.relyingParty.startLogin({
      loginHint: 'nguyen-van-an',
      prompt: 'consent',
    });
    const callbackUrl = await followRedirects(new CookieJar(), start.authorizationUrl, redirectUri);
    const { identity } = await setup.relyingParty.finishLogin({
      url: callbackUrl,
      cookie: start.setCookie.split(';')[0] ?? '',
    });
    const tokens = identity.tokens;
    expect(tokens?.refreshToken).toEqual(expect.any(String));
    expect(tokens?.dpopKey).toMatchObject({ kty: 'EC', crv: 'P-256', d: expect.any(String) });
    const unbound = await setup.relyingParty.refresh(tokens?.refreshToken ?? '').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(IdentityError.isInstance(unbound)).toBe(true);
    expect((unbound as IdentityError).code).toBe('IDENTITY_TOKEN_REQUEST_FAILED');
    const refreshed = await setup.relyingParty.refresh(
      tokens?.refreshToken ?? '',
      tokens?.dpopKey === undefined ? {} : { dpopKey: tokens.dpopKey },
    );
    expect(refreshed.accessToken).not.toBe(tokens?.accessToken);
    expect(refreshed.idTokenClaims?.sub).toBe(setup.devProvider.subjectOf('nguyen-van-an'));
  });
});

describe('MOSIP eSignet profile', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp('esignet', () => esignetProfile({ claimsLocales: ['vi', 'en'] }), {
      keys: 'sign+encrypt',
      userinfo: 'encrypted',
    });
  });
  afterAll(() => tearDown(setup));

  it('sends acr_values, claims_locales and an essential claims request (in the pushed request)', async () => {
    setup.requests.length = 0;
    const start = await setup.relyingParty.startLogin({ locale: 'vi' });
    expect(start.authorizationUrl.searchParams.get('request_uri')).toMatch(
      /^urn:ietf:params:oauth:request_uri:/,
    );
    const pushed = new URLSearchParams(
      setup.requests.find((request) => request.url.endsWith('/request'))?.body ?? '',
    );
    expect(pushed.get('acr_values')).toBe('mosip:idp:acr:generated-code');
    expect(pushed.get('claims_locales')).toBe('vi en');
    expect(pushed.get('ui_locales')).toBe('vi');
    expect(JSON.parse(pushed.get('claims') ?? '{}')).toMatchObject({
      userinfo: { name: { essential: true }, individual_id: { essential: true } },
    });
    expect(pushed.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
  });

  it('signs in with signed and encrypted userinfo and the individual id as national identifier', async () => {
    const identity = await signIn(setup, 'tran-thi-mai');
    expect(identity).toMatchObject({
      subject: 'tran-thi-mai',
      provider: 'esignet',
      assurance: { authentication: 'substantial', identity: 'medium' },
      claims: {
        name: { full: 'Trần Thị Mai' },
        birthDate: '1992-11-03',
        nationalIdentifier: '079192003456',
      },
      providerData: { acr: 'mosip:idp:acr:generated-code' },
    });
  });

  it('refuses a static-code sign-in when the minimum is substantial', async () => {
    const strict = await setUp('esignet', () => esignetProfile(), {
      keys: 'sign',
      userinfo: 'signed',
      minimumAssurance: { authentication: 'substantial', identity: 'medium' },
    });
    try {
      expect((await refusal(strict, 'le-hoang-duc')).code).toBe('IDENTITY_ASSURANCE_TOO_LOW');
    } finally {
      await tearDown(strict);
    }
  });
});

describe('Estonia TARA profile', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp('tara', () => taraProfile({ allowedMethods: ['idcard', 'mID'] }), {
      basic: true,
      minimumAssurance: { authentication: 'substantial', identity: 'medium' },
    });
  });
  afterAll(() => tearDown(setup));

  it('asks for a single acr from the minimum and reads profile_attributes', async () => {
    const start = await setup.relyingParty.startLogin();
    expect(start.authorizationUrl.searchParams.get('acr_values')).toBe('substantial');
    const identity = await signIn(setup, 'nguyen-van-an');
    expect(identity).toMatchObject({
      subject: 'nguyen-van-an',
      provider: 'tara',
      assurance: { authentication: 'high', identity: 'high' },
      claims: {
        name: { given: 'Văn An', family: 'Nguyễn' },
        birthDate: '1985-04-12',
        nationalIdentifier: 'nguyen-van-an',
      },
      providerData: { acr: 'high', amr: ['idcard'] },
    });
  });

  it('refuses an amr method the service does not allow', async () => {
    expect((await refusal(setup, 'le-hoang-duc')).code).toBe(
      'IDENTITY_AUTHENTICATION_METHOD_NOT_ALLOWED',
    );
  });

  it('refuses an acr below the minimum', async () => {
    expect((await refusal(setup, 'oliver-jones')).code).toBe('IDENTITY_ASSURANCE_TOO_LOW');
  });
});
