import { Client } from 'pg';
import type { RelayWakeups } from './outbox-relay';
import { OUTBOX_WAKEUP_CHANNEL } from './outbox-writer';

// What the wake-ups need from a pg Client; a test passes an EventEmitter with a query().
export interface ListenConnection {
  query(sql: string): Promise<unknown>;
  on(
    event: 'notification',
    listener: (message: { channel: string; payload?: string }) => void,
  ): unknown;
  on(event: 'error' | 'end', listener: (error?: Error) => void): unknown;
  end?(): Promise<void>;
}

export interface PgListenWakeups extends RelayWakeups {
  // False once the connection broke: waits then last their full maxMs (the idle delay),
  // so the relay keeps publishing by polling.
  listening(): boolean;
  close(): Promise<void>;
}

// Wakes a relay when a transaction that wrote an outbox row of `shard` commits (writeOutbox
// with wakeup: true). LISTEN on a dedicated connection: a pool connection would be handed
// to other work between waits. `source` is a connection string (the connection is opened
// and closed here) or a connection the caller owns. A notification that arrives while the
// relay is busy is remembered, so the next wait returns at once: no commit is missed
// between an empty claim and the wait.
export async function pgListenWakeups(
  source: string | ListenConnection,
  options: { shard?: number; channel?: string } = {},
): Promise<PgListenWakeups> {
  const channel = options.channel ?? OUTBOX_WAKEUP_CHANNEL;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) {
    throw new TypeError(`pgListenWakeups: channel must be a plain identifier (got ${channel})`);
  }
  const owned = typeof source === 'string';
  const connection: ListenConnection = owned ? new Client({ connectionString: source }) : source;
  if (owned) await (connection as Client).connect();

  let pending = false;
  let alive = true;
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };
  connection.on('notification', (message) => {
    if (message.channel !== channel) return;
    if (options.shard !== undefined && message.payload !== String(options.shard)) return;
    pending = true;
    wakeAll();
  });
  const broken = () => {
    // Whatever committed while the connection was dying may not have been heard: let the
    // relay claim once more, then poll at its idle delay.
    alive = false;
    pending = true;
    wakeAll();
  };
  connection.on('error', broken);
  connection.on('end', broken);
  await connection.query(`listen ${channel}`);

  return {
    listening: () => alive,
    wait(signal, maxMs) {
      if (pending || signal.aborted) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', finish);
          waiters.delete(finish);
          // Consumed: the claim that follows this wait covers it.
          pending = false;
          resolve();
        };
        const timer = setTimeout(finish, maxMs);
        signal.addEventListener('abort', finish, { once: true });
        // A broken connection hears nothing more: only the timer ends the wait.
        if (alive) waiters.add(finish);
      });
    },
    async close() {
      alive = false;
      wakeAll();
      if (owned) await connection.end?.();
      else await connection.query(`unlisten ${channel}`).catch(() => undefined);
    },
  };
}
