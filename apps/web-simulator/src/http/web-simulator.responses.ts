import { ApiProperty } from '@nestjs/swagger';

// What the simulator's API answers, for its OpenAPI document.

export class WebResponse {
  @ApiProperty({ type: 'integer' }) seed!: number;
  @ApiProperty({ type: 'integer' }) hosts!: number;
  @ApiProperty({ type: 'integer' }) pagesPerHost!: number;
  @ApiProperty({ type: 'integer' }) minIntervalMs!: number;
  @ApiProperty({ type: 'integer' }) slowMs!: number;
  @ApiProperty({ type: [String] }) seedUrls!: string[];
  @ApiProperty({ type: [String] }) hostNames!: string[];
  @ApiProperty({ format: 'date-time' }) since!: string;
}

class RateViolationResponse {
  @ApiProperty() host!: string;
  @ApiProperty() gapMs!: number;
}

class VerdictExamplesResponse {
  @ApiProperty({ type: [String] }) missed!: string[];
  @ApiProperty({ type: [String] }) duplicates!: string[];
  @ApiProperty({ type: [String] }) unexpected!: string[];
  @ApiProperty({ type: [RateViolationResponse] }) violations!: RateViolationResponse[];
}

export class VerdictResponse {
  @ApiProperty({ type: 'integer' }) reachable!: number;
  @ApiProperty({ type: 'integer' }) fetchedPages!: number;
  @ApiProperty({ type: 'integer' }) requests!: number;
  @ApiProperty({ type: 'integer' }) robotsRequests!: number;
  @ApiProperty({ type: 'integer' }) missed!: number;
  @ApiProperty({ type: 'integer' }) duplicates!: number;
  @ApiProperty({ type: 'integer' }) unexpected!: number;
  @ApiProperty({ type: 'integer' }) rateViolations!: number;
  @ApiProperty({ type: 'number', nullable: true }) smallestGapMs!: number | null;
  @ApiProperty({ type: VerdictExamplesResponse }) examples!: VerdictExamplesResponse;
}
