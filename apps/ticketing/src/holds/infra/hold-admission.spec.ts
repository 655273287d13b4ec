import { HoldAdmission, type Admission } from './hold-admission';

const admitted = (a: Admission) => {
  if (!a.admitted) throw new Error(`expected admission, got ${a.why}`);
  return a;
};

describe('HoldAdmission', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('admits-up-to-the-bound-at-once-then-queues-then-turns-away', async () => {
    const admission = new HoldAdmission({ inFlight: 2, queue: 1, maxWaitMs: 500 });
    const first = admitted(await admission.admit());
    admitted(await admission.admit());
    const queued = admission.admit();
    expect(queued).toBeInstanceOf(Promise);
    expect(admission.waiting).toBe(1);
    expect(await admission.admit()).toEqual({
      admitted: false,
      why: 'queue-full',
      retryAfterMs: 1_000,
    });
    first.done();
    const third = admitted(await queued);
    expect(admission.inFlight).toBe(2);
    third.done();
    third.done();
    expect(admission.inFlight).toBe(1);
  });

  it('a-waiter-is-turned-away-after-its-wait-and-leaves-the-queue', async () => {
    const admission = new HoldAdmission({ inFlight: 1, queue: 2, maxWaitMs: 300 });
    const running = admitted(await admission.admit());
    const late = admission.admit();
    jest.advanceTimersByTime(300);
    expect(await late).toMatchObject({ admitted: false, why: 'waited-too-long' });
    expect(admission.waiting).toBe(0);
    running.done();
    expect(admission.inFlight).toBe(0);
  });

  it('waiters-are-admitted-in-arrival-order', async () => {
    const admission = new HoldAdmission({ inFlight: 1, queue: 5, maxWaitMs: 1_000 });
    const running = admitted(await admission.admit());
    const order: number[] = [];
    const waits = [0, 1, 2].map(async (i) => {
      const a = admitted(await admission.admit());
      order.push(i);
      a.done();
    });
    running.done();
    await Promise.all(waits);
    expect(order).toEqual([0, 1, 2]);
    expect(admission.inFlight).toBe(0);
  });

  it('a-bound-of-0-admits-everything', async () => {
    const admission = new HoldAdmission({ inFlight: 0, queue: 0, maxWaitMs: 0 });
    for (let i = 0; i < 100; i++) admitted(await admission.admit());
    expect(admission.waiting).toBe(0);
  });
});
