import { LuaScript, type RedisClient } from '../redis/lua-script';
import { validateNamespace } from '../selection/fenced-holds';

const heartbeatScript = LuaScript.fromFile(__dirname, 'heartbeat.lua');
const leaveScript = LuaScript.fromFile(__dirname, 'leave.lua');

// A group name: letters, digits, dot, dash, underscore. No braces (they would end the Redis
// Cluster hash tag) and no ':' (it ends the namespace inside the tag).
const GROUP = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const MEMBER = /^[^\s{}]{1,128}$/;

export function validateGroup(group: unknown): asserts group is string {
  if (typeof group !== 'string' || !GROUP.test(group)) {
    throw new RangeError(
      `group must be 1-63 letters, digits, '.', '-' or '_', got ${JSON.stringify(group)}`,
    );
  }
}

export function validateMemberId(memberId: unknown): asserts memberId is string {
  if (typeof memberId !== 'string' || !MEMBER.test(memberId)) {
    throw new RangeError(
      `memberId must be 1-128 characters without spaces or braces, got ${JSON.stringify(memberId)}`,
    );
  }
}

export function membersKey(namespace: string, group: string): string {
  return `assign:{${namespace}:${group}}:members`;
}

export interface MembershipOptions {
  redis: RedisClient;
  // The service that owns the group (e.g. 'scheduler'); as in FencedHolds.
  namespace: string;
  // The set of members that share one set of partitions (e.g. 'jobs').
  group: string;
}

// Membership of a group by leases in Redis: a member is live while its last heartbeat is less
// than one lease old, by Redis's clock. One script call, one round trip, per operation.
export class Membership {
  private readonly key: string;
  private readonly redis: RedisClient;

  constructor(options: MembershipOptions) {
    validateNamespace(options.namespace);
    validateGroup(options.group);
    this.redis = options.redis;
    this.key = membersKey(options.namespace, options.group);
  }

  // Joins or renews `memberId` for `leaseMs`, and returns the live members (sorted by id),
  // `memberId` among them.
  async heartbeat(memberId: string, leaseMs: number): Promise<string[]> {
    validateMemberId(memberId);
    if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0) {
      throw new RangeError(`leaseMs must be a positive integer, got ${leaseMs}`);
    }
    return heartbeatScript.run<string[]>(this.redis, [this.key], [memberId, leaseMs]);
  }

  // The live members, sorted by id.
  async members(): Promise<string[]> {
    return heartbeatScript.run<string[]>(this.redis, [this.key], ['', 1]);
  }

  // Leaves at once; returns whether the member was still listed.
  async leave(memberId: string): Promise<boolean> {
    validateMemberId(memberId);
    return (await leaveScript.run<number>(this.redis, [this.key], [memberId])) === 1;
  }
}
