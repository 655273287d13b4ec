import { ApiProperty } from '@nestjs/swagger';

// What the crawler answers on its public routes, relayed unchanged: for the OpenAPI document.
export class CrawlResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['running', 'finished'] }) status!: string;
  @ApiProperty({ type: [String] }) seeds!: string[];
  @ApiProperty({ type: 'integer' }) minIntervalMs!: number;
  @ApiProperty({ type: 'integer' }) maxDepth!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ type: 'integer', description: 'URLs waiting to be fetched' }) queued!: number;
  @ApiProperty({ type: 'integer', description: 'URLs claimed by a worker' }) fetching!: number;
  @ApiProperty({ type: 'integer', description: 'URLs completed' }) done!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'done URLs by outcome: page, redirect, http-error, disallowed, network-error',
  })
  outcomes!: Record<string, number>;
  @ApiProperty() fetchesPerSecond!: number;
}
