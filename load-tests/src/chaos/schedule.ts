// A chaos run's fault schedule, from the command line: a comma-separated list of
// `<fault>@<at>s[+<for>s]` (the `s` may be left out), e.g.
// `kill:ticketing@10+5,pause:payments@20+8,redis-restart@30,latency:redis=200ms@40+10`.
// On the compose stack the faults name one replica (`<service>-<n>`, as compose numbers its
// containers): `pause:ticketing-1@10+12,partition:ticketing-1/redis@30+8,isolate:payments-1@50+5`.
// Every entry is checked before anything starts; a bad one is a UsageError (exit 2).
import { SERVICE_NAMES, type ServiceName } from '@suite/contracts';
import { UsageError } from '../load/args';

// The dependency links a chaos run can route through toxiproxy: every service that uses
// the component reaches it through one proxy for the whole run.
export const LINKS = ['redis', 'postgres'] as const;
export type Link = (typeof LINKS)[number];

export type InfraComponent = 'redis' | 'postgres' | 'kafka';
export const INFRA_COMPONENTS: readonly InfraComponent[] = ['redis', 'kafka', 'postgres'];

// Where a run's services are: local processes, or containers of the compose stack.
export type Stack = 'native' | 'compose';

// One container of the compose stack: compose numbers a service's replicas from 1.
export interface Replica {
  service: ServiceName;
  index: number;
}

export const replicaName = (r: Replica): string => `${r.service}-${r.index}`;

export type Fault =
  | { kind: 'kill'; service: ServiceName }
  | { kind: 'pause'; service: ServiceName }
  | { kind: 'skew'; service: ServiceName; seconds: number }
  | { kind: 'restart'; component: InfraComponent }
  | { kind: 'latency'; link: Link; ms: number }
  | { kind: 'timeout'; link: Link }
  | { kind: 'reset'; link: Link }
  | { kind: 'bandwidth'; link: Link; kBps: number }
  // The compose stack's faults, on one replica.
  | { kind: 'container-pause'; replica: Replica }
  | { kind: 'partition'; replica: Replica; from: InfraComponent }
  | { kind: 'isolate'; replica: Replica };

const COMPOSE_KINDS: readonly Fault['kind'][] = ['container-pause', 'partition', 'isolate'];

export const stackOf = (fault: Fault): Stack =>
  COMPOSE_KINDS.includes(fault.kind) ? 'compose' : 'native';

export interface ScheduledFault {
  // As written in the schedule, e.g. `kill:ticketing`.
  name: string;
  fault: Fault;
  atS: number;
  // How long the fault lasts before it heals; a restart lasts as long as the restart takes.
  forS: number;
}

// What `--help` prints about the faults: the native stack's, then the compose stack's.
export const FAULT_HELP: readonly string[] = [
  'on the native stack (--target native, the default):',
  `kill:<service>           kill -9, started again on its port after <for> (default ${defaultFor('kill')} s)`,
  `pause:<service>          SIGSTOP, SIGCONT after <for> (default ${defaultFor('pause')} s): a holder past its lease`,
  `skew:<service>=<s>       restarted with its clock <s> seconds off (faketime; negative: behind), back after <for> (default ${defaultFor('skew')} s)`,
  'redis-restart            Redis stopped and started again: every key lost',
  'postgres-restart         Postgres stopped (fast shutdown) and started again',
  'kafka-restart            the Kafka broker stopped and started again on its log',
  `latency:<link>=<ms>      toxiproxy adds <ms> to every chunk on the link (default for ${defaultFor('latency')} s)`,
  'timeout:<link>           toxiproxy stalls the link: no data passes until it heals',
  'reset:<link>             toxiproxy resets every connection on the link (TCP RST)',
  'bandwidth:<link>=<kB/s>  toxiproxy caps the link at <kB/s>',
  `  services: ${SERVICE_NAMES.join(', ')}`,
  `  links: ${LINKS.join(', ')} (every service reaches them through toxiproxy in a run that uses them)`,
  'on the compose stack (--target compose; <replica> is <service>-<n>, e.g. ticketing-1):',
  `pause:<replica>          docker pause, unpause after <for> (default ${defaultFor('container-pause')} s): past its holds' 8 s lease`,
  `partition:<replica>/<c>  the replica's packets to and from <c> dropped (redis, kafka or postgres; every node of it), for <for> (default ${defaultFor('partition')} s)`,
  `isolate:<replica>        docker network disconnect from every compose network, connect again after <for> (default ${defaultFor('isolate')} s)`,
];

