// What the simulator does wrong, and when. Pure: no clock, no I/O, so tests can replay a
// run exactly. Two ways to ask for a fault:
//   rates     "20% of charges decline", drawn from a seeded generator (reproducible);
//   counters  "the next 2 charges fail", consumed in order before any rate is drawn,
//             for tests that need one exact interleaving.

export interface FaultRates {
  latencyMs: number;
  errorRate: number;
  declineRate: number;
  timeoutAfterChargeRate: number;
  // How long a timed-out-after-charge answer is held back.
  hangMs: number;
  duplicateCallbacks: boolean;
  seed: number;
}

export interface FaultCounters {
  nextErrors: number;
  nextDeclines: number;
  nextTimeoutsAfterCharge: number;
}

export type FaultSettings = FaultRates & FaultCounters;

// error: answer 503 and charge nothing. decline: store a declined charge, answer 402.
// timeout-after-charge: store the charge, answer only after hangMs.
export type ChargeFault = 'none' | 'error' | 'decline' | 'timeout-after-charge';
export type RefundFault = 'none' | 'error';

export const NO_COUNTERS: FaultCounters = {
  nextErrors: 0,
  nextDeclines: 0,
  nextTimeoutsAfterCharge: 0,
};

// mulberry32: tiny, fast, and good enough for dice; the same seed gives the same run.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  private settings: FaultSettings;
  private random: () => number;

  constructor(private readonly boot: FaultRates) {
    this.settings = { ...boot, ...NO_COUNTERS };
    this.random = seededRandom(boot.seed);
  }

  snapshot(): FaultSettings {
    return { ...this.settings };
  }

  // Changes only the given fields. A new seed restarts the dice.
  update(patch: { [K in keyof FaultSettings]?: FaultSettings[K] | null }): FaultSettings {
    // Validation lets an optional field be null: null, like absent, changes nothing.
    const defined = Object.fromEntries(
      Object.entries(patch).filter(([, value]) => value !== undefined && value !== null),
    ) as Partial<FaultSettings>;
    this.settings = { ...this.settings, ...defined };
    if (defined.seed !== undefined) this.random = seededRandom(defined.seed);
    return this.snapshot();
  }

  // Back to the boot configuration, counters cleared, dice restarted.
  reset(): FaultSettings {
    this.settings = { ...this.boot, ...NO_COUNTERS };
    this.random = seededRandom(this.boot.seed);
    return this.snapshot();
  }

  // One decision per charge that is not a replay. Three draws every time, whatever the
  // branch, so the outcome of charge n depends only on the seed and n.
  nextCharge(): ChargeFault {
    const [e, d, t] = [this.random(), this.random(), this.random()];
    const s = this.settings;
    if (s.nextErrors > 0) {
      s.nextErrors -= 1;
      return 'error';
    }
    if (s.nextDeclines > 0) {
      s.nextDeclines -= 1;
      return 'decline';
    }
    if (s.nextTimeoutsAfterCharge > 0) {
      s.nextTimeoutsAfterCharge -= 1;
      return 'timeout-after-charge';
    }
    if (e < s.errorRate) return 'error';
    if (d < s.declineRate) return 'decline';
    if (t < s.timeoutAfterChargeRate) return 'timeout-after-charge';
    return 'none';
  }

  // Refunds see latency and the error rate only; counters are for charges.
  nextRefund(): RefundFault {
    return this.random() < this.settings.errorRate ? 'error' : 'none';
  }

  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  get hangMs(): number {
    return this.settings.hangMs;
  }

  get duplicateCallbacks(): boolean {
    return this.settings.duplicateCallbacks;
  }
}
