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
 * from both adapters: `int8`/`bigint` as `bigint`, `numeric` as `string`,
 * `date` as a `'YYYY-MM-DD'` string, `timestamptz` as `Date`, `json`/`jsonb`
 * parsed, `bytea` as `Uint8Array`, `text` as `string`.
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
 * Runs parameterised SQL (PostgreSQL dialect) against PGlite or PostgreSQL,
 * with no ORM in between. The executor the adapters return and the one a
 * {@link SqlExecutor.transaction} callback receives share this interface, so
 * code written against `SqlExecutor` runs inside or outside a transaction.
 *
 * Every failure is a {@link SqlError}: `SQL_UNIQUE_VIOLATION`,
 * `SQL_CONNECTION_FAILED` (with `isRetryable`) or `SQL_QUERY_FAILED`. Messages
 * never contain the parameters.
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
   * if the inner callback rejects. Nested calls on one executor must not
   * overlap (await one before starting the next): an overlapping call is
   * refused with a {@link SqlError}.
   *
   * @throws {@link SqlError} if BEGIN or COMMIT fails, or the transaction
   * was aborted by a failed statement the callback caught.
   */
  transaction<Result>(callback: (transaction: SqlExecutor) => Promise<Result>): Promise<Result>;
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
   * it opened). A PGlite instance or pool passed in by the caller stays open:
   * the caller owns it. Safe to call twice.
   */
  close(): Promise<void>;
}
