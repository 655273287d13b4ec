import { Injectable } from '@nestjs/common';
import { HttpMetrics } from '@suite/service-kit';
import type { RateLimitDecision } from '@suite/coordination';
import { Counter } from 'prom-client';

// Decisions by policy, outcome and source. Anything but source="redis" means the shared
// count was not consulted: the runbook's first question during an incident.
@Injectable()
export class DecisionMetrics {
  private readonly decisions: Counter<'policy' | 'allowed' | 'source'>;

  constructor(metrics: HttpMetrics) {
    this.decisions = new Counter({
      name: 'rate_limit_decisions_total',
      help: 'Rate-limit decisions by policy, outcome and deciding source',
      labelNames: ['policy', 'allowed', 'source'],
      registers: [metrics.registry],
    });
  }

  record(decision: RateLimitDecision): void {
    this.decisions.inc({
      policy: decision.policy,
      allowed: String(decision.allowed),
      source: decision.source,
    });
  }
}
