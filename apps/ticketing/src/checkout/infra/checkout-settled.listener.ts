import { Client } from 'pg';

// The channel of the NOTIFY that the checkout_settled trigger sends (migration
// 1761000006000) when a checkout saga ends; the payload is the order id.
export const CHECKOUT_SETTLED_CHANNEL = 'checkout_settled';

export interface CheckoutSettledListenerOptions {
  url: string;
  // Wait this long before listening again after the connection broke or could not open.
  reconnectMs?: number;
  // Told once each time the connection breaks or cannot open (a log line).
  onDown?(error: unknown): void;
}

// Wakes the checkouts this instance is waiting for when their sagas end, whichever instance
// ended them: one LISTEN connection per instance, dispatching each notification to the
// waiters of its order. A notification is sent only on commit, so a read after it sees the
// end. While the connection is down nothing is heard: every waiter is woken when it breaks
// and again once it listens, so each looks for itself, and waiters keep a poll besides.
export class CheckoutSettledListener {
  private client: Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly options: CheckoutSettledListenerOptions) {}

  // Never throws: a connection that cannot open is retried every reconnectMs.
  async start(): Promise<void> {
    if (this.closed || this.client) return;
    const client = new Client({
      connectionString: this.options.url,
      application_name: 'ticketing-checkout-listener',
    });
    let down = false;
    const broken = (error?: unknown) => {
      // The error listener stays: pg may emit more on a dead connection.
      if (down) return;
      down = true;
      if (this.client === client) this.client = undefined;
      client.removeAllListeners('end');
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.options.onDown?.(error);
      this.wakeAll();
      this.scheduleStart();
    };
    client.on('notification', (message) => {
      if (message.channel === CHECKOUT_SETTLED_CHANNEL && message.payload) {
        this.wake(message.payload);
      }
    });
    client.on('error', broken);
    client.on('end', () => broken(new Error('the listening connection ended')));
    try {
      await client.connect();
      await client.query(`listen ${CHECKOUT_SETTLED_CHANNEL}`);
    } catch (error) {
      broken(error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // Whatever ended while nobody listened was not heard: let every waiter look again.
    this.wakeAll();
  }

  listening(): boolean {
    return this.client !== undefined;
  }

  // Resolves when the saga of `orderId` is notified as ended, when the connection breaks or
  // comes back, or after `withinMs`, whichever is first. Call it before reading the order,
  // so an end committed during the read is not missed.
  settled(orderId: string, withinMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.waiters.get(orderId) ?? new Set<() => void>();
      this.waiters.set(orderId, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0 && this.waiters.get(orderId) === waiters) {
          this.waiters.delete(orderId);
        }
        resolve();
      };
      const timer = setTimeout(done, withinMs);
      waiters.add(done);
    });
  }

  // Nest calls it once the server has stopped taking requests.
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    this.wakeAll();
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }

  private scheduleStart(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.start();
    }, this.options.reconnectMs ?? 1_000);
    this.retry.unref();
  }

  private wake(orderId: string): void {
    for (const wake of [...(this.waiters.get(orderId) ?? [])]) wake();
  }

  private wakeAll(): void {
    for (const waiters of [...this.waiters.values()]) for (const wake of [...waiters]) wake();
  }
}
