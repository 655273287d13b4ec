import type { CallResult } from './gateway-client';
import { RetryAfter, refusingLimit } from './retry-after';

const answer = (status: number, body: unknown, retryAfter?: string): CallResult<unknown> => ({
  status,
  body,
  ms: 1,
  headers: new Headers(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
});
const busy = (retryAfter = '0') => answer(429, { code: 'hold-admission-full' }, retryAfter);
const limited = (retryAfter = '0') => answer(429, { code: 'rate-limited' }, retryAfter);

// Answers the given replies in turn and counts the requests.
function replies(...answers: CallResult<unknown>[]) {
  const sent = { count: 0 };
  const request = () =>
    Promise.resolve(answers[Math.min(sent.count++, answers.length - 1)] as CallResult<unknown>);
  return { sent, request };
}

describe('RetryAfter', () => {
  it('sends-a-request-answered-429-again-after-its-retry-after', async () => {
    const { sent, request } = replies(busy('1'), answer(201, { holdId: 'h1' }));
    const retry = new RetryAfter({ retries: 3, maxWaitMs: 5_000 });
    const started = Date.now();
    const result = await retry.send(request);
    expect(result.status).toBe(201);
    expect(sent.count).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(retry.refusedBy).toEqual(['hold-admission-full']);
    expect(retry.retries).toBe(1);
  });

  it('gives-up-when-the-budget-shared-by-all-calls-is-spent', async () => {
    const retry = new RetryAfter({ retries: 2, maxWaitMs: 5_000 });
    const first = replies(busy(), answer(409, {}));
    expect((await retry.send(first.request)).status).toBe(409);
    const second = replies(busy(), busy(), busy());
    const result = await retry.send(second.request);
    expect(result.status).toBe(429);
    // One retry was left for the second call: two requests, then it gives up.
    expect(second.sent.count).toBe(2);
    expect(retry.refusedBy).toHaveLength(3);
  });

  it('gives-up-at-once-on-a-retry-after-longer-than-it-waits', async () => {
    const { sent, request } = replies(limited('30'), answer(201, {}));
    const retry = new RetryAfter({ retries: 5, maxWaitMs: 5_000 });
    const result = await retry.send(request);
    expect(result.status).toBe(429);
    expect(sent.count).toBe(1);
    expect(refusingLimit(result)).toBe('rate-limited');
  });

  it('names-a-429-without-a-code-unnamed', () => {
    expect(refusingLimit(answer(429, 'Too Many Requests'))).toBe('unnamed');
    expect(refusingLimit(answer(429, undefined))).toBe('unnamed');
  });
});
