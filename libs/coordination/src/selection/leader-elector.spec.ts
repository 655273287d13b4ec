import { FakeClock } from '../clock/fake-clock';
import type { AcquireResult, ExtendResult, ReleaseResult, TimedHoldRequest } from './fenced-holds';
import { LeaderElector, type DemotionReason, type Lease, type Timers } from './leader-elector';

// Timers driven by the FakeClock: advance() runs every due callback at its own time and lets
// the promises it starts settle before moving on.
class ManualTimers implements Timers {
  private tasks: { id: number; at: number; fn: () => void }[] = [];
  private nextId = 0;

  constructor(private readonly clock: FakeClock) {}

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.tasks.push({ id, at: this.clock.now() + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks = this.tasks.filter((t) => t.id !== handle);
  }

  async advance(ms: number): Promise<void> {
    const until = this.clock.now() + ms;
    await settle();
    for (;;) {
      const due = this.tasks
        .filter((t) => t.at <= until)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.tasks = this.tasks.filter((t) => t !== due);
      this.clock.set(Math.max(this.clock.now(), due.at));
      due.fn();
      await settle();
    }
    this.clock.set(until);
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

// One lease in memory, expiring on the FakeClock, with a switch that makes Redis unreachable.
class FakeLeases {
  holder: { owner: string; until: number } | undefined;
  counter = 0;
  unreachable = false;
  // While set, every acquire waits for it: a campaign whose request is still in flight.
  gate: Promise<void> | undefined;
  // The same for every release.
  releaseGate: Promise<void> | undefined;
  readonly calls: { op: string; at: number }[] = [];

  constructor(private readonly clock: FakeClock) {}

  private live() {
    if (this.holder && this.holder.until <= this.clock.now()) this.holder = undefined;
    return this.holder;
  }

  private check(op: string) {
    this.calls.push({ op, at: this.clock.now() });
    if (this.unreachable) throw new Error('connect ECONNREFUSED');
  }

  async acquire(r: TimedHoldRequest): Promise<AcquireResult> {
    this.check('acquire');
    if (this.gate) await this.gate;
    const h = this.live();
    if (h && h.owner !== r.owner) {
      const retryAfterMs = h.until - this.clock.now();
      return { ok: false, reason: 'held', resource: 'leader', heldBy: h.owner, retryAfterMs };
    }
    this.holder = { owner: r.owner, until: this.clock.now() + r.ttlMs };
    const token = 2 ** 32 + ++this.counter;
    const hold = { ...r, tokens: { leader: token }, expiresAt: this.clock.now() + r.ttlMs };
    return { ok: true, hold };
  }

  async extend(r: TimedHoldRequest): Promise<ExtendResult> {
    this.check('extend');
    const h = this.live();
    if (!h) return { ok: false, reason: 'expired', resource: 'leader' };
    if (h.owner !== r.owner) {
      return { ok: false, reason: 'not-owner', resource: 'leader', heldBy: h.owner };
    }
    h.until = this.clock.now() + r.ttlMs;
    return { ok: true, expiresAt: h.until };
  }

  async release(r: { owner: string }): Promise<ReleaseResult> {
    this.check('release');
    if (this.releaseGate) await this.releaseGate;
    if (this.live()?.owner !== r.owner)
      return { ok: false, reason: 'expired', resource: 'leader', released: 0 };
    this.holder = undefined;
    return { ok: true, released: 1 };
  }
}

function setup(owner = 'node-a') {
  const clock = new FakeClock(1_000_000);
  const timers = new ManualTimers(clock);
  const leases = new FakeLeases(clock);
  const events: (['elected', Lease] | ['demoted', DemotionReason])[] = [];
  const elector = new LeaderElector({
    holds: leases,
    name: 'auction-closer',
    owner,
    ttlMs: 3_000,
    renewEveryMs: 1_000,
    safetyMarginMs: 600,
    clock,
    timers,
    onElected: (lease) => events.push(['elected', lease]),
    onDemoted: (reason) => events.push(['demoted', reason]),
  });
  return { clock, timers, leases, events, elector };
}

describe('LeaderElector', () => {
  it('is elected on start and exposes the token of its lease', async () => {
    const { timers, events, elector } = setup();
    elector.start();
    await timers.advance(0);
    expect(elector.isLeader()).toBe(true);
    expect(elector.currentToken()).toBe(2 ** 32 + 1);
    expect(events).toEqual([
      [
        'elected',
        { name: 'auction-closer', owner: 'node-a', token: 2 ** 32 + 1, validUntil: 1_002_400 },
      ],
    ]);
  });

  it('renews every renewEveryMs while leader and keeps the same token', async () => {
    const { clock, timers, leases, elector } = setup();
    elector.start();
    await timers.advance(10_000);
    const extends_ = leases.calls.filter((c) => c.op === 'extend').map((c) => c.at - 1_000_000);
    expect(extends_).toEqual([
      1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000,
    ]);
    expect(elector.currentToken()).toBe(2 ** 32 + 1);
    expect(clock.now()).toBe(1_010_000);
  });

  it('demotes itself once ttl - margin passes without a renewal, even with Redis unreachable', async () => {
    const { timers, leases, events, elector } = setup();
    elector.start();
    await timers.advance(0);
    leases.unreachable = true;
    // Last successful renewal: the election at t=0. Deadline: 3000 - 600 = 2400.
    await timers.advance(2_399);
    expect(elector.isLeader()).toBe(true);
    await timers.advance(1);
    expect(elector.isLeader()).toBe(false);
    expect(elector.currentToken()).toBeUndefined();
    expect(events.at(-1)).toEqual(['demoted', 'renewal-deadline']);
  });

  it('stops answering as leader at the deadline even before its timer has run', async () => {
    const { clock, timers, leases, elector } = setup();
    elector.start();
    await timers.advance(0);
    leases.unreachable = true;
    // A paused process: the wall clock moves, no timer runs.
    clock.advance(2_400);
    expect(elector.isLeader()).toBe(false);
    expect(elector.currentToken()).toBeUndefined();
  });

  it('is demoted when a renewal finds the lease taken, and campaigns again', async () => {
    const { clock, timers, leases, events, elector } = setup();
    elector.start();
    await timers.advance(0);
    leases.holder = { owner: 'node-b', until: clock.now() + 3_000 };
    await timers.advance(1_000);
    expect(events.at(-1)).toEqual(['demoted', 'lost']);
    expect(elector.isLeader()).toBe(false);
    // node-b's lease runs out and is not renewed: node-a wins again with a higher token.
    await timers.advance(3_100);
    expect(elector.isLeader()).toBe(true);
    expect(elector.currentToken()).toBe(2 ** 32 + 2);
  });

  it('follows while another node leads and takes over when that lease expires', async () => {
    const { clock, timers, leases, events, elector } = setup('node-b');
    leases.holder = { owner: 'node-a', until: clock.now() + 2_500 };
    elector.start();
    await timers.advance(2_000);
    expect(elector.isLeader()).toBe(false);
    await timers.advance(600);
    expect(elector.isLeader()).toBe(true);
    expect(events.map((e) => e[0])).toEqual(['elected']);
  });

  it('resigns on stop: releases the lease, reports it and stops renewing', async () => {
    const { timers, leases, events, elector } = setup();
    elector.start();
    await timers.advance(1_500);
    await elector.stop();
    expect(leases.holder).toBeUndefined();
    expect(events.at(-1)).toEqual(['demoted', 'stopped']);
    const callsAtStop = leases.calls.length;
    await timers.advance(10_000);
    expect(leases.calls).toHaveLength(callsAtStop);
    expect(elector.isLeader()).toBe(false);
  });

  it('is elected once when stopped and restarted while a campaign is in flight', async () => {
    const { timers, leases, events, elector } = setup();
    let open = (): void => undefined;
    leases.gate = new Promise<void>((resolve) => (open = resolve));
    elector.start();
    await timers.advance(0);
    // The first campaign's acquire is in flight; the restart starts a second one.
    await elector.stop();
    elector.start();
    await timers.advance(0);
    leases.gate = undefined;
    open();
    await timers.advance(5_000);
    expect(events.map((e) => e[0])).toEqual(['elected']);
    // The lease the elector believes it holds is the one in Redis.
    expect(leases.holder?.owner).toBe('node-a');
    expect(elector.isLeader()).toBe(true);
  });

  it('does not lose the new lease to the release of a stop that is still in flight', async () => {
    const { timers, leases, events, elector } = setup();
    elector.start();
    await timers.advance(0);
    let open = (): void => undefined;
    leases.releaseGate = new Promise<void>((resolve) => (open = resolve));
    // stop() is still releasing when start() campaigns again.
    const stopping = elector.stop();
    elector.start();
    await timers.advance(0);
    leases.releaseGate = undefined;
    open();
    await stopping;
    await timers.advance(0);
    expect(events.map((e) => e[0])).toEqual(['elected', 'demoted', 'elected']);
    expect(leases.holder?.owner).toBe('node-a');
    // Its renewals find the lease in place: no demotion follows.
    await timers.advance(5_000);
    expect(events).toHaveLength(3);
    expect(elector.isLeader()).toBe(true);
  });

  it('keeps campaigning while Redis is unreachable and is elected when it returns', async () => {
    const { clock, timers, leases } = setup();
    const errors: unknown[] = [];
    leases.unreachable = true;
    const withErrors = new LeaderElector({
      holds: leases,
      name: 'n',
      owner: 'x',
      ttlMs: 3_000,
      timers,
      clock,
      onElected: () => undefined,
      onDemoted: () => undefined,
      onError: (e) => errors.push(e),
    });
    withErrors.start();
    await timers.advance(2_500);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    leases.unreachable = false;
    await timers.advance(1_000);
    expect(leases.holder?.owner).toBe('x');
    await withErrors.stop();
  });

  it('rejects a configuration that could not renew before its own deadline', () => {
    expect(
      () =>
        new LeaderElector({
          holds: new FakeLeases(new FakeClock()),
          name: 'n',
          owner: 'o',
          ttlMs: 1_000,
          renewEveryMs: 900,
          safetyMarginMs: 200,
          onElected: () => undefined,
          onDemoted: () => undefined,
        }),
    ).toThrow('renewEveryMs (900) must be below ttlMs - safetyMarginMs (800)');
  });

  describe('whileLeading', () => {
    // A loop that records each term it runs and returns when asked to, not before: `hold`
    // keeps a loop running past its abort, as a batch in flight would.
    const recordingLoop = () => {
      const runs: { token: number; signal: AbortSignal; returned: boolean }[] = [];
      let hold: Promise<void> | undefined;
      const loop = async (lease: Lease, signal: AbortSignal) => {
        const run = { token: lease.token, signal, returned: false };
        runs.push(run);
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        if (hold) await hold;
        run.returned = true;
      };
      return { runs, loop, holdWith: (gate: Promise<void>) => (hold = gate) };
    };

    it('runs the loop for each term it leads, aborted at the demotion, with that term token', async () => {
      const { clock, timers, leases, elector } = setup();
      const { runs, loop } = recordingLoop();
      elector.whileLeading(loop).start();
      await timers.advance(0);
      expect(runs.map((r) => [r.token, r.signal.aborted])).toEqual([[2 ** 32 + 1, false]]);
      // node-b takes the lease: the renewal finds it lost and the loop is told to stop.
      leases.holder = { owner: 'node-b', until: clock.now() + 3_000 };
      await timers.advance(1_000);
      expect(runs.map((r) => [r.token, r.signal.aborted, r.returned])).toEqual([
        [2 ** 32 + 1, true, true],
      ]);
      // Elected again once node-b's lease runs out: a new loop with the new token.
      await timers.advance(3_100);
      expect(runs.map((r) => [r.token, r.signal.aborted])).toEqual([
        [2 ** 32 + 1, true],
        [2 ** 32 + 2, false],
      ]);
      await elector.stop();
      expect(runs.every((r) => r.signal.aborted && r.returned)).toBe(true);
    });

    it('ends the loop at the renewal deadline, Redis unreachable', async () => {
      const { timers, leases, elector } = setup();
      const { runs, loop } = recordingLoop();
      elector.whileLeading(loop).start();
      await timers.advance(0);
      leases.unreachable = true;
      await timers.advance(2_399);
      expect(runs[0]?.signal.aborted).toBe(false);
      await timers.advance(1);
      expect(runs[0]?.signal.aborted).toBe(true);
    });

    it('returns from stop() only once the loop has returned, for every caller', async () => {
      const { timers, elector } = setup();
      const { runs, loop, holdWith } = recordingLoop();
      let finish = (): void => undefined;
      holdWith(new Promise<void>((resolve) => (finish = resolve)));
      elector.whileLeading(loop).start();
      await timers.advance(0);
      let stopped = 0;
      void elector.stop().then(() => stopped++);
      void elector.stop().then(() => stopped++);
      await timers.advance(100);
      expect(runs[0]?.signal.aborted).toBe(true);
      expect(stopped).toBe(0);
      finish();
      await timers.advance(0);
      expect(stopped).toBe(2);
      expect(runs[0]?.returned).toBe(true);
    });

    it("starts a new term's loop only once the previous term's has returned", async () => {
      const { clock, timers, leases, elector } = setup();
      const { runs, loop, holdWith } = recordingLoop();
      let finish = (): void => undefined;
      holdWith(new Promise<void>((resolve) => (finish = resolve)));
      elector.whileLeading(loop).start();
      await timers.advance(0);
      // Demoted, and elected again while the first loop is still finishing its batch.
      leases.holder = { owner: 'node-b', until: clock.now() + 1_500 };
      await timers.advance(1_000);
      await timers.advance(1_000);
      expect(elector.currentToken()).toBe(2 ** 32 + 2);
      expect(runs).toHaveLength(1);
      finish();
      await timers.advance(0);
      expect(runs.map((r) => [r.token, r.returned])).toEqual([
        [2 ** 32 + 1, true],
        [2 ** 32 + 2, false],
      ]);
      await elector.stop();
    });

    it('reports a loop that throws, and runs it again in the next term', async () => {
      const { clock, timers, leases } = setup();
      const errors: unknown[] = [];
      let calls = 0;
      const elector = new LeaderElector({
        holds: leases,
        name: 'n',
        owner: 'x',
        ttlMs: 3_000,
        renewEveryMs: 1_000,
        safetyMarginMs: 600,
        timers,
        clock,
        onError: (e) => errors.push(e),
      }).whileLeading(async () => {
        calls++;
        throw new Error('loop broke');
      });
      elector.start();
      await timers.advance(0);
      expect(errors).toEqual([new Error('loop broke')]);
      // Still leader: a loop that returns ends only its own work, not the term.
      expect(elector.isLeader()).toBe(true);
      leases.holder = { owner: 'y', until: clock.now() + 1_500 };
      await timers.advance(2_000);
      expect(calls).toBe(2);
      await elector.stop();
    });

    it('takes one loop, set before start()', () => {
      const { elector } = setup();
      elector.whileLeading(async () => undefined);
      expect(() => elector.whileLeading(async () => undefined)).toThrow('already set');
      const { elector: started } = setup();
      started.start();
      expect(() => started.whileLeading(async () => undefined)).toThrow('before start()');
      void started.stop();
    });
  });
});
