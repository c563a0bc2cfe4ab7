// A deliberately misbehaving OpenID provider on loopback, for the negative
// corpus: it speaks the protocol (discovery, authorize, token with PKCE,
// userinfo, JWKS) but lets a test craft every callback parameter, ID token
// claim, header and signature. oidc-provider cannot be made to misbehave,
// so this stands in for a compromised or buggy national provider.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactEncrypt, exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface HostileKeys {
  readonly published: CryptoKey;
  readonly publishedJwk: JWK;
  readonly unpublished: CryptoKey;
  readonly unpublishedJwk: JWK;
  readonly publicPem: string;
}

export interface Scenario {
  /** Change the parameters of the redirect back to the relying party. */
  readonly callback?: (parameters: URLSearchParams) => void;
  /** Change the ID token claims. */
  readonly claims?: (claims: Record<string, unknown>) => void;
  /** Produce the ID token from the claims yourself (other algorithms, keys, tampering, encryption). */
  readonly sign?: (claims: Record<string, unknown>, keys: HostileKeys) => Promise<string>;
  /** Change the userinfo body. */
  readonly userinfo?: (body: Record<string, unknown>) => void;
}

export interface HostileProvider {
  readonly issuer: string;
  readonly keys: HostileKeys;
  scenario: Scenario;
  /** Also publish the unpublished key (a key rotation). */
  publishSecondKey: boolean;
  /** More public keys to publish (an ES256 key for recorded-shape fixtures). */
  extraJwks: JWK[];
  /** Discovery metadata to add or override. */
  metadata: Record<string, unknown>;
  /** A DID document served at /.well-known/did.json (GOV.UK core identity fixtures). */
  didDocument: object | undefined;
  /** Answers to give instead of the token endpoint's (an OAuth error, say). */
  tokenAnswer: { status: number; body: Record<string, unknown> } | undefined;
  readonly jwksFetches: () => number;
  /** The User-Agent of every request received, in order. */
  readonly userAgents: string[];
  close(): Promise<void>;
}

export async function signDefault(
  claims: Record<string, unknown>,
  keys: HostileKeys,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'published' })
    .sign(keys.published);
}

export async function encryptTo(jws: string, jwk: JWK, key: CryptoKey): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      cty: 'JWT',
      ...(jwk.kid === undefined ? {} : { kid: jwk.kid }),
    })
    .encrypt(key);
}

export async function startHostileProvider(clientId: string): Promise<HostileProvider> {
  const first = await generateKeyPair('RS256', { extractable: true });
  const second = await generateKeyPair('RS256', { extractable: true });
  const keys: HostileKeys = {
    published: first.privateKey,
    publishedJwk: {
      ...(await exportJWK(first.publicKey)),
      kid: 'published',
      alg: 'RS256',
      use: 'sig',
    },
    unpublished: second.privateKey,
    unpublishedJwk: {
      ...(await exportJWK(second.publicKey)),
      kid: 'rotated',
      alg: 'RS256',
      use: 'sig',
    },
    publicPem: await exportSPKI(first.publicKey),
  };
  const pending = new Map<string, { nonce: string | null; challenge: string | null }>();
  let jwksFetches = 0;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider: HostileProvider = {
    issuer,
    keys,
    scenario: {},
    publishSecondKey: false,
    extraJwks: [],
    metadata: {},
    didDocument: undefined,
    tokenAnswer: undefined,
    jwksFetches: () => jwksFetches,
    userAgents: [],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };

  const json = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  const readBody = async (request: IncomingMessage): Promise<URLSearchParams> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  };

  server.on('request', (request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    if (url.pathname !== '/authorize')
      provider.userAgents.push(request.headers['user-agent'] ?? '');
    void (async () => {
      switch (url.pathname) {
        case '/.well-known/openid-configuration':
          return json(response, 200, {
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            userinfo_endpoint: `${issuer}/userinfo`,
            jwks_uri: `${issuer}/jwks`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256', 'HS256', 'none'],
            code_challenge_methods_supported: ['S256'],
            token_endpoint_auth_methods_supported: ['client_secret_post'],
            authorization_response_iss_parameter_supported: true,
            ...provider.metadata,
          });
        case '/.well-known/did.json':
          if (provider.didDocument === undefined) break;
          return json(response, 200, provider.didDocument);
        case '/jwks':
          jwksFetches += 1;
          return json(response, 200, {
            keys: [
              keys.publishedJwk,
              ...(provider.publishSecondKey ? [keys.unpublishedJwk] : []),
              ...provider.extraJwks,
            ],
          });
        case '/authorize': {
          const code = randomBytes(16).toString('base64url');
          pending.set(code, {
            nonce: url.searchParams.get('nonce'),
            challenge: url.searchParams.get('code_challenge'),
          });
          const back = new URL(url.searchParams.get('redirect_uri') ?? 'http://127.0.0.1:1/');
          const parameters = new URLSearchParams({
            code,
            state: url.searchParams.get('state') ?? '',
            iss: issuer,
          });
          provider.scenario.callback?.(parameters);
          back.search = parameters.toString();
          response.writeHead(303, { location: back.href });
          return response.end();
        }
        case '/token': {
          const body = await readBody(request);
          if (provider.tokenAnswer !== undefined) {
            return json(response, provider.tokenAnswer.status, provider.tokenAnswer.body);
          }
          const entry = pending.get(body.get('code') ?? '');
          pending.delete(body.get('code') ?? '');
          const verifier = body.get('code_verifier') ?? '';
          if (
            entry === undefined ||
            body.get('client_id') !== clientId ||
            createHash('sha256').update(verifier).digest('base64url') !== entry.challenge
          ) {
            return json(response, 400, { error: 'invalid_grant' });
          }
          const now = Math.floor(Date.now() / 1000);
          const claims: Record<string, unknown> = {
            iss: issuer,
            sub: 'citizen-1',
            aud: clientId,
            exp: now + 300,
            iat: now,
            ...(entry.nonce === null ? {} : { nonce: entry.nonce }),
            acr: 'http://eidas.europa.eu/LoA/substantial',
          };
          provider.scenario.claims?.(claims);
          const idToken = await (provider.scenario.sign ?? signDefault)(claims, keys);
          return json(response, 200, {
            access_token: randomBytes(16).toString('base64url'),
            token_type: 'Bearer',
            expires_in: 300,
            id_token: idToken,
          });
        }
        case '/userinfo': {
          const body: Record<string, unknown> = {
            sub: 'citizen-1',
            name: 'Phạm Minh Châu',
            email: 'chau.pham@example.vn',
          };
          provider.scenario.userinfo?.(body);
          return json(response, 200, body);
        }
        default:
          break;
      }
      response.writeHead(404);
      return response.end();
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  return provider;
}
