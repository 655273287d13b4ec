import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA } from '@suite/contracts';

// What the rate-limiter service answers to check and usage, relayed unchanged: for the
// OpenAPI document.

export class RateLimitPolicyResult {
  @ApiProperty({ type: 'integer', description: 'Index of the descriptor this policy matched' })
  descriptor!: number;
  @ApiProperty({ example: 'api.per-user' }) policy!: string;
  @ApiProperty({ enum: ['sliding-log', 'sliding-counter', 'gcra', 'fixed-window'] })
  algorithm!: string;
  @ApiProperty() allowed!: boolean;
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({ type: 'integer' }) windowMs!: number;
  @ApiProperty({ type: 'integer' }) remaining!: number;
  @ApiProperty({ type: 'integer' }) resetMs!: number;
  @ApiProperty({ type: 'integer' }) retryAfterMs!: number;
  @ApiProperty({ enum: ['redis', 'fallback', 'failure-policy'] }) source!: string;
  @ApiProperty({ type: 'integer' }) nowMs!: number;
}

// 200 when admitted, 429 when denied, with this body either way.
export class RateLimitDecisionResponse {
  @ApiProperty() allowed!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The deciding policy' })
  policy!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) remaining!: number | null;
  @ApiProperty({ type: 'integer' }) resetMs!: number;
  @ApiProperty({ type: 'integer' }) retryAfterMs!: number;
  @ApiProperty({ type: String, nullable: true, enum: ['redis', 'fallback', 'failure-policy'] })
  source!: string | null;
  @ApiProperty({ example: 'within limit (100 per 60000 ms)' }) reason!: string;
  @ApiProperty({ type: 'integer', nullable: true }) nowMs!: number | null;
  @ApiProperty({ description: 'Identifies the policy file in force' }) policiesHash!: string;
  @ApiProperty({ type: [RateLimitPolicyResult] }) results!: RateLimitPolicyResult[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      "The decision's RateLimit-Policy, RateLimit and Retry-After values; the gateway's own headers describe its limit on this route",
  })
  headers!: Record<string, string>;
}

// A descriptor no policy matches has only `descriptor` and `policy: null`.
export class RateLimitUsageEntry {
  @ApiProperty(RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA)
  descriptor!: Record<string, string>;
  @ApiProperty({ type: String, nullable: true, example: 'api.per-user' }) policy!: string | null;
  @ApiPropertyOptional({ enum: ['sliding-log', 'sliding-counter', 'gcra', 'fixed-window'] })
  algorithm?: string;
  @ApiPropertyOptional({ type: 'integer' }) limit?: number;
  @ApiPropertyOptional({ type: 'integer' }) windowMs?: number;
  @ApiPropertyOptional({ type: 'integer' }) used?: number;
  @ApiPropertyOptional({ type: 'integer' }) remaining?: number;
  @ApiPropertyOptional({ type: 'integer' }) resetMs?: number;
  @ApiPropertyOptional({ type: 'integer' }) nowMs?: number;
}

export class RateLimitUsageResponse {
  @ApiProperty() domain!: string;
  @ApiProperty() policiesHash!: string;
  @ApiProperty({ type: [RateLimitUsageEntry] }) usage!: RateLimitUsageEntry[];
}
