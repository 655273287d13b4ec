// A hold's life, written down once. The Redis lease (FencedHolds) decides who holds a
// seat; this record is what the service remembers about the hold: whose it is, its
// tokens, and how it ended.
export const HOLD_STATUSES = [
  'active',
  'checking-out',
  'released',
  'expired',
  'purchased',
] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

export const HOLD_TRANSITIONS: Readonly<Record<HoldStatus, readonly HoldStatus[]>> = {
  // checkout verified it, the owner released it, the sweeper saw it expire
  active: ['checking-out', 'released', 'expired'],
  // seats confirmed, or the checkout was compensated
  'checking-out': ['purchased', 'released'],
  released: [],
  expired: [],
  // a checkout compensated after its seats were confirmed
  purchased: ['released'],
};

export function canMove(from: HoldStatus, to: HoldStatus): boolean {
  return HOLD_TRANSITIONS[from].includes(to);
}

export interface Hold {
  id: string;
  eventId: string;
  userId: string;
  seatIds: string[];
  tokens: Record<string, number>;
  expiresAt: number;
  status: HoldStatus;
  orderId: string | null;
}

// An active hold past its expiry is expired, whether or not the sweeper has seen it yet:
// its Redis lease (which expires no earlier) may already be gone.
export function effectiveStatus(hold: Pick<Hold, 'status' | 'expiresAt'>, now: number): HoldStatus {
  return hold.status === 'active' && hold.expiresAt <= now ? 'expired' : hold.status;
}

// Every hold of one event shares one scope, so all keys of a hold sit in one Redis Cluster
// slot and each seat's token sequence is per (event, seat).
export function holdScope(eventId: string): string {
  return `event:${eventId}`;
}

// The storage-side fence row of a seat, as checkFence names it.
export function seatFence(eventId: string, seatId: string): string {
  return `${holdScope(eventId)}/${seatId}`;
}

export type CheckoutEligibility =
  | { ok: true }
  | { ok: false; reason: 'not-owner' | 'expired' | 'not-active'; message: string };

export function checkoutEligibility(hold: Hold, userId: string, now: number): CheckoutEligibility {
  if (hold.userId !== userId) {
    return { ok: false, reason: 'not-owner', message: 'only the owner of a hold may check it out' };
  }
  const status = effectiveStatus(hold, now);
  if (status === 'expired')
    return { ok: false, reason: 'expired', message: 'the hold has expired' };
  if (status !== 'active') {
    return { ok: false, reason: 'not-active', message: `the hold is ${status}` };
  }
  return { ok: true };
}
