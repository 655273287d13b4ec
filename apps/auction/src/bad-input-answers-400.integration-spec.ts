import {
  createTestDatabase,
  createTestRedis,
  createTestTopic,
  testKafka,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { startAuctionApp, type AuctionTestApp } from './testing/auction-harness';

const RFC3339_MESSAGE = (field: string) =>
  `${field} must be an RFC 3339 date-time with seconds and an offset, e.g. 2030-01-01T10:00:00Z`;

// Input that once reached Postgres or Date.parse and came back as a 500: each is a 400
// that says what is wrong, on the real service and its real database.
describe('auction service answers bad input with 400', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let service: AuctionTestApp;
  let auctionId: string;
  const kafka = testKafka('auction-bad-input');

  beforeAll(async () => {
    db = await createTestDatabase('auction_bad_input', 2);
    redis = createTestRedis('auction-bad-input');
    service = await startAuctionApp(db, {
      REDIS_KEY_PREFIX: redis.prefix,
      AUCTION_EVENTS_TOPIC: await createTestTopic(kafka, 'auction_events'),
    });
    const created = await create({ endsAt: new Date(Date.now() + 600_000).toISOString() });
    expect(created.statusCode).toBe(201);
    auctionId = created.json().id;
  }, 30_000);

  afterAll(async () => {
    await service?.close();
    await redis?.cleanup();
    await db?.drop();
  });

  async function create(body: Record<string, unknown>) {
    return service.app.inject({
      method: 'POST',
      url: '/auctions',
      headers: { authorization: await service.authorization('seller-1') },
      payload: { title: 'a lamp', reservePrice: 0, bidIncrement: 10, ...body },
    });
  }

  const expect400 = (response: { statusCode: number; json(): unknown }, message: unknown) => {
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message },
    });
  };

  it('refuses afterSeq beyond the int4 seq column, without a token', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: `/auctions/${auctionId}/bids?afterSeq=2147483648`,
    });
    expect400(response, ['afterSeq must not be greater than 2147483647']);
  });

  it('still pages at the largest afterSeq the column can hold', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: `/auctions/${auctionId}/bids?afterSeq=2147483647`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().bids).toEqual([]);
  });

  it.each(['2030-01-01T10', '2030-W01-1', '2030-02-30T10:00:00Z', '2030-01-01T10:00:00'])(
    'refuses endsAt %j, which is not one RFC 3339 instant',
    async (endsAt) => {
      expect400(await create({ endsAt }), [RFC3339_MESSAGE('endsAt')]);
    },
  );

  it('refuses a startsAt that is not RFC 3339 either', async () => {
    const response = await create({ startsAt: '2030-W01-1', endsAt: '2031-01-01T10:00:00Z' });
    expect400(response, [RFC3339_MESSAGE('startsAt')]);
  });

  it('keeps the instant an offset names', async () => {
    const response = await create({
      startsAt: '2030-01-01T11:00:00+01:00',
      endsAt: '2030-01-01T12:00:00.250+01:00',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      startsAt: '2030-01-01T10:00:00.000Z',
      endsAt: '2030-01-01T11:00:00.250Z',
    });
  });

  it('refuses a NUL in the title', async () => {
    const response = await create({ title: 'a\u0000lamp', endsAt: '2031-01-01T10:00:00Z' });
    expect400(response, 'title must not contain control characters');
  });

  it('refuses JSON nested about 5,000 levels deep', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: `/auctions/${auctionId}/bids`,
      headers: {
        authorization: await service.authorization('bidder-1'),
        'content-type': 'application/json',
      },
      payload: `{"amount":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    });
    expect400(response, 'JSON nesting deeper than 32');
  });

  it('refuses an amount beyond what a JSON number holds exactly', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: `/auctions/${auctionId}/bids`,
      headers: { authorization: await service.authorization('bidder-1') },
      payload: { amount: 2 ** 63 },
    });
    expect400(response, ['amount must not be greater than 9007199254740991']);
  });

  it.each(['/auctions/not-a-uuid', '/auctions/not-a-uuid/bids', '/auctions/a%00b/bids'])(
    'answers 400 for the malformed id in %s',
    async (url) => {
      const response = await service.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(400);
    },
  );
});
