/**
 * A value that can be bound to a `$1`, `$2`, ... placeholder. Both adapters
 * bind these the same way. Pass JSON as a string (`JSON.stringify(value)`)
 * and cast the placeholder (`$1::jsonb`): plain objects are not accepted
 * because the two drivers would serialise them differently.
 *
 * @example
 * ```ts
 * const parameters: SqlValue[] = ['consent-given', 42n, new Date(), JSON.stringify({ purpose: 'x' })];
 * ```
 */
export type SqlValue =
  | string
  | number
  | bigint
  | boolean
  | Date
  | Uint8Array
  | null
  | readonly SqlValue[];

/**
 * The shape of a result row: column name to value. Values come back the same
 * from both adapters (see the table on {@link SqlExecutor}): `int8` as
 * `bigint`, `numeric` as `string`, `date` as a `'YYYY-MM-DD'` string,
 * `timestamptz` as `Date`, `interval` as `string`, `json`/`jsonb` parsed,
 * `bytea` as `Uint8Array`, arrays element by element.
 *
 * @example
 * ```ts
 * const row: SqlRow = { id: 'a1', count: 3n };
 * ```
 */
export type SqlRow = Record<string, unknown>;

/**
 * What {@link SqlExecutor.query} returns.
 *
 * @typeParam Row - the shape of one row, as the caller's SQL promises it.
 * @example
 * ```ts
 * const result: SqlQueryResult<{ id: string }> = await executor.query('SELECT id FROM items');
 * for (const row of result.rows) console.log(row.id);
 * ```
 */
export interface SqlQueryResult<Row extends object = SqlRow> {
  /** The rows returned (empty for statements that return none). */
  readonly rows: Row[];
  /**
   * The number of rows the statement returned (SELECT) or changed
   * (INSERT, UPDATE, DELETE); 0 for statements that touch no rows.
   */
  readonly rowCount: number;
}

/**
 * Transaction isolation levels of PostgreSQL (and PGlite). `'read committed'`
 * is the default; `'serializable'` makes concurrent transactions behave as if
 * run one after another, at the price of `SQL_SERIALIZATION_FAILURE` errors
 * that {@link withTransactionRetry} absorbs.
 *
 * @example
 * ```ts
 * const isolation: SqlIsolationLevel = 'serializable';
 * ```
 */
export type SqlIsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

/**
 * Options of {@link SqlExecutor.transaction}.
 *
 * @example
 * ```ts
 * const options: SqlTransactionOptions = { isolation: 'serializable', readOnly: false };
 * ```
 */
export interface SqlTransactionOptions {
  /** Isolation level (default the database's, normally `'read committed'`). */
  readonly isolation?: SqlIsolationLevel;
  /** Start a READ ONLY transaction: any write fails with `SQL_QUERY_FAILED`. */
  readonly readOnly?: boolean;
}

/**
 * Per-query options of {@link SqlExecutor.query}.
 *
 * On PostgreSQL (`pg`) a query running past `timeoutMs` or whose `signal`
 * aborts is cancelled in the server and fails with `SQL_QUERY_TIMEOUT` or
 * `SQL_QUERY_CANCELLED`. PGlite runs a query synchronously inside the
 * process and cannot interrupt it once started (its `statement_timeout`
 * does not fire either): there a `signal` that is already aborted refuses the
 * query before it starts (`SQL_QUERY_CANCELLED`), and `timeoutMs` is not
 * enforced.
 *
 * @example
 * ```ts
 * const options: SqlQueryOptions = { timeoutMs: 2_000, signal: request.signal };
 * ```
 */
export interface SqlQueryOptions {
  /** Abort the query when this signal aborts. */
  readonly signal?: AbortSignal;
  /** Cancel the query after this many milliseconds (a positive whole number). */
  readonly timeoutMs?: number;
}

/**
 * Options of {@link SqlExecutor.stream}.
 *
 * @example
 * ```ts
 * const options: SqlStreamOptions = { batchSize: 500 };
 * ```
 */
