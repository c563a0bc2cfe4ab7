import {
  PGlite,
  type PGliteOptions,
  type QueryOptions,
  type Results,
  type Transaction,
} from '@electric-sql/pglite';
import { streamCursor, throwIfAborted } from './cursor-stream.js';
import {
  refuseRootInTransaction,
  runInTransactionContext,
  tagDatabase,
} from './database-context.js';
import { checkChannel } from './notify.js';
import { toSqlError } from './sql-error-mapping.js';
import type {
  ClosableSqlExecutor,
  SqlExecutor,
  SqlListener,
  SqlQueryOptions,
  SqlQueryResult,
  SqlRow,
  SqlStreamOptions,
  SqlTransactionOptions,
  SqlValue,
} from './sql-executor.js';
import { transactionModeStatement } from './transaction-options.js';
import { openTransactionScope, type TransactionChannel } from './transaction-scope.js';
import { sharedTextParsers } from './value-parsers.js';

/**
 * The PGlite instance {@link createPgliteExecutor} runs on: only the methods
 * it uses, so any PGlite 0.3+ instance fits, and your project's type check
 * does not need PGlite's own types (which pull in `@types/emscripten`).
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 *
 * const instance: PgliteLike = new PGlite('./var/civicblocks');
 * ```
 */
export interface PgliteLike {
  /** True once the instance is closed. */
  readonly closed: boolean;
  /** Runs one statement with parameters (extended protocol). */
  query(text: string, parameters?: unknown[], options?: object): Promise<unknown>;
  /** Runs a script of statements (simple protocol). */
  exec(script: string, options?: object): Promise<unknown>;
  /** Runs `callback` in a transaction; other queries wait for it. */
  transaction<Result>(
    callback: (transaction: PgliteTransactionLike) => Promise<Result>,
  ): Promise<Result>;
  /** Subscribes to a NOTIFY channel; resolves to the function that unsubscribes. */
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  /** Closes the instance. */
  close(): Promise<void>;
}

/**
 * The transaction a {@link PgliteLike} instance hands its callback: only the
 * methods {@link createPgliteExecutor} uses.
 *
 * @example
 * ```ts
 * await instance.transaction(async (transaction: PgliteTransactionLike) => {
 *   await transaction.exec('SELECT 1');
 * });
 * ```
 */
export interface PgliteTransactionLike {
  /** Runs one statement in the transaction. */
  query(text: string, parameters?: unknown[], options?: object): Promise<unknown>;
  /** Runs a script in the transaction. */
  exec(script: string, options?: object): Promise<unknown>;
}

/**
 * Options for a PGlite instance {@link createPgliteExecutor} starts: the
 * data directory (`'./var/civicblocks'`, `'memory://'`, `'idb://name'`),
 * and any other PGlite option (`extensions`, `debug`, ...), passed on as is.
 *
 * @example
 * ```ts
 * const options: PgliteExecutorOptions = { dataDir: './var/civicblocks' };
 * ```
 */
export interface PgliteExecutorOptions {
  /** Where PGlite keeps its files; in memory when absent. */
  readonly dataDir?: string;
  /** Any other PGlite option, passed to `new PGlite(options)`. */
  readonly [option: string]: unknown;
}

/**
 * Where {@link createPgliteExecutor} gets its database: nothing (a fresh
 * in-memory database), {@link PgliteExecutorOptions} (`{ dataDir:
 * './data/consent' }` for one kept on disk), or a PGlite instance the caller
 * already started.
 *
 * @example
 * ```ts
 * const source: PgliteExecutorSource = { dataDir: './var/civicblocks' };
 * ```
 */
export type PgliteExecutorSource = PgliteExecutorOptions | PgliteLike;

// Same row values as the pg adapter (see the table on SqlExecutor).
const pgliteQueryOptions: QueryOptions = Object.freeze({
  parsers: sharedTextParsers as NonNullable<QueryOptions['parsers']>,
});

