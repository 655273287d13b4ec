import CircuitBreaker from 'opossum';
import type { HttpUpstream, UpstreamRequest, UpstreamResponse } from './http-upstream';
import { UpstreamCircuitOpenError } from './upstream.errors';

export interface BreakerOptions {
  errorThresholdPercentage: number;
  volumeThreshold: number;
  rollingWindowMs: number;
  resetMs: number;
  now?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

// Answers that say the upstream itself is unwell (RFC 9110 §15.6: bad gateway, unavailable,
// gateway timeout). A 500 is not among them: a client's input can provoke one, and if it
// counted, anyone could open the circuit and cut every user off the service.
const UNHEALTHY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

// An unhealthy answer still reaches the client (sanitised), but counts as a failure here.
class UpstreamUnhealthyError extends Error {
  constructor(readonly response: UpstreamResponse) {
    super(`upstream answered ${response.status}`);
  }
}

// One circuit breaker per upstream, around every call the gateway makes to it. Failures
// are 502/503/504 answers, timeouts and unreachable upstreams; every other answer (4xx,
// and a 500 a request may have caused) is passed through and counts as a success. While open, calls fail at once and the upstream gets no traffic;
// after resetMs one trial call goes through (half-open) and its outcome decides.
export class UpstreamBreaker {
  private readonly breaker: CircuitBreaker<[UpstreamRequest], UpstreamResponse>;
  private readonly now: () => number;
  private openedAt = 0;

  constructor(
    private readonly upstream: Pick<HttpUpstream, 'name' | 'send'>,
    private readonly options: BreakerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.breaker = new CircuitBreaker(
      async (request: UpstreamRequest) => {
        const response = await this.upstream.send(request);
        if (UNHEALTHY_STATUSES.has(response.status)) throw new UpstreamUnhealthyError(response);
        return response;
      },
      {
        name: upstream.name,
        // The upstream client enforces its own timeout and aborts the request.
        timeout: false,
        errorThresholdPercentage: options.errorThresholdPercentage,
        volumeThreshold: options.volumeThreshold,
        rollingCountTimeout: options.rollingWindowMs,
        rollingCountBuckets: 10,
        resetTimeout: options.resetMs,
        // No percentile snapshots: nothing reads them, and they cost a timer.
        enableSnapshots: false,
        rollingPercentilesEnabled: false,
      },
    );
    this.breaker.on('open', () => {
      this.openedAt = this.now();
    });
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  onStateChange(listener: (state: BreakerState) => void): void {
    this.breaker.on('open', () => listener('open'));
    this.breaker.on('halfOpen', () => listener('half-open'));
    this.breaker.on('close', () => listener('closed'));
  }

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      return await this.breaker.fire(request);
    } catch (error) {
      if (error instanceof UpstreamUnhealthyError) return error.response;
      if (isOpenCircuitRejection(error)) {
        throw new UpstreamCircuitOpenError(this.upstream.name, this.retryAfterMs());
      }
      throw error;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  // Until the trial call; while a trial is in flight, about a second.
  private retryAfterMs(): number {
    const untilHalfOpen = this.openedAt + this.options.resetMs - this.now();
    return untilHalfOpen > 0 ? untilHalfOpen : 1_000;
  }
}

function isOpenCircuitRejection(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EOPENBREAKER';
}
