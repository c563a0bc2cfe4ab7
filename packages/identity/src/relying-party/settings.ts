import { type Clock, systemClock } from '@civicblocks/core';
import { importPKCS8 } from 'jose';
import type { AssuranceLevel } from '../assurance/level-of-assurance.js';
import { IdentityError } from '../errors/identity-error.js';
import { inspectPrivateKeyPem } from '../keys/pem.js';
import { genericProfile } from '../profiles/generic.js';
import type { ProviderProfile } from '../profiles/provider-profile.js';
import { deriveCookieKey } from './login-cookie.js';
import { isSecureOrLoopback } from './loopback.js';
import type { RelyingPartyOptions } from './relying-party-options.js';
import { createMemoryReplayStore, type ReplayStore } from './replay-store.js';

type AuthenticationMethod = 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt';
type AssertionAlgorithm = 'ES256' | 'RS256' | 'PS256';

/** A decryption key once imported. */
export interface ReadyDecryptionKey {
  readonly key: CryptoKey;
  readonly algorithm: string;
  readonly keyId?: string;
}

/** Every option checked, defaulted and derived once, at `createRelyingParty`. */
export interface RelyingPartySettings {
  readonly options: RelyingPartyOptions;
  readonly profile: ProviderProfile;
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly origin: string;
  readonly authenticationMethod: AuthenticationMethod;
  readonly clientAssertionAlgorithm: AssertionAlgorithm | undefined;
  /** Imported once, lazily (PEM import is asynchronous); already checked. */
  readonly signingKey: () => Promise<CryptoKey>;
  readonly decryptionKeys: () => Promise<readonly ReadyDecryptionKey[]>;
  readonly hasDecryptionKeys: boolean;
  readonly clockTolerance: number;
  readonly loginLifetime: number;
  readonly cookieKey: Uint8Array;
  readonly cookieName: string;
  readonly cookieAttributes: string;
  readonly clearCookie: string;
  readonly clock: Clock;
  readonly minimumAssurance: AssuranceLevel;
  readonly replayStore: ReplayStore;
  readonly timeout: number;
  /** The issuer is plain http on loopback (the dev provider). */
  readonly plainHttp: boolean;
  readonly userAgent: string;
}

const invalid = (message: string): never => {
  throw new IdentityError('IDENTITY_CONFIGURATION_INVALID', message);
};

function algorithmOfCryptoKey(key: CryptoKey): AssertionAlgorithm | undefined {
  const algorithm = key.algorithm as { name?: string; namedCurve?: string };
  if (algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256') return 'ES256';
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') return 'RS256';
  if (algorithm.name === 'RSA-PSS') return 'PS256';
  return undefined;
}

function assertionAlgorithmFor(
  key: CryptoKey | string,
  requested: AssertionAlgorithm | undefined,
): AssertionAlgorithm {
  const refuse = (message: string): never => {
    throw new IdentityError('IDENTITY_CLIENT_KEY_INVALID', message);
  };
  if (typeof key !== 'string') {
    if (key.type !== 'private') refuse('clientPrivateKey must be a private key');
    const own = algorithmOfCryptoKey(key);
    if (own === undefined) refuse('clientPrivateKey must be an EC P-256 or RSA signing key');
    if (requested !== undefined && requested !== own) {
      refuse(
        `clientAssertionAlgorithm ${requested} does not suit the key (imported for ${own}); import the key for ${requested}`,
      );
    }
    return own as AssertionAlgorithm;
  }
  const facts = inspectPrivateKeyPem(key);
  if (facts.type === 'ec') {
    if (facts.curve !== 'prime256v1') refuse('an EC client key must be on the P-256 curve');
    if (requested !== undefined && requested !== 'ES256')
      refuse(`clientAssertionAlgorithm ${requested} does not suit an EC key (use ES256)`);
    return 'ES256';
  }
  if (facts.type === 'rsa') {
    if (requested === 'ES256') refuse('clientAssertionAlgorithm ES256 does not suit an RSA key');
    return requested ?? 'RS256';
  }
  if (facts.type === 'rsa-pss') {
    if (requested !== undefined && requested !== 'PS256')
      refuse(`clientAssertionAlgorithm ${requested} does not suit an RSA-PSS key (use PS256)`);
    return 'PS256';
  }
  return refuse('the client key must be an EC P-256 or RSA private key');
}

// Starts an asynchronous import once and remembers it; a failure is reported where it is awaited.
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}

/**
 * Checks every option of `createRelyingParty` and derives the settings the
 * parts share. Every configuration mistake that can be seen without calling
 * the provider throws here, with its own code, before any citizen meets it.
 */
