import { auditMigrations } from '../audit/audit-migrations.js';
import { idempotencyMigrations } from '../idempotency/idempotency-migrations.js';
import { outboxMigrations } from '../outbox/outbox-migrations.js';
import type { MigrationSet } from './migrations.js';

export { auditEntriesTable } from '../audit/audit-migrations.js';

/**
 * The schema `@civicblocks/core` itself needs (namespace `'core'`): today the
 * audit-chain tables ({@link auditMigrations}). Run it with {@link migrate}
 * at start-up, before the migrations of the blocks that use core's tables.
 * It lists every migration set of core, each under its own namespace: the
 * audit chain (`'core'`), the outbox, and the idempotency and replay store
 * (`'core-idempotency'`, {@link idempotencyMigrations}).
 *
 * The audit entries table refuses UPDATE, DELETE and TRUNCATE through a
 * trigger, the payloads table refuses UPDATE and TRUNCATE (erasure deletes);
 * the hash chain detects changes made by anyone able to get round them.
 *
 * @example
 * ```ts
 * import { coreMigrations, migrate } from '@civicblocks/core';
 *
 * await migrate(executor, coreMigrations);
 * ```
 */
export const coreMigrations: readonly MigrationSet[] = Object.freeze([
  auditMigrations,
  outboxMigrations,
  idempotencyMigrations,
]);
