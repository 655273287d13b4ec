import { call, tokenFor } from './support';

// The gateway's limits, through the shared Redis: a burst from one user on one route is
// admitted up to the route's limit, then refused with 429 and the standard headers.
describe('rate limits at the gateway', () => {
  it('refuses a burst past the per-route limit with 429, Retry-After and RateLimit headers', async () => {
    const token = await tokenFor('e2e-burst');
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof call>> | undefined;
    // place-hold allows 20 per minute per user by default: 30 requests must cross it.
    for (let i = 0; i < 30; i++) {
      const reply = await call('POST', '/holds', {
        token,
        body: { eventId: '00000000-0000-4000-8000-000000000000', seatIds: ['none'] },
      });
      statuses.push(reply.status);
      if (reply.status === 429 && !refused) refused = reply;
    }
    const admitted = statuses.filter((s) => s !== 429).length;
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThanOrEqual(20);
    expect(refused).toBeDefined();
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused?.headers.get('ratelimit')).toMatch(/r=0/);
    expect(refused?.headers.get('ratelimit-policy')).toMatch(/q=\d+;w=\d+/);
  });
});
