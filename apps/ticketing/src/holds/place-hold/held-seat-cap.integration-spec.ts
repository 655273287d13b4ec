import { SEED_EVENT_ID } from '../../database/migrations';
import { startTicketingTestApp, type TicketingTestApp } from '../../testing/ticketing-test-app';

// A user holds at most MAX_HELD_SEATS_PER_USER_PER_EVENT seats of one event at once, decided
// under a per-(user, event) lock in Postgres, with the seat leases in real Redis.
describe('held-seat cap', () => {
  const CAP = 20;
  let t: TicketingTestApp;

  beforeAll(async () => {
    t = await startTicketingTestApp('ticketing_held_cap', {
      HOLD_TTL_MS: '60000',
      MAX_HELD_SEATS_PER_USER_PER_EVENT: String(CAP),
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const placeHold = async (userId: string, seatIds: string[]) =>
    t.app.inject({
      method: 'POST',
      url: '/holds',
      headers: await t.authAs(userId),
      payload: { eventId: SEED_EVENT_ID, seatIds },
    });
  const row = (r: number) => Array.from({ length: 50 }, (_, i) => `G-${r}-${i + 1}`);

  it('parallel-holds-by-one-user-never-pass-the-held-seat-cap', async () => {
    // Eight holds of 5 seats at once: 40 seats asked, exactly 20 may be held.
    const seats = row(1).slice(0, 40);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => placeHold('hoarder', seats.slice(i * 5, i * 5 + 5))),
    );
    const placed = replies.filter((r) => r.statusCode === 201);
    const refused = replies.filter((r) => r.statusCode === 409);
    expect(placed).toHaveLength(CAP / 5);
    expect(refused).toHaveLength(8 - CAP / 5);
    expect(refused[0]?.json().message).toMatch(
      /^one user may hold at most 20 seats of an event at once: you hold 20, this hold asks for 5 more/,
    );
    const { rows } = await t.database.pool.query<{ seats: string }>(
      `select coalesce(sum(cardinality(seat_ids)), 0) as seats from holds
        where user_id = 'hoarder' and status = 'active'`,
    );
    expect(Number(rows[0]?.seats)).toBe(CAP);
    // A refused hold keeps no lease: its seats are free for anyone at once.
    const refusedSeats = seats.filter(
      (seat) => !placed.some((r) => (r.json().seatIds as string[]).includes(seat)),
    );
    expect(refusedSeats).toHaveLength(20);
    expect((await placeHold('someone-else', refusedSeats.slice(0, 10))).statusCode).toBe(201);
  });

  it('a-user-at-the-cap-may-hold-again-after-releasing-and-other-users-are-not-counted', async () => {
    const seats = row(2);
    const first = await placeHold('collector', seats.slice(0, 10));
    const second = await placeHold('collector', seats.slice(10, 20));
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect((await placeHold('collector', [seats[20] as string])).statusCode).toBe(409);
    expect((await placeHold('neighbour', seats.slice(21, 31))).statusCode).toBe(201);

    const released = await t.app.inject({
      method: 'DELETE',
      url: `/holds/${first.json().holdId}`,
      headers: await t.authAs('collector'),
    });
    expect(released.statusCode).toBe(204);
    expect((await placeHold('collector', seats.slice(31, 41))).statusCode).toBe(201);
  });
});
