import { createHash, randomBytes } from 'node:crypto';
import type { Clock, SqlExecutor } from '@civicblocks/core';
import type { VerifiedIdentity } from '@civicblocks/identity';
import { sessionsTable } from './database.js';

/** What the service keeps about a signed-in citizen. */
export interface Session {
  readonly issuer: string;
  readonly subject: string;
  /** The verified full name, shown read-only and recorded with an application. */
  readonly fullName: string;
  /** Sent back to the provider as `id_token_hint` when signing out. */
  readonly idToken: string | undefined;
}

/** Server-side sessions in SQL; the cookie holds only a random token. */
export interface SessionStore {
  /** Starts a session; returns the token to put in the cookie. */
  create(identity: VerifiedIdentity): Promise<string>;
  /** The session of a token, or `undefined` when unknown or expired. */
  get(token: string): Promise<Session | undefined>;
  /** Ends a session (sign-out). */
  delete(token: string): Promise<void>;
}

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/** Rows are keyed by a hash, so a copy of the table cannot be replayed as cookies. */
function hashOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/**
 * Creates the session store. Sessions last `lifetimeSeconds` from sign-in;
 * expired rows are removed whenever a new session starts.
 *
 * @example
 * ```ts
 * const sessions = createSessionStore(executor, { clock: systemClock, lifetimeSeconds: 3600 });
 * ```
 */
export function createSessionStore(
  executor: SqlExecutor,
  options: { readonly clock: Clock; readonly lifetimeSeconds: number },
): SessionStore {
  const { clock, lifetimeSeconds } = options;
  return {
    async create(identity) {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      await executor.query(`DELETE FROM ${sessionsTable} WHERE expires_at <= $1`, [now]);
      await executor.query(
        `INSERT INTO ${sessionsTable} (token_hash, issuer, subject, full_name, id_token, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          hashOf(token),
          identity.issuer,
          identity.subject,
          identity.claims.name?.full ?? '',
          identity.tokens?.idToken ?? null,
          now,
          new Date(now.getTime() + lifetimeSeconds * 1000),
        ],
      );
      return token;
    },
    async get(token) {
      if (!tokenPattern.test(token)) return undefined;
      const { rows } = await executor.query<{
        issuer: string;
        subject: string;
        full_name: string;
        id_token: string | null;
      }>(
        `SELECT issuer, subject, full_name, id_token FROM ${sessionsTable}
         WHERE token_hash = $1 AND expires_at > $2`,
        [hashOf(token), clock.now()],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        issuer: row.issuer,
        subject: row.subject,
        fullName: row.full_name,
        idToken: row.id_token ?? undefined,
      };
    },
    async delete(token) {
      if (!tokenPattern.test(token)) return;
      await executor.query(`DELETE FROM ${sessionsTable} WHERE token_hash = $1`, [hashOf(token)]);
    },
  };
}