export interface SqlStreamOptions {
  /** Rows fetched from the cursor per round trip (default 1000). */
  readonly batchSize?: number;
  /** Stop the stream (it then throws `SQL_QUERY_CANCELLED`) when this signal aborts. */
  readonly signal?: AbortSignal;
}

/**
 * Runs parameterised SQL (PostgreSQL dialect) against PGlite or PostgreSQL,
 * with no ORM in between. The executor the adapters return (the *root*
 * executor) and the one a {@link SqlExecutor.transaction} callback receives
 * share this interface, so code written against `SqlExecutor` runs inside or
 * outside a transaction.
 *
 * ## Unit of work
 * A block's writing methods take `{ transaction }` ({@link SqlWriteOptions})
 * and run on {@link executorFor}`(root, options)`, so a caller commits its
 * own rows and the block's together or not at all. Calling a root executor
 * while a transaction of the same database (the same PGlite instance, the
 * same `pg` pool) is open in the current async context is refused at once
 * with `SQL_ROOT_EXECUTOR_IN_TRANSACTION`: on `pg` it would silently run on
 * another connection, outside the caller's transaction (or wait for ever on
 * an exhausted pool); on PGlite it would wait for ever.
 *
 * ## Values
 * Both adapters return the same JS values (one parity test checks every row
 * of this table on PGlite and PostgreSQL):
 *
 * | PostgreSQL type | JS value |
 * |---|---|
 * | `int2`, `int4`, `float4`, `float8` | `number` |
 * | `int8` (also `count(*)`) | `bigint` |
 * | `numeric` | `string`, exact (`'12.50'`, `'NaN'`) |
 * | `date` | `string` `'YYYY-MM-DD'` (never a `Date` at local midnight) |
 * | `timestamptz` | `Date` |
 * | `interval` | `string` in PostgreSQL's output style (`'1 year 2 mons 3 days 04:05:06.789'`) |
 * | `bytea` | `Uint8Array` (a plain one on both, not a Node `Buffer`) |
 * | `json`, `jsonb` | parsed JSON |
 * | `uuid`, `text`, `varchar` | `string` |
 * | `boolean` | `boolean` |
 * | `int8[]`, `numeric[]`, `date[]`, `interval[]`, `timestamptz[]`, `uuid[]`, `text[]` | arrays of the values above, SQL `NULL` elements as `null` |
 * | SQL `NULL` | `null` |
 *
 * `SUM(int8)` is a `numeric` in PostgreSQL, so it comes back as a `string`
 * on both: cast it (`SUM(amount)::int8`) to get a `bigint`. Avoid
 * `timestamp` without time zone: the drivers read it in different zones.
 * Parameters bind the same way back: `bigint`, `Date` (sent as UTC),
 * `Uint8Array`, arrays, and JSON as a string cast to `jsonb`.
 *
 * ## Errors
 * Every failure is a {@link SqlError}: `SQL_UNIQUE_VIOLATION`,
 * `SQL_SERIALIZATION_FAILURE` (retryable), `SQL_CONNECTION_FAILED` (with
 * `isRetryable`), `SQL_QUERY_TIMEOUT`, `SQL_QUERY_CANCELLED`,
 * `SQL_LOCK_TIMEOUT`, `SQL_ROOT_EXECUTOR_IN_TRANSACTION`,
 * `SQL_FOREIGN_TRANSACTION` or `SQL_QUERY_FAILED`. Messages and causes never
 * contain the parameters.
 *
 * @example
 * ```ts
 * async function countConsents(executor: SqlExecutor, subject: string): Promise<bigint> {
 *   const { rows } = await executor.query<{ count: bigint }>(
 *     'SELECT count(*) AS count FROM consents WHERE subject = $1',
 *     [subject],
 *   );
 *   return rows[0]?.count ?? 0n;
 * }
 * ```
 */
