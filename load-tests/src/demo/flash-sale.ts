// The flash sale: many buyers race for a few seats through the gateway. Each buyer gets a
// token, tries to hold 1 to 3 seats (other seats on a conflict, three tries at most), then
// either walks away (the hold expires) or checks out. Some checkouts are sent twice with the
// same Idempotency-Key, as a client retrying after a lost response would. A request answered
// 429 is sent again after its Retry-After, as a real buyer's client does (BUYER_RETRIES).
import { randomUUID } from 'node:crypto';
import type { GatewayClient } from '../lib/gateway-client';
import { RetryAfter, refusingLimit, type RetryAfterPolicy } from '../lib/retry-after';

// Five 429s retried per buyer, each after a Retry-After of at most 5 s: a buyer gives up
// after about half a minute of waiting at worst.
export const BUYER_RETRIES: RetryAfterPolicy = { retries: 5, maxWaitMs: 5_000 };

export interface FlashSaleOptions {
  buyers: number;
  seatPool: readonly string[];
  eventId: string;
  concurrency: number;
  abandonRate: number;
  retryRate: number;
  deadlineMs: number;
}

export interface BuyerOutcome {
  hold: 'placed' | 'seats-taken' | 'rate-limited' | 'error';
  checkout?: 'completed' | 'failed' | 'pending' | 'abandoned' | 'rate-limited' | 'error';
  retriedWithSameKey?: boolean;
  sameResultOnRetry?: boolean;
  // The limit of every 429 the buyer was answered, retried or not (refusingLimit).
  refusedBy?: string[];
  // When the buyer gave up on a 429 (hold or checkout "rate-limited"): the limit of that one.
  limitedBy?: string;
}

interface HoldBody {
  holdId: string;
}
interface OrderBody {
  orderId: string;
  status: string;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'compensated', 'needs-attention']);

function pickSeats(pool: readonly string[]): string[] {
  const count = 1 + Math.floor(Math.random() * 3);
  const start = Math.floor(Math.random() * Math.max(1, pool.length - count));
  return pool.slice(start, start + count);
}

async function waitForOrder(
  client: GatewayClient,
  token: string,
  orderId: string,
  deadline: number,
): Promise<string> {
  for (;;) {
    const order = await client.call<OrderBody>('order.poll', 'GET', `/orders/${orderId}`, {
      token,
    });
    if (order.status === 200 && TERMINAL.has(order.body.status)) return order.body.status;
    if (Date.now() > deadline) return 'pending';
    await new Promise((r) => setTimeout(r, 200));
  }
}

// One buyer's whole visit; the demo runs many at once, and the load runs' flash-sale scenario
// runs one per arrival.
export async function buyer(
  client: GatewayClient,
  index: number,
  options: Pick<FlashSaleOptions, 'seatPool' | 'eventId' | 'abandonRate' | 'retryRate'>,
  deadline: number,
): Promise<BuyerOutcome> {
  const token = await client.token(`buyer-${index}`);
  const retry = new RetryAfter(BUYER_RETRIES);
  const ended = (outcome: BuyerOutcome): BuyerOutcome => ({
    ...outcome,
    refusedBy: retry.refusedBy,
  });
  let holdId: string | undefined;
  let last: BuyerOutcome['hold'] = 'seats-taken';
  for (let attempt = 0; attempt < 3 && !holdId; attempt++) {
    // After a 429 the same seats are asked for again; after a 409, other seats.
    const body = { eventId: options.eventId, seatIds: pickSeats(options.seatPool) };
    const hold = await retry.send(() =>
      client.call<HoldBody>('hold', 'POST', '/holds', { token, body }),
    );
    if (hold.status === 201) holdId = hold.body.holdId;
    else if (hold.status === 409) last = 'seats-taken';
    else if (hold.status === 429) {
      return ended({ hold: 'rate-limited', limitedBy: refusingLimit(hold) });
    } else return ended({ hold: 'error' });
  }
  if (!holdId) return ended({ hold: last });
  if (Math.random() < options.abandonRate) {
    return ended({ hold: 'placed', checkout: 'abandoned' });
  }

  const key = randomUUID();
  const request = { token, idempotencyKey: key, body: { holdId, paymentSource: 'tok_visa' } };
  const first = await retry.send(() =>
    client.call<OrderBody>('checkout', 'POST', '/checkouts', request),
  );
  if (first.status === 429) {
    return ended({ hold: 'placed', checkout: 'rate-limited', limitedBy: refusingLimit(first) });
  }
  if (![200, 201, 202].includes(first.status)) {
    return ended({ hold: 'placed', checkout: 'error' });
  }
  const outcome: BuyerOutcome = { hold: 'placed', refusedBy: retry.refusedBy };
  if (Math.random() < options.retryRate) {
    // The same request again, as after a lost response: the same order, no second charge.
    const again = await client.call<OrderBody>('checkout.retry', 'POST', '/checkouts', request);
    outcome.retriedWithSameKey = true;
    outcome.sameResultOnRetry = again.body?.orderId === first.body.orderId;
  }
  const status = TERMINAL.has(first.body.status)
    ? first.body.status
    : await waitForOrder(client, token, first.body.orderId, deadline);
  outcome.checkout =
    status === 'completed' ? 'completed' : status === 'pending' ? 'pending' : 'failed';
  return outcome;
}

export async function runFlashSale(
  client: GatewayClient,
  options: FlashSaleOptions,
): Promise<BuyerOutcome[]> {
  const deadline = Date.now() + options.deadlineMs;
  const outcomes: BuyerOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.buyers && Date.now() < deadline) {
      const index = next++;
      try {
        outcomes.push(await buyer(client, index, options, deadline));
      } catch {
        outcomes.push({ hold: 'error' });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}
