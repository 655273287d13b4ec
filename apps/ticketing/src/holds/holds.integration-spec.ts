import { SEED_EVENT_ID, SEED_SEAT_COUNT, SEED_VENUE_ID } from '../database/migrations';
import {
  startTicketingTestApp,
  waitFor,
  type TicketingTestApp,
} from '../testing/ticketing-test-app';

describe('seat holds', () => {
  let t: TicketingTestApp;

  beforeAll(async () => {
    t = await startTicketingTestApp('ticketing_holds', { HOLD_TTL_MS: '60000' });
  });

  afterAll(async () => {
    await t.close();
  });

  const placeHold = async (userId: string, seatIds: string[], eventId = SEED_EVENT_ID) =>
    t.app.inject({
      method: 'POST',
      url: '/holds',
      headers: await t.authAs(userId),
      payload: { eventId, seatIds },
    });

  it('seeds one event with 10,000 available seats', async () => {
    const events = await t.app.inject({
      method: 'GET',
      url: '/events',
      headers: await t.authAs('alice'),
    });
    expect(events.json()).toEqual({
      events: [
        {
          id: SEED_EVENT_ID,
          venueId: SEED_VENUE_ID,
          name: 'Flash Sale Night',
          startsAt: '2030-06-01T19:00:00.000Z',
          priceMinor: 4500,
          currency: 'EUR',
        },
      ],
    });
    const seats = await t.app.inject({
      method: 'GET',
      url: `/events/${SEED_EVENT_ID}/seats?section=B&limit=5`,
      headers: await t.authAs('alice'),
    });
    expect(seats.statusCode).toBe(200);
    expect(seats.json()).toMatchObject({ total: SEED_SEAT_COUNT / 10 });
    expect(seats.json().seats[0]).toEqual({
      seatId: 'B-1-1',
      section: 'B',
      row: '1',
      number: 1,
      availability: 'available',
    });
  });

  it('many-concurrent-holds-on-overlapping-seats-give-each-seat-to-at-most-one-hold', async () => {
    // 40 buyers, each wanting 3 adjacent seats out of 12: neighbours overlap.
    const seats = Array.from({ length: 12 }, (_, i) => `C-1-${i + 1}`);
    const attempts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const start = i % 10;
        return placeHold(`buyer-${i}`, seats.slice(start, start + 3));
      }),
    );
    const placed = attempts.filter((r) => r.statusCode === 201).map((r) => r.json());
    const refused = attempts.filter((r) => r.statusCode === 409);
    expect(placed.length + refused.length).toBe(40);
    expect(placed.length).toBeGreaterThan(0);
    const owners = new Map<string, string>();
    for (const hold of placed) {
      for (const seat of hold.seatIds as string[]) {
        expect(owners.get(seat)).toBeUndefined();
        owners.set(seat, hold.holdId);
      }
    }
    // The 409 names the seats that were taken.
    expect(refused[0]?.json().message).toMatch(/^seats already taken: C-1-\d+/);
    const page = await t.app.inject({
      method: 'GET',
      url: `/events/${SEED_EVENT_ID}/seats?section=C&limit=12`,
      headers: await t.authAs('alice'),
    });
    const held = page
      .json()
      .seats.filter((s: { availability: string }) => s.availability === 'held');
    expect(held.map((s: { seatId: string }) => s.seatId).sort()).toEqual([...owners.keys()].sort());
  });

  it('returns the hold with per-seat fencing tokens and its expiry', async () => {
    const placed = await placeHold('alice', ['D-1-1', 'D-1-2']);
    expect(placed.statusCode).toBe(201);
    const hold = placed.json();
    expect(Object.keys(hold.tokens).sort()).toEqual(['D-1-1', 'D-1-2']);
    expect(Date.parse(hold.expiresAt)).toBeGreaterThan(Date.now() + 50_000);
    const got = await t.app.inject({
      method: 'GET',
      url: `/holds/${hold.holdId}`,
      headers: await t.authAs('alice'),
    });
    expect(got.json()).toMatchObject({ holdId: hold.holdId, status: 'active' });
  });

  it('a-hold-on-a-sold-seat-answers-409-naming-it-and-leaves-no-row-no-fence-and-no-lease', async () => {
    // Sold outside any hold, as a confirmed checkout leaves it: the lease is free, so only
    // the recording transaction can refuse this hold.
    await t.database.pool.query(
      `update seats set status = 'sold', sold_to = 'earlier-buyer', order_id = gen_random_uuid(),
              fence_token = 1
        where event_id = $1 and seat_id = 'H-1-2'`,
      [SEED_EVENT_ID],
    );
    const refused = await placeHold('ivan', ['H-1-1', 'H-1-2', 'H-1-3']);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ seatIds: ['H-1-2'] });
    // Rolled back whole: no hold row, and no fence advanced for a hold that never was.
    const { rows } = await t.database.pool.query<{ n: string }>(
      `select (select count(*) from holds where user_id = 'ivan')
            + (select count(*) from coordination_fences where resource like $1) as n`,
      [`%/H-1-%`],
    );
    expect(Number(rows[0]?.n)).toBe(0);
    // Its leases were given back: the unsold seats go to the next buyer at once.
    expect((await placeHold('judy', ['H-1-1', 'H-1-3'])).statusCode).toBe(201);
  });

  it('another-users-hold-answers-404-as-if-it-did-not-exist-and-release-by-owner-frees-the-seats', async () => {
    const hold = (await placeHold('alice', ['D-2-1'])).json();
    const byBob = await t.app.inject({
      method: 'DELETE',
      url: `/holds/${hold.holdId}`,
      headers: await t.authAs('bob'),
    });
    expect(byBob.statusCode).toBe(404);
    expect(byBob.json().message).toBe(`hold ${hold.holdId} does not exist`);
    const readByBob = await t.app.inject({
      method: 'GET',
      url: `/holds/${hold.holdId}`,
      headers: await t.authAs('bob'),
    });
    expect(readByBob.statusCode).toBe(404);
    expect(readByBob.json().message).toBe(`hold ${hold.holdId} does not exist`);
    expect((await placeHold('bob', ['D-2-1'])).statusCode).toBe(409);
    const byAlice = await t.app.inject({
      method: 'DELETE',
      url: `/holds/${hold.holdId}`,
      headers: await t.authAs('alice'),
    });
    expect(byAlice.statusCode).toBe(204);
    expect((await placeHold('bob', ['D-2-1'])).statusCode).toBe(201);
  });

  it('the-caller-is-the-tokens-subject-and-x-user-id-names-nobody', async () => {
    const hold = (await placeHold('alice', ['D-3-1'])).json();
    // Bob's token with Alice's name in the header the gateway used to be trusted for.
    const asBobClaimingAlice = { ...(await t.authAs('bob')), 'x-user-id': 'alice' };
    const got = await t.app.inject({
      method: 'GET',
      url: `/holds/${hold.holdId}`,
      headers: asBobClaimingAlice,
    });
    expect(got.statusCode).toBe(404);
    const released = await t.app.inject({
      method: 'DELETE',
      url: `/holds/${hold.holdId}`,
      headers: asBobClaimingAlice,
    });
    expect(released.statusCode).toBe(404);
    const placed = await t.app.inject({
      method: 'POST',
      url: '/holds',
      headers: asBobClaimingAlice,
      payload: { eventId: SEED_EVENT_ID, seatIds: ['D-3-2'] },
    });
    expect(placed.json().userId).toBe('bob');
  });

  it('requests-without-a-valid-token-are-refused-with-401-while-health-and-metrics-stay-public', async () => {
    const hold = (await placeHold('alice', ['D-4-1'])).json();
    const forged = `Bearer ${await t.forger.sign({ userId: 'alice' })}`;
    const routes = [
      { method: 'GET', url: '/events' },
      { method: 'GET', url: `/events/${SEED_EVENT_ID}/seats` },
      { method: 'POST', url: '/holds', payload: { eventId: SEED_EVENT_ID, seatIds: ['D-4-2'] } },
      { method: 'GET', url: `/holds/${hold.holdId}` },
      { method: 'DELETE', url: `/holds/${hold.holdId}` },
      { method: 'POST', url: '/checkouts', payload: { holdId: hold.holdId, paymentSource: 'x' } },
      { method: 'GET', url: '/orders/00000000-0000-4000-8000-000000000000' },
    ] as const;
    const cases = [
      { headers: {}, message: 'missing bearer token' },
      { headers: { 'x-user-id': 'alice' }, message: 'missing bearer token' },
      { headers: { authorization: forged }, message: 'token signature is invalid' },
    ];
    for (const route of routes) {
      for (const { headers, message } of cases) {
        const response = await t.app.inject({ ...route, headers });
        expect({
          route: route.url,
          status: response.statusCode,
          message: response.json().message,
        }).toEqual({
          route: route.url,
          status: 401,
          message,
        });
      }
    }
    // None of those reached a handler: Alice's hold is still hers and active.
    const still = await t.app.inject({
      method: 'GET',
      url: `/holds/${hold.holdId}`,
      headers: await t.authAs('alice'),
    });
    expect(still.json()).toMatchObject({ status: 'active' });
    for (const url of ['/health', '/health/ready', '/metrics']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
  });

  it('answers bad input with a clear 4xx and unknown ids with 404', async () => {
    const noUser = await t.app.inject({
      method: 'POST',
      url: '/holds',
      payload: { eventId: SEED_EVENT_ID, seatIds: ['E-1-1'] },
    });
    expect(noUser.statusCode).toBe(401);
    const empty = await placeHold('alice', []);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toEqual(['seatIds must contain at least 1 elements']);
    // Well formed (the schema takes up to 100), but over this deployment's cap of 10.
    const tooMany = await placeHold(
      'alice',
      Array.from({ length: 11 }, (_, i) => `Z-1-${i + 1}`),
    );
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json()).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'a hold takes at most 10 seats',
    });
    const unknownSeat = await placeHold('alice', ['Z-9-9']);
    expect(unknownSeat.statusCode).toBe(404);
    expect(unknownSeat.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `event ${SEED_EVENT_ID} has no seats Z-9-9`,
      seatIds: ['Z-9-9'],
    });
    const unknownEvent = await placeHold(
      'alice',
      ['A-1-1'],
      '00000000-0000-4000-8000-000000000000',
    );
    expect(unknownEvent.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'event 00000000-0000-4000-8000-000000000000 does not exist',
    });
    const badId = await t.app.inject({
      method: 'GET',
      url: '/holds/not-a-uuid',
      headers: await t.authAs('alice'),
    });
    expect(badId.statusCode).toBe(400);
    expect(badId.body).not.toContain('at ');
    const unknownHold = await t.app.inject({
      method: 'GET',
      url: '/holds/00000000-0000-4000-8000-000000000000',
      headers: await t.authAs('alice'),
    });
    expect(unknownHold.statusCode).toBe(404);
    expect(unknownHold.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'hold 00000000-0000-4000-8000-000000000000 does not exist',
    });
  });
});

