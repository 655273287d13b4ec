import { UsageError } from '../load/args';
import { lastFaultEndS, linksOf, parseSchedule } from './schedule';
import { SHORT_RUN } from './short-run';

describe('a chaos run fault schedule', () => {
  it('reads every kind of fault, with or without the seconds unit, in time order', () => {
    expect(
      parseSchedule(
        'redis-restart@30,kill:ticketing@10+5,pause:payments@20s+8s,latency:redis=200ms@40+10,timeout:postgres@50+2,reset:redis@55+1,bandwidth:postgres=64@60+4,postgres-restart@70,kafka-restart@80',
      ),
    ).toEqual([
      { name: 'kill:ticketing', fault: { kind: 'kill', service: 'ticketing' }, atS: 10, forS: 5 },
      { name: 'pause:payments', fault: { kind: 'pause', service: 'payments' }, atS: 20, forS: 8 },
      { name: 'redis-restart', fault: { kind: 'restart', component: 'redis' }, atS: 30, forS: 0 },
      {
        name: 'latency:redis=200ms',
        fault: { kind: 'latency', link: 'redis', ms: 200 },
        atS: 40,
        forS: 10,
      },
      { name: 'timeout:postgres', fault: { kind: 'timeout', link: 'postgres' }, atS: 50, forS: 2 },
      { name: 'reset:redis', fault: { kind: 'reset', link: 'redis' }, atS: 55, forS: 1 },
      {
        name: 'bandwidth:postgres=64',
        fault: { kind: 'bandwidth', link: 'postgres', kBps: 64 },
        atS: 60,
        forS: 4,
      },
      {
        name: 'postgres-restart',
        fault: { kind: 'restart', component: 'postgres' },
        atS: 70,
        forS: 0,
      },
      { name: 'kafka-restart', fault: { kind: 'restart', component: 'kafka' }, atS: 80, forS: 0 },
    ]);
  });

  it('reads a clock skew ahead or behind, in seconds', () => {
    expect(parseSchedule('skew:ticketing=30@5+10,skew:auction=-2.5s@6')).toEqual([
      {
        name: 'skew:ticketing=30',
        fault: { kind: 'skew', service: 'ticketing', seconds: 30 },
        atS: 5,
        forS: 10,
      },
      {
        name: 'skew:auction=-2.5s',
        fault: { kind: 'skew', service: 'auction', seconds: -2.5 },
        atS: 6,
        forS: 20,
      },
    ]);
  });

  it('gives a window its default length when none is written', () => {
    expect(parseSchedule('kill:gateway@1')[0]?.forS).toBe(5);
    expect(parseSchedule('pause:auction@1')[0]?.forS).toBe(10);
    expect(parseSchedule('timeout:redis@1.5')[0]).toMatchObject({ atS: 1.5, forS: 10 });
  });

  it('names the links a schedule needs proxied, and when its last window closes', () => {
    const schedule = parseSchedule('latency:redis=5@1+2,reset:redis@4+1,kill:ticketing@2+9');
    expect(linksOf(schedule)).toEqual(['redis']);
    expect(lastFaultEndS(schedule)).toBe(11);
  });

  it('holds one window of every native fault in the short smoke', () => {
    const kinds = parseSchedule(SHORT_RUN.faults).map((f) =>
      f.fault.kind === 'restart' ? `${f.fault.component}-restart` : f.fault.kind,
    );
    expect(new Set(kinds)).toEqual(
      new Set([
        'kill',
        'pause',
        'redis-restart',
        'postgres-restart',
        'kafka-restart',
        'latency',
        'timeout',
        'reset',
        'bandwidth',
      ]),
    );
    expect(lastFaultEndS(parseSchedule(SHORT_RUN.faults))).toBeLessThan(SHORT_RUN.durationS);
  });

  it('reads the compose faults, each on one replica', () => {
    expect(
      parseSchedule(
        'pause:ticketing-1@10+12,partition:payments-2/kafka@30+8,isolate:rate-limiter-1@50,pause:psp-simulator-1@60',
        'compose',
      ),
    ).toEqual([
      {
        name: 'pause:ticketing-1',
        fault: { kind: 'container-pause', replica: { service: 'ticketing', index: 1 } },
        atS: 10,
        forS: 12,
      },
      {
        name: 'partition:payments-2/kafka',
        fault: { kind: 'partition', replica: { service: 'payments', index: 2 }, from: 'kafka' },
        atS: 30,
        forS: 8,
      },
      {
        name: 'isolate:rate-limiter-1',
        fault: { kind: 'isolate', replica: { service: 'rate-limiter', index: 1 } },
        atS: 50,
        forS: 10,
      },
      {
        name: 'pause:psp-simulator-1',
        fault: { kind: 'container-pause', replica: { service: 'psp-simulator', index: 1 } },
        atS: 60,
        forS: 12,
      },
    ]);
  });

  it.each([
    ['pause:ticketing-1@10', 'native', /a fault of the compose stack; add --target compose/],
    ['partition:ticketing-1/redis@10', 'native', /a fault of the compose stack/],
    ['kill:ticketing@10', 'compose', /a fault of the native stack; on --target compose there are/],
    ['pause:ticketing@10', 'compose', /a fault of the native stack/],
    ['redis-restart@10', 'compose', /a fault of the native stack/],
    ['partition:ticketing-1@10', 'compose', /write a partition as partition:<service>-<n>\//],
    [
      'partition:ticketing-1/mysql@10',
      'compose',
      /from one of redis, kafka, postgres, not "mysql"/,
    ],
    ['partition:ticketing/redis@10', 'compose', /names one compose replica as <service>-<n>/],
    ['partition:ticketing-1/redis/x@10', 'compose', /write a partition as/],
    ['isolate:ticketing@10', 'compose', /isolate names one compose replica/],
    ['pause:ticketing-0@10', 'compose', /compose numbers replicas from 1, not 0/],
    ['pause:billing-1@10', 'compose', /no service "billing"/],
    ['isolate:ticketing-1=2@10', 'compose', /isolate takes no "=value"/],
  ] as const)('refuses %j on the %s stack with a clear message', (text, stack, message) => {
    expect(() => parseSchedule(text, stack)).toThrow(UsageError);
    expect(() => parseSchedule(text, stack)).toThrow(message);
  });

  it.each([
    ['', /at least one fault/],
    ['kill:ticketing', /<fault>@<at>s\[\+<for>s\]/],
    ['kill:nobody@1', /no service "nobody"; there are: /],
    ['kill@1', /no service ""/],
    ['kill:ticketing=3@1', /kill takes no "=value"/],
    ['latency:kafka=10@1', /no link "kafka"; there are: redis, postgres/],
    ['latency:redis@1', /latency wants an amount above 0/],
    ['bandwidth:redis=fast@1', /bandwidth wants an amount above 0/],
    ['redis-restart@5+3', /a restart lasts as long as it takes/],
    ['skew:ticketing=0@1', /skew wants seconds other than 0/],
    ['skew:ticketing@1', /skew wants seconds other than 0/],
    ['kill:ticketing@soon', /the start must be seconds like 10 or 10s, not "soon"/],
    ['kill:ticketing@1+0', /the length must be above 0/],
    ['explode:ticketing@1', /no fault "explode:ticketing"/],
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => parseSchedule(text)).toThrow(UsageError);
    expect(() => parseSchedule(text)).toThrow(message);
  });
});
