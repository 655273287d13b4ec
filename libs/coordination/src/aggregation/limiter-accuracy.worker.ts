// A limiter instance in its own process, driven over IPC by
// limiter-accuracy-across-processes.integration-spec.ts. It plays one gateway: it offers
// load to shared policies and reports every decision back, with the time the decision used.
import Redis from 'ioredis';
import { createLimiter, type Limiter } from './limiter';
import type { RateLimitPolicy } from './policy';

export interface WorkerSetup {
  type: 'setup';
  redisUrl: string;
  keyPrefix: string;
  policies: RateLimitPolicy[];
}

// Offer `perSecond` requests per policy for `durationMs`, paced evenly, without waiting
// for replies (requests overlap as they do in a gateway).
export interface PacedLoad {
  type: 'paced';
  key: string;
  perSecond: number;
  durationMs: number;
}

// Send one request per entry of `nowMs`, all at once, to one policy.
export interface Burst {
  type: 'burst';
  policy: string;
  key: string;
  nowMs: number[];
}

export interface RecordedDecision {
  policy: string;
  allowed: boolean;
  nowMs: number;
  source: string;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; decisions: RecordedDecision[] }
  | { type: 'failed'; error: string };

let redis: Redis | undefined;
const limiters = new Map<string, Limiter>();

const send = (reply: WorkerReply) => process.send?.(reply);

async function paced({ key, perSecond, durationMs }: PacedLoad): Promise<RecordedDecision[]> {
  const decisions: RecordedDecision[] = [];
  const pending: Promise<void>[] = [];
  const total = Math.ceil((perSecond * durationMs) / 1_000);
  const gapMs = 1_000 / perSecond;
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    // Bounded in count and in time: stop early rather than overrun a slow machine.
    if (Date.now() - started > durationMs + 2_000) break;
    const due = started + i * gapMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (const limiter of limiters.values()) {
      pending.push(
        limiter.check(key).then((d) => {
          decisions.push({
            policy: d.policy,
            allowed: d.allowed,
            nowMs: d.nowMs,
            source: d.source,
          });
        }),
      );
    }
  }
  await Promise.all(pending);
  return decisions;
}

async function burst({ policy, key, nowMs }: Burst): Promise<RecordedDecision[]> {
  const limiter = limiters.get(policy);
  if (!limiter) throw new Error(`unknown policy ${policy}`);
  const decisions = await Promise.all(nowMs.map((at) => limiter.check(key, { nowMs: at })));
  return decisions.map((d) => ({ policy, allowed: d.allowed, nowMs: d.nowMs, source: d.source }));
}

process.on('message', (message: WorkerSetup | PacedLoad | Burst) => {
  void (async () => {
    try {
      if (message.type === 'setup') {
        redis = new Redis(message.redisUrl, { keyPrefix: message.keyPrefix });
        for (const policy of message.policies) {
          // A generous timeout: this run measures the algorithms, not the failure path.
          limiters.set(policy.name, createLimiter({ redis, policy, timeoutMs: 5_000 }));
        }
        send({ type: 'ready' });
      } else if (message.type === 'paced') {
        send({ type: 'done', decisions: await paced(message) });
      } else {
        send({ type: 'done', decisions: await burst(message) });
      }
    } catch (error) {
      send({ type: 'failed', error: String(error) });
    }
  })();
});

process.on('disconnect', () => {
  redis?.disconnect();
  process.exit(0);
});
