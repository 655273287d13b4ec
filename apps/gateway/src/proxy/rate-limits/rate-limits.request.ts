import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA, RATE_LIMIT_DOMAIN_NAME } from '@suite/contracts';

// The body of the rate-limiter service's check, for the OpenAPI document. The service
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
