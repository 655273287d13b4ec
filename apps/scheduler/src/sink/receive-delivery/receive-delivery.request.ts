import { IsRfc3339DateTime } from '@suite/service-kit';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';

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

  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}
