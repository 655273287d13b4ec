import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

// Route label for requests that matched no route, so scanners probing random URLs
// cannot grow the label set without bound.
export const UNMATCHED_ROUTE = '(unmatched)';

// Sub-millisecond Redis decisions up to proxied calls near their timeout.
const DURATION_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export interface ObservedRequest {
  method: string;
  // The route pattern ("/holds/:holdId"), never the raw URL.
  route: string;
  status: number;
  durationMs: number;
}

// One registry per app instance: several apps in one process (tests, or a gateway
// embedding a limiter) each expose their own series and never collide in a global one.
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.requestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to finishing its response.',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers: [this.registry],
    });
  }

  observe(request: ObservedRequest): void {
    this.requestDuration.observe(
      { method: request.method, route: request.route, status: String(request.status) },
      request.durationMs / 1000,
    );
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
