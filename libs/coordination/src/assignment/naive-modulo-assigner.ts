import type { RedisClient } from '../redis/lua-script';
import type { Timers } from '../selection/leader-elector';
import { Membership } from './membership';

export interface NaiveModuloAssignerOptions {
  redis: RedisClient;
  namespace: string;
  group: string;
  memberId: string;
  partitions: number;
  leaseMs?: number;
  heartbeatMs?: number;
  timers?: Timers;
  onError?(error: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

// FOR TESTS AND MEASUREMENTS ONLY. Assignment as it is often written: read the member list,
// sort it, own partition p when p % members = my index. No claim, no fencing token. While
// members read the list at different moments (a join, a death, a pause) two of them believe
// they own the same partition, and both act on it. The tests run it beside PartitionAssigner
// with one verifier, to show that the verifier catches exactly that. Use PartitionAssigner.
export class NaiveModuloAssigner {
  private readonly membership: Membership;
  private readonly timers: Timers;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private mine: ReadonlySet<number> = new Set();
  private running = false;
  private timer: unknown;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly options: NaiveModuloAssignerOptions) {
    this.membership = new Membership(options);
    this.timers = options.timers ?? realTimers;
    this.leaseMs = options.leaseMs ?? 3000;
    this.heartbeatMs = options.heartbeatMs ?? 1000;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.tick();
    this.schedule();
  }

  // The partitions this member believes it owns, as of its last read of the member list.
  owned(): ReadonlySet<number> {
    return this.mine;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.timers.clearTimeout(this.timer);
    await this.ticking;
    this.mine = new Set();
    await this.membership.leave(this.options.memberId);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.timers.setTimeout(() => {
      this.ticking = this.tick()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => this.schedule());
    }, this.heartbeatMs);
  }

  private async tick(): Promise<void> {
    const members = await this.membership.heartbeat(this.options.memberId, this.leaseMs);
    const index = members.indexOf(this.options.memberId);
    const mine = new Set<number>();
    for (let p = 0; p < this.options.partitions; p++) {
      if (p % members.length === index) mine.add(p);
    }
    this.mine = mine;
  }
}
