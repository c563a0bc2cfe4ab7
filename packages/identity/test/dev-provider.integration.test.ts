import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevProvider, devPersonas, startDevProvider } from '../src/dev-provider.js';
import { CookieJar, followRedirects } from '../src/testing/cookie-jar.js';

const redirectUri = 'http://127.0.0.1:1/callback';

describe('dev identity provider', () => {
  let devProvider: DevProvider;
  beforeAll(async () => {
    devProvider = await startDevProvider({
      clients: [
        {
          clientId: 'svc',
          clientSecret: 'dev-secret-0123456789abcdef',
          redirectUris: [redirectUri],
        },
      ],
    });
  });
  afterAll(() => devProvider.close());

  it('binds to loopback and serves discovery', async () => {
    expect(devProvider.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${devProvider.issuer}/.well-known/openid-configuration`);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(devProvider.issuer);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
  });

  it('refuses a non-loopback address unless told loudly', async () => {
    await expect(startDevProvider({ host: '0.0.0.0', clients: [] })).rejects.toMatchObject({
      code: 'IDENTITY_DEV_PROVIDER_NON_LOOPBACK',
    });
  });

  it('has Vietnamese and English personas in NFC at every level', () => {
    expect(devPersonas.some((persona) => persona.locale === 'vi')).toBe(true);
    expect(devPersonas.some((persona) => persona.locale === 'en')).toBe(true);
    for (const persona of devPersonas) expect(persona.name).toBe(persona.name.normalize('NFC'));
    expect(new Set(devPersonas.map((persona) => persona.assurance.identity))).toEqual(
      new Set(['none', 'medium', 'high']),
    );
  });

  it('signs a persona in without interaction, chosen by login_hint (bare openid-client)', async () => {
    const config = await client.discovery(
      new URL(devProvider.issuer),
      'svc',
      undefined,
      client.ClientSecretPost('dev-secret-0123456789abcdef'),
      { execute: [client.allowInsecureRequests] },
    );
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      login_hint: 'tran-thi-mai',
    });
    const callback = await followRedirects(new CookieJar(), url, redirectUri);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const claims = tokens.claims();
    expect(claims?.sub).toBe('tran-thi-mai');
    expect(claims?.acr).toBe('http://eidas.europa.eu/LoA/substantial');
    expect(claims?.name).toBe('Trần Thị Mai');
  });

  it('answers a request without a persona with a 400 listing the personas', async () => {
    const url = new URL(`${devProvider.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: 'svc',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: redirectUri,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    await expect(followRedirects(new CookieJar(), url, redirectUri)).rejects.toThrow(
      /nguyen-van-an/,
    );
  });
});
