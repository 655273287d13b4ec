import type { SecondBucket } from '../load/recorder';
import { measureFaults } from './fault-outcome';

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

  it('counts requests and errors until three clean seconds in a row, and the time to them', () => {
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
        { name: 'redis-restart', atS: 2, forS: 1.5, healedAtS: 3.5 },
        { name: 'kafka-restart', atS: 9, forS: 0, healedAtS: null },
      ],
      seconds.slice(0, 4),
      false,
    );
    expect(late).toMatchObject({ recoveredAfterS: null, verifiersAtZero: false });
    expect(never).toMatchObject({ error: 'not started: the traffic ended first' });
  });
});
