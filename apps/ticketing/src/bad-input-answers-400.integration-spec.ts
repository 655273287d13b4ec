import { SEED_EVENT_ID } from './database/migrations';
import { startTicketingTestApp, type TicketingTestApp } from './testing/ticketing-test-app';

// Input that once reached Postgres and came back as a 500: each is a 400 that says what is
// wrong, on the real service and its real database.
describe('ticketing answers bad input with 400', () => {
  let t: TicketingTestApp;

  beforeAll(async () => {
    t = await startTicketingTestApp('ticketing_bad_input');
  });

  afterAll(async () => {
    await t?.close();
  });

  const get = async (url: string) =>
    t.app.inject({ method: 'GET', url, headers: await t.authAs('alice') });

  const expect400 = (response: { statusCode: number; json(): unknown }, message: unknown) => {
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message },
    });
  };

  it('refuses a seat page offset beyond any venue (1e20)', async () => {
    expect400(await get(`/events/${SEED_EVENT_ID}/seats?offset=1e20`), [
      'offset must not be greater than 1000000',
    ]);
  });

  it('still serves the deepest page allowed, empty', async () => {
    const response = await get(`/events/${SEED_EVENT_ID}/seats?offset=1000000`);
    expect(response.statusCode).toBe(200);
    expect(response.json().seats).toEqual([]);
  });

  it('refuses a NUL in the section query parameter', async () => {
    expect400(
      await get(`/events/${SEED_EVENT_ID}/seats?section=A%00`),
      'query parameter section must not contain control characters',
    );
  });

  it('refuses a NUL in a seat id', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/holds',
      headers: await t.authAs('alice'),
      payload: { eventId: SEED_EVENT_ID, seatIds: ['A-1-1', 'A-1-2\u0000'] },
    });
    expect400(response, 'seatIds.1 must not contain control characters');
  });

  it('refuses a NUL in the Idempotency-Key of a checkout', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/checkouts',
      headers: { ...(await t.authAs('alice')), 'idempotency-key': 'checkout-\u0000-1' },
      payload: { holdId: '5b0f3c1e-8a8e-4b55-9f55-3c2b7d0f6a11', paymentSource: 'tok_visa' },
    });
    expect400(response, 'header idempotency-key must not contain control characters');
  });

  it('refuses JSON nested about 5,000 levels deep', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/holds',
      headers: { ...(await t.authAs('alice')), 'content-type': 'application/json' },
      payload: `{"eventId":"${SEED_EVENT_ID}","seatIds":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    });
    expect400(response, 'JSON nesting deeper than 32');
  });

  it.each(['/holds/42', '/orders/not-a-uuid', '/events/x/seats', '/holds/a%00b'])(
    'answers 400 for the malformed id in %s',
    async (url) => {
      expect((await get(url)).statusCode).toBe(400);
    },
  );
});
