import type { SqlError } from '../errors/core-errors.js';
import { hasSecondConnection } from './database-context.js';
import type { Migration } from './migrations.js';
import type { SqlExecutor } from './sql-executor.js';

// Thrown inside a step transaction (rolling it back) when another process
// holds the namespace's lock.
/** @internal Thrown in a step transaction when another process holds the namespace's lock. */
export const namespaceBusy: unique symbol = Symbol('namespace busy');

/** @internal The steps of migrate a `transaction: false` migration runs through. */
export interface OutsideSteps {
  findPending(transaction: SqlExecutor): Promise<{ pending: Migration | undefined }>;
  record(transaction: SqlExecutor, migration: Migration): Promise<void>;
  failed(error: unknown): SqlError;
}

// Runs a `transaction: false` migration. Where the root can use a second
// connection (a pg pool), a transaction holds the namespace's advisory lock
// (and nothing else, so CREATE INDEX CONCURRENTLY does not wait for it)
// while the root runs the SQL, then records it and commits: one process runs
// it, the others wait and find it done. On PGlite, which runs one statement
// at a time anyway, it runs first and is recorded under the lock after.
/** @internal Runs a `transaction: false` migration; true once this call recorded it. */
export async function runOutsideTransaction(
  executor: SqlExecutor,
  migration: Migration,
  steps: OutsideSteps,
): Promise<boolean> {
  const runScript = async (): Promise<void> => {
    try {
      await executor.executeScript(migration.sql);
    } catch (error) {
      throw steps.failed(error);
    }
  };
  if (!hasSecondConnection(executor)) {
    await runScript();
    return executor.transaction(async (transaction) => {
      const { pending } = await steps.findPending(transaction);
      // Another process may have run and recorded it meanwhile.
      if (pending?.version !== migration.version) return false;
      await steps.record(transaction, migration);
      return true;
    });
  }
  let locked: (still: boolean) => void = () => {};
  const lockTaken = new Promise<boolean>((resolve) => {
    locked = resolve;
  });
  let scriptDone: (outcome: { error?: unknown }) => void = () => {};
  const scriptFinished = new Promise<{ error?: unknown }>((resolve) => {
    scriptDone = resolve;
  });
  const holder = executor.transaction(async (transaction) => {
    const { pending } = await steps.findPending(transaction);
    if (pending?.version !== migration.version) {
      locked(false);
      return false;
    }
    // A simple-protocol statement drops the last query's portal and with it
    // the snapshot it kept: CONCURRENTLY would otherwise wait for this holder.
    await transaction.executeScript('SELECT 1');
    locked(true);
    const outcome = await scriptFinished;
    if ('error' in outcome) throw outcome.error;
    await steps.record(transaction, migration);
    return true;
  });
  // Awaited here, outside the holder's async context: the root runs the
  // script on another connection while the holder keeps the lock.
  const still = await Promise.race([lockTaken, holder.then(() => false)]);
  if (still) {
    try {
      await runScript();
      scriptDone({});
    } catch (error) {
      scriptDone({ error });
    }
  }
  return holder;
}
