import { Client, type ClientConfig, type Notification } from 'pg';
import type { SqlError } from '../errors/core-errors.js';
import { checkChannel } from './notify.js';
import { toSqlError } from './sql-error-mapping.js';
import type { SqlListener } from './sql-executor.js';

/**
 * The one connection a pg executor listens on, outside its pool: opened on
 * the first `listen`, shared by every channel, reconnected (with backoff) and
 * re-`LISTEN`ed after a drop, closed with the executor.
 * @internal
 */
export interface PgListenConnection {
  listen(channel: string, onNotification: (payload: string) => void): Promise<SqlListener>;
  close(): Promise<void>;
}

/**
 * Options of {@link createPgListenConnection}.
 * @internal
 */
export interface PgListenConnectionOptions {
  /** Connection settings of the dedicated client. */
  readonly clientConfig: ClientConfig;
  /** Told about every failure of the listening connection (it reconnects by itself). */
  readonly onConnectionError?: ((error: SqlError) => void) | undefined;
}

const firstRetryDelayMs = 100;
const maximumRetryDelayMs = 5_000;

/** @internal */
export function createPgListenConnection(options: PgListenConnectionOptions): PgListenConnection {
  const subscribers = new Map<string, Set<(payload: string) => void>>();
  let client: Client | undefined;
  let connecting: Promise<Client> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryDelay = firstRetryDelayMs;
  let closed = false;

  const report = (error: unknown): void => {
    try {
      options.onConnectionError?.(toSqlError(error, 'listen'));
    } catch {
      // A failing error listener must not take the process down either.
    }
  };

  const deliver = (message: Notification): void => {
    for (const subscriber of subscribers.get(message.channel) ?? []) {
      try {
        subscriber(message.payload ?? '');
      } catch (error) {
        report(error);
      }
    }
  };

  const scheduleReconnect = (): void => {
    if (closed || retryTimer !== undefined || subscribers.size === 0) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch(() => {
        // connect() reported the failure and scheduled the next try.
      });
    }, retryDelay);
    retryTimer.unref?.();
    retryDelay = Math.min(maximumRetryDelayMs, retryDelay * 2);
  };

  const connect = (): Promise<Client> => {
    if (client !== undefined) return Promise.resolve(client);
    connecting ??= (async () => {
      const candidate = new Client(options.clientConfig);
      let lost = false;
      const onLost = (error?: unknown): void => {
        if (lost) return;
        lost = true;
        if (client === candidate) client = undefined;
        candidate.removeListener('notification', deliver);
        candidate.end().catch(() => {});
        if (closed) return;
        report(error ?? new Error('Connection terminated unexpectedly'));
        scheduleReconnect();
      };
      // Listeners first: an error during or after connect must never be unhandled.
      candidate.on('error', onLost);
      candidate.on('end', () => onLost());
      candidate.on('notification', deliver);
      try {
        await candidate.connect();
        for (const channel of subscribers.keys()) await candidate.query(`LISTEN ${channel}`);
      } catch (error) {
        onLost(error);
        throw toSqlError(error, 'listen');
      }
      if (closed) {
        await candidate.end().catch(() => {});
        throw toSqlError(new Error('Client was closed and is not queryable'), 'listen');
      }
      client = candidate;
      retryDelay = firstRetryDelayMs;
      return candidate;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  return {
    listen: async (channel, onNotification) => {
      checkChannel(channel);
      let subscribersOfChannel = subscribers.get(channel);
      const first = subscribersOfChannel === undefined;
      if (subscribersOfChannel === undefined) {
        subscribersOfChannel = new Set();
        subscribers.set(channel, subscribersOfChannel);
      }
      subscribersOfChannel.add(onNotification);
      try {
        const connected = await connect();
        if (first && client === connected) await connected.query(`LISTEN ${channel}`);
      } catch (error) {
        subscribersOfChannel.delete(onNotification);
        if (subscribersOfChannel.size === 0) subscribers.delete(channel);
        throw toSqlError(error, 'listen');
      }
      let stopped = false;
      return {
        close: async () => {
          if (stopped) return;
          stopped = true;
          const remaining = subscribers.get(channel);
          remaining?.delete(onNotification);
          if (remaining === undefined || remaining.size > 0) return;
          subscribers.delete(channel);
          await client?.query(`UNLISTEN ${channel}`).catch(() => {});
        },
      };
    },
    close: async () => {
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      subscribers.clear();
      const current = client ?? (await connecting?.catch(() => undefined));
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
