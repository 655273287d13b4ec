// What the demo and the load scenarios read from the seeded catalogue before they start:
// the first event and a page of its seats, through the gateway like any client.
import type { GatewayClient } from './gateway-client';

export interface SeededEvent {
  id: string;
  priceMinor: number;
  currency: string;
}

export async function firstEvent(client: GatewayClient, token: string): Promise<SeededEvent> {
  const events = await client.call<{ events: SeededEvent[] }>('events.list', 'GET', '/events', {
    token,
  });
  const event = events.body.events?.[0];
  if (!event) throw new Error(`the seed data has no event (GET /events: HTTP ${events.status})`);
  return event;
}

export async function seatIds(
  client: GatewayClient,
  token: string,
  eventId: string,
  limit: number,
): Promise<string[]> {
  const seats = await client.call<{ seats: { seatId: string }[] }>(
    'seats.list',
    'GET',
    `/events/${eventId}/seats?limit=${limit}`,
    { token },
  );
  if (seats.status !== 200) throw new Error(`GET seats of ${eventId}: HTTP ${seats.status}`);
  return seats.body.seats.map((s) => s.seatId);
}
