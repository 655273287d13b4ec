import { Body, Controller, Get, Module, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { initServiceApp } from '../app/create-service-app';
import { ValidShape } from './validation.pipe';

class SeatRefDto {
  @IsString()
  row!: string;

  @IsInt()
  @Min(1)
  number!: number;
}

class PlaceHoldDto {
  @IsUUID()
  eventId!: string;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => SeatRefDto)
  seats!: SeatRefDto[];
}

class ListSeatsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

// Every field optional, as a settings patch is.
class PatchSettingsDto {
  @IsOptional()
  @IsInt()
  limit?: number;
}

// The shape check here is deliberately wider than the decorators (it lets a negative count
// through), which shows whether the decorators ran. A real check accepts less than they do.
const shapeChecked: Array<Record<string, unknown>> = [];

@ValidShape((body) => {
  shapeChecked.push(body);
  return typeof body['count'] === 'number' && Object.keys(body).length === 1;
})
class CountDto {
  @IsInt()
  @Min(0)
  count!: number;
}

// Inherits CountDto's fields but not its check.
class CountAndNoteDto extends CountDto {
  @IsString()
  note!: string;
}

@Controller('holds')
class HoldsHttpController {
  @Post('count-and-note')
  countAndNote(@Body() body: CountAndNoteDto): { body: CountAndNoteDto } {
    return { body };
  }

  @Post('count')
  count(@Body() body: CountDto): { isDto: boolean; body: CountDto } {
    return { isDto: body instanceof CountDto, body };
  }

  @Post('settings')
  patch(@Body() body: PatchSettingsDto | undefined): { body: PatchSettingsDto | null } {
    return { body: body ?? null };
  }

  @Post()
  place(@Body() body: PlaceHoldDto): { isDto: boolean; seatIsDto: boolean; body: PlaceHoldDto } {
    return {
      isDto: body instanceof PlaceHoldDto,
      seatIsDto: body.seats[0] instanceof SeatRefDto,
      body,
    };
  }

  @Get(':holdId/seats')
  seats(
    @Param('holdId', new ParseUUIDPipe()) holdId: string,
    @Query() query: ListSeatsQuery,
  ): { holdId: string; limit: number | undefined; limitType: string } {
    return { holdId, limit: query.limit, limitType: typeof query.limit };
  }
}

@Module({ controllers: [HoldsHttpController] })
class ProbeModule {}

const EVENT_ID = '5f0c3c1e-6d8a-4f7b-9a43-2b1f4c1b9a10';

describe('global validation', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initServiceApp(ProbeModule, { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  const place = (payload: object) => app.inject({ method: 'POST', url: '/holds', payload });

  it('hands the handler a DTO instance when the body is valid', async () => {
    const response = await place({ eventId: EVENT_ID, seats: [{ row: 'A', number: 1 }] });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      isDto: true,
      seatIsDto: true,
      body: { eventId: EVENT_ID, seats: [{ row: 'A', number: 1 }] },
    });
  });

  it('answers 400 listing every broken rule by field', async () => {
    const response = await place({ eventId: 'not-a-uuid', seats: [] });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: ['eventId must be a UUID', 'seats must contain at least 1 elements'],
    });
  });

  it('names nested fields by their path', async () => {
    const response = await place({ eventId: EVENT_ID, seats: [{ row: 'A', number: 0 }] });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toEqual(['seats.0.number must not be less than 1']);
  });

  it('rejects properties the DTO does not declare instead of dropping them', async () => {
    const response = await place({
      eventId: EVENT_ID,
      seats: [{ row: 'A', number: 1 }],
      price: 0,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toEqual(['property price should not exist']);
  });

  it('does not echo rejected values back', async () => {
    const response = await place({ eventId: 'secret-value-123', seats: [{ row: 'A', number: 1 }] });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('secret-value-123');
  });

  it('converts declared query values and validates them', async () => {
    const ok = await app.inject({ method: 'GET', url: `/holds/${EVENT_ID}/seats?limit=25` });
    expect(ok.json()).toEqual({ holdId: EVENT_ID, limit: 25, limitType: 'number' });

    const tooMany = await app.inject({ method: 'GET', url: `/holds/${EVENT_ID}/seats?limit=5000` });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().message).toEqual(['limit must not be greater than 500']);
  });

  it('answers 400 for a malformed id in the path', async () => {
    const response = await app.inject({ method: 'GET', url: '/holds/42/seats' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed (uuid is expected)',
    });
  });

  it('refuses a body that is not a JSON object even when every field is optional', async () => {
    for (const payload of ['"AAA"', '42', '[1,2]', 'null']) {
      const response = await app.inject({
        method: 'POST',
        url: '/holds/settings',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe('the body must be a JSON object');
    }
    const patched = await app.inject({
      method: 'POST',
      url: '/holds/settings',
      payload: { limit: 3 },
    });
    expect(patched.json()).toEqual({ body: { limit: 3 } });
  });

  describe('a DTO with a ValidShape check', () => {
    const count = (payload: object) => app.inject({ method: 'POST', url: '/holds/count', payload });
    beforeEach(() => (shapeChecked.length = 0));

    it('hands over a body the check accepts as a DTO instance, without the decorators', async () => {
      const response = await count({ count: -1 });
      expect(shapeChecked).toEqual([{ count: -1 }]);
      expect(response.json()).toEqual({ isDto: true, body: { count: -1 } });
    });

    it('leaves a body the check refuses to the decorators, which word the 400', async () => {
      const response = await count({ count: 'x', extra: 1 });
      expect(shapeChecked).toHaveLength(1);
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toEqual([
        'property extra should not exist',
        'count must not be less than 0',
        'count must be an integer number',
      ]);
    });

    it("is not a subclass's check", async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/holds/count-and-note',
        payload: { count: -1 },
      });
      expect(shapeChecked).toEqual([]);
      expect(response.statusCode).toBe(400);
    });

    it('never sees a body that is not a JSON object', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/holds/count',
        headers: { 'content-type': 'application/json' },
        payload: '[1]',
      });
      expect(response.json().message).toBe('the body must be a JSON object');
      expect(shapeChecked).toEqual([]);
    });
  });
});