function defaultFor(kind: Fault['kind']): number {
  if (kind === 'container-pause') return 12;
  return kind === 'kill' ? 5 : kind === 'restart' ? 0 : kind === 'skew' ? 20 : 10;
}

const seconds = (entry: string, what: string, text: string): number => {
  const match = /^(\d+(?:\.\d+)?)s?$/.exec(text);
  if (!match)
    throw new UsageError(`${entry}: ${what} must be seconds like 10 or 10s, not "${text}"`);
  return Number(match[1]);
};

function service(entry: string, name: string | undefined): ServiceName {
  if (!name || !(SERVICE_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(
      `${entry}: no service "${name ?? ''}"; there are: ${SERVICE_NAMES.join(', ')}`,
    );
  }
  return name as ServiceName;
}

// `<service>-<n>`: replica n of a service on the compose stack.
function replica(entry: string, name: string): Replica | undefined {
  const match = /^(.+)-(\d+)$/.exec(name);
  if (!match) return undefined;
  const index = Number(match[2]);
  if (index < 1) throw new UsageError(`${entry}: compose numbers replicas from 1, not ${index}`);
  return { service: service(entry, match[1]), index };
}

function requireReplica(entry: string, kind: string, name: string | undefined): Replica {
  const found = replica(entry, name ?? '');
  if (!found) {
    throw new UsageError(
      `${entry}: ${kind} names one compose replica as <service>-<n>, like ${kind}:ticketing-1`,
    );
  }
  return found;
}

function component(entry: string, name: string | undefined): InfraComponent {
  if (!name || !(INFRA_COMPONENTS as readonly string[]).includes(name)) {
    throw new UsageError(
      `${entry}: a partition is from one of ${INFRA_COMPONENTS.join(', ')}, not "${name ?? ''}"`,
    );
  }
  return name as InfraComponent;
}

function link(entry: string, name: string | undefined): Link {
  if (!name || !(LINKS as readonly string[]).includes(name)) {
    throw new UsageError(`${entry}: no link "${name ?? ''}"; there are: ${LINKS.join(', ')}`);
  }
  return name as Link;
}

function amount(entry: string, text: string | undefined, unit: RegExp, what: string): number {
  const n = Number((text ?? '').replace(unit, ''));
  if (!text || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${entry}: ${what} wants an amount above 0, like ${what}=200`);
  }
  return n;
}

function parseFault(entry: string, spec: string): Fault {
  const restart = /^(redis|postgres|kafka)-restart$/.exec(spec);
  if (restart) return { kind: 'restart', component: restart[1] as InfraComponent };
  const [kind, target = ''] = spec.split(/:(.*)/s, 2);
  const [subject, value] = target.split('=', 2);
  const noValue = (k: string) => {
    if (value !== undefined) throw new UsageError(`${entry}: ${k} takes no "=value"`);
  };
  switch (kind) {
    case 'pause': {
      noValue(kind);
      // `pause:ticketing-1` is a container of the compose stack; `pause:ticketing` a process.
      const container = replica(entry, subject ?? '');
      return container
        ? { kind: 'container-pause', replica: container }
        : { kind, service: service(entry, subject) };
    }
    case 'kill':
      noValue(kind);
      return { kind, service: service(entry, subject) };
    case 'partition': {
      noValue(kind);
      const [who, from, extra] = (subject ?? '').split('/');
      if (from === undefined || extra !== undefined) {
        throw new UsageError(
          `${entry}: write a partition as partition:<service>-<n>/<${INFRA_COMPONENTS.join('|')}>`,
        );
      }
      return {
        kind,
        replica: requireReplica(entry, kind, who),
        from: component(entry, from),
      };
    }
    case 'isolate':
      noValue(kind);
      return { kind, replica: requireReplica(entry, kind, subject) };
    case 'skew': {
      const skew = /^([+-]?\d+(?:\.\d+)?)s?$/.exec(value ?? '');
      if (!skew || Number(skew[1]) === 0) {
        throw new UsageError(
          `${entry}: skew wants seconds other than 0, like skew:${subject ?? 'ticketing'}=30`,
        );
      }
      return { kind, service: service(entry, subject), seconds: Number(skew[1]) };
    }
    case 'latency':
      return { kind, link: link(entry, subject), ms: amount(entry, value, /ms$/, 'latency') };
    case 'bandwidth':
      return {
        kind,
        link: link(entry, subject),
        kBps: amount(entry, value, /(kB\/s|kbps|k)$/i, 'bandwidth'),
      };
    case 'timeout':
    case 'reset':
      noValue(kind);
      return { kind, link: link(entry, subject) };
    default:
      throw new UsageError(
        `${entry}: no fault "${spec}"; there are kill:, pause:, skew:, redis-restart, postgres-restart, kafka-restart, latency:, timeout:, reset:, bandwidth: (native) and pause:, partition:, isolate: (compose)`,
      );
  }
}

// Each stack takes its own faults: a process cannot be `docker pause`d, nor a container
// SIGKILLed by pid or routed through the native toxiproxy.
function checkStack(entry: string, fault: Fault, stack: Stack): void {
  if (stackOf(fault) === stack) return;
  throw new UsageError(
    stack === 'native'
      ? `${entry}: a fault of the compose stack; add --target compose (pause:<service> without a number pauses a native process)`
      : `${entry}: a fault of the native stack; on --target compose there are pause:<service>-<n>, partition:<service>-<n>/<${INFRA_COMPONENTS.join('|')}> and isolate:<service>-<n>`,
  );
}

export function parseSchedule(text: string, stack: Stack = 'native'): ScheduledFault[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new UsageError('--faults wants at least one fault');
  const schedule = entries.map((entry): ScheduledFault => {
    const at = entry.lastIndexOf('@');
    if (at <= 0) throw new UsageError(`${entry}: write a fault as <fault>@<at>s[+<for>s]`);
    const spec = entry.slice(0, at);
    const [atText = '', forText] = entry.slice(at + 1).split('+', 2);
    const fault = parseFault(entry, spec);
    checkStack(entry, fault, stack);
    const atS = seconds(entry, 'the start', atText);
    if (fault.kind === 'restart') {
      if (forText !== undefined) {
        throw new UsageError(`${entry}: a restart lasts as long as it takes; drop "+${forText}"`);
      }
      return { name: spec, fault, atS, forS: 0 };
    }
    const forS =
      forText === undefined ? defaultFor(fault.kind) : seconds(entry, 'the length', forText);
    if (forS <= 0) throw new UsageError(`${entry}: the length must be above 0`);
    return { name: spec, fault, atS, forS };
  });
  return schedule.sort((a, b) => a.atS - b.atS);
}

// The links a schedule injects faults on: the run routes these through toxiproxy.
export function linksOf(schedule: readonly ScheduledFault[]): Link[] {
  const links = new Set<Link>();
  for (const { fault } of schedule) if ('link' in fault) links.add(fault.link);
  return [...links];
}

// The last moment a fault is still open, for checking that the schedule fits the traffic.
export function lastFaultEndS(schedule: readonly ScheduledFault[]): number {
  return Math.max(0, ...schedule.map((f) => f.atS + f.forS));
}
