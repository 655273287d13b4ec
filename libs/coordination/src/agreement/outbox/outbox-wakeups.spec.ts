import { EventEmitter } from 'node:events';
import { pgListenWakeups, type ListenConnection } from './outbox-wakeups';

// A LISTEN connection without a database: the test emits the notifications.
function fakeConnection() {
  const emitter = new EventEmitter();
  const queries: string[] = [];
  const connection = Object.assign(emitter, {
    query: async (sql: string) => {
      queries.push(sql);
    },
  }) as unknown as ListenConnection & EventEmitter;
  return { connection, queries };
}

const notify = (c: EventEmitter, payload: string, channel = 'outbox_messages') =>
  c.emit('notification', { channel, payload });

describe('pgListenWakeups', () => {
  const signal = new AbortController().signal;

  it('listens on the outbox channel', async () => {
    const { connection, queries } = fakeConnection();
    await pgListenWakeups(connection);
    expect(queries).toEqual(['listen outbox_messages']);
  });

  it('ends a wait as soon as its shard is notified', async () => {
    const { connection } = fakeConnection();
    const wakeups = await pgListenWakeups(connection, { shard: 2 });
    const started = Date.now();
    const waiting = wakeups.wait(signal, 10_000);
    notify(connection, '2');
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('remembers a notification that came while the relay was busy', async () => {
    const { connection } = fakeConnection();
    const wakeups = await pgListenWakeups(connection, { shard: 0 });
    notify(connection, '0');
    const started = Date.now();
    await wakeups.wait(signal, 10_000);
    expect(Date.now() - started).toBeLessThan(100);
    // Consumed: the next wait lasts until its timeout.
    const again = Date.now();
    await wakeups.wait(signal, 50);
    expect(Date.now() - again).toBeGreaterThanOrEqual(40);
  });

  it("ignores other shards' and other channels' notifications", async () => {
    const { connection } = fakeConnection();
    const wakeups = await pgListenWakeups(connection, { shard: 0 });
    notify(connection, '1');
    notify(connection, '0', 'something_else');
    const started = Date.now();
    await wakeups.wait(signal, 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('falls back to the idle delay once the connection breaks, after one immediate claim', async () => {
    const { connection } = fakeConnection();
    const wakeups = await pgListenWakeups(connection);
    connection.emit('error', new Error('connection terminated'));
    expect(wakeups.listening()).toBe(false);
    const first = Date.now();
    await wakeups.wait(signal, 10_000);
    expect(Date.now() - first).toBeLessThan(100);
    const second = Date.now();
    await wakeups.wait(signal, 50);
    expect(Date.now() - second).toBeGreaterThanOrEqual(40);
  });

  it('ends a wait when the signal aborts', async () => {
    const { connection } = fakeConnection();
    const wakeups = await pgListenWakeups(connection);
    const stop = new AbortController();
    const waiting = wakeups.wait(stop.signal, 10_000);
    stop.abort();
    await waiting;
  });

  it('refuses a channel name that is not a plain identifier', async () => {
    const { connection } = fakeConnection();
    await expect(pgListenWakeups(connection, { channel: 'x; drop table y' })).rejects.toThrow(
      TypeError,
    );
  });
});
