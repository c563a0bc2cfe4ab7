import { InvalidInputError, SqlError } from '../errors/core-errors.js';
import type { SqlIsolationLevel, SqlTransactionOptions } from './sql-executor.js';

const isolationLevels: readonly SqlIsolationLevel[] = [
  'read committed',
  'repeatable read',
  'serializable',
];

/**
 * The `SET TRANSACTION ...` statement for `options`, run first in a new
 * transaction, or undefined when there is nothing to set.
 * @internal
 */
export function transactionModeStatement(options: SqlTransactionOptions = {}): string | undefined {
  const modes: string[] = [];
  if (options.isolation !== undefined) {
    if (!isolationLevels.includes(options.isolation)) {
      throw new InvalidInputError(
        'INVALID_ARGUMENT',
        'options.isolation must be "read committed", "repeatable read" or "serializable"',
        { details: { argument: 'options.isolation' } },
      );
    }
    modes.push(`ISOLATION LEVEL ${options.isolation.toUpperCase()}`);
  }
  if (options.readOnly !== undefined) modes.push(options.readOnly ? 'READ ONLY' : 'READ WRITE');
  return modes.length === 0 ? undefined : `SET TRANSACTION ${modes.join(', ')}`;
}

/**
 * Refuses a nested transaction (savepoint) that asks for another isolation
 * level or access mode than the open transaction's: a savepoint cannot
 * change them, and silently ignoring `serializable` would be worse.
 * @internal
 */
export function checkNestedOptions(
  options: SqlTransactionOptions,
  current: { readonly isolation: string; readonly readOnly: boolean },
): void {
  transactionModeStatement(options);
  const isolationDiffers =
    options.isolation !== undefined && options.isolation !== current.isolation;
  const accessDiffers = options.readOnly !== undefined && options.readOnly !== current.readOnly;
  if (isolationDiffers || accessDiffers) {
    throw new SqlError(
      'SQL_QUERY_FAILED',
      `a nested transaction cannot change the isolation level or access mode of the open transaction (${current.isolation}, ${current.readOnly ? 'read only' : 'read write'}): set them on the outermost transaction`,
      { details: { reason: 'nested-transaction-options' } },
    );
  }
}
