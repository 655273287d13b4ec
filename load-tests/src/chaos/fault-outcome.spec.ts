import type { SecondBucket } from '../load/recorder';
import { levelBefore, measureFaults, SUSTAIN_S } from './fault-outcome';
import type { FaultRecord } from './fault-runner';

const second = (n: number, requests: number, errors: number): SecondBucket => ({
  second: n,
  scheduled: requests,
  sent: requests,
  dropped: 0,
  completed: requests,
  requests,
  errors,
  latency: { count: requests, p50: 1, p95: 1, p99: 1, maxMs: 1 },
  inFlight: 0,
});

describe('what each fault did to the traffic', () => {
  const seconds = [
    second(0, 10, 0),
    second(1, 10, 3),
    second(2, 10, 5),
    second(3, 10, 1),
    second(4, 10, 0),
    second(5, 10, 0),
    second(6, 10, 0),
  ];

  it('counts requests and errors until the error rate is back at its level, and the time to it', () => {
    expect(
      measureFaults(
        [{ name: 'kill:ticketing', atS: 1.2, forS: 1.5, healedAtS: 2.7 }],
        seconds,
        true,
      ),
    ).toEqual([
      {
        name: 'kill:ticketing',
        atS: 1.2,
        forS: 1.5,
        requests: 30,
        errors: 9,
        recoveredAfterS: 1.3,
        verifiersAtZero: true,
      },
    ]);
  });

  it('says when the traffic never ran clean again, and when a fault never started', () => {
    const [late, never] = measureFaults(
      [
        { name: 'redis-restart', atS: 1, forS: 2.5, healedAtS: 3.5 },
        { name: 'kafka-restart', atS: 9, forS: 0, healedAtS: null },
      ],
      seconds.slice(0, 4),
      false,
    );
    expect(late).toMatchObject({ recoveredAfterS: null, verifiersAtZero: false });
    expect(never).toMatchObject({ error: 'not started: the traffic ended first' });
  });

  // Ten requests a second for `n` seconds, with errors in the seconds given.
  const traffic = (n: number, errors: Record<number, number> = {}, requests = 10) =>
    Array.from({ length: n }, (_, i) => second(i, requests, errors[i] ?? 0));
  const fault = (name: string, atS: number, healedAtS: number): FaultRecord => ({
    name,
    atS,
    forS: healedAtS - atS,
    healedAtS,
  });

  it('counts errors that start after the healing against the recovery', () => {
    // Failing while the fault is open (2-3), clean for three seconds after the healing, then
    // failing again (8-10), as a late circuit breaker would: not recovered until 11.
    const seconds = traffic(20, { 2: 5, 3: 5, 8: 4, 9: 4, 10: 4 });
    const [window] = measureFaults([fault('bandwidth:postgres=50', 2, 4)], seconds, true);
    expect(window).toMatchObject({ recoveredAfterS: 7, requests: 90, errors: 22 });
  });

  it('takes the error rate before the fault as the level to return to', () => {
    // One error in ten before the fault and after it: recovered as soon as it healed.
    const steady = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, 1]));
    const seconds = traffic(20, { ...steady, 5: 8, 6: 8 });
    expect(levelBefore(fault('kill:ticketing', 5, 7), [], seconds)).toBeCloseTo(0.1);
    const [window] = measureFaults([fault('kill:ticketing', 5, 7)], seconds, true);
    expect(window).toMatchObject({ recoveredAfterS: 0, requests: 20, errors: 16 });
  });

  it('leaves out the other faults windows when it reads the level', () => {
    const seconds = traffic(30, { 2: 10, 3: 10, 4: 10 });
    const first = fault('redis-restart', 2, 5);
    const second_ = fault('kill:ticketing', 15, 17);
    expect(levelBefore(second_, [first, second_], seconds)).toBe(0);
  });

  it('forgives one stray error within a sustained span, not two', () => {
    const one = measureFaults(
      [fault('timeout:redis', 2, 4)],
      traffic(20, { 2: 9, 3: 9, 7: 1 }),
      true,
    );
    expect(one[0]?.recoveredAfterS).toBe(0);
    const two = measureFaults(
      [fault('timeout:redis', 2, 4)],
      traffic(20, { 2: 9, 3: 9, 7: 1, 8: 1 }),
      true,
    );
    // Seconds 7 and 8 both fall in every span that starts before 8: recovered at 8.
    expect(two[0]?.recoveredAfterS).toBe(4);
  });

  it("judges a fault only up to the next one's start", () => {
    const seconds = traffic(30, { 2: 5, 3: 5, 15: 10, 16: 10, 17: 10, 18: 10, 19: 10 });
    const windows = measureFaults(
      [fault('kill:ticketing', 2, 4), fault('postgres-restart', 15, 20)],
      seconds,
      true,
    );
    expect(windows.map((w) => w.recoveredAfterS)).toEqual([0, 0]);
  });

  it('says a fault did not recover when its errors last until the traffic ends', () => {
    const failing = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i + 8, 3]));
    const [window] = measureFaults([fault('reset:postgres', 2, 4)], traffic(20, failing), true);
    expect(window?.recoveredAfterS).toBeNull();
    expect(window?.errors).toBe(36);
  });

  it('needs answers to call a span recovered: a silent span is not', () => {
    const seconds = [...traffic(4), ...Array.from({ length: 10 }, (_, i) => second(i + 4, 0, 0))];
    expect(seconds).toHaveLength(14);
    const [window] = measureFaults([fault('pause:payments', 1, 3)], seconds, true);
    // Seconds 3 and later: second 3 answers cleanly, then nothing for ten seconds.
    expect(window?.recoveredAfterS).toBeNull();
    expect(SUSTAIN_S).toBeLessThan(10);
  });
});
