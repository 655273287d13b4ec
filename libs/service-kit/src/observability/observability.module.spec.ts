import { Controller, Get, Module, Param } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initServiceApp } from '../app/create-service-app';
import { HealthModule } from '../health/health.module';
import { HttpMetrics } from './http-metrics';
import { ObservabilityModule } from './observability.module';
import { propagationHeaders, RequestContext } from './request-context';

@Controller('probe')
class ProbeHttpController {
  @Get('seats/:seatId')
  seat(@Param('seatId') seatId: string): { seatId: string } {
    return { seatId };
  }

  // What an outgoing HTTP call made while serving this request would carry.
  @Get('outgoing')
  async outgoing(): Promise<{ requestId?: string; headers: Record<string, string> }> {
    await new Promise((resolve) => setImmediate(resolve));
    return { requestId: RequestContext.requestId(), headers: propagationHeaders() };
  }

  @Get('broken')
  broken(): never {
    throw new Error('upstream refused');
  }
}

function probeApp(metricsRoute: 'api' | 'none' = 'api') {
  @Module({
    imports: [
      ObservabilityModule.forService('ticketing', { logLevel: 'fatal', metricsRoute }),
      HealthModule.forService('ticketing'),
    ],
    controllers: [ProbeHttpController],
  })
  class ProbeAppModule {}
  return ProbeAppModule;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('ObservabilityModule', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initServiceApp(probeApp(), { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  describe('request ids', () => {
    it('echoes the x-request-id the caller sent', async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/probe/seats/7',
        headers: { 'x-request-id': 'checkout-42.retry-1' },
      });
      expect(response.headers['x-request-id']).toBe('checkout-42.retry-1');
    });

    it('derives the request id from the trace id of a W3C traceparent', async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/probe/seats/7',
        headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
      });
      expect(response.headers['x-request-id']).toBe(TRACE_ID);
    });

    it('generates a request id when the caller sends neither header', async () => {
      const first = await app.inject({ method: 'GET', url: '/probe/seats/7' });
      const second = await app.inject({ method: 'GET', url: '/probe/seats/7' });
      expect(first.headers['x-request-id']).toMatch(UUID);
      expect(second.headers['x-request-id']).toMatch(UUID);
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });

    it('replaces an x-request-id that could forge log fields or is unbounded', async () => {
      for (const offered of ['a b "level":"fatal"', 'x'.repeat(129)]) {
        const response = await app.inject({
          method: 'GET',
          url: '/probe/seats/7',
          headers: { 'x-request-id': offered },
        });
        expect(response.headers['x-request-id']).toMatch(UUID);
      }
    });

    it('ignores a malformed traceparent', async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/probe/seats/7',
        headers: { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` },
      });
      expect(response.headers['x-request-id']).toMatch(UUID);
    });

    it('echoes the request id on errors, unknown routes and unsupported methods too', async () => {
      const broken = await app.inject({
        method: 'GET',
        url: '/probe/broken',
        headers: { 'x-request-id': 'req-broken' },
      });
      const missing = await app.inject({
        method: 'GET',
        url: '/no-such-route',
        headers: { 'x-request-id': 'req-missing' },
      });
      // Answered by an earlier hook than any route's: the 405 of installMethodNotAllowed.
      const wrongMethod = await app.inject({
        method: 'DELETE',
        url: '/health',
        headers: { 'x-request-id': 'req-wrong-method' },
      });
      expect(broken.statusCode).toBe(500);
      expect(broken.headers['x-request-id']).toBe('req-broken');
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['x-request-id']).toBe('req-missing');
      expect(wrongMethod.statusCode).toBe(405);
      expect(wrongMethod.headers['x-request-id']).toBe('req-wrong-method');
    });

    it('gives handler code the request id and headers that continue the trace', async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/probe/outgoing',
        headers: {
          'x-request-id': 'req-outgoing',
          traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
        },
      });
      const { requestId, headers } = response.json<{
        requestId: string;
        headers: Record<string, string>;
      }>();
      expect(requestId).toBe('req-outgoing');
      expect(headers['x-request-id']).toBe('req-outgoing');
      // Same trace, sampled flag kept, a new span for the outgoing hop.
      expect(headers['traceparent']).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
      expect(headers['traceparent']).not.toContain('00f067aa0ba902b7');
    });

    it('keeps concurrent requests apart', async () => {
      const ids = Array.from({ length: 20 }, (_, index) => `req-concurrent-${index}`);
      const responses = await Promise.all(
        ids.map((id) =>
          app.inject({ method: 'GET', url: '/probe/outgoing', headers: { 'x-request-id': id } }),
        ),
      );
      expect(responses.map((response) => response.json<{ requestId: string }>().requestId)).toEqual(
        ids,
      );
    });
  });

  describe('GET /metrics', () => {
    async function scrape(target: NestFastifyApplication = app): Promise<string> {
      const response = await target.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.body;
    }

    it('serves the default process metrics labelled with the service', async () => {
      const body = await scrape();
      expect(body).toContain('# TYPE process_cpu_user_seconds_total counter');
      expect(body).toContain('nodejs_eventloop_lag_seconds{service="ticketing"}');
    });

    it('records request durations by method, route pattern and status, never the raw URL', async () => {
      await app.inject({ method: 'GET', url: '/probe/seats/8123' });
      await app.inject({ method: 'GET', url: '/probe/seats/8124?hold=1' });
      await app.inject({ method: 'GET', url: '/probe/broken' });
      const body = await scrape();
      expect(body).toContain('# TYPE http_request_duration_seconds histogram');
      expect(body).toMatch(
        /http_request_duration_seconds_count\{service="ticketing",method="GET",route="\/probe\/seats\/:seatId",status="200"\} \d+/,
      );
      expect(body).toMatch(
        /http_request_duration_seconds_count\{service="ticketing",method="GET",route="\/probe\/broken",status="500"\} \d+/,
      );
      expect(body).not.toContain('8123');
      expect(body).not.toContain('hold=1');
    });

    it('labels requests that matched no route as (unmatched)', async () => {
      await app.inject({ method: 'GET', url: '/wp-admin/setup.php' });
      const body = await scrape();
      expect(body).toContain('route="(unmatched)",status="404"');
      expect(body).not.toContain('wp-admin');
    });

    it('gives each app instance its own registry', async () => {
      const other = await initServiceApp(probeApp(), { logLevel: 'fatal' });
      try {
        await app.inject({ method: 'GET', url: '/probe/seats/1' });
        const otherBody = await scrape(other);
        expect(otherBody).toContain('# TYPE http_request_duration_seconds histogram');
        expect(otherBody).not.toContain('route="/probe/seats/:seatId"');
      } finally {
        await other.close();
      }
    });

    it('has no route on the API port when the app serves its metrics elsewhere, and still records', async () => {
      const other = await initServiceApp(probeApp('none'), { logLevel: 'fatal' });
      try {
        expect((await other.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
        await other.inject({ method: 'GET', url: '/probe/seats/3' });
        expect(await other.get(HttpMetrics).render()).toContain('route="/probe/seats/:seatId"');
      } finally {
        await other.close();
      }
    });

    it('is public and stays beside the health endpoints', async () => {
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
    });
  });
});
