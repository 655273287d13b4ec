import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
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
import { applyFencingSchema } from './epochs';

type Message = { ready?: string; elected?: number; demoted?: string; error?: string };

// Two electors in two processes. Exactly one leads; when its process is killed with SIGKILL
// (no resign), the other is elected once the lease runs out, with a higher token.
describe('leader election across processes', () => {
  const TTL_MS = 1_500;
  let redis: TestRedis;
  let db: TestDatabase;
  const children: ChildProcess[] = [];
  const inbox = new Map<string, Message[]>();

  beforeAll(async () => {
    redis = createTestRedis('leader');
    db = await createTestDatabase('leader');
    await applyFencingSchema(db.pool);
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => killAndWait(c)));
    await redis.cleanup();
    await db.drop();
  });

  const spawnElector = async (owner: string) => {
    const child = forkTs(join(__dirname, 'fixtures/holder-worker.ts'), [
      integrationEndpoints().redisUrl,
      db.url,
      redis.prefix,
      owner,
    ]);
    children.push(child);
    inbox.set(owner, []);
    child.on('message', (m: Message) => inbox.get(owner)?.push(m));
    await nextMessage<Message>(child, (m) => m.ready === owner);
    child.send({ do: 'elect', name: 'auction-closer', ttlMs: TTL_MS });
    return child;
  };
  const elections = (owner: string) =>
    (inbox.get(owner) ?? []).filter((m) => m.elected !== undefined);

  it('elects exactly one of two, and the survivor after the leader is killed', async () => {
    const a = await spawnElector('a');
    const b = await spawnElector('b');
    // Watch for three TTLs: renewals must keep the same single leader.
    await new Promise((r) => setTimeout(r, TTL_MS * 3));
    const leaders = ['a', 'b'].filter((o) => elections(o).length > 0);
    expect(leaders).toHaveLength(1);
    const leader = leaders[0] === 'a' ? a : b;
    const follower = leaders[0] === 'a' ? 'b' : 'a';
    expect(elections(leaders[0] ?? '')).toHaveLength(1);
    expect(inbox.get(leaders[0] ?? '')?.some((m) => m.demoted)).toBe(false);
    const oldToken = elections(leaders[0] ?? '')[0]?.elected ?? 0;

    const killedAt = Date.now();
    await killAndWait(leader);
    const followerChild = follower === 'a' ? a : b;
    const elected = await nextMessage<Message>(
      followerChild,
      (m) => m.elected !== undefined,
      TTL_MS * 4,
    );
    const failoverMs = Date.now() - killedAt;
    console.log(`leader failover after SIGKILL: ${failoverMs} ms (ttl ${TTL_MS} ms)`);
    expect(failoverMs).toBeLessThan(TTL_MS + 1_500);
    expect(elected.elected).toBeGreaterThan(oldToken);
  }, 30_000);
});
