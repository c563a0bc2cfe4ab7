import { SqlError } from '../errors/core-errors.js';
import { sanitiseDriverError } from './driver-error-cause.js';

/**
 * What was being done when a driver failed, for the error message.
 * @internal
 */
export type SqlOperation =
  | 'query'
  | 'script'
  | 'connect'
  | 'begin transaction'
  | 'commit transaction'
  | 'roll back transaction'
  | 'create savepoint'
  | 'release savepoint'
  | 'roll back to savepoint'
  | 'listen'
  | 'stream';

// Names of the SQLSTATE conditions worth naming in a message.
// https://www.postgresql.org/docs/current/errcodes-appendix.html
const conditionNames: Readonly<Record<string, string>> = {
  '23505': 'unique_violation',
  '23503': 'foreign_key_violation',
  '23502': 'not_null_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '22P02': 'invalid_text_representation',
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22P05': 'untranslatable_character',
  '25P02': 'in_failed_sql_transaction',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42601': 'syntax_error',
  '42P01': 'undefined_table',
  '42703': 'undefined_column',
  '42883': 'undefined_function',
  '42P07': 'duplicate_table',
  '53300': 'too_many_connections',
  '55P03': 'lock_not_available',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  '57P02': 'crash_shutdown',
  '57P03': 'cannot_connect_now',
};

// SQLSTATEs after which re-running the whole transaction may succeed.
const serializationStates: ReadonlySet<string> = new Set(['40001', '40P01']);
const connectionStates: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300']);

// Node.js socket errors meaning the database could not be reached.
const networkErrorCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
]);

// node-postgres and pg-pool report lost connections with these messages and no code.
const retryableConnectionMessages: readonly RegExp[] = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
];
// A closed pool or PGlite instance will not come back by itself.
const closedMessages: readonly RegExp[] = [
  /^Cannot use a pool after calling end on the pool$/,
  /^PGlite is closed$/,
  /^PGlite closed/,
];

interface DriverErrorShape {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly constraint?: unknown;
  readonly table?: unknown;
  readonly column?: unknown;
  readonly schema?: unknown;
  readonly errors?: unknown;
}

/**
 * Turns whatever a driver threw into a {@link SqlError}. The message carries
 * the SQLSTATE and the names of the objects involved, never the driver's
 * message (it can quote parameter values) except for class 42 errors, which
 * describe the SQL text itself. A {@link SqlError} is passed through as is.
 * @internal
 */
export function toSqlError(driverError: unknown, operation: SqlOperation): SqlError {
  if (SqlError.isInstance(driverError)) return driverError;
  const shape: DriverErrorShape =
    typeof driverError === 'object' && driverError !== null ? driverError : {};
  // Only the sanitised copy is kept as the cause: never `detail`, bound values or the query.
  const error = sanitiseDriverError(driverError);
  const code = typeof shape.code === 'string' ? shape.code : undefined;

  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    return fromSqlState(error, code, shape, operation);
  }
  if (isNetworkError(shape)) {
    return new SqlError(
      'SQL_CONNECTION_FAILED',
      `${operation} failed: the database connection failed (${code ?? networkCodeOf(shape) ?? 'network error'})`,
      {
        cause: error,
        isRetryable: true,
        details: { operation, ...(code ? { errorCode: code } : {}) },
      },
    );
  }
  const message = typeof shape.message === 'string' ? shape.message : '';
  if (retryableConnectionMessages.some((pattern) => pattern.test(message))) {
    return new SqlError(
      'SQL_CONNECTION_FAILED',
      `${operation} failed: the database connection was lost or could not be opened`,
      { cause: error, isRetryable: true, details: { operation } },
    );
  }
  if (closedMessages.some((pattern) => pattern.test(message))) {
    return new SqlError(
      'SQL_CONNECTION_FAILED',
      `${operation} failed: the executor has been closed`,
      { cause: error, isRetryable: false, details: { operation } },
    );
  }
  return new SqlError('SQL_QUERY_FAILED', `${operation} failed in the database driver`, {
    cause: error,
    details: { operation },
  });
}

function fromSqlState(
  error: unknown,
  sqlState: string,
  shape: DriverErrorShape,
  operation: SqlOperation,
): SqlError {
  const objects: Record<string, string> = {};
  for (const key of ['schema', 'table', 'column', 'constraint'] as const) {
    const value = shape[key];
    if (typeof value === 'string' && value !== '') objects[key] = value;
  }
  const condition = conditionNames[sqlState];
  const details = { operation, sqlState, ...(condition ? { condition } : {}), ...objects };
  const named = Object.entries(objects)
    .map(([key, value]) => `${key} "${value}"`)
    .join(', ');
  const where = named === '' ? '' : ` on ${named}`;
  const label = `SQLSTATE ${sqlState}${condition ? ` ${condition}` : ''}`;

  if (sqlState === '23505') {
    return new SqlError('SQL_UNIQUE_VIOLATION', `${operation} failed: ${label}${where}`, {
      cause: error,
      details,
    });
  }
  if (serializationStates.has(sqlState)) {
    return new SqlError(
      'SQL_SERIALIZATION_FAILURE',
      `${operation} failed: ${label}${where}: run the whole transaction again (withTransactionRetry)`,
      { cause: error, isRetryable: true, details },
    );
  }
  if (sqlState === '55P03') {
    return new SqlError('SQL_LOCK_TIMEOUT', `${operation} failed: ${label}${where}`, {
      cause: error,
      isRetryable: true,
      details,
    });
  }
  if (sqlState === '57014') {
    return new SqlError('SQL_QUERY_CANCELLED', `${operation} failed: ${label}`, {
      cause: error,
      details,
    });
  }
  if (sqlState.startsWith('08') || connectionStates.has(sqlState)) {
    return new SqlError('SQL_CONNECTION_FAILED', `${operation} failed: ${label}`, {
      cause: error,
      isRetryable: true,
      details,
    });
  }
  // Class 42 (syntax error or access rule violation) describes the SQL text,
  // never a bound value, so its message is safe and worth showing.
  const driverMessage =
    sqlState.startsWith('42') && typeof shape.message === 'string' ? `: ${shape.message}` : '';
  return new SqlError('SQL_QUERY_FAILED', `${operation} failed: ${label}${where}${driverMessage}`, {
    cause: error,
    details,
  });
}

function isNetworkError(shape: DriverErrorShape): boolean {
  return networkCodeOf(shape) !== undefined;
}

function networkCodeOf(shape: DriverErrorShape): string | undefined {
  if (typeof shape.code === 'string' && networkErrorCodes.has(shape.code)) return shape.code;
  // Node reports a refused connection to every address of a host as an AggregateError.
  if (Array.isArray(shape.errors)) {
    for (const inner of shape.errors as unknown[]) {
      const code = (inner as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && networkErrorCodes.has(code)) return code;
    }
  }
  return undefined;
}
