import { Body, Controller, Get, Headers, Module, Param, Post, Query, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { initServiceApp } from '../app/create-service-app';
import { DEFAULT_MAX_JSON_DEPTH, jsonDepthExceeds } from './input-guards';

// A DTO written with no thought for control characters or nesting: the chassis alone
// must protect it.
class NoteDto {
  @IsString()
  text!: string;
}

class NewThingDto {
  @IsString()
  title!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => NoteDto)
  note?: NoteDto;
}

@Controller('things')
class ThingsHttpController {
  @Post()
  create(@Body() body: NewThingDto): NewThingDto {
    return body;
  }

  @Get(':name')
  find(
    @Param('name') name: string,
    @Query('tag') tag: string | undefined,
    @Headers('idempotency-key') key: string | undefined,
  ): { name: string; tag?: string; key?: string } {
    return { name, tag, key };
  }

  // Raw, as the gateway proxies: no DTO, no pipe.
  @Post('raw')
  raw(@Req() request: FastifyRequest): unknown {
    return request.body;
  }
}

@Module({ controllers: [ThingsHttpController] })
class ProbeModule {}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('input guards every service app has', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initServiceApp(ProbeModule, { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  const post = (url: string, payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload });

  it('rejects a control character in a new DTO field, naming the field but not the value', async () => {
    const response = await post('/things', JSON.stringify({ title: 'Front\u0000row' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'title must not contain control characters',
    });
  });

  it('rejects a control character in a nested field by its path', async () => {
    const response = await post(
      '/things',
      JSON.stringify({ title: 'ok', note: { text: 'line\nbreak' } }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('note.text must not contain control characters');
  });

  it.each([
    ['\u0001', 'U+0001'],
    ['\u001f', 'U+001F'],
    ['\u007f', 'U+007F'],
    ['\t', 'tab'],
  ])('rejects %j (%s) in a body string', async (char) => {
    const response = await post('/things', JSON.stringify({ title: `a${char}b` }));
    expect(response.statusCode).toBe(400);
  });

  it('rejects a control character in a property name', async () => {
    const response = await post('/things', JSON.stringify({ title: 'ok', ['ti\u0000tle']: 1 }));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('a property name must not contain control characters');
  });

  it('rejects a control character in a path parameter', async () => {
    const response = await app.inject({ method: 'GET', url: '/things/a%00b' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('path parameter name must not contain control characters');
  });

  it('rejects a control character in a query parameter, repeated or not', async () => {
    for (const url of ['/things/a?tag=x%00', '/things/a?tag=ok&tag=%1b']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe(
        'query parameter tag must not contain control characters',
      );
    }
  });

  it('rejects a control character in a header value', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/things/a',
      headers: { 'idempotency-key': 'key\u0000key-1' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(
      'header idempotency-key must not contain control characters',
    );
  });

  it('covers routes that read the raw body, as the gateway does', async () => {
    const response = await post('/things/raw', JSON.stringify({ seatIds: ['A-1\u0000'] }));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('seatIds.0 must not contain control characters');
  });

  it('lets clean input through, non-ASCII included', async () => {
    const created = await post('/things', JSON.stringify({ title: 'Zürich – Première' }));
    expect(created.statusCode).toBe(201);
    const found = await app.inject({ method: 'GET', url: '/things/a-1?tag=vip' });
    expect(found.json()).toEqual({ name: 'a-1', tag: 'vip' });
  });

  it('answers 400 for about 5,000 levels of nested JSON instead of overflowing', async () => {
    const response = await post('/things/raw', nested(5000));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: `JSON nesting deeper than ${DEFAULT_MAX_JSON_DEPTH}`,
    });
  });

  it('bounds nesting whatever the charset parameter says', async () => {
    const response = await post('/things', nested(100), 'application/json; charset=utf-8');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(`JSON nesting deeper than ${DEFAULT_MAX_JSON_DEPTH}`);
  });

  it('accepts nesting up to the bound', async () => {
    const response = await post('/things/raw', nested(DEFAULT_MAX_JSON_DEPTH));
    expect(response.statusCode).toBe(201);
  });

  it('keeps the JSON parser refusing prototype poisoning', async () => {
    const response = await post('/things/raw', '{"__proto__": {"admin": true}}');
    expect(response.statusCode).toBe(400);
  });
});

describe('jsonDepthExceeds', () => {
  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ a: '[[[[\\"[[[[' }), 2)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 4)).toBe(false);
  });
});
