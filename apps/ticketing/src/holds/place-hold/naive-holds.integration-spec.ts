import { randomUUID } from 'node:crypto';
import { countSeatsHeldTwice } from '@suite/invariants';
import { SEED_EVENT_ID } from '../../database/migrations';
import { startTicketingTestApp, type TicketingTestApp } from '../../testing/ticketing-test-app';
import { HoldsRepository } from '../infra/holds.repository';

// HOLD_MECHANISM=naive, the holds benchmark's baseline: row locks in Postgres instead of the
// Redis lease, behind the same route, token check and validation. It must be as safe as the
// fenced hold; it is only slower under contention.
describe('naive seat holds (the benchmark baseline)', () => {
  let t: TicketingTestApp;
  const repository = new HoldsRepository();

  beforeAll(async () => {
    t = await startTicketingTestApp('ticketing_naive_holds', {
      HOLD_TTL_MS: '60000',
      HOLD_MECHANISM: 'naive',
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

  it('ten-buyers-of-one-seat-give-it-to-exactly-one-hold-and-refuse-the-rest-409', async () => {
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => placeHold(`naive-buyer-${i}`, ['E-1-1'])),
    );
    expect(replies.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const refused = replies.filter((r) => r.statusCode === 409);
    expect(refused).toHaveLength(9);
    expect(refused[0]?.json().message).toBe('seats already taken: E-1-1');
    const { rows } = await t.database.pool.query<{ n: number }>(
      `select count(*)::int as n from holds where 'E-1-1' = any(seat_ids)`,
    );
    expect(rows[0]?.n).toBe(1);
    expect(await countSeatsHeldTwice(t.database.pool)).toBe(0);
  });

  it('overlapping-naive-holds-never-share-a-seat', async () => {
    // 30 buyers, each wanting 3 adjacent seats out of 12: neighbours overlap.
    const seats = Array.from({ length: 12 }, (_, i) => `E-2-${i + 1}`);
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        placeHold(`naive-overlap-${i}`, seats.slice(i % 10, (i % 10) + 3)),
      ),
    );
    const placed = replies.filter((r) => r.statusCode === 201);
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.length + replies.filter((r) => r.statusCode === 409).length).toBe(30);
    expect(await countSeatsHeldTwice(t.database.pool)).toBe(0);
  });

  it('a-released-naive-hold-frees-its-seat-for-the-next-buyer', async () => {
    const first = await placeHold('naive-releaser', ['E-3-1']);
    expect(first.statusCode).toBe(201);
    expect((await placeHold('naive-next', ['E-3-1'])).statusCode).toBe(409);
    const released = await t.app.inject({
      method: 'DELETE',
      url: `/holds/${first.json().holdId}`,
      headers: await t.authAs('naive-releaser'),
    });
    expect(released.statusCode).toBe(204);
    expect((await placeHold('naive-next', ['E-3-1'])).statusCode).toBe(201);
  });

  it('the-seats-held-twice-count-catches-two-live-holds-on-one-seat', async () => {
    // Written straight to the table, past both mechanisms: what an oversell leaves behind.
    const hold = (userId: string) => ({
      id: randomUUID(),
      eventId: SEED_EVENT_ID,
      userId,
      seatIds: ['E-4-1', 'E-4-2'],
      tokens: {},
      expiresAt: Date.now() + 60_000,
      status: 'active' as const,
      orderId: null,
    });
    const before = await countSeatsHeldTwice(t.database.pool);
    await repository.insert(t.database.pool, hold('oversold-1'));
    await repository.insert(t.database.pool, hold('oversold-2'));
    expect(await countSeatsHeldTwice(t.database.pool)).toBe(before + 2);
  });
});
