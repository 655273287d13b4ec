import { Body, Controller, Get, Logger, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { initServiceApp } from '../app/create-service-app';
import type { LogLevelName } from '../config/config-vars';
import { HealthModule } from '../health/health.module';
import { ObservabilityModule } from './observability.module';

// Log lines are asserted in their own file: Nest's Logger is process-wide, so the last
// app built in a test file owns what Nest itself logs.

@Controller('probe')
class ProbeHttpController {
  private readonly logger = new Logger('HoldsService');

  @Post('holds')
  placeHold(@Body() body: unknown): { placed: true } {
    this.logger.log(`placing a hold for ${typeof body}`);
    return { placed: true };
  }

  @Get('broken')
  broken(): never {
    throw new Error('connection to 10.0.0.7:5432 refused');
  }
}

class CapturedLog implements DestinationStream {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  write(line: string): void {
    this.raw.push(line);
    this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  requestLines(): Record<string, unknown>[] {
    return this.lines.filter(
      (line) => line['msg'] === 'request completed' || line['msg'] === 'request failed',
    );
  }
}

async function bootWith(log: CapturedLog, logLevel: LogLevelName): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      ObservabilityModule.forService('payments', { logLevel, destination: log }),
      HealthModule.forService('payments'),
    ],
    controllers: [ProbeHttpController],
  })
  class ProbeAppModule {}
  return initServiceApp(ProbeAppModule, { logLevel: 'fatal' });
}

describe('ObservabilityModule logs', () => {
  const log = new CapturedLog();
  let app: NestFastifyApplication;
  let bootLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    app = await bootWith(log, 'info');
    bootLines = [...log.lines];
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    log.lines.length = 0;
    log.raw.length = 0;
  });

  it('writes one JSON line per request with method, route, status, duration and request id', async () => {
    await app.inject({
      method: 'POST',
      url: '/probe/holds?debug=1',
      headers: { 'x-request-id': 'req-hold-1' },
      payload: { seatIds: ['A1'] },
    });
    expect(log.requestLines()).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'payments',
        msg: 'request completed',
        reqId: 'req-hold-1',
        method: 'POST',
        route: '/probe/holds',
        path: '/probe/holds',
        status: 201,
        durationMs: expect.any(Number),
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }),
    ]);
  });

  it('never logs the request body, the Authorization header or the query string', async () => {
    await app.inject({
      method: 'POST',
      url: '/probe/holds?card=4242424242424242',
      headers: { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.secret-token', cookie: 'sid=s3cr3t' },
      payload: { cardNumber: '5555555555554444' },
    });
    const everything = log.raw.join('');
    expect(log.requestLines()).toHaveLength(1);
    for (const secret of [
      'secret-token',
      'Bearer',
      's3cr3t',
      '5555555555554444',
      '4242424242424242',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('tags what the handler logs through Nest with the request id', async () => {
    await app.inject({
      method: 'POST',
      url: '/probe/holds',
      headers: { 'x-request-id': 'req-hold-2' },
      payload: {},
    });
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        reqId: 'req-hold-2',
        context: 'HoldsService',
        msg: 'placing a hold for object',
      }),
    );
  });

  it('logs a failed request at error level, with the cause server-side only', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/probe/broken',
      headers: { 'x-request-id': 'req-broken' },
    });
    expect(response.body).not.toContain('10.0.0.7');
    expect(log.requestLines()).toEqual([
      expect.objectContaining({ level: 'error', reqId: 'req-broken', status: 500 }),
    ]);
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        reqId: 'req-broken',
        context: 'ExceptionsFilter',
        msg: 'GET /probe/broken failed: connection to 10.0.0.7:5432 refused',
      }),
    );
  });

  it("writes Nest's own boot messages as JSON lines of the service", () => {
    expect(bootLines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        service: 'payments',
        context: 'NestApplication',
        msg: 'Nest application successfully started',
      }),
    );
  });

  it("writes probes' lines at debug, so the default level leaves them out", async () => {
    await app.inject({ method: 'GET', url: '/health' });
    await app.inject({ method: 'GET', url: '/metrics' });
    expect(log.requestLines()).toEqual([]);
    const verbose = new CapturedLog();
    const verboseApp = await bootWith(verbose, 'debug');
    try {
      await verboseApp.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'p' } });
      expect(verbose.requestLines()).toEqual([
        expect.objectContaining({ level: 'debug', reqId: 'p', route: '/health', status: 200 }),
      ]);
    } finally {
      await verboseApp.close();
    }
  });

  it('drops request lines below the configured level', async () => {
    const quiet = new CapturedLog();
    const quietApp = await bootWith(quiet, 'warn');
    try {
      await quietApp.inject({ method: 'POST', url: '/probe/holds', payload: {} });
      await quietApp.inject({ method: 'GET', url: '/probe/broken' });
      expect(quiet.requestLines()).toEqual([
        expect.objectContaining({ level: 'error', route: '/probe/broken', status: 500 }),
      ]);
    } finally {
      await quietApp.close();
    }
  });
});
