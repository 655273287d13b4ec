import { HttpPspGateway } from './http-psp.gateway';

type Step = { status: number; body?: unknown } | 'timeout';

// A scripted PSP: each call takes the next step and records the key it was sent.
function scriptedFetch(steps: Step[]) {
  const calls: { method: string; url: string; key: string | null }[] = [];
  const fake = (async (url: string, init: RequestInit) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({ method: String(init.method), url, key: headers['idempotency-key'] ?? null });
    const step = steps.shift() ?? { status: 500 };
    if (step === 'timeout') {
      const error = new Error('timed out');
      error.name = 'TimeoutError';
      throw error;
    }
    return new Response(JSON.stringify(step.body ?? {}), { status: step.status });
  }) as unknown as typeof fetch;
  return { fake, calls };
}

const request = {
  key: 'pay-1',
  amountMinor: 100,
  currency: 'EUR',
  sourceToken: 'tok_visa',
  merchantReference: 'pay-1',
};
const gateway = (fake: typeof fetch) =>
  new HttpPspGateway({
    baseUrl: 'http://psp',
    timeoutMs: 50,
    maxAttempts: 3,
    backoffMs: 0,
    fetch: fake,
  });

describe('HttpPspGateway', () => {
  it('retries a timed-out charge under the same key', async () => {
    const { fake, calls } = scriptedFetch(['timeout', { status: 201, body: { id: 'ch_1' } }]);
    await expect(gateway(fake).charge(request)).resolves.toEqual({
      kind: 'succeeded',
      chargeId: 'ch_1',
    });
    expect(calls.map((c) => c.key)).toEqual(['pay-1', 'pay-1']);
  });

  it('takes a decline as an answer and does not retry it', async () => {
    const { fake, calls } = scriptedFetch([{ status: 402, body: { charge: { id: 'ch_2' } } }]);
    await expect(gateway(fake).charge(request)).resolves.toMatchObject({ kind: 'declined' });
    expect(calls).toHaveLength(1);
  });

  it('asks by key after the last attempt, and finds the charge a timeout hid', async () => {
    const { fake, calls } = scriptedFetch([
      'timeout',
      'timeout',
      'timeout',
      { status: 200, body: { data: [{ id: 'ch_3', status: 'succeeded' }] } },
    ]);
    await expect(gateway(fake).charge(request)).resolves.toEqual({
      kind: 'succeeded',
      chargeId: 'ch_3',
    });
    expect(calls[3]).toMatchObject({
      method: 'GET',
      url: 'http://psp/charges?idempotencyKey=pay-1',
    });
  });

  it('calls the outcome unknown when an attempt went unanswered and the PSP has no charge yet', async () => {
    const { fake } = scriptedFetch([
      'timeout',
      { status: 503 },
      { status: 503 },
      { status: 200, body: { data: [] } },
    ]);
    await expect(gateway(fake).charge(request)).resolves.toMatchObject({ kind: 'unknown' });
  });

  it('calls it not charged when every attempt was answered with an error and no charge exists', async () => {
    const { fake } = scriptedFetch([
      { status: 503 },
      { status: 503 },
      { status: 503 },
      { status: 200, body: { data: [] } },
    ]);
    await expect(gateway(fake).charge(request)).resolves.toMatchObject({ kind: 'not-charged' });
  });

  it('answers a 4xx refusal as refused, without retrying, once the PSP holds no charge under the key', async () => {
    const { fake, calls } = scriptedFetch([
      {
        status: 400,
        body: { message: ['sourceToken must be shorter than or equal to 100 characters'] },
      },
      { status: 200, body: { data: [] } },
    ]);
    await expect(gateway(fake).charge(request)).resolves.toEqual({
      kind: 'refused',
      reason:
        'PSP refused the request with 400: sourceToken must be shorter than or equal to 100 characters',
    });
    expect(calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  it('keeps a refused charge unknown when an earlier attempt went unanswered', async () => {
    const { fake } = scriptedFetch([
      'timeout',
      { status: 422, body: { message: 'key reused' } },
      { status: 200, body: { data: [] } },
    ]);
    await expect(gateway(fake).charge(request)).resolves.toMatchObject({ kind: 'unknown' });
  });

  it('answers a refund the PSP refuses with any 4xx as rejected, never by throwing', async () => {
    const { fake } = scriptedFetch([{ status: 400, body: { error: 'Bad Request' } }]);
    await expect(
      gateway(fake).refund({ key: 'ref-1', chargeId: 'ch_1', amountMinor: 100 }),
    ).resolves.toEqual({ kind: 'rejected', reason: 'Bad Request' });
  });
});
