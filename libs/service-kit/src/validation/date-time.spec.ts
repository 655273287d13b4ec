import { Body, Controller, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsOptional } from 'class-validator';
import { initServiceApp } from '../app/create-service-app';
import { IsRfc3339DateTime, parseRfc3339DateTime } from './date-time';

describe('parseRfc3339DateTime', () => {
  it.each([
    ['2030-01-01T10:00:00Z', Date.UTC(2030, 0, 1, 10)],
    ['2030-01-01T10:00:00.5Z', Date.UTC(2030, 0, 1, 10, 0, 0, 500)],
    ['2030-01-01T10:00:00.123456789Z', Date.UTC(2030, 0, 1, 10, 0, 0, 123)],
    ['2030-01-01T12:30:00+02:30', Date.UTC(2030, 0, 1, 10)],
    ['2030-01-01T05:00:00-05:00', Date.UTC(2030, 0, 1, 10)],
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    ['2000-02-29T00:00:00z', Date.UTC(2000, 1, 29)],
    // Years below 100 are not read as 19xx.
    ['0050-06-01T00:00:00Z', -60_576_249_600_000],
  ])('reads %s as one instant', (text, epochMs) => {
    expect(parseRfc3339DateTime(text)).toBe(epochMs);
  });

  it.each([
    '2030-01-01T10',
    '2030-W01-1',
    '2030-01-01',
    '2030-01-01T10:00',
    '2030-01-01T10:00:00',
    '2030-01-01 10:00:00Z',
    '2030-13-01T10:00:00Z',
    '2030-04-31T10:00:00Z',
    '2029-02-29T10:00:00Z',
    '2100-02-29T10:00:00Z',
    '2030-01-01T24:00:00Z',
    '2030-01-01T23:59:60Z',
    '2030-01-01T10:00:00+24:00',
    '2030-01-01T10:00:00+0100',
    '+002030-01-01T10:00:00Z',
    ' 2030-01-01T10:00:00Z',
    '2030-01-01T10:00:00Z\n',
    '',
  ])('refuses %j', (text) => {
    expect(parseRfc3339DateTime(text)).toBeUndefined();
  });
});

class ScheduleDto {
  @IsRfc3339DateTime()
  endsAt!: Date;

  @IsOptional()
  @IsRfc3339DateTime()
  startsAt?: Date;
}

@Controller('schedules')
class SchedulesHttpController {
  @Post()
  create(@Body() body: ScheduleDto): { endsAtMs: number; isDate: boolean } {
    return { endsAtMs: body.endsAt.getTime(), isDate: body.endsAt instanceof Date };
  }
}

@Module({ controllers: [SchedulesHttpController] })
class ProbeModule {}

describe('IsRfc3339DateTime', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await initServiceApp(ProbeModule, { logLevel: 'fatal' });
  });

  afterAll(async () => {
    await app.close();
  });

  const post = (payload: object) => app.inject({ method: 'POST', url: '/schedules', payload });

  it('hands the handler the parsed Date', async () => {
    const response = await post({ endsAt: '2030-01-01T11:00:00+01:00' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ endsAtMs: Date.UTC(2030, 0, 1, 10), isDate: true });
  });

  it.each(['2030-01-01T10', '2030-W01-1', 12, null])(
    'answers 400 naming the field for %j',
    async (endsAt) => {
      const response = await post({ endsAt });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toEqual([
        'endsAt must be an RFC 3339 date-time with seconds and an offset, e.g. 2030-01-01T10:00:00Z',
      ]);
    },
  );
});
