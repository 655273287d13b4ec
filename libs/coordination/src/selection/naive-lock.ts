import type { RedisClient } from '../redis/lua-script';

// FOR DEMOS AND FAULT RUNS ONLY. A lock as it is often written: SET NX PX to take it, DEL to
// free it, no fencing token. A holder paused past the TTL wakes up believing it still holds
// the lock, and its writes go through; its DEL can even free someone else's lock. The tests
// and chaos runs use it to show that their checks catch exactly that. Use FencedHolds.
export class NaiveLock {
  constructor(private readonly redis: RedisClient) {}

  async acquire(resource: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(naiveKey(resource), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  // Deletes whatever is there, whoever holds it now: the bug this class exists to show.
  async release(resource: string): Promise<boolean> {
    return (await this.redis.del(naiveKey(resource))) === 1;
  }
}

function naiveKey(resource: string): string {
  return `naive-lock:{${resource}}`;
}
