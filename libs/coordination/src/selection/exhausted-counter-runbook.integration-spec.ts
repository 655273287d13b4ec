import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createTestDatabase,
  createTestRedis,
  findWorkspaceRoot,
  integrationEndpoints,
  type TestDatabase,
  type TestRedis,
} from '@suite/testing';
import { applyFencingSchema, PostgresEpochs } from './epochs';
import { epochKey, FencedHolds, fenceKey } from './fenced-holds';
import { checkFence } from './fenced-write';
import { decodeToken, encodeToken, MAX_COUNTER } from './fencing-token';
import { SelectionError } from './selection.errors';

const run = promisify(execFile);
const root = findWorkspaceRoot(__dirname);

// The Runbook's remedy for an exhausted fencing counter, run as an operator would (its own
// process), against the real Redis and Postgres: afterwards the resource is granted again,
// with a token above every token stored before, which the storage fence accepts.
describe('exhausted fencing counter runbook', () => {
  const NS = 'ticketing';
  let db: TestDatabase;
  let redis: TestRedis;
  let holds: FencedHolds;

  beforeAll(async () => {
    db = await createTestDatabase('counter runbook');
    redis = createTestRedis('counter runbook');
    await applyFencingSchema(db.pool);
    holds = new FencedHolds({
      namespace: NS,
      redis: redis.client,
      epochs: new PostgresEpochs(db.pool),
    });
  });
  afterAll(async () => {
    await redis.cleanup();
    await db.drop();
  });

  const grant = async (resource: string, owner: string) => {
    const got = await holds.acquire({
      scope: 'event-1',
      resources: [resource],
      owner,
      ttlMs: 5_000,
    });
    if (!got.ok) throw new Error(`${resource} is held by ${got.heldBy}`);
    await holds.release({ scope: 'event-1', resources: [resource], owner });
    return got.hold.tokens[resource] as number;
  };
  const runbook = (...args: string[]) =>
    run(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        join(__dirname, 'runbook/start-new-epoch.cli.ts'),
        integrationEndpoints().redisUrl,
        ...args,
      ],
      { cwd: root, env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json') } },
    );

  it('restarts an exhausted counter under a higher epoch, past the storage fence', async () => {
    const first = await grant('A1', 'h1');
    const neighbour = await grant('A2', 'h1');
    const { epoch } = decodeToken(first);
    // 2^32 - 1 grants of A1 in this epoch, the last one written through the fence.
    await redis.client.set(fenceKey(NS, 'event-1', 'A1'), MAX_COUNTER);
    const last = encodeToken(epoch, MAX_COUNTER);
    expect((await checkFence(db.pool, 'event-1/A1', last)).ok).toBe(true);
    await expect(grant('A1', 'h2')).rejects.toThrow(SelectionError);

    // Deleting only the epoch key (the old procedure) leaves the counter where it was.
    await redis.client.del(epochKey(NS, 'event-1'));
    await expect(grant('A1', 'h2')).rejects.toThrow(/fencing counter of event-1\/A1/);

    const { stdout } = await runbook(redis.prefix, NS, 'event-1', 'A1');
    expect(JSON.parse(stdout)).toEqual({ previousEpoch: epoch + 1, countersReset: 1 });

    const renewed = await grant('A1', 'h3');
    expect(renewed).toBeGreaterThan(last);
    expect(decodeToken(renewed).counter).toBe(1);
    expect(await checkFence(db.pool, 'event-1/A1', renewed)).toEqual({ ok: true });
    // A resource whose counter was kept still moves forward, under the new epoch.
    expect(await grant('A2', 'h3')).toBeGreaterThan(neighbour);
  });

  it('refuses to run without a service namespace', async () => {
    await expect(runbook(redis.prefix, '', 'event-1', 'A1')).rejects.toMatchObject({
      stderr: expect.stringContaining('usage:'),
    });
    await expect(runbook(redis.prefix, 'Tick:eting', 'event-1', 'A1')).rejects.toMatchObject({
      stderr: expect.stringContaining('a service namespace is required'),
    });
  });
});
