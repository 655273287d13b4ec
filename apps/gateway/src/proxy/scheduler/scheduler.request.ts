import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';

// The request body of the scheduler's job creation, for the OpenAPI document. The scheduler
// validates it (400 with the broken field; 422 when the fields do not make a job).

// A job's payload as the scheduler states it: a flat object sent as given with every fire.
// Cast: propertyNames is OpenAPI 3.1 (JSON Schema), which Nest's option types do not know.
const PAYLOAD_SCHEMA = {
  type: 'object',
  maxProperties: 32,
  propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,63}$' },
  additionalProperties: {
    anyOf: [
      { type: 'string', maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F]*$' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'null' },
    ],
  },
  example: { orderId: 'A-17', attempt: 1 },
} as ApiPropertyOptions;

// Exactly one of runAt and cron, and exactly one of callbackUrl and topic: which one is
// missing or doubled is the scheduler's 422.
export class CreateJobRequest {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'RFC 3339 with seconds and an offset: a one-off job fired once at this time',
    example: '2030-01-01T10:00:00Z',
  })
  runAt?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 120,
    description: 'Five fields, or six with seconds first, in UTC: a recurring job',
    example: '*/10 * * * * *',
  })
  cron?: string;

  @ApiPropertyOptional({
    format: 'uri',
    maxLength: 2048,
    description:
      "POSTed to with each fire's Idempotency-Key; must be on one of the scheduler's configured origins",
  })
  callbackUrl?: string;

  @ApiPropertyOptional({
    pattern: '^[A-Za-z0-9._-]{1,200}$',
    description: "A Kafka topic under the scheduler's configured prefix",
  })
  topic?: string;

  @ApiPropertyOptional({ ...PAYLOAD_SCHEMA, description: 'Sent as given with every fire' })
  payload?: Record<string, string | number | boolean | null>;
}
