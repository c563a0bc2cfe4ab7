// The SQL replay store on PGlite and PostgreSQL: one use per id until it
// expires, one winner when instances race, and a login cookie used on one
// relying-party instance refused on another sharing the store.
import {
  coreMigrations,
  createManualClock,
  migrate,
  replayIdsTable,
  type SqlExecutor,
} from '@civicblocks/core';
import { createTestDatabase, databaseTargets, type TestDatabase } from '@civicblocks/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevProvider, startDevProvider } from '../src/dev-provider.js';
import {
  createRelyingParty,
  createSqlReplayStore,
  genericProfile,
  IdentityError,
  identityMigrations,
} from '../src/index.js';
import { prepareCallback } from '../src/testing/sign-in.js';

const targets = databaseTargets({
  databaseUrl: process.env.DATABASE_URL,
  ci: process.env.CI,
});

describe.each(targets)('SQL replay store on $name', (target) => {
  let database: TestDatabase;
  let executor: SqlExecutor;

  beforeAll(async () => {
    database = await createTestDatabase(target);
    executor = database.executor;
    await migrate(executor, coreMigrations);
    // Still harmless to run for existing start-up code.
    await migrate(executor, identityMigrations);
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("names the missing migrations when core's replay table was never created", async () => {
    const bare = await createTestDatabase(target);
    try {
      await migrate(bare.executor, identityMigrations);
      const store = createSqlReplayStore(bare.executor);
      const refusal = await store.consume('tx-unmigrated', new Date('2099-01-01T00:00:00Z')).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(IdentityError.isInstance(refusal)).toBe(true);
      expect((refusal as IdentityError).code).toBe('IDENTITY_CONFIGURATION_INVALID');
      expect((refusal as IdentityError).message).toContain('coreMigrations');
    } finally {
      await bare.drop();
    }
  });

  it('accepts an id once until it expires, then again', async () => {
    const clock = createManualClock('2026-11-23T10:00:00Z');
    const store = createSqlReplayStore(executor, { clock });
    const expiresAt = new Date('2026-11-23T10:10:00Z');
    expect(await store.consume('tx-1', expiresAt)).toBe(true);
    expect(await store.consume('tx-1', expiresAt)).toBe(false);
    expect(await store.consume('tx-2', expiresAt)).toBe(true);
    clock.advance(10 * 60 * 1000);
    expect(await store.consume('tx-1', new Date('2026-11-23T10:20:00Z'))).toBe(true);
    expect(await store.consume('tx-1', new Date('2026-11-23T10:20:00Z'))).toBe(false);
  });

  it('prunes expired rows as it goes and keeps live ones', async () => {
    const clock = createManualClock('2026-11-23T12:00:00Z');
    const store = createSqlReplayStore(executor, { clock, pruneEvery: 3 });
    await store.consume('prune-a', new Date('2026-11-23T12:01:00Z'));
    await store.consume('prune-b', new Date('2026-11-23T13:00:00Z'));
    clock.advance(5 * 60 * 1000);
    await store.consume('prune-c', new Date('2026-11-23T13:00:00Z')); // third call prunes
    const { rows } = await executor.query<{ id: string }>(
      `SELECT key AS id FROM ${replayIdsTable} WHERE key LIKE 'prune-%' ORDER BY key`,
    );
    expect(rows.map((row) => row.id)).toEqual(['prune-b', 'prune-c']);
  });

  it('lets exactly one of several racing instances use an id', async () => {
    const executors = [executor, await database.createExecutor(), await database.createExecutor()];
    const stores = executors.map((each) => createSqlReplayStore(each));
    const expiresAt = new Date(Date.now() + 600_000);
    for (let round = 0; round < 5; round += 1) {
      const outcomes = await Promise.all(
        stores.flatMap((store) => [
          store.consume(`race-${round}`, expiresAt),
          store.consume(`race-${round}`, expiresAt),
        ]),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
    }
  });

  describe('shared by two relying-party instances', () => {
    const redirectUri = 'http://127.0.0.1:3000/auth/callback';
    let devProvider: DevProvider;

    beforeAll(async () => {
      devProvider = await startDevProvider({
        clients: [
          {
            clientId: 'replay-service',
            clientSecret: 'replay-secret-0123456789',
            redirectUris: [redirectUri],
          },
        ],
      });
    });
    afterAll(async () => {
      await devProvider?.close();
    });

    it('refuses on one instance a login already finished on the other', async () => {
      const instances = [executor, await database.createExecutor()].map((each) =>
        createRelyingParty({
          issuer: devProvider.issuer,
          clientId: 'replay-service',
          clientSecret: 'replay-secret-0123456789',
          redirectUri,
          cookieSecret: 'c2hhcmVkLXJlcGxheS1zdG9yZS1jb29raWUtc2VjcmV0LTA',
          unsafeAllowHttp: true,
          profile: genericProfile(),
          replayStore: createSqlReplayStore(each),
        }),
      );
      const [first, second] = instances as [(typeof instances)[0], (typeof instances)[0]];
      try {
        const callback = await prepareCallback(first, redirectUri, { loginHint: 'tran-thi-mai' });
        const input = { url: callback.url, cookie: callback.headers.get('cookie') };
        const { identity } = await first.finishLogin(input);
        expect(identity.subject).toBe('tran-thi-mai');
        const replayed = await second.finishLogin(input).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(IdentityError.isInstance(replayed)).toBe(true);
        expect((replayed as IdentityError).code).toBe('IDENTITY_LOGIN_REPLAYED');
      } finally {
        await Promise.all(instances.map((instance) => instance.close()));
      }
    });
  });
});
