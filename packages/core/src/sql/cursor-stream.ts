import { randomBytes } from 'node:crypto';
import { InvalidInputError, SqlError } from '../errors/core-errors.js';
import type {
  SqlQueryOptions,
  SqlQueryResult,
  SqlRow,
  SqlStreamOptions,
  SqlValue,
} from './sql-executor.js';

/**
 * What a cursor needs from a connection.
 * @internal
 */
export interface CursorChannel {
  query(
    text: string,
    parameters: readonly SqlValue[],
    options?: SqlQueryOptions,
  ): Promise<SqlQueryResult<SqlRow>>;
}

const defaultBatchSize = 1000;

/**
 * Streams the rows of `text` through a server-side cursor on `channel`:
 * DECLARE, FETCH `batchSize` rows at a time, CLOSE (also when the consumer
 * leaves the loop early). `withHold` declares a cursor that outlives its
 * transaction (PGlite's root stream). The caller owns the transaction.
 * @internal
 */
export async function* streamCursor<Row extends object>(
  channel: CursorChannel,
  text: string,
  parameters: readonly SqlValue[],
  options: SqlStreamOptions,
  withHold: boolean,
): AsyncGenerator<Row, void, undefined> {
  const batchSize = checkedBatchSize(options.batchSize);
  const { signal } = options;
  throwIfAborted(signal);
  const cursor = `civicblocks_cursor_${randomBytes(8).toString('hex')}`;
  await channel.query(
    `DECLARE ${cursor} NO SCROLL CURSOR ${withHold ? 'WITH HOLD' : 'WITHOUT HOLD'} FOR ${text}`,
    parameters,
  );
  let failed = false;
  try {
    for (;;) {
      throwIfAborted(signal);
      // On pg a FETCH still running when the signal aborts is cancelled in the server.
      const { rows } = await channel.query(
        `FETCH FORWARD ${batchSize} FROM ${cursor}`,
        [],
        signal === undefined ? undefined : { signal },
      );
      for (const row of rows) yield row as Row;
      if (rows.length < batchSize) break;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // Also on an early `break` of the consumer. After a failure the broken
    // connection or aborted transaction takes the cursor with it, and the
    // consumer needs the original error, not one from CLOSE.
    const closing = channel.query(`CLOSE ${cursor}`, []);
    await (failed ? closing.catch(() => undefined) : closing);
  }
}

/**
 * Throws `SQL_QUERY_CANCELLED` when `signal` has aborted.
 * @internal
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new SqlError(
      'SQL_QUERY_CANCELLED',
      'the query was cancelled by its AbortSignal before it started',
      {
        details: { reason: 'aborted-before-start' },
      },
    );
  }
}

function checkedBatchSize(batchSize: number | undefined): number {
  if (batchSize === undefined) return defaultBatchSize;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      'options.batchSize must be a whole number from 1',
      {
        details: { argument: 'options.batchSize' },
      },
    );
  }
  return batchSize;
}
