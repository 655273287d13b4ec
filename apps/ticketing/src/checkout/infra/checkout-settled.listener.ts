import { Client } from 'pg';

// The channel of the NOTIFY that the checkout_settled trigger sends (migration
// 1761000006000) when a checkout saga ends; the payload is the order id.
export const CHECKOUT_SETTLED_CHANNEL = 'checkout_settled';

export interface CheckoutSettledListenerOptions {
  url: string;
  // Told of each order whose saga ended (the orchestrator's notify(), which wakes the
  // order's waiters in this process).
  onSettled(orderId: string): void;
  // Wait this long before listening again after the connection broke or could not open.
  reconnectMs?: number;
  // Told once each time the connection breaks or cannot open (a log line).
  onDown?(error: unknown): void;
}

// Hears every checkout's end, whichever instance ended it: one LISTEN connection per
// instance, each notification passed to onSettled. A notification is sent only on commit, so
// a read after it sees the end. While the connection is down nothing is heard: waiters keep a
// poll beside it, and it listens again every reconnectMs.
export class CheckoutSettledListener {
  private client: Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

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
      this.scheduleStart();
    };
    client.on('notification', (message) => {
      if (message.channel === CHECKOUT_SETTLED_CHANNEL && message.payload) {
        this.options.onSettled(message.payload);
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
}
