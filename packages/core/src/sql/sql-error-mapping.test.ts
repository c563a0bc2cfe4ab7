import { describe, expect, it } from 'vitest';
import { SqlError } from '../errors/core-errors.js';
import { toSqlError } from './sql-error-mapping.js';

function driverError(fields: Record<string, unknown>, message = 'driver message'): Error {
  return Object.assign(new Error(message), fields);
}

describe('toSqlError', () => {
  it('maps SQLSTATE 23505 to SQL_UNIQUE_VIOLATION with the object names, not the detail', () => {
    const cause = driverError(
      {
        code: '23505',
        table: 'consents',
        constraint: 'consents_subject_key',
        detail: 'Key (subject)=(jane@example.gov) already exists.',
      },
      'duplicate key value violates unique constraint "consents_subject_key"',
    );
    const error = toSqlError(cause, 'query');
    expect(error.code).toBe('SQL_UNIQUE_VIOLATION');
    // The cause keeps the SQLSTATE and the object names, never the detail nor the message.
    expect(error.cause).toMatchObject({
      code: '23505',
      table: 'consents',
      constraint: 'consents_subject_key',
      message: 'SQLSTATE 23505',
    });
    expect(error.cause).not.toHaveProperty('detail');
    expect(error.details).toEqual({
      operation: 'query',
      sqlState: '23505',
      condition: 'unique_violation',
      table: 'consents',
      constraint: 'consents_subject_key',
    });
    expect(error.message).toBe(
      'query failed: SQLSTATE 23505 unique_violation on table "consents", constraint "consents_subject_key"',
    );
    expect(JSON.stringify(error)).not.toContain('jane@example.gov');
  });

  it('treats connection-class SQLSTATEs and socket errors as retryable connection failures', () => {
    for (const code of ['08006', '08001', '57P01', '57P03', '53300']) {
      const error = toSqlError(driverError({ code }), 'query');
      expect(error.code, code).toBe('SQL_CONNECTION_FAILED');
      expect(error.isRetryable, code).toBe(true);
    }
    const refused = toSqlError(driverError({ code: 'ECONNRESET' }), 'connect');
    expect(refused.code).toBe('SQL_CONNECTION_FAILED');
    expect(refused.isRetryable).toBe(true);

    const everyAddress = new AggregateError([driverError({ code: 'ECONNREFUSED' })], 'refused');
    expect(toSqlError(everyAddress, 'connect').details).toMatchObject({ operation: 'connect' });
    expect(toSqlError(everyAddress, 'connect').code).toBe('SQL_CONNECTION_FAILED');

    const terminated = toSqlError(new Error('Connection terminated unexpectedly'), 'query');
    expect(terminated.code).toBe('SQL_CONNECTION_FAILED');
    expect(terminated.isRetryable).toBe(true);
  });

  it('treats a closed pool or PGlite as a connection failure that will not recover', () => {
    for (const message of ['Cannot use a pool after calling end on the pool', 'PGlite is closed']) {
      const error = toSqlError(new Error(message), 'query');
      expect(error.code).toBe('SQL_CONNECTION_FAILED');
      expect(error.isRetryable).toBe(false);
    }
  });

  it('marks serialization failures and deadlocks retryable, other query failures not', () => {
    for (const code of ['40001', '40P01']) {
      const error = toSqlError(driverError({ code }), 'query');
      expect(error.code, code).toBe('SQL_SERIALIZATION_FAILURE');
      expect(error.isRetryable, code).toBe(true);
    }
    const lock = toSqlError(driverError({ code: '55P03' }), 'query');
    expect(lock.code).toBe('SQL_LOCK_TIMEOUT');
    expect(lock.isRetryable).toBe(true);
    expect(toSqlError(driverError({ code: '57014' }), 'query').code).toBe('SQL_QUERY_CANCELLED');
    const invalid = toSqlError(
      driverError({ code: '22P02' }, 'invalid input syntax for type integer: "NI-123"'),
      'query',
    );
    expect(invalid.code).toBe('SQL_QUERY_FAILED');
    expect(invalid.isRetryable).toBe(false);
    expect(invalid.message).toBe('query failed: SQLSTATE 22P02 invalid_text_representation');
  });

  it('quotes the driver message only for class 42 errors, which describe the SQL text', () => {
    const error = toSqlError(
      driverError({ code: '42703' }, 'column "emial" does not exist'),
      'script',
    );
    expect(error.message).toBe(
      'script failed: SQLSTATE 42703 undefined_column: column "emial" does not exist',
    );
  });

  it('passes a SqlError through and wraps anything else without its message', () => {
    const existing = new SqlError('SQL_MIGRATION_FAILED', 'migration failed');
    expect(toSqlError(existing, 'query')).toBe(existing);
    const odd = toSqlError(new TypeError('value jane@example.gov is odd'), 'query');
    expect(odd.code).toBe('SQL_QUERY_FAILED');
    expect(odd.message).not.toContain('jane');
    expect(JSON.stringify(odd.cause)).not.toContain('jane');
    expect((odd.cause as Error).message).not.toContain('jane');
    expect((odd.cause as Error).stack).not.toContain('jane');
    expect(toSqlError('a string', 'query').code).toBe('SQL_QUERY_FAILED');
  });
});
