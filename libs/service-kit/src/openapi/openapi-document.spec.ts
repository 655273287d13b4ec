import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { initServiceApp } from '../app/create-service-app';
import { AuthModule } from '../auth/auth.module';
import { generateEs256KeyPair } from '../auth/es256-keys';
import { Public } from '../auth/public.decorator';
import { RequireScopes } from '../auth/require-scopes.decorator';
import { ApiErrors } from './api-errors.decorator';

class SeatRef {
  @IsString()
  @Length(1, 8)
  row!: string;
}

class PlaceHoldBody {
  @IsUUID('all')
  eventId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  seatIds!: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => SeatRef)
  near?: SeatRef;
}

class ListQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class HoldView {
  @ApiProperty() holdId!: string;
}

class IdParams {
  @IsUUID('all')
  id!: string;
}

@Controller('holds')
class HoldsHttpController {
  @Post()
  @ApiOkResponse({ type: HoldView })
  place(@Body() body: PlaceHoldBody): HoldView {
    return { holdId: body.eventId };
  }

  @Get(':id')
  @ApiErrors({ 404: 'No such hold' })
  get(@Param() params: IdParams): HoldView {
    return { holdId: params.id };
  }

  @Public()
  @Get()
  list(@Query() query: ListQuery): { limit: number | undefined } {
    return { limit: query.limit };
  }

  @RequireScopes('ops:admin')
  @Post('purge')
  purge(): { purged: true } {
    return { purged: true };
  }
}

@Module({
  imports: [
    AuthModule.forRoot({
      publicKeyPem: generateEs256KeyPair().publicKeyPem,
      issuer: 'suite',
      audience: 'suite',
    }),
  ],
  controllers: [HoldsHttpController],
})
class ProbeModule {}

interface Operation {
  parameters?: Array<{ name: string; in: string; schema: Record<string, unknown> }>;
  security?: unknown[];
  responses: Record<string, unknown>;
}

describe('the OpenAPI document a service serves', () => {
  let app: NestFastifyApplication;
  let document: {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Record<string, unknown>> };
  };

  beforeAll(async () => {
    app = await initServiceApp(ProbeModule, {
      logLevel: 'fatal',
      openApi: { title: 'Probe', description: 'A probe service' },
    });
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });

  afterAll(async () => {
    await app.close();
  });

  it('reads request schemas from the validation rules, closed as the pipe enforces them', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.schemas['PlaceHoldBody']).toEqual({
      type: 'object',
      properties: {
        eventId: { type: 'string', format: 'uuid' },
        seatIds: {
          type: 'array',
          minItems: 1,
          maxItems: 10,
          items: {
            type: 'string',
            minLength: 1,
            maxLength: 64,
            pattern: '^[^\\u0000-\\u001F\\u007F]*$',
          },
        },
        // Optional: absent or null.
        near: { anyOf: [{ $ref: '#/components/schemas/SeatRef' }, { type: 'null' }] },
      },
      required: ['eventId', 'seatIds'],
      additionalProperties: false,
    });
  });

  it('explodes a query DTO into bounded parameters', () => {
    const limit = document.paths['/holds']?.['get']?.parameters?.find((p) => p.name === 'limit');
    expect(limit).toMatchObject({
      in: 'query',
      schema: { type: 'integer', minimum: 1, maximum: 500 },
    });
  });

  it('adds what the chassis answers: 400 for input, 401 and the scopes for the guard', () => {
    const place = document.paths['/holds']?.['post'];
    expect(place?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(place?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '413', '415']),
    );
    expect(Object.keys(document.paths['/holds/{id}']?.['get']?.responses ?? {})).toEqual(
      expect.arrayContaining(['400', '401', '404']),
    );
    expect(document.paths['/holds']?.['get']?.security).toEqual([]);
    expect(document.paths['/holds']?.['get']?.responses['401']).toBeUndefined();
    const purge = document.paths['/holds/purge']?.['post'];
    expect(purge?.security).toEqual([{ bearer: ['ops:admin'] }]);
    expect(purge?.responses['403']).toBeDefined();
  });

  it('answers 405 with Allow for a method a known path does not support', async () => {
    const response = await app.inject({ method: 'PUT', url: '/holds/anything' });
    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe('GET, HEAD');
    expect(response.json()).toEqual({
      statusCode: 405,
      error: 'Method Not Allowed',
      message: 'PUT is not supported here; use GET, HEAD',
    });
    expect((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode).toBe(404);
  });
});
