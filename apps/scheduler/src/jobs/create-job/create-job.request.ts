import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsRfc3339DateTime } from '@suite/service-kit';
import { IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';
import { IsPayload, PAYLOAD_JSON_SCHEMA, type Payload } from '../domain/payload';

// Exactly one of runAt (a one-off job) and cron (a recurring one), and exactly one target:
// callbackUrl or topic. Which one is missing or doubled is a 422 from the use case.
export class CreateJobRequest {
  // RFC 3339; fires once at this time (at once if it is up to a second ago).
  @IsOptional()
  @IsRfc3339DateTime()
  runAt?: Date;

  // Five fields, or six with seconds first, in UTC ("*/10 * * * * *": every ten seconds).
  @IsOptional()
  @IsString()
  @Length(1, 120)
  cron?: string;

  // POSTed to with the fire's Idempotency-Key; must be on a configured origin (422 if not).
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2048)
  callbackUrl?: string;

  // A Kafka topic under the configured prefix.
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'topic must be a Kafka topic name' })
  topic?: string;

  // Sent with every fire, as it was given.
  @ApiPropertyOptional(PAYLOAD_JSON_SCHEMA as object)
  @IsOptional()
  @IsPayload()
  payload?: Payload;
}
