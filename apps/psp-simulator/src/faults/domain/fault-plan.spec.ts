import { FaultPlan, seededRandom, type FaultRates } from './fault-plan';

const off: FaultRates = {
  latencyMs: 0,
  errorRate: 0,
  declineRate: 0,
  timeoutAfterChargeRate: 0,
  hangMs: 1_000,
  duplicateCallbacks: false,
  seed: 7,
};

const run = (plan: FaultPlan, n: number) => Array.from({ length: n }, () => plan.nextCharge());

describe('FaultPlan', () => {
  it('injects nothing when every rate is zero', () => {
    expect(new Set(run(new FaultPlan(off), 200))).toEqual(new Set(['none']));
  });

  it('consumes counters in order before drawing any rate', () => {
    const plan = new FaultPlan(off);
    plan.update({ nextErrors: 2, nextDeclines: 1, nextTimeoutsAfterCharge: 1 });
    expect(run(plan, 6)).toEqual([
      'error',
      'error',
      'decline',
      'timeout-after-charge',
      'none',
      'none',
    ]);
    expect(plan.snapshot()).toMatchObject({
      nextErrors: 0,
      nextDeclines: 0,
      nextTimeoutsAfterCharge: 0,
    });
  });

  it('repeats the same run for the same seed', () => {
    const rates = { ...off, errorRate: 0.2, declineRate: 0.2, timeoutAfterChargeRate: 0.2 };
    expect(run(new FaultPlan(rates), 50)).toEqual(run(new FaultPlan(rates), 50));
  });

  it('restarts the dice on a new seed and on reset', () => {
    const rates = { ...off, errorRate: 0.5 };
    const plan = new FaultPlan(rates);
    const first = run(plan, 20);
    plan.reset();
    expect(run(plan, 20)).toEqual(first);
    plan.update({ seed: 7 });
    expect(run(plan, 20)).toEqual(first);
  });

  it('comes close to the asked rate over many draws', () => {
    const plan = new FaultPlan({ ...off, declineRate: 0.3 });
    const declines = run(plan, 5_000).filter((f) => f === 'decline').length;
    expect(declines / 5_000).toBeGreaterThan(0.27);
    expect(declines / 5_000).toBeLessThan(0.33);
  });

  it('changes only the fields given and restores boot values on reset', () => {
    const plan = new FaultPlan(off);
    expect(plan.update({ latencyMs: 50, errorRate: undefined })).toMatchObject({
      latencyMs: 50,
      errorRate: 0,
    });
    expect(plan.reset()).toMatchObject({ latencyMs: 0, nextErrors: 0 });
  });

  it('leaves a field sent as null as it was', () => {
    const plan = new FaultPlan(off);
    plan.update({ declineRate: 0.5 });
    expect(plan.update({ declineRate: null, timeoutAfterChargeRate: null })).toMatchObject({
      declineRate: 0.5,
      timeoutAfterChargeRate: 0,
    });
  });

  it('draws uniformly in [0, 1)', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 1_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
