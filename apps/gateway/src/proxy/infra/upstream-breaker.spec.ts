import type { UpstreamRequest, UpstreamResponse } from './http-upstream';
import { UpstreamBreaker } from './upstream-breaker';
import {
  UpstreamCircuitOpenError,
  UpstreamTimeoutError,
  UpstreamUnreachableError,
} from './upstream.errors';

const request: UpstreamRequest = { method: 'GET', path: '/things/1', headers: {} };
const answer = (status: number): UpstreamResponse => ({
  status,
  headers: {},
  body: Buffer.from('{}'),
});

// An upstream whose next outcome the test sets: a status, or an error thrown.
function fakeUpstream() {
  const upstream = {
    name: 'things',
    outcome: (): Promise<UpstreamResponse> => Promise.resolve(answer(200)),
    calls: 0,
    send(): Promise<UpstreamResponse> {
      upstream.calls++;
      return upstream.outcome();
    },
  };
  return upstream;
}

const options = {
  errorThresholdPercentage: 50,
  volumeThreshold: 4,
  rollingWindowMs: 10_000,
  resetMs: 60_000,
};

describe('UpstreamBreaker', () => {
  const breakers: UpstreamBreaker[] = [];
  const breakerFor = (upstream: ReturnType<typeof fakeUpstream>) => {
    const breaker = new UpstreamBreaker(upstream, options);
    breakers.push(breaker);
    return breaker;
  };

  afterEach(() => {
    for (const breaker of breakers.splice(0)) breaker.shutdown();
  });

  it('stays closed through a flood of 500s and 4xx, passing each answer through', async () => {
    const upstream = fakeUpstream();
    const breaker = breakerFor(upstream);
    for (const status of [500, 400, 404, 409, 422]) {
      upstream.outcome = () => Promise.resolve(answer(status));
      for (let i = 0; i < 20; i++) expect((await breaker.send(request)).status).toBe(status);
    }
    expect(breaker.state).toBe('closed');
    expect(upstream.calls).toBe(100);
  });

  it.each([502, 503, 504])(
    'opens after repeated %s answers and then fails fast',
    async (status) => {
      const upstream = fakeUpstream();
      const breaker = breakerFor(upstream);
      upstream.outcome = () => Promise.resolve(answer(status));
      for (let i = 0; i < 4; i++) expect((await breaker.send(request)).status).toBe(status);
      expect(breaker.state).toBe('open');
      await expect(breaker.send(request)).rejects.toBeInstanceOf(UpstreamCircuitOpenError);
      expect(upstream.calls).toBe(4);
    },
  );

  it.each([
    ['timeouts', () => new UpstreamTimeoutError('things', 100)],
    ['refused connections', () => new UpstreamUnreachableError('things', 'ECONNREFUSED', true)],
    ['reset connections', () => new UpstreamUnreachableError('things', 'ECONNRESET', false)],
  ])('opens after repeated %s', async (_name, makeError) => {
    const upstream = fakeUpstream();
    const breaker = breakerFor(upstream);
    upstream.outcome = () => Promise.reject(makeError());
    for (let i = 0; i < 4; i++) await expect(breaker.send(request)).rejects.toThrow();
    expect(breaker.state).toBe('open');
    await expect(breaker.send(request)).rejects.toBeInstanceOf(UpstreamCircuitOpenError);
  });
});
