import { Injectable } from '@nestjs/common';

// Resolves when the dependency is usable; rejects with the reason when it is not.
export type ReadinessCheck = () => Promise<void>;

// A passing check is 'ok', a failing one 'down'; why it failed is never part of the answer.
export type CheckState = 'ok' | 'down';

export interface ReadinessReport {
  ready: boolean;
  // Each dependency by name, ok or down: what a probe, or anyone, may see.
  checks: Record<string, CheckState>;
  // Why each failing check failed (a driver's message, an address): for the log only.
  failures: Record<string, string>;
}

// The check a stopping service fails, so a load balancer routes new requests elsewhere.
export const ACCEPTING_TRAFFIC = 'accepting-traffic';

// Modules register a named check for each dependency a request needs (Postgres,
// Redis, Kafka), typically in onModuleInit. The service is ready only when all pass.
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private draining = false;

  // From now on the service reports not ready ("accepting-traffic": down) whatever its
  // dependencies say. Called once, when it begins to stop.
  beginDraining(): void {
    if (this.draining) return;
    this.draining = true;
    this.checks.set(ACCEPTING_TRAFFIC, () => Promise.reject(new Error('the service is stopping')));
  }

  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) {
      throw new Error(`readiness check "${name}" is already registered`);
    }
    this.checks.set(name, check);
  }

  // Runs every check concurrently. A check that has not settled within timeoutMs
  // counts as failed, so one hung dependency cannot hang the probe itself.
  async run(timeoutMs: number): Promise<ReadinessReport> {
    const entries = [...this.checks.entries()];
    const outcomes = await Promise.all(entries.map(([, check]) => settleWithin(check, timeoutMs)));
    const checks: Record<string, CheckState> = {};
    const failures: Record<string, string> = {};
    entries.forEach(([name], index) => {
      const failure = outcomes[index];
      checks[name] = failure === undefined ? 'ok' : 'down';
      if (failure !== undefined) failures[name] = failure;
    });
    return { ready: outcomes.every((outcome) => outcome === undefined), checks, failures };
  }
}

// undefined when the check passed, otherwise the failure message.
async function settleWithin(check: ReadinessCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
  });
  const outcome = Promise.resolve()
    .then(check)
    .then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
