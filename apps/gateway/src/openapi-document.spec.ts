import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateEs256KeyPair, loadConfig } from '@suite/service-kit';
import { gatewayConfigSchema } from './config/gateway.config';
import { initGatewayApp } from './gateway.app';

interface Operation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  security?: unknown[];
  responses: Record<string, { headers?: Record<string, unknown> }>;
}

describe('OpenAPI document', () => {
  let app: NestFastifyApplication;
  let document: {
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  };

  beforeAll(async () => {
    const config = loadConfig(
      gatewayConfigSchema,
      {
        LOG_LEVEL: 'fatal',
        REDIS_URL: 'redis://127.0.0.1:1',
        JWT_PUBLIC_KEY: generateEs256KeyPair().publicKeyPem,
      },
      'gateway',
    );
    app = await initGatewayApp(config, { logLevel: 'fatal' });
    const response = await app.inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });

  afterAll(async () => {
    await app.close();
  });

  it('lists every proxied route', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /events',
        'GET /events/{eventId}/seats',
        'POST /holds',
        'GET /holds/{holdId}',
        'DELETE /holds/{holdId}',
        'POST /checkouts',
        'GET /orders/{orderId}',
        'POST /payments',
        'POST /payments/{paymentId}/refunds',
        'GET /payments/{paymentId}',
        'POST /auctions',
        'GET /auctions',
        'GET /auctions/{auctionId}',
        'POST /auctions/{auctionId}/bids',
        'GET /auctions/{auctionId}/bids',
        'POST /rate-limits/check',
        'GET /rate-limits/usage',
        'POST /jobs',
        'GET /jobs/{jobId}',
        'GET /jobs/{jobId}/fires',
        'POST /jobs/{jobId}/cancel',
        'POST /crawls',
        'GET /crawls/{crawlId}',
      ]),
    );
    expect(operations.filter((o) => /admin|policies/.test(o))).toEqual([]);
    // Test fixtures on loopback, not public API: the scheduler's delivery sink and the web
    // simulator the crawler crawls.
    expect(operations.filter((o) => /sink|\/web/.test(o))).toEqual([]);
    expect(operations).not.toContain('GET /metrics');
    expect(operations).not.toContain('POST /dev/tokens');
  });

  it('declares bearer JWT security on the proxied routes', () => {
    expect(document.components.securitySchemes['bearer']).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(document.paths['/holds']?.['post']?.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/auctions/{auctionId}/bids']?.['post']?.security).toEqual([
      { bearer: [] },
    ]);
    expect(document.paths['/rate-limits/check']?.['post']?.security).toEqual([{ bearer: [] }]);
    for (const [path, method] of [
      ['/jobs', 'post'],
      ['/jobs/{jobId}', 'get'],
      ['/jobs/{jobId}/fires', 'get'],
      ['/jobs/{jobId}/cancel', 'post'],
      ['/crawls', 'post'],
      ['/crawls/{crawlId}', 'get'],
    ] as const) {
      expect(document.paths[path]?.[method]?.security).toEqual([{ bearer: [] }]);
    }
  });

  it('marks the auction reads as public: a token is optional', () => {
    for (const path of ['/auctions', '/auctions/{auctionId}', '/auctions/{auctionId}/bids']) {
      expect(document.paths[path]?.['get']?.security).toEqual(
        expect.arrayContaining([{ bearer: [] }, {}]),
      );
    }
  });

  it('requires an Idempotency-Key exactly on the routes that move money', () => {
    const requiresKey = (path: string, method: string) =>
      document.paths[path]?.[method]?.parameters?.some(
        (p) => p.name === 'Idempotency-Key' && p.in === 'header' && p.required === true,
      ) ?? false;
    expect(requiresKey('/checkouts', 'post')).toBe(true);
    expect(requiresKey('/payments', 'post')).toBe(true);
    expect(requiresKey('/payments/{paymentId}/refunds', 'post')).toBe(true);
    expect(requiresKey('/holds', 'post')).toBe(false);
  });

  it('documents the 429 with its rate-limit headers and the request and response shapes', () => {
    const tooMany = document.paths['/events']?.['get']?.responses['429'];
    expect(Object.keys(tooMany?.headers ?? {})).toEqual([
      'RateLimit',
      'RateLimit-Policy',
      'Retry-After',
    ]);
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'PlaceHoldRequest',
        'HoldResponse',
        'CheckoutRequest',
        'CreatePaymentRequest',
        'PaymentResponse',
        'ErrorResponse',
        'CreateAuctionRequest',
        'AuctionResponse',
        'PlaceBidRequest',
        'BidAcceptedResponse',
        'BidRejectedResponse',
        'BidHistoryResponse',
        'RateLimitCheckRequest',
        'RateLimitDecisionResponse',
        'RateLimitUsageResponse',
        'CreateJobRequest',
        'JobResponse',
        'FireListResponse',
        'StartCrawlRequest',
        'CrawlResponse',
      ]),
    );
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger');
  });
});
