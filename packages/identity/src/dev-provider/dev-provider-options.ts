import type { JWK } from 'jose';
import type { DevPersona } from './personas.js';

/**
 * Which national provider the dev identity provider imitates.
 *
 * @example
 * ```ts
 * const profile: DevProviderProfile = 'govuk-one-login';
 * ```
 */
export type DevProviderProfile =
  | 'generic'
  | 'govuk-one-login'
  | 'login-gov'
  | 'singpass'
  | 'esignet'
  | 'tara';

/**
 * A relying party registered with the dev identity provider.
 *
 * @example
 * ```ts
 * const client: DevClient = {
 *   clientId: 'my-service',
 *   clientSecret: 'a-long-random-development-secret',
 *   redirectUris: ['http://127.0.0.1:3000/auth/callback'],
 * };
 * ```
 */
export interface DevClient {
  readonly clientId: string;
  /** Needed for `client_secret_post` and `client_secret_basic`. */
  readonly clientSecret?: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  /** Default: `client_secret_post` with a secret, else `private_key_jwt`. */
  readonly tokenEndpointAuthMethod?:
    | 'client_secret_post'
    | 'client_secret_basic'
    | 'private_key_jwt';
  /** The client's public keys: signing keys for `private_key_jwt`, encryption keys for encrypted responses. */
  readonly jwks?: { readonly keys: readonly JWK[] };
  /** Default per profile: ES256 for GOV.UK One Login and Singpass, RS256 otherwise. */
  readonly idTokenSignedResponseAlgorithm?: string;
  /** Encrypt ID tokens to the client's encryption key (Singpass: `ECDH-ES+A256KW` / `A256CBC-HS512`). */
  readonly idTokenEncryption?: { readonly algorithm: string; readonly encryption: string };
  /** Sign userinfo responses (eSignet). */
  readonly userinfoSignedResponseAlgorithm?: string;
  /** Encrypt userinfo responses to the client's encryption key (eSignet). */
  readonly userinfoEncryption?: { readonly algorithm: string; readonly encryption: string };
  /** Require DPoP-bound access tokens (Singpass). */
  readonly requireDpop?: boolean;
}

/**
 * Faults the dev provider can inject into a GOV.UK One Login core identity
 * JWT, so services can test that they are refused.
 *
 * @example
 * ```ts
 * devProvider.setFaults({ coreIdentity: 'expired' });
 * ```
 */
export interface DevProviderFaults {
  readonly coreIdentity?:
    | 'different-subject'
    | 'wrong-issuer'
    | 'wrong-audience'
    | 'expired'
    | 'unknown-key'
    | 'tampered-signature'
    /** The core identity's `vot` one level below the one requested (P1 for a P2 request). */
    | 'lower-level'
    /** No core identity JWT in userinfo (as when proving the identity failed). */
    | 'missing';
}

/**
 * Options of {@link startDevProvider}.
 *
 * @example
 * ```ts
 * const options: DevProviderOptions = {
 *   profile: 'generic',
 *   clients: [{ clientId: 'svc', clientSecret: 'dev-secret-dev-secret', redirectUris: ['http://127.0.0.1:3000/cb'] }],
 * };
 * ```
 */
export interface DevProviderOptions {
  /** Loopback address to bind (default `127.0.0.1`). */
  readonly host?: string;
  /** Port (default 0: a free port). */
  readonly port?: number;
  /**
   * Bind to a non-loopback address. The dev provider signs in anyone as
   * anyone: never expose it to a network.
   */
  readonly unsafeAllowNonLoopback?: boolean;
  readonly profile?: DevProviderProfile;
  readonly clients: readonly DevClient[];
  /** Default: {@link devPersonas}. */
  readonly personas?: readonly DevPersona[];
  /**
   * Persona signed in when the request has no `login_hint`. Without it, such
   * a request gets a 400 page. A `login_hint` always wins, whatever session
   * the browser already has with the dev provider.
   */
  readonly defaultPersona?: string;
  /** Require pushed authorization requests (default: true for Singpass). */
  readonly requirePushedAuthorizationRequests?: boolean;
}

/**
 * GOV.UK One Login specifics of a running dev provider.
 *
 * @example
 * ```ts
 * const { didDocumentUrl, coreIdentityIssuer } = devProvider.govuk;
 * ```
 */
export interface DevProviderGovuk {
  /** Where the DID document with the core identity signing key is served. */
  readonly didDocumentUrl: string;
  /** The `did:web` identifier and controller of the DID document. */
  readonly controller: string;
  /**
   * The `iss` of core identity JWTs: give it to `govukOneLoginProfile` as
   * `coreIdentityIssuer`; the controller and DID document URL derive from it.
   */
  readonly coreIdentityIssuer: string;
}

/**
 * A running dev identity provider.
 *
 * @example
 * ```ts
 * const devProvider = await startDevProvider({ clients: [client] });
 * console.log(devProvider.issuer);
 * await devProvider.close();
 * ```
 */
export interface DevProvider {
  /** The issuer identifier, e.g. `http://127.0.0.1:49152`. */
  readonly issuer: string;
  readonly profile: DevProviderProfile;
  /** The public signing keys of the provider. */
  readonly jwks: { readonly keys: readonly JWK[] };
  readonly govuk: DevProviderGovuk;
  readonly personas: readonly DevPersona[];
  /**
   * The `sub` the provider gives a persona, in the imitated provider's shape
   * (GOV.UK One Login: `urn:fdc:gov.uk:2022:...`; Singpass: a UUID; others:
   * the persona id).
   */
  subjectOf(personaId: string): string;
  /** Injects faults into what the provider issues next (tests of refusals). */
  setFaults(faults: DevProviderFaults): void;
  /**
   * Rotates the GOV.UK core identity signing key as the real provider does:
   * a new key is added to the DID document and signs from now on; the old
   * one stays listed. Returns the new key's DID URL (`kid`).
   */
  rotateCoreIdentityKey(): Promise<string>;
  close(): Promise<void>;
}
