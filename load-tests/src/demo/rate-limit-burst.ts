// One user fires a burst at one route: the gateway admits up to the route's limit and
// answers the rest with 429, Retry-After and the RateLimit headers.
import type { GatewayClient } from '../lib/gateway-client';

export interface BurstResult {
  sent: number;
  admitted: number;
  refused: number;
  retryAfterS: number | null;
  rateLimitHeader: string | null;
  policyHeader: string | null;
}

export async function runRateLimitBurst(
  client: GatewayClient,
  eventId: string,
  requests: number,
): Promise<BurstResult> {
  const token = await client.token('demo-burst');
  const replies = await Promise.all(
    Array.from({ length: requests }, () =>
      client.call('burst.hold', 'POST', '/holds', {
        token,
        body: { eventId, seatIds: ['no-such-seat'] },
      }),
    ),
  );
  const refused = replies.filter((r) => r.status === 429);
  const first = refused[0];
  return {
    sent: requests,
    admitted: replies.length - refused.length,
    refused: refused.length,
    retryAfterS: first ? Number(first.headers.get('retry-after')) : null,
    rateLimitHeader: first?.headers.get('ratelimit') ?? null,
    policyHeader: first?.headers.get('ratelimit-policy') ?? null,
  };
}
