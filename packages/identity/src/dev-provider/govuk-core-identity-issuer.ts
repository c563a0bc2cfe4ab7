import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { DevProviderFaults, DevProviderGovuk } from './dev-provider-options.js';
import { subjectOf } from './persona-claims.js';
import type { DevPersona } from './personas.js';

// The GOV.UK One Login core identity side of the dev provider, shaped as GOV.UK One Login
// technical documentation ("Prove your user's identity") and its simulator issue it:
// header { kid: "<did:web controller>#<key id>", alg: "ES256" }; payload { sub, iss, aud,
// nbf, iat, exp, vot: "P2", vtm: "<issuer>/trustmark", vc: { type: ["VerifiableCredential",
// "IdentityCheckCredential"], credentialSubject: { name: [{ nameParts: [...] }],
// birthDate: [{ value }] } } }. Keys are published in a did:web DID document whose id is the
// controller, with a port's colon written %3A.

interface VerificationMethod {
  readonly type: 'JsonWebKey';
  readonly id: string;
  readonly controller: string;
  readonly publicKeyJwk: JWK;
}

/** Signs core identity JWTs and serves the DID document with their keys. */
export interface CoreIdentityIssuer {
  readonly govuk: DevProviderGovuk;
  didDocument(): object;
  sign(
    persona: DevPersona,
    clientId: string,
    identityVector: string,
    faults: DevProviderFaults,
  ): Promise<string>;
  rotate(): Promise<string>;
}

async function newKey(controller: string): Promise<{ method: VerificationMethod; key: CryptoKey }> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const publicKeyJwk = { ...(await exportJWK(pair.publicKey)), alg: 'ES256' };
  const id = `${controller}#${await calculateJwkThumbprint(publicKeyJwk, 'sha256')}`;
  return { method: { type: 'JsonWebKey', id, controller, publicKeyJwk }, key: pair.privateKey };
}

const lowerVector: Readonly<Record<string, string>> = { P3: 'P2', P2: 'P1', P1: 'P0' };

/**
 * The core identity issuer of a dev provider at `issuer` (`http://host:port`):
 * `iss` is `<issuer>/identity/`, the controller `did:web:host%3Aport`, the
 * DID document at `<issuer>/.well-known/did.json`.
 */
export async function createCoreIdentityIssuer(
  issuer: string,
  hostForUrl: string,
  port: number,
): Promise<CoreIdentityIssuer> {
  const controller = `did:web:${hostForUrl}:${port}`.replace(/:(\d+)$/, '%3A$1');
  const govuk: DevProviderGovuk = {
    didDocumentUrl: `${issuer}/.well-known/did.json`,
    controller,
    coreIdentityIssuer: `${issuer}/identity/`,
  };
  const first = await newKey(controller);
  const methods: VerificationMethod[] = [first.method];
  let signingKey = first.key;
  return {
    govuk,
    didDocument: () => ({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
      id: controller,
      assertionMethod: methods,
    }),
    async sign(persona, clientId, identityVector, faults) {
      const fault = faults.coreIdentity;
      const nowSeconds = Math.floor(Date.now() / 1000);
      const issuedAt = nowSeconds - (fault === 'expired' ? 7200 : 0);
      const subject = subjectOf('govuk-one-login', persona.id);
      const payload = {
        sub: fault === 'different-subject' ? `${subject.slice(0, -2)}A=` : subject,
        iss:
          fault === 'wrong-issuer' ? 'https://identity.example.invalid/' : govuk.coreIdentityIssuer,
        aud: fault === 'wrong-audience' ? 'another-client' : clientId,
        nbf: issuedAt,
        iat: issuedAt,
        exp: fault === 'expired' ? nowSeconds - 3600 : nowSeconds + 86_400,
        vot: fault === 'lower-level' ? (lowerVector[identityVector] ?? 'P0') : identityVector,
        vtm: `${issuer}/trustmark`,
        vc: {
          type: ['VerifiableCredential', 'IdentityCheckCredential'],
          credentialSubject: {
            name: [
              {
                nameParts: [
                  { type: 'GivenName', value: persona.givenName },
                  { type: 'FamilyName', value: persona.familyName },
                ],
              },
            ],
            ...(persona.birthDate === undefined
              ? {}
              : { birthDate: [{ value: persona.birthDate }] }),
          },
        },
      };
      const keyId =
        fault === 'unknown-key' ? `${controller}#not-in-the-did-document` : methods[0]?.id;
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'ES256', ...(keyId === undefined ? {} : { kid: keyId }) })
        .sign(signingKey);
      if (fault !== 'tampered-signature') return token;
      const [header, body, signature = ''] = token.split('.');
      return `${header}.${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    },
    async rotate() {
      const next = await newKey(controller);
      methods.unshift(next.method);
      signingKey = next.key;
      return next.method.id;
    },
  };
}