interface PgliteDatabase {
  readonly closed: boolean;
  /** PGlite's own parsers by type OID, which it reads when it parses a result. */
  parsers?: Record<number | string, unknown>;
  query<Row>(text: string, parameters: unknown[], options?: QueryOptions): Promise<Results<Row>>;
  exec(script: string): Promise<unknown>;
  transaction<Result>(callback: (transaction: Transaction) => Promise<Result>): Promise<Result>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Creates a {@link ClosableSqlExecutor} on PGlite, the embedded PostgreSQL:
 * the default database of civicblocks, in memory or in a data directory.
 *
 * PGlite has one connection, so transactions run one at a time; a query made
 * on a root executor while another caller's transaction runs waits for it
 * to finish. Inside a transaction callback use the executor the callback
 * receives: calling a root executor of the same PGlite instance there (this
 * one or another made over the same instance) would wait for ever, so it is
 * refused with `SQL_ROOT_EXECUTOR_IN_TRANSACTION`.
 *
 * PGlite runs each query synchronously in the process and cannot interrupt
 * it: `timeoutMs` is not enforced here, and an `AbortSignal` only refuses a
 * query that has not started (`SQL_QUERY_CANCELLED`). A root `stream()`
 * declares a `WITH HOLD` cursor, which PGlite fills when it opens (spilling to
 * its temporary files past `work_mem`), so other queries run between batches.
 *
 * `close()` closes the PGlite instance only if this function started it.
 *
 * @param source - nothing for an in-memory database, options, or an existing
 *   PGlite instance.
 * @example
 * ```ts
 * import { createPgliteExecutor } from '@civicblocks/core/pglite';
 *
 * const executor = createPgliteExecutor({ dataDir: './var/civicblocks' });
 * await executor.query('CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text)');
 * await executor.transaction(async (transaction) => {
 *   await transaction.query('INSERT INTO notes VALUES ($1, $2)', [1, 'hello']);
 * });
 * await executor.close();
 * ```
 */
export function createPgliteExecutor(source: PgliteExecutorSource = {}): ClosableSqlExecutor {
  const ownsInstance = !isPgliteInstance(source);
  // An instance this executor starts is its own: it is created with
  // civicblocks' parsers, so no query has to hand PGlite a parser map (which
  // PGlite copies, some 300 entries, on every query that carries one). An
  // instance passed in keeps its owner's parsers; queries on it carry ours.
  const database = (isPgliteInstance(source)
    ? source
    : new PGlite(withSharedParsers(source as PGliteOptions))) as unknown as PgliteDatabase;
  const rootQueryOptions = ownsInstance ? undefined : pgliteQueryOptions;
  let closing: Promise<void> | undefined;
  // The instance's parser map -> civicblocks' parsers in front of it.
  const parserOverlays = new WeakMap<object, object>();

  const rootQuery = async <Row extends object>(
    text: string,
    parameters: readonly SqlValue[],
    options?: SqlQueryOptions,
  ): Promise<SqlQueryResult<Row>> => {
    refuseRootInTransaction(database, 'PGlite');
    throwIfAborted(options?.signal);
    try {
      return toQueryResult<Row>(await database.query<Row>(text, [...parameters], rootQueryOptions));
    } catch (error) {
      throw toSqlError(error, 'query');
    }
  };

  const executor: ClosableSqlExecutor = {
    inTransaction: false,
    query: <Row extends object = SqlRow>(
      text: string,
      parameters: readonly SqlValue[] = [],
      options?: SqlQueryOptions,
    ): Promise<SqlQueryResult<Row>> => rootQuery<Row>(text, parameters, options),

    executeScript: async (script: string): Promise<void> => {
      refuseRootInTransaction(database, 'PGlite');
      try {
        await database.exec(script);
      } catch (error) {
        throw toSqlError(error, 'script');
      }
    },

    stream: <Row extends object = SqlRow>(
      text: string,
      parameters: readonly SqlValue[] = [],
      options: SqlStreamOptions = {},
    ): AsyncIterable<Row> => ({
      [Symbol.asyncIterator]: () => {
        refuseRootInTransaction(database, 'PGlite');
        return streamCursor<Row>(
          {
            query: (statement, values, queryOptions) =>
              rootQuery<SqlRow>(statement, values, queryOptions),
          },
          text,
          parameters,
          options,
          true,
        );
      },
    }),

    transaction: async <Result>(
      callback: (transaction: SqlExecutor) => Promise<Result>,
      options?: SqlTransactionOptions,
    ): Promise<Result> => {
      refuseRootInTransaction(database, 'PGlite');
      const mode = transactionModeStatement(options);
      let started = false;
      let callbackFailure: { error: unknown } | undefined;
      try {
        return await database.transaction(async (transaction) => {
          started = true;
          const restoreParsers = ownsInstance
            ? undefined
            : installParsers(database, parserOverlays);
          const channel = channelOf(
            transaction,
            database,
            ownsInstance || restoreParsers !== undefined,
          );
          const scope = openTransactionScope(channel);
          try {
            if (mode !== undefined) await channel.executeScript(mode);
            try {
              return await runInTransactionContext(database, () => callback(scope.executor));
            } catch (error) {
              callbackFailure = { error };
              throw error;
            }
          } finally {
            scope.end();
            await channel.settled();
            restoreParsers?.();
          }
        });
      } catch (error) {
        if (callbackFailure !== undefined) throw callbackFailure.error;
        throw toSqlError(error, started ? 'commit transaction' : 'begin transaction');
      }
    },

    listen: async (
      channel: string,
      onNotification: (payload: string) => void,
    ): Promise<SqlListener> => {
      refuseRootInTransaction(database, 'PGlite');
      checkChannel(channel);
      let unlisten: () => Promise<void>;
      try {
        unlisten = await database.listen(channel, onNotification);
      } catch (error) {
        throw toSqlError(error, 'listen');
      }
      let closed: Promise<void> | undefined;
      return {
        close: () => {
          closed ??= database.closed
            ? Promise.resolve()
            : unlisten().catch((error: unknown) => {
                throw toSqlError(error, 'listen');
              });
          return closed;
        },
      };
    },

    close: async (): Promise<void> => {
      if (!ownsInstance) return;
      closing ??= database.closed ? Promise.resolve() : database.close();
      await closing;
    },
  };
  return tagDatabase(executor, database);
}

/**
 * Puts civicblocks' parsers in front of the instance's own for the time of a
 * transaction, so PGlite parses with them without being handed them on every
 * query (handed `parsers`, PGlite copies its map of some 300 parsers into a
 * new object per query, which costs more than a short query itself). Safe
 * because while the transaction runs nothing else can query the instance:
 * PGlite queues every other query, exec and transaction behind it. Returns
 * the function that puts the instance's parsers back, or undefined when the
 * instance has no parser map this can stand in front of.
 */
function installParsers(
  database: PgliteDatabase,
  overlays: WeakMap<object, object>,
): (() => void) | undefined {
  const original = database.parsers;
  if (typeof original !== 'object' || original === null) return undefined;
  let overlay = overlays.get(original);
  if (overlay === undefined) {
    // A live view: the instance's parsers (array types PGlite adds later
    // included) behind ours.
    overlay = Object.assign(Object.create(original) as object, sharedTextParsers);
    overlays.set(original, overlay);
  }
  database.parsers = overlay as Record<number, unknown>;
  if (database.parsers !== overlay) return undefined;
  return () => {
    database.parsers = original;
  };
}

function withSharedParsers(options: PGliteOptions): PGliteOptions {
  return { ...options, parsers: { ...options.parsers, ...sharedTextParsers } };
}

interface PgliteTransactionChannel extends TransactionChannel {
  /** Resolves once no query of the transaction is running. */
  settled(): Promise<void>;
}

function channelOf(
  transaction: Transaction,
  database: object,
  parsersInstalled: boolean,
): PgliteTransactionChannel {
  const queryOptions = parsersInstalled ? undefined : pgliteQueryOptions;
  // Queries still running when the callback settles (started and not
  // awaited) must be parsed before the instance's parsers come back.
  let running = 0;
  let onSettled: (() => void) | undefined;
  return {
    database,
    query: async (text, parameters, options) => {
      throwIfAborted(options?.signal);
      running += 1;
      try {
        return toQueryResult<SqlRow>(
          await transaction.query<SqlRow>(text, [...parameters], queryOptions),
        );
      } catch (error) {
        throw toSqlError(error, 'query');
      } finally {
        running -= 1;
        if (running === 0) onSettled?.();
      }
    },
    settled: () =>
      running === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            onSettled = resolve;
          }),
    executeScript: async (script) => {
      try {
        await transaction.exec(script);
      } catch (error) {
        throw toSqlError(error, 'script');
      }
    },
  };
}

function toQueryResult<Row extends object>(result: Results<Row>): SqlQueryResult<Row> {
  return {
    rows: result.rows,
    rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
  };
}

function isPgliteInstance(source: PgliteExecutorSource): source is PgliteLike {
  const candidate = source as Partial<Record<'query' | 'transaction' | 'exec', unknown>>;
  return (
    typeof candidate.query === 'function' &&
    typeof candidate.transaction === 'function' &&
    typeof candidate.exec === 'function'
  );
}
