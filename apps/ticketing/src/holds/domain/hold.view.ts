import { effectiveStatus, type Hold } from './hold';

export interface HoldView {
  holdId: string;
  eventId: string;
  userId: string;
  seatIds: string[];
  // Per seat: pass nothing back, the saga carries them; shown so a client can reason about them.
  tokens: Record<string, number>;
  expiresAt: string;
  status: string;
  orderId: string | null;
}

export function toHoldView(hold: Hold, now: number): HoldView {
  return {
    holdId: hold.id,
    eventId: hold.eventId,
    userId: hold.userId,
    seatIds: hold.seatIds,
    tokens: hold.tokens,
    expiresAt: new Date(hold.expiresAt).toISOString(),
    status: effectiveStatus(hold, now),
    orderId: hold.orderId,
  };
}
