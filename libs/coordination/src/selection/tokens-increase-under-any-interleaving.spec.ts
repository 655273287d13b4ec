import fc from 'fast-check';
import { LuaScript, type RedisClient } from '../redis/lua-script';
import { FencedHolds } from './fenced-holds';
import { encodeToken } from './fencing-token';

// A model of Redis that runs TypeScript twins of the Lua scripts, one at a time (as Redis
// does), at moments chosen by fast-check's scheduler. It tests the protocol of the TS side
// (bootstrap marker, epoch install, retry) under every interleaving with restarts; the Lua
// itself is tested against the real Redis in the integration tier.
const sha = (file: string) => LuaScript.fromFile(__dirname, file).sha;
const SHA = {
  acquire: sha('acquire.lua'),
  install: sha('install-epoch.lua'),
  extend: sha('extend.lua'),
  release: sha('release.lua'),
};

interface Grant {
  resource: string;
  epoch: number;
  counter: number;
}

class ModelRedis {
  private data = new Map<string, string>();
  readonly grants: Grant[] = [];

  constructor(
    private readonly scheduler: fc.Scheduler,
    // The broken variant installs whatever epoch it is given, marker or not.
    private readonly checkMarker = true,
  ) {}

  restart(): void {
    this.data = new Map();
  }

  async set(key: string, value: string): Promise<'OK'> {
    await this.scheduler.schedule(Promise.resolve(), 'set marker');
    this.data.set(key, value);
    return 'OK';
  }

  async evalsha(hash: string, numKeys: number, ...rest: (string | number)[]): Promise<unknown> {
    await this.scheduler.schedule(Promise.resolve(), `evalsha ${hash.slice(0, 6)}`);
    const keys = rest.slice(0, numKeys).map(String);
    const args = rest.slice(numKeys).map(String);
    if (hash === SHA.acquire) return this.acquire(keys, args);
    if (hash === SHA.install) return this.install(keys, args);
    if (hash === SHA.release) return this.release(keys, args);
    throw new Error(`model has no script ${hash}`);
  }

  private acquire(keys: string[], [owner = '']: string[]): unknown[] {
    const n = (keys.length - 1) / 2;
    const epoch = this.data.get(keys[0] ?? '');
    if (epoch === undefined) return ['no-epoch'];
    for (let i = 1; i <= n; i++) {
      const holder = this.data.get(keys[i] ?? '');
      if (holder !== undefined && holder !== owner) return ['held', i, holder, 1_000];
    }
    const reply: unknown[] = ['ok', Number(epoch)];
    for (let i = 1; i <= n; i++) {
      const fence = keys[n + i] ?? '';
      const counter = Number(this.data.get(fence) ?? '0') + 1;
      this.data.set(fence, String(counter));
      this.data.set(keys[i] ?? '', owner);
      this.grants.push({ resource: fence, epoch: Number(epoch), counter });
      reply.push(counter);
    }
    return reply;
  }

  private install([epochKey = '', bootKey = '']: string[], [epoch = '']: string[]): unknown[] {
    const current = this.data.get(epochKey);
    const hadMarker = this.data.delete(bootKey);
    if (current !== undefined) return ['exists', Number(current)];
    if (!hadMarker && this.checkMarker) return ['stale'];
    this.data.set(epochKey, epoch);
    return ['installed', Number(epoch)];
  }

  private release(keys: string[], [owner = '']: string[]): unknown[] {
    let released = 0;
    for (const key of keys) {
      if (this.data.get(key) === owner) {
        this.data.delete(key);
        released++;
      }
    }
    return released === keys.length ? ['ok', released] : ['expired', 1, released];
  }
}

type Step =
  | { kind: 'acquire'; client: number; resources: string[] }
  | { kind: 'release'; client: number; resources: string[] }
  | { kind: 'restart' };

const resources = fc.subarray(['a', 'b', 'c'], { minLength: 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('acquire' as const), client: fc.nat(3), resources }),
  fc.record({ kind: fc.constant('release' as const), client: fc.nat(3), resources }),
  fc.constant({ kind: 'restart' as const }),
);

async function run(scheduler: fc.Scheduler, steps: Step[], checkMarker: boolean) {
  const redis = new ModelRedis(scheduler, checkMarker);
  let sequence = 0;
  const epochs = {
    // nextval happens when the scheduler lets the Postgres round trip arrive.
    next: async () => {
      await scheduler.schedule(Promise.resolve(), 'nextval');
      return ++sequence;
    },
  };
  const holds = new FencedHolds({
    namespace: 'test-service',
    redis: redis as unknown as RedisClient,
    epochs,
  });
  const returned: number[] = [];
  const work = steps.map(async (s) => {
    const request = { scope: 'event-1', resources: s.kind === 'restart' ? [] : s.resources };
    if (s.kind === 'restart') {
      await scheduler.schedule(Promise.resolve(), 'restart');
      redis.restart();
    } else if (s.kind === 'acquire') {
      const result = await holds
        .acquire({ ...request, owner: `client-${s.client}`, ttlMs: 60_000 })
        .catch(() => undefined);
      if (result?.ok) returned.push(...Object.values(result.hold.tokens));
    } else {
      await holds.release({ ...request, owner: `client-${s.client}` });
    }
  });
  await scheduler.waitFor(Promise.all(work));
  return { grants: redis.grants, returned };
}

function tokensPerResourceIncrease(grants: Grant[]): boolean {
  const last = new Map<string, number>();
  for (const g of grants) {
    const token = encodeToken(g.epoch, g.counter);
    if (token <= (last.get(g.resource) ?? 0)) return false;
    last.set(g.resource, token);
  }
  return true;
}

describe('fencing tokens under arbitrary interleavings of acquire, release and restart', () => {
  it('issue strictly increasing tokens per resource, in the order Redis grants them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(step, { maxLength: 25 }), async (s, steps) => {
        const { grants, returned } = await run(s, steps, true);
        expect(tokensPerResourceIncrease(grants)).toBe(true);
        const granted = new Set(grants.map((g) => encodeToken(g.epoch, g.counter)));
        expect(returned.every((t) => granted.has(t))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('would go backwards without the bootstrap marker, so the property can fail', async () => {
    const outcome = await fc.check(
      fc.asyncProperty(fc.scheduler(), fc.array(step, { maxLength: 25 }), async (s, steps) => {
        const { grants } = await run(s, steps, false);
        return tokensPerResourceIncrease(grants);
      }),
      // A fixed seed: the counterexample is rare (seen after 124 to 1,091 runs from different
      // seeds), and a random seed could miss it within the budget and fail this test for
      // no reason. The seed makes the search, and so the test, repeatable.
      { numRuns: 5_000, seed: 4 },
    );
    expect(outcome.failed).toBe(true);
  });
});
