import {
  BadRequestException,
  ConflictException,
  Body,
  Controller,
  Get,
  HttpException,
  Module,
  Post,
  type LoggerService,
} from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { initServiceApp } from '../app/create-service-app';

@Controller('probe')
class ProbeHttpController {
  @Get('rejected')
  rejected(): never {
    throw new BadRequestException('seat id is required');
  }

  @Get('invalid')
  invalid(): never {
    throw new BadRequestException(['seatIds must not be empty', 'eventId must be a UUID']);
  }

  @Get('conflict')
  conflict(): never {
    throw new ConflictException({ message: 'seats already held', seatIds: ['A-1', 'A-2'] });
  }

  @Get('internal-details')
  internalDetails(): never {
    throw new HttpException({ message: 'upstream failed', query: 'select * from cards' }, 502);
  }

  @Get('gone')
  gone(): never {
    throw new HttpException('hold has expired', 410);
  }

  @Get('broken')
  broken(): never {
    throw new Error('connection to 10.0.0.7:5432 refused');
  }

  @Get('broken-async')
  async brokenAsync(): Promise<never> {
    throw 'a string, not an Error';
  }

  // Real drivers pointed at a port where nothing listens.
  @Get('postgres-down')
  async postgresDown(): Promise<never> {
    const client = new Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2_000 });
    await client.connect();
    throw new Error('unreachable: connected to port 1');
  }

  @Get('redis-down')
  async redisDown(): Promise<never> {
    const redis = new Redis({
      host: '127.0.0.1',
      port: 1,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.get('anything');
    } finally {
      redis.disconnect();
    }
    throw new Error('unreachable: Redis answered on port 1');
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [ProbeHttpController] })
class ProbeModule {}

class RecordingLogger implements LoggerService {
  readonly errors: unknown[][] = [];
  readonly other: unknown[][] = [];
  log(...args: unknown[]): void {
    this.other.push(args);
  }
  warn(...args: unknown[]): void {
    this.other.push(args);
  }
  error(...args: unknown[]): void {
    this.errors.push(args);
  }
}

describe('AllExceptionsFilter', () => {
  let app: NestFastifyApplication;
  let logger: RecordingLogger;

  beforeEach(async () => {
    logger = new RecordingLogger();
    app = await initServiceApp(ProbeModule, { logLevel: 'error', logger });
  });

  afterEach(async () => {
    await app.close();
  });

  it('answers an HttpException with its status and message', async () => {
    const response = await app.inject({ method: 'GET', url: '/probe/rejected' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'seat id is required',
    });
  });

  it('keeps the list of validation messages', async () => {
    const response = await app.inject({ method: 'GET', url: '/probe/invalid' });
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: ['seatIds must not be empty', 'eventId must be a UUID'],
    });
  });

  it("passes a client error's own details through to the client", async () => {
    const response = await app.inject({ method: 'GET', url: '/probe/conflict' });
    expect(response.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'seats already held',
      seatIds: ['A-1', 'A-2'],
    });
  });

  it("keeps a server error's details away from the client", async () => {
    const response = await app.inject({ method: 'GET', url: '/probe/internal-details' });
    expect(response.json()).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message: 'upstream failed',
    });
  });

  it('names the status of an HttpException built from a plain string', async () => {
    const response = await app.inject({ method: 'GET', url: '/probe/gone' });
    expect(response.json()).toEqual({
      statusCode: 410,
      error: 'Gone',
      message: 'hold has expired',
    });
  });

  it('hides an unknown error behind a generic 500 and logs its stack server-side', async () => {
    const response = await app.inject({ method: 'GET', url: '/probe/broken' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'internal error',
    });
    expect(response.body).not.toContain('10.0.0.7');
    expect(response.body).not.toContain('at ');

    expect(logger.errors).toHaveLength(1);
    const [message, stack] = logger.errors[0] ?? [];
    expect(message).toBe('GET /probe/broken failed: connection to 10.0.0.7:5432 refused');
    expect(stack).toEqual(expect.stringContaining('all-exceptions.filter.spec.ts'));
  });

  it.each(['postgres-down', 'redis-down'])(
    'answers 503 with Retry-After when a dependency cannot be reached (%s)',
    async (route) => {
      const response = await app.inject({ method: 'GET', url: `/probe/${route}` });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.stringMatching(/ is unavailable; retry after 1 s$/),
      });
      expect(response.body).not.toContain('127.0.0.1');
      // Expected while a dependency restarts: a warning, not an error with a stack.
      expect(logger.errors).toEqual([]);
      expect(logger.other.flat().join(' ')).toContain(`GET /probe/${route} -> 503`);
    },
  );

  it('treats a thrown non-Error the same way', async () => {
    const response = await app.inject({ method: 'GET', url: '/probe/broken-async' });
    expect(response.json()).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'internal error',
    });
    expect(logger.errors[0]?.[0]).toBe('GET /probe/broken-async failed: a string, not an Error');
  });

  it('answers a malformed JSON body with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"seatIds": [1, 2',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.json().message).toEqual(expect.stringContaining('JSON'));
    expect(logger.errors).toEqual([]);
  });

  it('answers an empty JSON body with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: "Body cannot be empty when content-type is set to 'application/json'",
    });
  });

  it('answers a body over the size limit with 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is too large',
    });
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<seat/>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
  });

  it('answers an unknown route with 404 naming the route', async () => {
    const response = await app.inject({ method: 'GET', url: '/no-such-route' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /no-such-route',
    });
  });

  it('still serves a well-formed request', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      payload: { seatIds: [1, 2] },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ seatIds: [1, 2] });
  });
});
