import type { PoolClient } from 'pg';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { applyFencingSchema, PostgresEpochs } from './epochs';
import { FencedHolds } from './fenced-holds';
import { fencedWrite } from './fenced-write';

// 200 clients race for 50 seats for 10 s, taking one or two seats per hold. The test keeps an
// occupancy map in this process: a seat is marked on a successful acquire and cleared before
// the release is sent, so a mark found already set is a real overlap. Every holder also writes
// through the Postgres fence, which must never refuse it.
describe('200 concurrent clients on 50 resources', () => {
  const CLIENTS = 200;
  const SEATS = 50;
  const RUN_MS = 10_000;
  const MAX_ROUNDS_PER_CLIENT = 5_000;
  let redis: TestRedis;
  let db: TestDatabase;

  beforeAll(async () => {
    redis = createTestRedis('concurrency');
    db = await createTestDatabase('concurrency', 8);
    await applyFencingSchema(db.pool);
    await db.pool.query(
      'create table sales (seat text primary key, writes int not null, token bigint not null)',
    );
  });
  afterAll(async () => {
    await redis.cleanup();
    await db.drop();
  });

  it('never lets two holders overlap and issues strictly increasing tokens per seat', async () => {
    const connections = Array.from({ length: 4 }, () => redis.connect());
    const epochs = new PostgresEpochs(db.pool);
    const occupiedBy = new Map<string, number>();
    const lastToken = new Map<string, number>();
    const violations: string[] = [];
    let grants = 0;
    let denials = 0;
    let staleWrites = 0;
    const deadline = Date.now() + RUN_MS;

    const client = async (id: number) => {
      const holds = new FencedHolds({
        namespace: 'test-service',
        redis: connections[id % connections.length] ?? redis.client,
        epochs,
      });
      for (let round = 0; round < MAX_ROUNDS_PER_CLIENT && Date.now() < deadline; round++) {
        const first = Math.floor(Math.random() * SEATS);
        const seats =
          Math.random() < 0.3 ? [`s${first}`, `s${(first + 1) % SEATS}`] : [`s${first}`];
        const owner = `c${id}.${round}`;
        const result = await holds.acquire({
          scope: 'show-1',
          resources: seats,
          owner,
          ttlMs: 30_000,
        });
        if (!result.ok) {
          denials++;
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          continue;
        }
        grants++;
        for (const seat of seats) {
          const token = result.hold.tokens[seat] ?? 0;
          if (occupiedBy.has(seat))
            violations.push(`${seat}: ${owner} while c${occupiedBy.get(seat)}`);
          if (token <= (lastToken.get(seat) ?? 0))
            violations.push(`${seat}: token ${token} not increasing`);
          occupiedBy.set(seat, id);
          lastToken.set(seat, token);
        }
        // Every fifth holder writes, so Postgres (8 connections on 2 cores) is not the bottleneck.
        if (round % 5 === 0) {
          const seat = seats[0] ?? '';
          const token = result.hold.tokens[seat] ?? 0;
          const conn: PoolClient = await db.pool.connect();
          try {
            const written = await fencedWrite(conn, `show-1/${seat}`, token, (sql) =>
              sql.query(
                `insert into sales values ($1, 1, $2)
                 on conflict (seat) do update set writes = sales.writes + 1, token = excluded.token`,
                [seat, token],
              ),
            );
            if (!written.ok) staleWrites++;
          } finally {
            conn.release();
          }
        }
        for (const seat of seats) occupiedBy.delete(seat);
        const released = await holds.release({ scope: 'show-1', resources: seats, owner });
        if (!released.ok) violations.push(`${owner}: release refused (${released.reason})`);
      }
    };

    await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));

    expect(violations).toEqual([]);
    expect(staleWrites).toBe(0);
    // Enough traffic that overlaps would have had their chance (it is thousands in practice).
    expect(grants).toBeGreaterThan(1_000);
    expect(denials).toBeGreaterThan(0);
    // The fence ends at the last token written for each seat, and never above the last issued.
    const fences = await db.pool.query<{ resource: string; token: string }>(
      'select resource, token::text as token from coordination_fences',
    );
    for (const row of fences.rows) {
      expect(Number(row.token)).toBeLessThanOrEqual(
        lastToken.get(row.resource.slice('show-1/'.length)) ?? 0,
      );
    }
    console.log(`concurrency: ${grants} grants, ${denials} denials in ${RUN_MS} ms`);
  }, 60_000);
});
