import {
  type Clock,
  coreMigrations,
  createManualClock,
  type ManualClock,
  migrate,
} from '@civicblocks/core';
import {
  createTestDatabase,
  type DatabaseTarget,
  databaseTargets,
  type TestDatabase,
} from '@civicblocks/core/testing';
import { generateConsentSigningKey } from '../src/receipts/signing-keys.js';
import type {
  ConsentService,
  ConsentServiceOptions,
} from '../src/service/consent-service-types.js';
import { createConsentService } from '../src/service/create-consent-service.js';
import { consentMigrations } from '../src/store/consent-migrations.js';
import { exampleNotice } from '../src/testing/example-notice.js';

export const targets: DatabaseTarget[] = databaseTargets({
  databaseUrl: process.env.DATABASE_URL,
  requirePostgres: Boolean(process.env.CI),
});

export interface ConsentFixture {
  readonly database: TestDatabase;
  readonly consent: ConsentService;
  readonly clock: ManualClock;
}

export async function consentFixture(
  target: DatabaseTarget,
  extra: Partial<ConsentServiceOptions> & { clock?: Clock } = {},
): Promise<ConsentFixture> {
  const database = await createTestDatabase(target);
  await migrate(database.executor, coreMigrations);
  await migrate(database.executor, consentMigrations);
  const clock = createManualClock('2026-01-05T08:00:00Z');
  const consent = await createConsentService({
    executor: database.executor,
    keys: { current: await generateConsentSigningKey('consent-test-1') },
    clock,
    ...extra,
  });
  await consent.publishNotice(exampleNotice);
  return { database, consent, clock };
}

export const notice = { id: exampleNotice.id, version: 1 } as const;
