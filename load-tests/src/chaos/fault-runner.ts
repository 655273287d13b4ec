// Plays a fault schedule against the traffic's clock: each fault starts at its time, heals
// at the end of its window, and every fault still open heals when the run stops (normally,
// on an error or on SIGINT): no service is left killed or stopped, no link poisoned, no
// infrastructure down. Each window is recorded as it really happened.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  findWorkspaceRoot,
  killService,
  restartService,
  running,
  startServices,
} from '@suite/testing';
import type { FaultWindow } from '../load/report';
import type { ComposeFaults } from './compose-faults';
import type { LinkProxies } from './links';
import { replicaName, type Fault, type InfraComponent, type ScheduledFault } from './schedule';

const ROOT = findWorkspaceRoot(__dirname);
const exec = promisify(execFile);
// Debian's faketime: a service started with it preloaded reads a shifted wall clock; its
// monotonic clock (timers) stays true.
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

type ServiceName = Parameters<typeof killService>[0];

// Stops one service gracefully and starts it again with this environment of its own.
async function relaunch(service: ServiceName, env: Record<string, string>): Promise<void> {
  if (running(service)) await killService(service, 'SIGTERM');
  await startServices([service], { overrides: { [service]: env } });
}

async function infra(component: InfraComponent, command: 'start' | 'stop'): Promise<void> {
  // Kafka's stop waits up to 60 s for a clean shutdown and its start up to 90 s.
  await exec('bash', [join(ROOT, 'infra/local', `${component}.sh`), command], {
    cwd: ROOT,
    timeout: 240_000,
  });
}

export interface FaultRecord extends FaultWindow {
  // Seconds from the traffic's start; null when the fault never started (the run ended first).
  healedAtS: number | null;
  error?: string;
}

interface Open {
  scheduled: ScheduledFault;
  startedMs: number;
  healing?: Promise<void>;
  healTimer?: NodeJS.Timeout;
}

export class FaultRunner {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly open = new Set<Open>();
  private readonly pending: Promise<void>[] = [];
  private readonly begun = new Set<ScheduledFault>();
  // A skewed service's own environment before the skew, to start it again with.
  private readonly unskewed = new Map<ServiceName, Record<string, string>>();
  readonly records: FaultRecord[] = [];
  private originMs = 0;
  private stopped = false;

  constructor(
    private readonly schedule: readonly ScheduledFault[],
    private readonly links: LinkProxies | undefined,
    private readonly log: (line: string) => void = (line) => console.log(line),
    private readonly compose?: ComposeFaults,
  ) {}

  private composeFaults(): ComposeFaults {
    if (!this.compose) throw new Error('a compose fault needs a run against --target compose');
    return this.compose;
  }

  // Starts the clock: `originMs` is the traffic's start (Date.now() time).
  start(originMs: number): void {
    this.originMs = originMs;
    for (const scheduled of this.schedule) {
      const delay = Math.max(0, originMs + scheduled.atS * 1000 - Date.now());
      this.timers.push(setTimeout(() => this.pending.push(this.begin(scheduled)), delay));
    }
  }

  private seconds(ms: number): number {
    return +((ms - this.originMs) / 1000).toFixed(1);
  }

  private async begin(scheduled: ScheduledFault): Promise<void> {
    if (this.stopped) return;
    this.begun.add(scheduled);
    const { fault } = scheduled;
    const open: Open = { scheduled, startedMs: Date.now() };
    this.open.add(open);
    this.log(
      `  fault ${scheduled.name} at ${this.seconds(open.startedMs)} s: ${describe(scheduled)}`,
    );
    if (fault.kind === 'restart') {
      // A restart is its own window: stopped, then started again.
      open.healing = this.run(open, async () => {
        try {
          await infra(fault.component, 'stop');
        } finally {
          await infra(fault.component, 'start');
        }
      });
      return open.healing;
    }
    try {
      await this.inject(fault);
    } catch (error) {
      open.healing = this.run(open, () => this.heal(fault), error);
      return open.healing;
    }
    if (this.stopped) return this.healNow(open);
    open.healTimer = setTimeout(() => void this.healNow(open), scheduled.forS * 1000);
  }

  private healNow(open: Open): Promise<void> {
    if (open.healTimer) clearTimeout(open.healTimer);
    open.healing ??= this.run(open, () => this.heal(open.scheduled.fault));
    return open.healing;
  }

