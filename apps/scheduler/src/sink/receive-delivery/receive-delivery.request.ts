import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsRfc3339DateTime } from '@suite/service-kit';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsPayload, PAYLOAD_JSON_SCHEMA, type Payload } from '../../jobs/domain/payload';

// What the scheduler POSTs for each fire (the key also travels in the Idempotency-Key header).
export class ReceiveDeliveryRequest {
  @IsString()
  @Length(1, 100)
  jobId!: string;

  @IsRfc3339DateTime()
  scheduledAt!: Date;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  idempotencyKey?: string;

  @ApiPropertyOptional(PAYLOAD_JSON_SCHEMA as object)
  @IsOptional()
  @IsPayload()
  payload?: Payload;
}
