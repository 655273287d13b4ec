// Admission for the hold's Postgres transaction. Under a flash sale the holds come faster than
// Postgres can record them; left alone they take every connection of the pool and every
// checkout step, poll and order queues behind them. At most `inFlight` holds record at once;
// up to `queue` more wait in arrival order, each at most `maxWaitMs`; any other is turned away
// at once, and the client is told when to try again. 0 in flight: no bound (every hold goes
// straight to the pool's own queue, as before).
export interface HoldAdmissionLimits {
  inFlight: number;
  queue: number;
  maxWaitMs: number;
  // Told of every hold turned away (a counter for the operator).
  onRefused?: (why: 'queue-full' | 'waited-too-long') => void;
}

export type Admission =
  | { admitted: true; done: () => void }
  | { admitted: false; why: 'queue-full' | 'waited-too-long'; retryAfterMs: number };

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout;
}

export class HoldAdmission {
  private running = 0;
  // Oldest first; bounded by the queue's limit, so shift and splice stay cheap.
  private readonly waiters: Waiter[] = [];

  constructor(private readonly limits: HoldAdmissionLimits) {}

  get inFlight(): number {
    return this.running;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  admit(): Promise<Admission> | Admission {
    if (this.limits.inFlight === 0) return { admitted: true, done: () => undefined };
    if (this.running < this.limits.inFlight && this.waiters.length === 0) return this.enter();
    if (this.waiters.length >= this.limits.queue) return this.refusal('queue-full');
    return new Promise<Admission>((resolve) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(waiter.timer);
          resolve(this.enter());
        },
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          resolve(this.refusal('waited-too-long'));
        }, this.limits.maxWaitMs),
      };
      this.waiters.push(waiter);
    });
  }

  // Takes a slot; `done` gives it back (once, however often it is called) to the oldest
  // waiter.
  private enter(): Admission {
    this.running += 1;
    let left = false;
    return {
      admitted: true,
      done: () => {
        if (left) return;
        left = true;
        this.running -= 1;
        if (this.running < this.limits.inFlight) this.waiters.shift()?.admit();
      },
    };
  }

  // The client may try again once a queue's worth of holds has had time to go through.
  private refusal(why: 'queue-full' | 'waited-too-long'): Admission {
    this.limits.onRefused?.(why);
    return { admitted: false, why, retryAfterMs: Math.max(1_000, this.limits.maxWaitMs) };
  }
}
