import { describe, expectTypeOf, it } from 'vitest';
import { CivicError } from './civic-error.js';
import {
  type CoreError,
  type CoreErrorCode,
  HttpError,
  type SqlError,
  type WebhookError,
} from './core-errors.js';

describe('CivicError types', () => {
  it('switch (error.code) narrows a union of errors to the class carrying that code', () => {
    const describeError = (error: CoreError): string => {
      switch (error.code) {
        case 'HTTP_TIMEOUT':
        case 'HTTP_RESPONSE_TOO_LARGE':
          expectTypeOf(error).toEqualTypeOf<HttpError>();
          expectTypeOf(error.name).toEqualTypeOf<'HttpError'>();
          return error.name;
        case 'SQL_UNIQUE_VIOLATION':
          expectTypeOf(error).toEqualTypeOf<SqlError>();
          return error.name;
        case 'WEBHOOK_SIGNATURE_MISMATCH':
          expectTypeOf(error).toEqualTypeOf<WebhookError>();
          return error.name;
        default:
          return error.code;
      }
    };
    expectTypeOf(describeError).returns.toBeString();
  });

  it('an exhaustive switch over one class leaves never', () => {
    const exhaustive = (error: SqlError): string => {
      switch (error.code) {
        case 'SQL_QUERY_FAILED':
        case 'SQL_UNIQUE_VIOLATION':
        case 'SQL_CONNECTION_FAILED':
        case 'SQL_MIGRATION_FAILED':
        case 'SQL_MIGRATION_INVALID':
        case 'SQL_MIGRATION_MODIFIED':
        case 'SQL_SERIALIZATION_FAILURE':
        case 'SQL_QUERY_TIMEOUT':
        case 'SQL_QUERY_CANCELLED':
        case 'SQL_ROOT_EXECUTOR_IN_TRANSACTION':
        case 'SQL_FOREIGN_TRANSACTION':
        case 'SQL_LOCK_TIMEOUT':
          return error.code;
        default:
          expectTypeOf(error.code).toBeNever();
          return 'unreachable';
      }
    };
    expectTypeOf(exhaustive).parameter(0).toEqualTypeOf<SqlError>();
  });

  it('isInstance narrows unknown to the class it is called on', () => {
    const value: unknown = new HttpError('HTTP_TIMEOUT', 'timed out');
    if (HttpError.isInstance(value)) {
      expectTypeOf(value).toEqualTypeOf<HttpError>();
      expectTypeOf(value.code).toExtend<CoreErrorCode>();
    }
    if (CivicError.isInstance(value)) {
      expectTypeOf(value.code).toBeString();
    }
  });

  it('a code outside the closed union is a type error', () => {
    // @ts-expect-error 'HTTP_TEAPOT' is not an HttpErrorCode
    new HttpError('HTTP_TEAPOT', 'no');
  });
});
