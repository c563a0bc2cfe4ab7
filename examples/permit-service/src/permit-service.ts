import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, InvalidInputError, type SqlExecutor, systemClock } from '@civicblocks/core';
import { compileForm, createFormHandler, createSqlAnswerStore } from '@civicblocks/forms';
import { createRelyingParty, createSqlReplayStore, genericProfile } from '@civicblocks/identity';
import { startDevProvider } from '@civicblocks/identity/dev-provider';
import { createApplicationStore } from './applications.js';
import { answersCookie } from './cookies.js';
import { migrateAll, openDatabase } from './database.js';
import { nodeListener } from './node-http.js';
import { scriptHref, stylesheetHref } from './pages.js';
import { permitFormDefinition } from './permit-form.js';
import { createRoutes, formBasePath, sessionLifetimeSeconds } from './routes.js';
import { createSessionStore, type Session } from './sessions.js';

/**
 * Options of {@link startPermitService}. Everything has an embedded default.
 *
 * @example
 * ```ts
 * const options: PermitServiceOptions = { port: 0, databaseUrl: process.env.DATABASE_URL };
 * ```
 */
export interface PermitServiceOptions {
  /** Default 3000; 0 picks a free port. */
  readonly port?: number;
  /** PostgreSQL; without it the embedded PGlite is used. */
  readonly databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; without it the database lives in memory. */
  readonly dataDir?: string | undefined;
  /** A database already open (tests); left open by `close()`. Wins over `databaseUrl`. */
  readonly executor?: SqlExecutor;
  /** 32+ random bytes each, base64url; generated for this run when absent. */
  readonly secrets?: {
    readonly loginCookie?: string | undefined;
    readonly forms?: string | undefined;
  };
  readonly clock?: Clock;
  /** One line at a time; never given personal data or secrets. Default: stdout. */
  readonly log?: (line: string) => void;
}

/**
 * A running permit service.
 *
 * @example
 * ```ts
 * const service: PermitService = await startPermitService({ port: 0 });
 * await service.close();
 * ```
 */
export interface PermitService {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Stops taking requests, then closes the identity provider and the database. */
  close(): Promise<void>;
}

/**
 * Starts the street-vending permit service: GOV.UK Frontend pages in
 * Vietnamese and English, sign-in through `@civicblocks/identity` against
 * the in-process dev identity provider, the application form from
 * `@civicblocks/forms` with its answers in SQL, and each submission stored
 * and recorded in core's audit chain.
 *
 * @example
 * ```ts
 * const { origin, close } = await startPermitService({ port: 0 });
 * console.log(`open ${origin}`);
 * await close();
 * ```
 */
export async function startPermitService(
  options: PermitServiceOptions = {},
): Promise<PermitService> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const clock = options.clock ?? systemClock;
  const generated: string[] = [];
  const secret = (value: string | undefined, name: string): string => {
    if (value !== undefined && value !== '') return value;
    generated.push(name);
    return randomBytes(32).toString('base64url');
  };
  const loginCookieSecret = secret(options.secrets?.loginCookie, 'PERMIT_LOGIN_COOKIE_SECRET');
  const formsSecret = secret(options.secrets?.forms, 'PERMIT_FORMS_SECRET');
  if (generated.length > 0) {
    log(
      `permit-service: ${generated.join(' and ')} not set; generated random ones for this run only`,
    );
  }

  const ownedExecutor =
    options.executor === undefined
      ? await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir })
      : undefined;
  const executor: SqlExecutor = options.executor ?? (ownedExecutor as SqlExecutor);
  // Closed in reverse order of opening, after the server has stopped taking requests.
  const resources: (() => Promise<void>)[] = [];
  if (ownedExecutor !== undefined) resources.unshift(() => ownedExecutor.close());
  const server = createServer();
  const stopServer = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      server.closeAllConnections();
    });

  try {
    await migrateAll(executor);

    // Loopback only: the embedded dev identity provider signs anyone in and must never face a network.
    const host = '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const origin = `http://${host}:${port}`;
    // Plain http on loopback, so no `Secure` cookies; served over HTTPS this becomes true.
    const secure = false;

    // Identity: the dev provider stands in for the national identity provider.
    const clientSecret = randomBytes(32).toString('base64url');
    const devProvider = await startDevProvider({
      profile: 'generic',
      clients: [
        {
          clientId: 'permit-service',
          clientSecret,
          redirectUris: [`${origin}/auth/callback`],
          postLogoutRedirectUris: [`${origin}/signed-out`],
        },
      ],
    });
    resources.unshift(() => devProvider.close());
    const relyingParty = createRelyingParty({
      issuer: devProvider.issuer,
      clientId: 'permit-service',
      clientSecret,
      redirectUri: `${origin}/auth/callback`,
      postLogoutRedirectUri: `${origin}/signed-out`,
      cookieSecret: loginCookieSecret,
      profile: genericProfile(),
      // A permit is issued to a person: their identity must have been verified.
      minimumAssurance: { authentication: 'substantial', identity: 'medium' },
      replayStore: createSqlReplayStore(executor, { clock }),
      keepTokens: true,
      clock,
      unsafeAllowHttp: true, // only because the dev provider is on http://127.0.0.1
    });
    resources.unshift(() => relyingParty.close());

    const sessions = createSessionStore(executor, {
      clock,
      lifetimeSeconds: sessionLifetimeSeconds,
    });
    const applications = createApplicationStore(executor, { clock });

    // The form: answers live server-side in SQL; the cookie holds a random id.
    const form = compileForm(permitFormDefinition, { timeZone: 'Asia/Ho_Chi_Minh', clock });
    // The routes hand the form handler each signed-in citizen's request; onSubmit finds the
    // session again from that same request object.
    const sessionOfRequest = new WeakMap<Request, Session>();
    const handleForm = createFormHandler({
      form,
      basePath: formBasePath,
      secret: formsSecret,
      stylesheetHref,
      scriptHref,
      defaultLocale: 'vi',
      cookieName: answersCookie,
      answerStore: createSqlAnswerStore(executor, { clock }),
      // Exactly-once: the submission key is recorded in the transaction of the application.
      executor,
      unsafeAllowHttpCookies: !secure,
      clock,
      onSubmit: async ({ answers, request, transaction }) => {
        const session = sessionOfRequest.get(request);
        if (session === undefined) {
          throw new InvalidInputError(
            'INVALID_ARGUMENT',
            'a form was submitted without a session',
            {
              details: { argument: 'session' },
            },
          );
        }
        const application = await applications.submit(session, form.definition, answers, {
          ...(transaction === undefined ? {} : { transaction }),
        });
        return { reference: application.reference };
      },
    });
    const handle = createRoutes({
      relyingParty,
      personas: devProvider.personas,
      sessions,
      applications,
      handleForm,
      sessionOfRequest,
      secure,
      log,
    });

    server.on(
      'request',
      nodeListener(origin, handle, () => log('permit-service: a response could not be sent')),
    );

    let closing: Promise<void> | undefined;
    return {
      origin,
      close: () => {
        closing ??= (async () => {
          await stopServer();
          for (const close of resources) await close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await stopServer();
    for (const close of resources) await close().catch(() => undefined);
    throw error;
  }
}
