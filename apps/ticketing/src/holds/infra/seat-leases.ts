import { leaseKey, type RedisClient } from '@suite/coordination';
import { holdScope } from '../domain/hold';

// Reads who holds each seat right now: the owner of its Redis lease (a hold id), or
// nothing once the lease's TTL has run out. One MGET for the whole page.
export class SeatLeases {
  // The FencedHolds namespace the seat leases were taken under.
  constructor(
    private readonly redis: RedisClient,
    private readonly namespace: string,
  ) {}

  async holders(eventId: string, seatIds: readonly string[]): Promise<Map<string, string>> {
    if (seatIds.length === 0) return new Map();
    const scope = holdScope(eventId);
    const owners = await this.redis.mget(
      ...seatIds.map((seatId) => leaseKey(this.namespace, scope, seatId)),
    );
    const held = new Map<string, string>();
    seatIds.forEach((seatId, i) => {
      const owner = owners[i];
      if (owner) held.set(seatId, owner);
    });
    return held;
  }
}