export interface SqlExecutor {
  /**
   * Runs one statement with its parameters bound to `$1`, `$2`, ... (never
   * spliced into the text). Several statements in one call are refused by
   * both adapters; use {@link SqlExecutor.executeScript} for a script.
   *
   * @throws {@link SqlError}
   */
  query<Row extends object = SqlRow>(
    text: string,
    parameters?: readonly SqlValue[],
    options?: SqlQueryOptions,
  ): Promise<SqlQueryResult<Row>>;

  /**
   * Runs a script of one or more statements separated by semicolons, with no
   * parameters (a migration, a fixture). Returns nothing.
   *
   * @throws {@link SqlError}
   */
  executeScript(script: string): Promise<void>;

  /**
   * Runs `callback` in a transaction: BEGIN, then COMMIT when the callback's
   * promise fulfils, or ROLLBACK when it rejects (the rejection is passed on
   * unchanged). Use only the executor the callback receives inside it. Calling
   * `transaction` on that executor nests a SAVEPOINT, rolled back on its own
   * if the inner callback rejects (a nested call may not ask for another
   * isolation level or access mode than the outer transaction's). Nested
   * calls on one executor must not overlap (await one before starting the
   * next): an overlapping call is refused with a {@link SqlError}.
   *
   * @throws {@link SqlError} if BEGIN or COMMIT fails, or the transaction
   * was aborted by a failed statement the callback caught.
   */
  transaction<Result>(
    callback: (transaction: SqlExecutor) => Promise<Result>,
    options?: SqlTransactionOptions,
  ): Promise<Result>;

  /**
   * Streams the rows of one query through a server-side cursor (`DECLARE ...
   * CURSOR`, then `FETCH` in batches), so memory stays flat however many
   * rows there are. Inside a transaction the cursor lives in it. On a root
   * executor the stream opens its own transaction on `pg` (one pooled
   * connection is held until the loop ends); on PGlite, which has one
   * connection, it declares a `WITH HOLD` cursor instead, so other queries
   * (also ones made from inside the loop) run between batches rather than
   * waiting for the loop to end. Leaving the loop early (`break`, `throw`)
   * closes the cursor.
   *
   * @throws {@link SqlError} while iterating.
   */
  stream<Row extends object = SqlRow>(
    text: string,
    parameters?: readonly SqlValue[],
    options?: SqlStreamOptions,
  ): AsyncIterable<Row>;

  /** True for the executor a transaction callback receives, false for a root executor. */
  readonly inTransaction: boolean;
}

/**
 * A handle on a `LISTEN` subscription; `close()` stops it.
 *
 * @example
 * ```ts
 * const listener: SqlListener = await executor.listen('outbox_ready', wake);
 * await listener.close();
 * ```
 */
export interface SqlListener {
  /** Stops delivering notifications to this listener. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * A {@link SqlExecutor} that holds a database connection (a PGlite instance
 * or a node-postgres pool) and can be closed. The adapters return one.
 *
 * @example
 * ```ts
 * import { createPgliteExecutor } from '@civicblocks/core/pglite';
 *
 * const executor: ClosableSqlExecutor = createPgliteExecutor();
 * try {
 *   await executor.query('SELECT 1');
 * } finally {
 *   await executor.close();
 * }
 * ```
 */
export interface ClosableSqlExecutor extends SqlExecutor {
  /**
   * Releases what the executor created (a PGlite instance it started, a pool
   * it opened, its listening connection). A PGlite instance or pool passed in
   * by the caller stays open: the caller owns it. Safe to call twice.
   */
  close(): Promise<void>;

  /**
   * Calls `onNotification` with the payload of every `NOTIFY` on `channel`
   * (see {@link notify}), to wake a worker without polling. On `pg` one
   * dedicated connection (outside the pool) carries every listener of the
   * executor; if it drops it reconnects and listens again, and notifications
   * sent while it was down are lost, so keep polling as a slow fallback. On
   * PGlite it uses PGlite's in-process listen API.
   *
   * @param channel - lower-case letters, digits and `_`, starting with a letter or `_` (at most 63).
   * @throws {@link SqlError} if the channel name is invalid or LISTEN fails.
   */
  listen(channel: string, onNotification: (payload: string) => void): Promise<SqlListener>;
}
