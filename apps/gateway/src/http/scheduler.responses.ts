import { ApiProperty } from '@nestjs/swagger';

// What the scheduler answers on its public routes, relayed unchanged: for the OpenAPI
// document.

export class JobScheduleResponse {
  @ApiProperty({ enum: ['once', 'cron'] }) kind!: string;
  @ApiProperty({ format: 'date-time', required: false }) runAt?: string;
  @ApiProperty({ required: false, example: '*/10 * * * * *' }) cron?: string;
}

export class JobTargetResponse {
  @ApiProperty({ enum: ['kafka', 'http'] }) kind!: string;
  @ApiProperty({ required: false }) topic?: string;
  @ApiProperty({ required: false }) url?: string;
}

export class JobResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: 'integer', description: 'Fixed at creation; its owner fires the job' })
  partition!: number;
  @ApiProperty({ type: JobScheduleResponse }) schedule!: JobScheduleResponse;
  @ApiProperty({ type: JobTargetResponse }) target!: JobTargetResponse;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: object;
  @ApiProperty({ enum: ['active', 'done', 'cancelled'] }) status!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' }) nextFireAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' }) cancelledAt!: string | null;
}

export class FireResponse {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ format: 'date-time' }) scheduledAt!: string;
  @ApiProperty({ description: '<jobId>:<scheduledAt>, the same on every delivery of the fire' })
  idempotencyKey!: string;
  @ApiProperty({ enum: ['pending', 'delivered'] }) status!: string;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ format: 'date-time' }) claimedAt!: string;
  @ApiProperty({ description: 'The scheduler instance that claimed the fire' }) claimedBy!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' }) deliveredAt!: string | null;
  @ApiProperty({ nullable: true, type: 'string' }) deliveredBy!: string | null;
}

export class FireListResponse {
  @ApiProperty({ type: [FireResponse] }) data!: FireResponse[];
}
