// A buyer's client told 429 waits the answer's Retry-After and sends the request again, as a
// real client does: a few times at most, and only when the wait asked for is one it is
// willing to make. Every 429 is kept with the limit that answered it, named by the code in
// its body: the gateway's own limits ("rate-limited") or ticketing's hold admission
// ("hold-admission-full").
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallResult } from './gateway-client';

export interface RetryAfterPolicy {
  // How many refused requests one client sends again, all its calls together.
  retries: number;
  // The longest Retry-After it waits; a 429 that asks for longer ends its tries.
  maxWaitMs: number;
}

// The limit a 429 came from, as its body names it ("unnamed" when it does not).
export function refusingLimit(result: CallResult<unknown>): string {
  const code = (result.body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'unnamed';
}

// Retry-After in ms: seconds (RFC 9110 also allows a date, which no service here sends);
// 1 s when it is missing or unreadable.
function retryAfterMs(result: CallResult<unknown>): number {
  const seconds = Number(result.headers.get('retry-after') ?? '1');
  return 1_000 * (Number.isFinite(seconds) && seconds >= 0 ? seconds : 1);
}

// One client's budget of retries, shared by all its calls.
export class RetryAfter {
  // The limit of every 429 answered on the way, retried or not.
  readonly refusedBy: string[] = [];
  private retried = 0;

  constructor(private readonly policy: RetryAfterPolicy) {}

  get retries(): number {
    return this.retried;
  }

  // Sends the request, and again after each 429 while the budget and the wait allow; answers
  // the last reply (the 429 that ended the tries, if one did).
  async send<T>(request: () => Promise<CallResult<T>>): Promise<CallResult<T>> {
    for (;;) {
      const result = await request();
      if (result.status !== 429) return result;
      this.refusedBy.push(refusingLimit(result));
      const waitMs = retryAfterMs(result);
      if (this.retried >= this.policy.retries || waitMs > this.policy.maxWaitMs) return result;
      this.retried += 1;
      await sleep(waitMs);
    }
  }
}
