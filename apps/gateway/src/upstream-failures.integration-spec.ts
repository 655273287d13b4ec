import { HttpMetrics } from '@suite/service-kit';
import { startGatewayUnderTest, type GatewayUnderTest } from './testing/gateway-under-test';
import { answerJson, StubUpstream } from './testing/stub-upstream';

const TIMEOUT_MS = 300;
const RESET_MS = 600;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// What a client sees when a service is slow, failing or cutting connections.
describe('gateway upstream failures', () => {
  const ticketing = new StubUpstream();
  const payments = new StubUpstream();
  let gatewayUnderTest: GatewayUnderTest;
  let gateway: GatewayUnderTest['app'];
  let authorization: string;

  beforeAll(async () => {
    gatewayUnderTest = await startGatewayUnderTest({
      name: 'gateway-failures',
      upstreams: { ticketing, payments },
      env: {
        TICKETING_TIMEOUT_MS: String(TIMEOUT_MS),
        BREAKER_VOLUME_THRESHOLD: '4',
        BREAKER_ERROR_PERCENT: '50',
        BREAKER_RESET_MS: String(RESET_MS),
      },
    });
    gateway = gatewayUnderTest.app;
    authorization = await gatewayUnderTest.bearer('buyer-1');
  });

  afterAll(() => gatewayUnderTest?.close());

  beforeEach(() => {
    ticketing.reset();
    payments.reset();
  });

  // The circuit's state as the gateway exports it (0 closed, 1 half-open, 2 open).
  const circuitState = async (upstream: string): Promise<number> => {
    const text = await gateway.get(HttpMetrics).render();
    const line = new RegExp(
      `^gateway_upstream_circuit_state\\{upstream="${upstream}"[^}]*\\} (\\d)$`,
      'm',
    );
    return Number(line.exec(text)?.[1]);
  };

  const getPayment = () =>
    gateway.inject({ method: 'GET', url: '/payments/p-1', headers: { authorization } });

  it('answers 504 with a clear message when the upstream does not answer in time', async () => {
    ticketing.handler = (_request, response) => {
      setTimeout(() => answerJson(200, { late: true })(_request, response), TIMEOUT_MS * 3);
    };
    const startedAt = Date.now();
    const response = await gateway.inject({
      method: 'GET',
      url: '/events',
      headers: { authorization },
    });
    expect(response.statusCode).toBe(504);
    expect(response.json()).toEqual({
      statusCode: 504,
      error: 'Gateway Timeout',
      message: `ticketing did not answer within ${TIMEOUT_MS} ms`,
    });
    expect(Date.now() - startedAt).toBeLessThan(TIMEOUT_MS * 3);
  });

  it('never sends an unsafe request twice, but resends a GET whose connection was cut', async () => {
    ticketing.handler = (_request, response) => response.socket?.destroy();
    const post = await gateway.inject({
      method: 'POST',
      url: '/holds',
      headers: { authorization },
      payload: { eventId: 'e1', seatIds: ['A-1'] },
    });
    expect(post.statusCode).toBe(502);
    expect(post.json().message).toBe('ticketing could not be reached');
    expect(ticketing.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

    const get = await gateway.inject({
      method: 'GET',
      url: '/holds/h-1',
      headers: { authorization },
    });
    expect(get.statusCode).toBe(502);
    expect(ticketing.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('opens the circuit after unhealthy answers, fails fast with 503 and Retry-After, then recovers half-open', async () => {
    payments.handler = answerJson(503, { message: 'database unavailable' });
    for (let i = 0; i < 4; i++) {
      expect((await getPayment()).statusCode).toBe(503);
    }
    expect(payments.requests).toHaveLength(4);

    const startedAt = Date.now();
    const rejected = await getPayment();
    expect(Date.now() - startedAt).toBeLessThan(100);
    expect(rejected.statusCode).toBe(503);
    expect(Number(rejected.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(rejected.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringMatching(
        /^payments is unavailable: its circuit is open after repeated failures; retry after \d+ s$/,
      ),
    });
    expect(payments.requests).toHaveLength(4);

    // Ticketing has a circuit of its own, still closed.
    expect(
      (await gateway.inject({ method: 'GET', url: '/events', headers: { authorization } }))
        .statusCode,
    ).toBe(200);

    // After the reset time one trial call goes through; it succeeds and closes the circuit.
    payments.handler = answerJson(200, { id: 'p-1', status: 'captured' });
    await sleep(RESET_MS + 100);
    const trial = await getPayment();
    expect(trial.statusCode).toBe(200);
    expect(trial.json()).toEqual({ id: 'p-1', status: 'captured' });
    expect((await getPayment()).statusCode).toBe(200);
    expect(payments.requests).toHaveLength(6);

    expect(await circuitState('payments')).toBe(0);
  });

  it('keeps the circuit closed and serves other users through a flood of requests that make the upstream answer 500', async () => {
    // The attacker's payment ids make payments fail with a 500; everyone else's succeed.
    payments.handler = (request, response) =>
      request.url.startsWith('/payments/poison-')
        ? answerJson(500, { message: 'internal error' })(request, response)
        : answerJson(200, { id: 'p-1', status: 'captured' })(request, response);
    // Spread over a few accounts, so the flood stays inside each one's rate limit even when
    // a slow Redis lets the per-instance fallback decide.
    const attackers = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => gatewayUnderTest.bearer(`attacker-${n}`)),
    );
    const victims = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => gatewayUnderTest.bearer(`victim-${n}`)),
    );
    // Five waves, each 20 poisoned requests alongside 10 ordinary ones from other users; the
    // breaker's state is read after every wave.
    const floodStatuses: number[] = [];
    const servedStatuses: number[] = [];
    const statesDuringFlood: number[] = [];
    for (let wave = 0; wave < 5; wave++) {
      const poisoned = Array.from({ length: 20 }, (_, i) =>
        gateway.inject({
          method: 'GET',
          url: `/payments/poison-${wave}-${i}`,
          headers: { authorization: attackers[i % attackers.length] as string },
        }),
      );
      const ordinary = Array.from({ length: 10 }, (_, i) =>
        gateway.inject({
          method: 'GET',
          url: '/payments/p-1',
          headers: { authorization: victims[i % victims.length] as string },
        }),
      );
      floodStatuses.push(...(await Promise.all(poisoned)).map((r) => r.statusCode));
      servedStatuses.push(...(await Promise.all(ordinary)).map((r) => r.statusCode));
      statesDuringFlood.push(await circuitState('payments'));
    }

    expect(new Set(floodStatuses)).toEqual(new Set([500]));
    expect(servedStatuses).toEqual(servedStatuses.map(() => 200));
    expect(statesDuringFlood).toEqual([0, 0, 0, 0, 0]);
    expect(await circuitState('payments')).toBe(0);
  });

  it('opens the circuit after repeated timeouts', async () => {
    ticketing.handler = (_request, response) => {
      setTimeout(() => answerJson(200, { late: true })(_request, response), TIMEOUT_MS * 3);
    };
    // Earlier tests' failures are still in ticketing's window: it opens within 4 more.
    const statuses: number[] = [];
    while (statuses.length < 8 && statuses.at(-1) !== 503) {
      statuses.push(
        (await gateway.inject({ method: 'GET', url: '/events', headers: { authorization } }))
          .statusCode,
      );
    }
    expect(statuses.at(-1)).toBe(503);
    expect(statuses.slice(0, -1).length).toBeGreaterThanOrEqual(1);
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set([504]));
    expect(await circuitState('ticketing')).toBe(2);
  });
});
