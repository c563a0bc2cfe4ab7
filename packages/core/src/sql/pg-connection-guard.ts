import { Pool, type PoolClient } from 'pg';
import type { SqlError } from '../errors/core-errors.js';
import type { PgExecutorOptions, PgPoolLike } from './pg-executor.js';
import { toSqlError } from './sql-error-mapping.js';

const clientGuard: unique symbol = Symbol.for('civicblocks.pg.client-guard') as never;

/** @internal Opens the pool createPgExecutor owns, reporting idle connection failures. */
export function openPool(options: PgExecutorOptions): Pool {
  const { onIdleConnectionError, onConnectionError, ...poolConfig } = options;
  const pool = new Pool(poolConfig);
  pool.on('error', (error) => {
    const mapped = toSqlError(error, 'connect');
    notifyListener(onIdleConnectionError, mapped);
    notifyListener(onConnectionError, mapped);
  });
  return pool;
}

// Every connection of the pool gets an error listener the moment it connects,
// before any caller holds it: a connection terminated while checked out (or
// between check-out and use) must never emit an unhandled 'error'.
/** @internal Guards every client the pool connects, once per pool. */
export function guardPool(
  pool: PgPoolLike,
  onConnectionError: ((error: SqlError) => void) | undefined,
): void {
  const emitter = pool as Partial<{
    on(event: string, listener: (...args: never[]) => void): unknown;
    listenerCount(event: string): number;
  }>;
  if (typeof emitter.on !== 'function') return;
  const guarded = pool as unknown as { [clientGuard]?: true };
  if (guarded[clientGuard] === true) return;
  Object.defineProperty(pool, clientGuard, { value: true, enumerable: false });
  emitter.on.call(pool, 'connect', (client: PoolClient) => guardClient(client, onConnectionError));
  if (
    typeof emitter.listenerCount === 'function' &&
    emitter.listenerCount.call(pool, 'error') === 0
  ) {
    emitter.on.call(pool, 'error', (error: Error) =>
      notifyListener(onConnectionError, toSqlError(error, 'connect')),
    );
  }
}

/** @internal Gives a pooled client an error listener, once. */
export function guardClient(
  client: PoolClient,
  onConnectionError: ((error: SqlError) => void) | undefined,
): void {
  const guarded = client as unknown as { [clientGuard]?: true };
  if (guarded[clientGuard] === true) return;
  Object.defineProperty(client, clientGuard, { value: true, enumerable: false });
  client.on('error', (error: Error) =>
    notifyListener(onConnectionError, toSqlError(error, 'query')),
  );
}

function notifyListener(listener: ((error: SqlError) => void) | undefined, error: SqlError): void {
  try {
    listener?.(error);
  } catch {
    // A failing listener must not turn a handled connection error into a crash.
  }
}

/** @internal Whether createPgExecutor was given a pool rather than options. */
export function isPool(value: PgPoolLike | PgExecutorOptions): value is PgPoolLike {
  const candidate = value as Partial<Record<'query' | 'connect' | 'end', unknown>>;
  return (
    typeof candidate.query === 'function' &&
    typeof candidate.connect === 'function' &&
    typeof candidate.end === 'function'
  );
}
