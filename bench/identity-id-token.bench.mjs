// Validating an ID token whose signing keys are already cached: the
// package's ID token verifier (jose underneath, plus the alg allow-list,
// `iat`-in-the-future, `azp` and `nonce` checks and typed errors) against a
// bare jose.jwtVerify with a remote JWKS on the same token.
import { createServer } from 'node:http';
import { createIdTokenVerifier } from '@civicblocks/identity';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { compare } from './lib/harness.mjs';

export default async function run() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const jwksUri = `${issuer}/jwks`;
  const token = await new SignJWT({
    sub: 'citizen-1',
    nonce: 'nonce-1',
    acr: 'http://eidas.europa.eu/LoA/substantial',
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
    .setIssuer(issuer)
    .setAudience('bench-service')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);

  const verifier = createIdTokenVerifier({
    issuer,
    clientId: 'bench-service',
    jwksUri,
    algorithms: ['RS256'],
  });
  const keySet = createRemoteJWKSet(new URL(jwksUri));
  try {
    return await compare({
      name: 'identity-id-token',
      ours: () => verifier.verify(token, { nonce: 'nonce-1' }),
      baseline: {
        name: 'jose.jwtVerify',
        fn: () =>
          jwtVerify(token, keySet, { issuer, audience: 'bench-service', algorithms: ['RS256'] }),
      },
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
