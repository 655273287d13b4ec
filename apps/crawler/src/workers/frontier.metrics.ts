import { Injectable } from '@nestjs/common';
import { HttpMetrics } from '@suite/service-kit';
import { Counter } from 'prom-client';
import type { WorkerEvent } from './frontier-worker';

// What this worker did to the frontier, on /metrics: requests by outcome, writes the fence
// refused (a newer owner had the partition), and URLs put back when it adopted a partition.
@Injectable()
export class FrontierMetrics {
  private readonly completed: Counter<'outcome'>;
  private readonly refused: Counter;
  private readonly adopted: Counter;

  constructor(metrics: HttpMetrics) {
    this.completed = new Counter({
      name: 'crawler_urls_completed_total',
      help: 'URLs this worker completed, by outcome',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
    this.refused = new Counter({
      name: 'crawler_fence_refusals_total',
      help: 'Writes for a partition refused because a newer owner had written to it',
      registers: [metrics.registry],
    });
    this.adopted = new Counter({
      name: 'crawler_adopted_urls_total',
      help: 'URLs an older owner left fetching, put back by this worker when it took the partition',
      registers: [metrics.registry],
    });
  }

  record(event: WorkerEvent): void {
    if (event.kind === 'fetched') this.completed.inc({ outcome: event.outcome });
    else if (event.kind === 'refused-by-fence') this.refused.inc();
    else if (event.kind === 'adopted') this.adopted.inc(event.requeued);
  }
}
