import {
  descriptorKey,
  limiterPolicyName,
  parseRateLimitPolicyFile,
  requestDescriptors,
  selectPolicy,
  type RateLimitDescriptor,
} from '@suite/contracts';
import { createLimiter, type Limiter } from '@suite/coordination';
import { readFileSync } from 'node:fs';
import { startGatewayUnderTest, type GatewayUnderTest } from './testing/gateway-under-test';
import { slidingLog, TestPolicyFile } from './testing/policy-file';
import { answerJson, StubUpstream } from './testing/stub-upstream';

const AUCTION_ID = '5b0f3c1e-8a8e-4b55-9f55-3c2b7d0f6a11';
const BID_ROUTE = 'POST /auctions/:auctionId/bids';
const LIMIT = 3;

// One policy file and one REDIS_KEY_PREFIX: the gateway's in-process limiter and a limiter
// built the way the rate-limiter service builds one (contracts + the library, nothing from
// the gateway) count in the same Redis window, in both directions.
describe('gateway and rate-limiter share windows', () => {
  const auction = new StubUpstream();
  const policies = new TestPolicyFile('api', [
    slidingLog('per-user', { user: '*' }, 100),
    slidingLog('place-bid', { user: '*', route: BID_ROUTE }, LIMIT, 'closed'),
  ]);
  let gateway: GatewayUnderTest;
  let serviceLimiters: Map<string, Limiter>;

  // What a rate-limiter instance does for POST /check {domain: "api", descriptors}.
  const serviceCheck = async (descriptor: RateLimitDescriptor) => {
    const parsed = parseRateLimitPolicyFile(JSON.parse(readFileSync(policies.path, 'utf8')));
    if (!parsed.ok) throw new Error(parsed.issues.join('\n'));
    const domain = parsed.file.domains.find((d) => d.domain === 'api');
    const policy = selectPolicy(domain?.policies ?? [], descriptor);
    if (policy === undefined) throw new Error('no policy matches');
    const limiter = serviceLimiters.get(limiterPolicyName('api', policy.name));
    if (limiter === undefined) throw new Error('no limiter');
    return limiter.check(descriptorKey(descriptor));
  };

  beforeAll(async () => {
    gateway = await startGatewayUnderTest({
      name: 'gateway-shared-window',
      upstreams: { auction },
      env: { RATE_LIMIT_POLICY_FILE: policies.path, RATE_LIMIT_DOMAIN: 'api' },
    });
    auction.handler = answerJson(201, { outcome: 'accepted' });
    const parsed = parseRateLimitPolicyFile(JSON.parse(readFileSync(policies.path, 'utf8')));
    if (!parsed.ok) throw new Error(parsed.issues.join('\n'));
    serviceLimiters = new Map(
      (parsed.file.domains[0]?.policies ?? []).map((p) => {
        const name = limiterPolicyName('api', p.name);
        const { algorithm, limit, windowMs, failure } = p;
        // A separate connection with the same prefix, as another process would have.
        const limiter = createLimiter({
          redis: gateway.redis.connect(),
          policy: { name, algorithm, limit, windowMs, failure },
        });
        return [name, limiter] as const;
      }),
    );
  });

  afterAll(async () => {
    await gateway?.close();
    policies.remove();
  });

  const bid = async (userId: string) =>
    gateway.app.inject({
      method: 'POST',
      url: `/auctions/${AUCTION_ID}/bids`,
      headers: { authorization: await gateway.bearer(userId) },
      payload: { amount: 100 },
    });

  // The descriptor the gateway counted the bid under, built from the shared contract.
  const bidDescriptor = (userId: string) => {
    const descriptor = requestDescriptors({ userId, route: BID_ROUTE }).find(
      (d) => Object.keys(d).length === 2,
    );
    expect(descriptor).toEqual({ user: userId, route: BID_ROUTE });
    return descriptor as RateLimitDescriptor;
  };

  it('admits N bids through the gateway, after which the service sees the window full', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const response = await bid('bidder-a');
      expect(response.statusCode).toBe(201);
      expect(response.headers['ratelimit']).toMatch(
        new RegExp(`^"api\\.place-bid";r=${LIMIT - 1 - i};t=\\d+`),
      );
    }
    const decision = await serviceCheck(bidDescriptor('bidder-a'));
    expect(decision).toMatchObject({
      allowed: false,
      policy: 'api.place-bid',
      remaining: 0,
      source: 'redis',
    });
    expect(decision.retryAfterMs).toBeGreaterThan(0);
  });

  it('denies through the gateway what the service already admitted in the window', async () => {
    expect(await serviceCheck(bidDescriptor('bidder-b'))).toMatchObject({
      allowed: true,
      remaining: 2,
    });
    expect(await serviceCheck(bidDescriptor('bidder-b'))).toMatchObject({
      allowed: true,
      remaining: 1,
    });
    expect((await bid('bidder-b')).statusCode).toBe(201);
    const denied = await bid('bidder-b');
    expect(denied.statusCode).toBe(429);
    expect(denied.json().message).toMatch(
      /^rate limit "api.place-bid" exceeded: 3 requests per 60 s/,
    );
    expect(auction.requests.filter((r) => r.headers['x-user-id'] === 'bidder-b')).toHaveLength(1);
  });

  it('counts the user policy in the same window too', async () => {
    const decision = await serviceCheck({ user: 'bidder-a' });
    // Three bids through the gateway, one check here.
    expect(decision).toMatchObject({ allowed: true, policy: 'api.per-user', remaining: 100 - 4 });
  });
});
