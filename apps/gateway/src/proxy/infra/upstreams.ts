import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HttpMetrics } from '@suite/service-kit';
import { Gauge } from 'prom-client';
import {
  upstreamBaseUrl,
  upstreamTimeoutMs,
  type GatewayConfig,
} from '../../config/gateway.config';
import { GATEWAY_CONFIG } from '../../gateway.tokens';
import { UPSTREAMS, type UpstreamName } from '../domain/gateway-routes';
import { HttpUpstream, type UpstreamRequest, type UpstreamResponse } from './http-upstream';
import { UpstreamBreaker, type BreakerState } from './upstream-breaker';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

// Each upstream's HTTP client behind its own circuit breaker. Breakers are per gateway
// instance: each instance learns of an upstream's failures from its own calls.
@Injectable()
export class Upstreams implements OnApplicationShutdown {
  private readonly clients = new Map<UpstreamName, HttpUpstream>();
  private readonly breakers = new Map<UpstreamName, UpstreamBreaker>();

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, metrics: HttpMetrics) {
    const breakerState = new Gauge({
      name: 'gateway_upstream_circuit_state',
      help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'],
      registers: [metrics.registry],
    });
    for (const name of UPSTREAMS) {
      const client = new HttpUpstream({
        name,
        baseUrl: upstreamBaseUrl(config, name),
        timeoutMs: upstreamTimeoutMs(config, name),
      });
      const breaker = new UpstreamBreaker(client, {
        errorThresholdPercentage: config.BREAKER_ERROR_PERCENT,
        volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
        rollingWindowMs: config.BREAKER_WINDOW_MS,
        resetMs: config.BREAKER_RESET_MS,
      });
      breakerState.set({ upstream: name }, STATE_VALUE.closed);
      breaker.onStateChange((state) => breakerState.set({ upstream: name }, STATE_VALUE[state]));
      this.clients.set(name, client);
      this.breakers.set(name, breaker);
    }
  }

  send(name: UpstreamName, request: UpstreamRequest): Promise<UpstreamResponse> {
    const breaker = this.breakers.get(name);
    if (breaker === undefined) throw new Error(`no upstream named ${name}`);
    return breaker.send(request);
  }

  onApplicationShutdown(): void {
    this.breakers.forEach((breaker) => breaker.shutdown());
    this.clients.forEach((client) => client.close());
  }
}
