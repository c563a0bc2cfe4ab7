// Singpass against recorded ID tokens of the documented shapes (test/fixtures/singpass.ts):
// the identifiers an agency can use, assurance without `acr`, the verified inner ID token
// for keepTokens, environments without PAR, and configuration mistakes caught at creation.
import {
  CompactEncrypt,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientKeys,
  createRelyingParty,
  generateClientKeys,
  IdentityError,
  type RelyingParty,
  type RelyingPartyOptions,
  type SingpassProfileOptions,
  singpassProfile,
  type VerifiedIdentity,
} from '../src/index.js';
import { CookieJar, followRedirects } from '../src/testing/cookie-jar.js';
import { fapiIdTokenClaims, legacyIdTokenClaims } from './fixtures/singpass.js';
import { causeChain, reachableText } from './support/error-chain.js';
import { type HostileProvider, startHostileProvider } from './support/hostile-provider.js';

const redirectUri = 'http://127.0.0.1:3000/auth/callback';
const cookieSecret = 'dGhpcy1pcy1hLXRlc3QtY29va2llLXNlY3JldC0zMmJ5dGVz';
const clientId = 'singpass-fixture';
const withoutPar: SingpassProfileOptions = { pushedAuthorization: 'never', dpop: false };

describe('Singpass profile against recorded ID tokens', () => {
  let provider: HostileProvider;
  let keys: ClientKeys;
  let signingKey: CryptoKey;
  const parties: RelyingParty[] = [];

  const partyWith = (
    profileOptions: SingpassProfileOptions = withoutPar,
    options: Partial<RelyingPartyOptions> = {},
  ): RelyingParty => {
    const party = createRelyingParty({
      issuer: provider.issuer,
      clientId,
      clientPrivateKey: keys.signingKey,
      clientPrivateKeyId: keys.signingKeyId,
      decryptionKeys: keys.decryptionKeys,
      redirectUri,
      cookieSecret,
      profile: singpassProfile({ scope: 'openid sub_account', ...profileOptions }),
      ...options,
    });
    parties.push(party);
    return party;
  };

  // the documented shape: a JWS (ES256) nested in a JWE to the client's key, ECDH-ES+A256KW / A256CBC-HS512
  const serve = (fixture: Readonly<Record<string, unknown>>) => {
    const encryptionJwk = keys.publicJwks.keys.find((key) => key.use === 'enc') as JWK;
    provider.scenario = {
      claims: (claims) => {
        delete claims.acr;
        Object.assign(claims, fixture);
      },
      sign: async (claims) => {
        const jws = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', kid: 'sp-sig-1', typ: 'JWT' })
          .sign(signingKey);
        return new CompactEncrypt(new TextEncoder().encode(jws))
          .setProtectedHeader({
            alg: 'ECDH-ES+A256KW',
            enc: 'A256CBC-HS512',
            cty: 'JWT',
            kid: encryptionJwk.kid ?? '',
          })
          .encrypt(await importEncryptionKey(encryptionJwk));
      },
      userinfo: (body) => {
        for (const key of Object.keys(body)) delete body[key];
        body.sub = fixture.sub;
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

  beforeAll(async () => {
    provider = await startHostileProvider(clientId);
    keys = await generateClientKeys({
      signingAlgorithm: 'ES256',
      encryptionAlgorithm: 'ECDH-ES+A256KW',
    });
    const pair = await generateKeyPair('ES256', { extractable: true });
    signingKey = pair.privateKey;
    provider.extraJwks = [
      { ...(await exportJWK(pair.publicKey)), kid: 'sp-sig-1', alg: 'ES256', use: 'sig' },
    ];
    provider.metadata = { id_token_signing_alg_values_supported: ['ES256'] };
  });
  afterAll(async () => {
    for (const party of parties) await party.close();
    await provider.close();
  });

  it('FAPI 2.0: the UUID as subject, the NRIC/FIN from sub_account, assurance from amr without acr', async () => {
    serve(fapiIdTokenClaims);
    const identity = await signIn(partyWith());
    expect(identity).toMatchObject({
      subject: '0d7e7a5d-2f1c-4b3a-9f7e-6c1d2b3a4e5f',
      provider: 'singpass',
      assurance: { authentication: 'substantial', identity: 'high' },
      claims: { nationalIdentifier: 'S1234567A' },
      providerData: { amr: ['pwd', 'sms'], accountType: 'standard' },
    });
  });

  it('the earlier API: s=<NRIC>,u=<UUID> parsed, the UUID as subject (the NRIC never is)', async () => {
    serve(legacyIdTokenClaims);
    const identity = await signIn(partyWith());
    expect(identity.subject).toBe('a9865837-7bd7-46ac-bef4-42a76a946424');
    expect(identity.claims.nationalIdentifier).toBe('S1234567A');
    expect(identity.assurance).toEqual({ authentication: 'substantial', identity: 'high' });
  });

  it('a password alone, without acr, is low authentication (the identity stays high)', async () => {
    serve({ ...fapiIdTokenClaims, amr: ['pwd'] });
    const identity = await signIn(partyWith());
    expect(identity.assurance).toEqual({ authentication: 'low', identity: 'high' });
  });

  it('keepTokens returns the verified inner ID token (the JWS), not the JWE', async () => {
    serve(fapiIdTokenClaims);
    const identity = await signIn(partyWith(withoutPar, { keepTokens: true }));
    const idToken = identity.tokens?.idToken ?? '';
    expect(idToken.split('.')).toHaveLength(3);
    expect(decodeJwt(idToken)).toMatchObject({ sub: fapiIdTokenClaims.sub, aud: clientId });
  });

  it('a profile requiring PAR against a provider without it: IDENTITY_PROVIDER_ENDPOINT_MISSING', async () => {
    serve(fapiIdTokenClaims);
    const error = await partyWith({})
      .startLogin()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'IDENTITY_PROVIDER_ENDPOINT_MISSING',
      details: { endpoint: 'pushed_authorization_request_endpoint' },
    });
    expect((error as IdentityError).message).toContain("pushedAuthorization to 'never'");
  });

  it('no personal data anywhere in the error chain when a token is refused', async () => {
    serve({ ...legacyIdTokenClaims, nonce: 'not-the-nonce-sent', name: 'TAN AH KOW' });
    const error = await signIn(partyWith()).catch((caught: unknown) => caught);
    expect(IdentityError.isInstance(error)).toBe(true);
    expect((error as IdentityError).code).toBe('IDENTITY_ID_TOKEN_NONCE_MISMATCH');
    expect(causeChain(error).length).toBeGreaterThan(1);
    expect(reachableText(error)).not.toMatch(/S1234567A|TAN AH KOW|a9865837|eyJ/);
  });
});

describe('Singpass configuration mistakes fail at createRelyingParty', () => {
  it('no decryption keys: IDENTITY_DECRYPTION_KEY_MISSING; no private key: IDENTITY_CLIENT_KEY_INVALID', async () => {
    const keys = await generateClientKeys();
    const base = {
      issuer: 'https://stg-id.singpass.gov.sg/fapi',
      clientId,
      redirectUri: 'https://service.example.gov.sg/auth/callback',
      cookieSecret,
      profile: singpassProfile(),
    };
    expect(() => createRelyingParty({ ...base, clientPrivateKey: keys.signingKey })).toThrow(
      expect.objectContaining({ code: 'IDENTITY_DECRYPTION_KEY_MISSING' }),
    );
    expect(() => createRelyingParty({ ...base, clientSecret: 'a-secret' })).toThrow(
      expect.objectContaining({ code: 'IDENTITY_CLIENT_KEY_INVALID' }),
    );
  });
});

async function importEncryptionKey(jwk: JWK): Promise<CryptoKey> {
  return (await importJWK(jwk, 'ECDH-ES+A256KW')) as CryptoKey;
}
