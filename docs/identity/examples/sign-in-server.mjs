// A complete service with sign-in, on plain node:http, against the embedded
// dev identity provider. Run it from the repository root after
// `npx tsup` in packages/identity:
//
//   node docs/identity/examples/sign-in-server.mjs
//
// then open http://127.0.0.1:3000 and pick a persona.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createRelyingParty, genericProfile } from '@civicblocks/identity';
import { startDevProvider } from '@civicblocks/identity/dev-provider';

export async function startExample({ port = 3000 } = {}) {
  const server = createServer();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  // 1. An identity provider. In production this is GOV.UK One Login, Login.gov,
  //    Singpass, eSignet, TARA or your national provider; here it is the dev one.
  const devProvider = await startDevProvider({
    clients: [
      {
        clientId: 'example-service',
        clientSecret: 'example-secret-0123456789abcdef',
        redirectUris: [`${origin}/auth/callback`],
        postLogoutRedirectUris: [`${origin}/`],
      },
    ],
  });

  // 2. The relying party: one per provider, created once at start-up.
  const relyingParty = createRelyingParty({
    issuer: devProvider.issuer,
    clientId: 'example-service',
    clientSecret: 'example-secret-0123456789abcdef',
    redirectUri: `${origin}/auth/callback`,
    postLogoutRedirectUri: `${origin}/`,
    cookieSecret: randomBytes(32).toString('base64url'), // from your secret store in production
    profile: genericProfile(),
    minimumAssurance: { authentication: 'substantial', identity: 'medium' },
    // plain http is accepted only because the dev provider is on loopback (http://127.0.0.1)
  });

  // 3. Your own sessions (a Map for the example; use your session store).
  const sessions = new Map();
  const sessionOf = (request) => {
    const match = /(?:^|;\s*)session=([\w-]+)/.exec(request.headers.get('cookie') ?? '');
    return match === null ? undefined : sessions.get(match[1]);
  };

  const handle = async (request) => {
    const url = new URL(request.url);
    switch (url.pathname) {
      case '/auth/login':
        return relyingParty.handleLogin(request);
      case '/auth/callback':
        return relyingParty.handleCallback(request, {
          onSignedIn: (identity, { returnTo }) => {
            const id = randomBytes(32).toString('base64url');
            sessions.set(id, identity);
            return new Response(null, {
              status: 303,
              headers: {
                location: returnTo,
                'set-cookie': `session=${id}; Path=/; HttpOnly; SameSite=Lax`,
              },
            });
          },
        });
      case '/auth/logout': {
        // End the service's own session first (the provider's end-session endpoint ends only
        // the provider's), then send the citizen to the provider to sign out there too.
        const match = /(?:^|;\s*)session=([\w-]+)/.exec(request.headers.get('cookie') ?? '');
        if (match !== null) sessions.delete(match[1]);
        const response = await relyingParty.handleLogout(request);
        const signedOut = new Response(null, response);
        signedOut.headers.append(
          'set-cookie',
          'session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
        );
        return signedOut;
      }
      case '/': {
        const identity = sessionOf(request);
        const body =
          identity === undefined
            ? devProvider.personas
                .map(
                  (persona) =>
                    `<li><a href="/auth/login?login_hint=${persona.id}&returnTo=/">${persona.name}</a></li>`,
                )
                .join('')
            : `<p>Xin chào / Hello, ${identity.claims.name?.full ?? identity.subject}</p>
               <p>Assurance: ${identity.assurance.authentication} / ${identity.assurance.identity}</p>
               <p><a href="/auth/logout">Sign out</a></p>`;
        return new Response(
          `<!doctype html><meta charset="utf-8"><title>Example</title><ul>${body}</ul>`,
          {
            headers: { 'content-type': 'text/html; charset=utf-8' },
          },
        );
      }
      default:
        return new Response('Not found', { status: 404 });
    }
  };

  // node:http <-> Request/Response (Hono, Next.js and others do this for you).
  server.on('request', async (incoming, outgoing) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const response = await handle(new Request(new URL(incoming.url ?? '/', origin), { headers }));
    const outgoingHeaders = Object.fromEntries(response.headers);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) outgoingHeaders['set-cookie'] = cookies;
    outgoing.writeHead(response.status, outgoingHeaders);
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });

  return {
    origin,
    async close() {
      await relyingParty.close();
      await devProvider.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const example = await startExample();
  process.stdout.write(`Example service on ${example.origin}\n`);
}
