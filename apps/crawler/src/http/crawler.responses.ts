import { ApiProperty } from '@nestjs/swagger';

// What the crawler's routes answer, for its OpenAPI document (CrawlView).
export class CrawlResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['running', 'finished'] }) status!: string;
  @ApiProperty({ type: [String] }) seeds!: string[];
  @ApiProperty({ type: 'integer' }) minIntervalMs!: number;
  @ApiProperty({ type: 'integer' }) maxDepth!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ type: 'integer' }) queued!: number;
  @ApiProperty({ type: 'integer' }) fetching!: number;
  @ApiProperty({ type: 'integer' }) done!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'done URLs by outcome: page, redirect, http-error, disallowed, network-error',
  })
  outcomes!: Record<string, number>;
  @ApiProperty() fetchesPerSecond!: number;
}
