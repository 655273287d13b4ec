import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA } from '@suite/contracts';

// What the rate-limiter service answers to check and usage, relayed unchanged: for the
// OpenAPI document.

export class RateLimitPolicyResult {
  @ApiProperty({ description: 'Index of the descriptor this policy matched' }) descriptor!: number;
  @ApiProperty({ example: 'api.per-user' }) policy!: string;
  @ApiProperty({ example: 'sliding-log' }) algorithm!: string;
  @ApiProperty() allowed!: boolean;
  @ApiProperty() limit!: number;
  @ApiProperty() windowMs!: number;
  @ApiProperty() remaining!: number;
  @ApiProperty() resetMs!: number;
  @ApiProperty() retryAfterMs!: number;
  @ApiProperty({ enum: ['redis', 'fallback', 'failure-policy'] }) source!: string;
  @ApiProperty() nowMs!: number;
}

// 200 when admitted, 429 when denied, with this body either way.
export class RateLimitDecisionResponse {
  @ApiProperty() allowed!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The deciding policy' })
  policy!: string | null;
  @ApiProperty({ type: Number, nullable: true }) remaining!: number | null;
  @ApiProperty() resetMs!: number;
  @ApiProperty() retryAfterMs!: number;
  @ApiProperty({ type: String, nullable: true, enum: ['redis', 'fallback', 'failure-policy'] })
  source!: string | null;
  @ApiProperty({ example: 'within limit (100 per 60000 ms)' }) reason!: string;
  @ApiProperty({ type: Number, nullable: true }) nowMs!: number | null;
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
  @ApiPropertyOptional() algorithm?: string;
  @ApiPropertyOptional() limit?: number;
  @ApiPropertyOptional() windowMs?: number;
  @ApiPropertyOptional() used?: number;
  @ApiPropertyOptional() remaining?: number;
  @ApiPropertyOptional() resetMs?: number;
  @ApiPropertyOptional() nowMs?: number;
}

export class RateLimitUsageResponse {
  @ApiProperty() domain!: string;
  @ApiProperty() policiesHash!: string;
  @ApiProperty({ type: [RateLimitUsageEntry] }) usage!: RateLimitUsageEntry[];
}
