// The stable entry point of @civicblocks/identity. Explicit, named exports only.

export {
  type AssuranceLevel,
  type AuthenticationLevel,
  eidasNameFor,
  fromEidasLevel,
  fromEsignetAcr,
  fromGovukIdentityVector,
  fromGovukVectorOfTrust,
  fromLoginGovAcr,
  fromSingpassAcr,
  fromTaraAcr,
  type IdentityLevel,
  meetsMinimumAssurance,
} from './assurance/level-of-assurance.js';
export {
  IdentityError,
  type IdentityErrorCode,
  type IdentityErrorOptions,
  isConfigurationError,
} from './errors/identity-error.js';
export { type ClientKeys, type ClientKeysOptions, generateClientKeys } from './keys/client-keys.js';
export { exportKeyPem, importPrivateKeyPem, type PemKeyAlgorithm } from './keys/pem.js';
export { type EsignetProfileOptions, esignetProfile } from './profiles/esignet.js';
export { type GenericProfileOptions, genericProfile } from './profiles/generic.js';
export {
  type CoreIdentity,
  type CoreIdentitySource,
  type CoreIdentityVerifierOptions,
  coreIdentitySourceFor,
  createCoreIdentityVerifier,
} from './profiles/govuk-core-identity.js';
export {
  type GovukClaim,
  type GovukOneLoginProfileOptions,
  govukOneLoginProfile,
} from './profiles/govuk-one-login.js';
export { type LoginGovProfileOptions, loginGovProfile } from './profiles/login-gov.js';
export {
  mergedClaims,
  type ProfileContext,
  type ProfileResult,
  type ProfileSettings,
  type ProviderProfile,
  standardIdentityClaims,
} from './profiles/provider-profile.js';
export { type SingpassProfileOptions, singpassProfile } from './profiles/singpass.js';
export { type TaraProfileOptions, taraProfile } from './profiles/tara.js';
export {
  createDiscoveryCache,
  type DiscoveryCache,
  type DiscoveryCacheOptions,
  type ProviderMetadata,
} from './relying-party/discovery.js';
export {
  createIdTokenVerifier,
  type IdTokenExpectations,
  type IdTokenVerifier,
  type IdTokenVerifierOptions,
} from './relying-party/id-token-verifier.js';
export {
  deriveCookieKey,
  type LoginTransaction,
  openLoginTransaction,
  sealLoginTransaction,
} from './relying-party/login-cookie.js';
export { identityErrorFromProtocol } from './relying-party/protocol-errors.js';
export { createRelyingParty, type RelyingParty } from './relying-party/relying-party.js';
export type {
  BackchannelLogout,
  CallbackHandlerOptions,
  DecryptionKey,
  HandlerOptions,
  LoginResult,
  LoginStart,
  RefreshOptions,
  RefreshResult,
  RelyingPartyOptions,
  StartLoginOptions,
} from './relying-party/relying-party-options.js';
export { createMemoryReplayStore, type ReplayStore } from './relying-party/replay-store.js';
export { safeReturnTo } from './relying-party/return-to.js';
export {
  createSqlReplayStore,
  identityMigrations,
  type SqlReplayStoreOptions,
  usedTransactionsTable,
} from './relying-party/sql-replay-store.js';
export type {
  IdentityAddress,
  IdentityClaims,
  VerifiedIdentity,
} from './relying-party/verified-identity.js';