  // Runs the healing, then records the window as it happened.
  private async run(open: Open, heal: () => Promise<void>, injectError?: unknown): Promise<void> {
    let error = injectError;
    try {
      await heal();
    } catch (healError) {
      error ??= healError;
    }
    const healedMs = Date.now();
    this.open.delete(open);
    const atS = this.seconds(open.startedMs);
    const healedAtS = this.seconds(healedMs);
    this.records.push({
      name: open.scheduled.name,
      atS,
      forS: +(healedAtS - atS).toFixed(1),
      healedAtS,
      ...(error === undefined
        ? {}
        : { error: error instanceof Error ? error.message : String(error) }),
    });
    this.log(
      `  fault ${open.scheduled.name} healed at ${healedAtS} s (${(healedAtS - atS).toFixed(1)} s)${error === undefined ? '' : `, with an error: ${error instanceof Error ? error.message : String(error)}`}`,
    );
  }

  private async inject(fault: Fault): Promise<void> {
    switch (fault.kind) {
      case 'kill':
        await killService(fault.service, 'SIGKILL');
        return;
      case 'pause': {
        const entry = running(fault.service);
        if (!entry) throw new Error(`${fault.service} is not running`);
        process.kill(entry.pid, 'SIGSTOP');
        return;
      }
      case 'skew': {
        if (!existsSync(FAKETIME_LIB))
          throw new Error(`${FAKETIME_LIB} is missing: apt-get install faketime`);
        const env = running(fault.service)?.overrides ?? {};
        this.unskewed.set(fault.service, env);
        await relaunch(fault.service, {
          ...env,
          LD_PRELOAD: FAKETIME_LIB,
          FAKETIME: `${fault.seconds > 0 ? '+' : ''}${fault.seconds}s`,
          FAKETIME_DONT_FAKE_MONOTONIC: '1',
        });
        return;
      }
      case 'restart':
        return;
      case 'container-pause':
      case 'partition':
      case 'isolate':
        await this.composeFaults().inject(fault);
        return;
      default:
        if (!this.links) throw new Error(`no proxy on the ${fault.link} link`);
        await this.links.inject(fault);
    }
  }

  private async heal(fault: Fault): Promise<void> {
    switch (fault.kind) {
      case 'kill':
        if (!running(fault.service)) await restartService(fault.service);
        return;
      case 'pause': {
        const entry = running(fault.service);
        if (entry) process.kill(entry.pid, 'SIGCONT');
        return;
      }
      case 'skew': {
        const env = this.unskewed.get(fault.service);
        if (env) await relaunch(fault.service, env);
        else if (!running(fault.service)) await restartService(fault.service);
        return;
      }
      case 'restart':
        await infra(fault.component, 'start');
        return;
      case 'container-pause':
      case 'partition':
      case 'isolate':
        await this.composeFaults().heal(fault);
        return;
      default:
        await this.links?.heal(fault);
    }
  }

  // Cancels the faults not yet started, heals the open ones and waits for every healing.
  async stop(): Promise<FaultRecord[]> {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
    await Promise.allSettled(this.pending);
    await Promise.allSettled([...this.open].map((open) => this.healNow(open)));
    for (const scheduled of this.schedule) {
      if (!this.begun.has(scheduled)) {
        this.records.push({ name: scheduled.name, atS: scheduled.atS, forS: 0, healedAtS: null });
      }
    }
    return this.records.sort((a, b) => a.atS - b.atS);
  }

  // Heals synchronously what can be healed synchronously, for a process that is exiting:
  // paused services get SIGCONT, paused containers are unpaused. (Killed services,
  // infrastructure, partitions and isolated containers need stop().)
  continuePaused(): void {
    for (const open of this.open) {
      const { fault } = open.scheduled;
      if (fault.kind === 'pause') {
        const entry = running(fault.service);
        if (entry) process.kill(entry.pid, 'SIGCONT');
      }
      if (fault.kind === 'container-pause') this.compose?.unpauseNow(fault);
    }
  }
}

export function describe(scheduled: ScheduledFault): string {
  const { fault, forS } = scheduled;
  switch (fault.kind) {
    case 'kill':
      return `kill -9 ${fault.service}, restart after ${forS} s`;
    case 'pause':
      return `SIGSTOP ${fault.service} for ${forS} s`;
    case 'skew':
      return `${fault.service} restarted with its clock ${fault.seconds} s off, for ${forS} s`;
    case 'restart':
      return `${fault.component} stopped and started again`;
    case 'latency':
      return `+${fault.ms} ms on the ${fault.link} link for ${forS} s`;
    case 'timeout':
      return `the ${fault.link} link stalled for ${forS} s`;
    case 'reset':
      return `connections on the ${fault.link} link reset for ${forS} s`;
    case 'bandwidth':
      return `the ${fault.link} link capped at ${fault.kBps} kB/s for ${forS} s`;
    case 'container-pause':
      return `docker pause ${replicaName(fault.replica)} for ${forS} s`;
    case 'partition':
      return `${replicaName(fault.replica)} cut off from ${fault.from} for ${forS} s`;
    case 'isolate':
      return `${replicaName(fault.replica)} disconnected from its networks for ${forS} s`;
  }
}
