import { AsyncLocalStorage } from 'node:async_hooks';
import { SqlError } from '../errors/core-errors.js';
import type { SqlExecutor } from './sql-executor.js';

/**
 * Marks a transaction of one database as open in the async context of its
 * callback. `open` turns false when the transaction ends, so work the
 * callback started and left running is not refused afterwards.
 * @internal
 */
export interface OpenTransactionMarker {
  open: boolean;
}

// One AsyncLocalStorage per database (a PGlite instance, a pg pool), not per
// executor object: two executors over one PGlite instance share it. A
// WeakMap, so a closed and dropped database leaves nothing behind.
const transactionContexts = new WeakMap<object, AsyncLocalStorage<OpenTransactionMarker>>();

function contextOf(database: object): AsyncLocalStorage<OpenTransactionMarker> {
  let context = transactionContexts.get(database);
  if (context === undefined) {
    context = new AsyncLocalStorage<OpenTransactionMarker>();
    transactionContexts.set(database, context);
  }
  return context;
}

/**
 * Runs `work` with a transaction of `database` marked open in its async
 * context; the mark is cleared when `work` settles.
 * @internal
 */
export async function runInTransactionContext<Result>(
  database: object,
  work: () => Promise<Result>,
): Promise<Result> {
  const marker: OpenTransactionMarker = { open: true };
  try {
    return await contextOf(database).run(marker, work);
  } finally {
    marker.open = false;
  }
}

/**
 * Throws `SQL_ROOT_EXECUTOR_IN_TRANSACTION` when a transaction of `database`
 * is open in the current async context.
 * @internal
 */
export function refuseRootInTransaction(database: object, adapter: 'pg' | 'PGlite'): void {
  if (transactionContexts.get(database)?.getStore()?.open !== true) return;
  const consequence =
    adapter === 'pg'
      ? 'it would run on another pooled connection, outside that transaction (or wait for ever on an exhausted pool)'
      : 'PGlite has one connection, so it would wait for ever';
  throw new SqlError(
    'SQL_ROOT_EXECUTOR_IN_TRANSACTION',
    `a root ${adapter} executor was called while a transaction of the same database is open in this async context: ${consequence}. Use the executor the transaction callback receives (pass it as { transaction } to block operations)`,
    { details: { reason: 'root-executor-in-transaction', adapter } },
  );
}

// Not enumerable and under a registered symbol, so it survives two installed
// copies of core and does not show when an executor is logged.
const databaseIdentity: unique symbol = Symbol.for('civicblocks.sql.database') as never;

const secondConnection: unique symbol = Symbol.for('civicblocks.sql.second-connection') as never;

/**
 * Tags `executor` with the database it runs on (for {@link databaseOf}) and
 * whether its root can run while one of its transactions holds a
 * connection (a pg pool of 2 or more; never PGlite).
 * @internal
 */
export function tagDatabase<Executor extends SqlExecutor>(
  executor: Executor,
  database: object,
  rootBesideTransaction = false,
): Executor {
  Object.defineProperty(executor, databaseIdentity, { value: database, enumerable: false });
  Object.defineProperty(executor, secondConnection, {
    value: rootBesideTransaction,
    enumerable: false,
  });
  return executor;
}

/**
 * True when `executor`'s root can run a statement on another connection
 * while one of its transactions is open (from outside that transaction's
 * async context).
 * @internal
 */
export function hasSecondConnection(executor: SqlExecutor): boolean {
  return (executor as { [secondConnection]?: unknown })[secondConnection] === true;
}

/**
 * The database an executor of the adapters runs on, or undefined for an
 * executor made elsewhere (a wrapper, a fake).
 * @internal
 */
export function databaseOf(executor: SqlExecutor): object | undefined {
  const database = (executor as { [databaseIdentity]?: unknown })[databaseIdentity];
  return typeof database === 'object' && database !== null ? database : undefined;
}