describe('hold expiry', () => {
  let t: TicketingTestApp;

  beforeAll(async () => {
    t = await startTicketingTestApp('ticketing_expiry', { HOLD_TTL_MS: '300' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('hold-expiry-frees-the-seats-and-records-hold-expired', async () => {
    const placed = await t.app.inject({
      method: 'POST',
      url: '/holds',
      headers: await t.authAs('alice'),
      payload: { eventId: SEED_EVENT_ID, seatIds: ['F-1-1', 'F-1-2'] },
    });
    expect(placed.statusCode).toBe(201);
    const holdId = placed.json().holdId as string;
    // Once the TTL passes, another buyer gets the seats with higher tokens.
    const retaken = await waitFor<{ tokens: Record<string, number> }>(
      async () => {
        const r = await t.app.inject({
          method: 'POST',
          url: '/holds',
          headers: await t.authAs('bob'),
          payload: { eventId: SEED_EVENT_ID, seatIds: ['F-1-1', 'F-1-2'] },
        });
        return r.statusCode === 201 ? r.json() : undefined;
      },
      5_000,
      'seats free again',
    );
    expect(retaken.tokens['F-1-1']).toBeGreaterThan(placed.json().tokens['F-1-1']);
    const events = await waitFor(
      async () => {
        const { rows } = await t.database.pool.query<{ payload: string }>(
          `select payload from outbox_messages where aggregate_key = $1 order by id`,
          [holdId],
        );
        return rows.length === 2 ? rows.map((r) => JSON.parse(r.payload).type) : undefined;
      },
      5_000,
      'HoldExpired in the outbox',
    );
    expect(events).toEqual(['HoldPlaced', 'HoldExpired']);
  });
});
