import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createTestDatabase,
  createTestRedis,
  forkTs,
  integrationEndpoints,
  killAndWait,
  nextMessage,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { AUCTION_MIGRATIONS } from './database/migrations';
import { verifyAuctionInvariants } from '@suite/invariants';

type Message = {
  ready?: string;
  elected?: number;
  closed?: string;
  token?: number;
  error?: string;
};

// Two closer nodes in two processes. The leader is killed with SIGKILL just before an
// auction ends; the other closes it within the lease TTL plus a small margin, with a
// higher token, and the auction still gets exactly one AuctionClosed.
describe('closer failover', () => {
  const TTL_MS = 1_500;
  const MARGIN_MS = 1_000;
  const TOPIC = 'auction.events.failover';
  let db: TestDatabase;
  let redis: TestRedis;
  const children: ChildProcess[] = [];
  const inbox = new Map<string, Message[]>();

  beforeAll(async () => {
    db = await createTestDatabase('auction_failover', 2);
    redis = createTestRedis('auction-failover');
    for (const Migration of AUCTION_MIGRATIONS) {
      await new Migration().up({ query: (sql: string) => db.pool.query(sql) } as never);
    }
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => killAndWait(c)));
    await redis.cleanup();
    await db.drop();
  });

  const spawnCloser = async (owner: string) => {
    const child = forkTs(join(__dirname, 'testing/closer.worker.ts'), [
      integrationEndpoints().redisUrl,
      db.url,
      redis.prefix,
      owner,
      TOPIC,
      String(TTL_MS),
    ]);
    children.push(child);
    inbox.set(owner, []);
    child.on('message', (m: Message) => inbox.get(owner)?.push(m));
    await nextMessage<Message>(child, (m) => m.ready === owner);
    return child;
  };
  const electedToken = (owner: string) =>
    inbox.get(owner)?.find((m) => m.elected !== undefined)?.elected;

  it('kills the closer at the end time; the other node closes the auction within the lease TTL plus a margin', async () => {
    const a = await spawnCloser('a');
    const b = await spawnCloser('b');
    const deadline = Date.now() + 10_000;
    while (electedToken('a') === undefined && electedToken('b') === undefined) {
      if (Date.now() > deadline) throw new Error('no closer was elected');
      await new Promise((r) => setTimeout(r, 20));
    }
    const leader = electedToken('a') !== undefined ? 'a' : 'b';
    const [leaderChild, followerChild] = leader === 'a' ? [a, b] : [b, a];
    const oldToken = electedToken(leader) ?? 0;

    const { rows } = await db.pool.query<{ id: string; ends_at_ms: number }>(
      `insert into auctions (seller_id, title, reserve_price, bid_increment, starts_at, ends_at, scheduled_ends_at)
       values ('s', 'failover', 0, 10, now(), now() + interval '1500 milliseconds', now() + interval '1500 milliseconds')
       returning id, (extract(epoch from ends_at) * 1000)::float8 as ends_at_ms`,
    );
    const auction = rows[0];
    if (!auction) throw new Error('no auction');
    await db.pool.query(`select * from auction_place_bid($1, 'bidder-1', 50)`, [auction.id]);

    // Kill it a hair before the end, so it cannot have closed yet.
    await new Promise((r) => setTimeout(r, Math.max(0, auction.ends_at_ms - Date.now() - 30)));
    await killAndWait(leaderChild);
    const closed = await nextMessage<Message>(
      followerChild,
      (m) => m.closed === auction.id,
      TTL_MS * 4,
    );

    const { rows: after } = await db.pool.query<{
      late_ms: number;
      closer_token: string;
      winner_id: string;
    }>(
      `select (extract(epoch from closed_at - ends_at) * 1000)::float8 as late_ms, closer_token::text, winner_id
         from auctions where id = $1`,
      [auction.id],
    );
    const lateMs = after[0]?.late_ms ?? Infinity;
    console.log(
      `closer failover: closed ${Math.round(lateMs)} ms after the end (lease ttl ${TTL_MS} ms)`,
    );
    expect(lateMs).toBeLessThan(TTL_MS + MARGIN_MS);
    expect(closed.token).toBeGreaterThan(oldToken);
    expect(Number(after[0]?.closer_token)).toBe(closed.token);
    expect(after[0]?.winner_id).toBe('bidder-1');
    const report = await verifyAuctionInvariants(db.pool, TOPIC, [auction.id]);
    expect(report).toMatchObject({ closedAuctions: 1, closedEvents: 1, total: 0 });
  }, 30_000);
});
