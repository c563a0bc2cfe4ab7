import { type Clock, systemClock } from '@civicblocks/core';
/**
 * Remembers which login transactions were already used, so a login cookie
 * (and its `state`) works once. Share one store between instances of a
 * service (for example on Redis or PostgreSQL) when it runs on more than one
 * process.
 *
 * @example
 * ```ts
 * const store: ReplayStore = {
 *   async consume(id, expiresAt) {
 *     const inserted = await sql`insert into used_logins (id, expires_at) values (${id}, ${expiresAt}) on conflict do nothing`;
 *     return inserted.rowCount === 1;
 *   },
 * };
 * ```
 */
export interface ReplayStore {
  /**
   * Marks `id` as used until `expiresAt`. Resolves `true` the first time,
   * `false` when it was already used (a replay).
   */
  consume(id: string, expiresAt: Date): Promise<boolean>;
}

/**
 * An in-memory {@link ReplayStore} for one process, pruning expired entries
 * as it goes.
 *
 * @example
 * ```ts
 * const replayStore = createMemoryReplayStore();
 * await replayStore.consume('transaction-id', new Date(Date.now() + 600_000)); // true
 * await replayStore.consume('transaction-id', new Date(Date.now() + 600_000)); // false
 * ```
 */
export function createMemoryReplayStore(clock: Clock = systemClock): ReplayStore {
  const used = new Map<string, number>();
  return {
    async consume(id: string, expiresAt: Date): Promise<boolean> {
      const time = clock.now().getTime();
      // entries are kept in insertion order and share one lifetime, so the
      // expired ones are at the front: drop them and stop at the first live one
      for (const [key, expiry] of used) {
        if (expiry > time) break;
        used.delete(key);
      }
      const existing = used.get(id);
      if (existing !== undefined && existing > time) return false;
      used.set(id, expiresAt.getTime());
      return true;
    },
  };
}