export function resolveSettings(options: RelyingPartyOptions): RelyingPartySettings {
  const profile = options.profile ?? genericProfile();
  let issuerUrl: URL;
  let redirectUrl: URL;
  try {
    issuerUrl = new URL(options.issuer);
    redirectUrl = new URL(options.redirectUri);
  } catch {
    throw new IdentityError(
      'IDENTITY_CONFIGURATION_INVALID',
      'issuer and redirectUri must be absolute URLs',
    );
  }
  if (!isSecureOrLoopback(issuerUrl)) {
    throw new IdentityError(
      'IDENTITY_INSECURE_TRANSPORT',
      `the issuer must use https; plain http is allowed only for a loopback issuer (the dev provider), whatever unsafeAllowHttp says (got ${issuerUrl.protocol}//${issuerUrl.host})`,
    );
  }
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  if (!(clockTolerance >= 0 && clockTolerance <= 30))
    invalid('clockToleranceSeconds must be between 0 and 30');
  const loginLifetime = options.loginLifetimeSeconds ?? 600;
  if (!(loginLifetime > 0 && loginLifetime <= 3600))
    invalid('loginLifetimeSeconds must be between 1 and 3600');
  const authenticationMethod: AuthenticationMethod =
    options.clientAuthentication ??
    (options.clientPrivateKey !== undefined ? 'private_key_jwt' : 'client_secret_post');
  if (authenticationMethod === 'private_key_jwt' && options.clientPrivateKey === undefined) {
    throw new IdentityError(
      'IDENTITY_CLIENT_KEY_INVALID',
      'private_key_jwt needs clientPrivateKey',
    );
  }
  if (authenticationMethod !== 'private_key_jwt' && options.clientSecret === undefined) {
    invalid(`${authenticationMethod} needs clientSecret`);
  }
  const privateKey = options.clientPrivateKey;
  const clientAssertionAlgorithm =
    authenticationMethod === 'private_key_jwt' && privateKey !== undefined
      ? assertionAlgorithmFor(privateKey, options.clientAssertionAlgorithm)
      : undefined;
  if (
    clientAssertionAlgorithm !== undefined &&
    profile.clientAssertionAlgorithms !== undefined &&
    !profile.clientAssertionAlgorithms.includes(clientAssertionAlgorithm)
  ) {
    throw new IdentityError(
      'IDENTITY_ALGORITHM_NOT_SUPPORTED',
      `the ${profile.name} profile accepts client assertions signed with ${profile.clientAssertionAlgorithms.join(', ')}, not ${clientAssertionAlgorithm}`,
    );
  }
  const decryptionOptions = options.decryptionKeys ?? [];
  for (const decryptionKey of decryptionOptions) {
    if (typeof decryptionKey.key === 'string') inspectPrivateKeyPem(decryptionKey.key);
  }
  const minimumAssurance = options.minimumAssurance ?? { authentication: 'low', identity: 'none' };
  profile.checkConfiguration?.({
    issuer: options.issuer,
    clientId: options.clientId,
    clientAuthentication: authenticationMethod,
    ...(clientAssertionAlgorithm === undefined ? {} : { clientAssertionAlgorithm }),
    decryptionKeyCount: decryptionOptions.length,
    minimumAssurance,
  });
  const secure = redirectUrl.protocol === 'https:';
  const cookieName =
    options.cookieName ?? (secure ? '__Host-civicblocks-login' : 'civicblocks-login');
  const cookieAttributes = `Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  const clock = options.clock ?? systemClock;
  return {
    options,
    profile,
    issuer: options.issuer,
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    origin: redirectUrl.origin,
    authenticationMethod,
    clientAssertionAlgorithm,
    signingKey: once(async () => {
      if (privateKey === undefined) throw new Error('no client key');
      if (typeof privateKey !== 'string') return privateKey;
      return (await importPKCS8(privateKey, clientAssertionAlgorithm ?? 'ES256')) as CryptoKey;
    }),
    decryptionKeys: once(async () =>
      Promise.all(
        decryptionOptions.map(async (decryptionKey) => ({
          key:
            typeof decryptionKey.key === 'string'
              ? ((await importPKCS8(decryptionKey.key, decryptionKey.algorithm)) as CryptoKey)
              : decryptionKey.key,
          algorithm: decryptionKey.algorithm,
          ...(decryptionKey.keyId === undefined ? {} : { keyId: decryptionKey.keyId }),
        })),
      ),
    ),
    hasDecryptionKeys: decryptionOptions.length > 0,
    clockTolerance,
    loginLifetime,
    cookieKey: deriveCookieKey(options.cookieSecret),
    cookieName,
    cookieAttributes,
    clearCookie: `${cookieName}=; Max-Age=0; ${cookieAttributes}`,
    clock,
    minimumAssurance,
    replayStore: options.replayStore ?? createMemoryReplayStore(clock),
    timeout: options.timeoutMilliseconds ?? 10_000,
    plainHttp: issuerUrl.protocol === 'http:',
    userAgent: profile.userAgent ?? 'civicblocks-identity',
  };
}
