import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA, RATE_LIMIT_DOMAIN_NAME } from '@suite/contracts';

// The rate-limiter service's check and usage shapes, for the OpenAPI document. The service
// validates the body and answers 400 with the broken field.

export class RateLimitCheckRequest {
  @ApiProperty({
    example: 'api',
    pattern: RATE_LIMIT_DOMAIN_NAME.pattern.source,
    description: "A domain of the service's policy file",
  })
  domain!: string;
  @ApiProperty({
    type: 'array',
    minItems: 1,
    maxItems: 16,
    items: RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA,
    example: [{ user: '42' }, { route: 'POST /holds' }],
    description: 'One descriptor per limit to apply; each selects at most one policy',
  })
  descriptors!: Array<Record<string, string>>;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 1_000_000,
    default: 1,
    description: 'Units to spend; 0 only reads',
  })
  cost?: number;
}

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
