import { type CustomTypesConfig, type QueryConfig, type QueryResult, types } from 'pg';
import type { SqlQueryResult, SqlValue } from './sql-executor.js';
import { sharedTextParsers } from './value-parsers.js';

// Same row values as the PGlite adapter (see the table on SqlExecutor); bytea
// as a plain Uint8Array rather than a Buffer. Everything else keeps the
// parsers configured in `pg.types`.
const typeParsers: CustomTypesConfig = Object.freeze({
  getTypeParser: ((typeId: number, format?: 'text' | 'binary') => {
    if (format !== 'binary') {
      const shared = sharedTextParsers[typeId];
      if (shared !== undefined) return shared;
      if (typeId === 17) {
        const parseBytea = types.getTypeParser(17) as (value: string) => Buffer;
        return (value: string): Uint8Array => new Uint8Array(parseBytea(value));
      }
    }
    return format === undefined ? types.getTypeParser(typeId) : types.getTypeParser(typeId, format);
  }) as CustomTypesConfig['getTypeParser'],
});

/** @internal The node-postgres query config for a statement and its values. */
export function queryConfig(text: string, parameters: readonly SqlValue[]): QueryConfig {
  // Always the extended protocol, as PGlite: one statement per query, even
  // without parameters.
  const config: QueryConfig & { queryMode: 'extended' } = {
    text,
    values: parameters.map(toPgValue),
    types: typeParsers,
    queryMode: 'extended',
  };
  return config;
}

// Dates are sent as UTC ISO strings, as PGlite sends them, not in the local zone.
function toPgValue(value: SqlValue): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPgValue);
  return value;
}

/** @internal A node-postgres result as a SqlQueryResult. */
export function toQueryResult<Row extends object>(result: QueryResult): SqlQueryResult<Row> {
  const rows = result.rows as Row[];
  return { rows, rowCount: result.rowCount ?? rows.length };
}
