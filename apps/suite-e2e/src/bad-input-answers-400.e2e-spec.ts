import { SCOPES } from '@suite/contracts';
import { call, gatewayUrl, newKey, tokenFor, type Reply } from './support';

const SEED_EVENT_ID = '00000000-0000-4000-8000-00000000e001';

// Input that once made a service (or the gateway) answer 500, now a 400 that says what is
// wrong: through the gateway to the real services and their databases.
describe('bad input through the gateway answers 400', () => {
  let buyer: string;
  let auctionId: string;

  beforeAll(async () => {
    buyer = await tokenFor('e2e-bad-input');
    const created = await call<{ id: string }>('POST', '/auctions', {
      token: buyer,
      body: {
        title: 'e2e bad input',
        reservePrice: 0,
        bidIncrement: 10,
        endsAt: new Date(Date.now() + 600_000).toISOString(),
      },
    });
    expect(created.status).toBe(201);
    auctionId = created.body.id;
  });

  const expect400 = (reply: Reply, message: unknown) => {
    expect({ status: reply.status, body: reply.body }).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message },
    });
  };

  it('afterSeq beyond the int4 seq column, without a token', async () => {
    expect400(await call('GET', `/auctions/${auctionId}/bids?afterSeq=2147483648`), [
      'afterSeq must not be greater than 2147483647',
    ]);
  });

  it('a seat page offset of 1e20', async () => {
    expect400(await call('GET', `/events/${SEED_EVENT_ID}/seats?offset=1e20`, { token: buyer }), [
      'offset must not be greater than 1000000',
    ]);
  });

  it.each(['2030-01-01T10', '2030-W01-1'])('an auction ending at %j', async (endsAt) => {
    const reply = await call('POST', '/auctions', {
      token: buyer,
      body: { title: 'lamp', reservePrice: 0, bidIncrement: 10, endsAt },
    });
    expect400(reply, [
      'endsAt must be an RFC 3339 date-time with seconds and an offset, e.g. 2030-01-01T10:00:00Z',
    ]);
  });

  it('a NUL in a seat id, a section, a title or a payment reference', async () => {
    expect400(
      await call('POST', '/holds', {
        token: buyer,
        body: { eventId: SEED_EVENT_ID, seatIds: ['A-1-1\u0000'] },
      }),
      'seatIds.0 must not contain control characters',
    );
    expect400(
      await call('GET', `/events/${SEED_EVENT_ID}/seats?section=A%00`, { token: buyer }),
      'query parameter section must not contain control characters',
    );
    expect400(
      await call('POST', '/auctions', {
        token: buyer,
        body: {
          title: 'a\u0000lamp',
          reservePrice: 0,
          bidIncrement: 10,
          endsAt: '2031-01-01T10:00:00Z',
        },
      }),
      'title must not contain control characters',
    );
    const backOffice = await tokenFor('e2e-back-office', [SCOPES.paymentsWrite]);
    expect400(
      await call('POST', '/payments', {
        token: backOffice,
        idempotencyKey: newKey(),
        body: {
          amountMinor: 100,
          currency: 'EUR',
          sourceToken: 'tok_visa',
          merchantReference: 'order-\u00001',
        },
      }),
      'merchantReference must not contain control characters',
    );
  });

  it('about 5,000 levels of nested JSON (10 KB)', async () => {
    const response = await fetch(`${gatewayUrl()}/auctions/${auctionId}/bids`, {
      method: 'POST',
      headers: { authorization: `Bearer ${buyer}`, 'content-type': 'application/json' },
      body: '['.repeat(5000) + ']'.repeat(5000),
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'JSON nesting deeper than 32' },
    });
  });

  it('leaves the service answering everyone else', async () => {
    const reply = await call('GET', `/auctions/${auctionId}`);
    expect(reply.status).toBe(200);
  });
});
