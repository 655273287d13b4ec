import { ApiProperty } from '@nestjs/swagger';

// What the scheduler's routes answer, for its OpenAPI document. A field added to a view
// belongs here too, or the fuzz stage's response_schema_conformance reports it.

export class ScheduleResponse {
  @ApiProperty({ enum: ['once', 'cron'] }) kind!: string;
  @ApiProperty({ format: 'date-time', required: false }) runAt?: string;
  @ApiProperty({ required: false }) cron?: string;
}

export class TargetResponse {
  @ApiProperty({ enum: ['kafka', 'http'] }) kind!: string;
  @ApiProperty({ required: false }) topic?: string;
  @ApiProperty({ required: false }) url?: string;
}

export class JobResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: 'integer' }) partition!: number;
  @ApiProperty({ type: ScheduleResponse }) schedule!: ScheduleResponse;
  @ApiProperty({ type: TargetResponse }) target!: TargetResponse;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: object;
  @ApiProperty({ enum: ['active', 'done', 'cancelled'] }) status!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' }) nextFireAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' }) cancelledAt!: string | null;
}

export class FireResponse {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ format: 'date-time' }) scheduledAt!: string;
  @ApiProperty() idempotencyKey!: string;
  @ApiProperty({ enum: ['pending', 'delivered'] }) status!: string;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ format: 'date-time' }) claimedAt!: string;
  @ApiProperty() claimedBy!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' }) deliveredAt!: string | null;
  @ApiProperty({ nullable: true, type: 'string' }) deliveredBy!: string | null;
}

export class FireListResponse {
  @ApiProperty({ type: [FireResponse] }) data!: FireResponse[];
}

export class SinkReceiptResponse {
  @ApiProperty() idempotencyKey!: string;
  @ApiProperty({ type: 'integer' }) deliveries!: number;
  @ApiProperty() applied!: boolean;
}
