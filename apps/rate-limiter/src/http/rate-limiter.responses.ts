import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DESCRIPTOR_PARAM_PATTERN,
  RATE_LIMIT_ALGORITHMS,
  RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA,
} from '@suite/contracts';
import { describeValidator } from '@suite/service-kit';
import { MAX_DESCRIPTORS } from '../policies/check/check.request';
import { UsageQuery } from '../policies/usage/usage.query';

// What the rate limiter's routes answer, for its OpenAPI document: a check's decision,
// usage, and the policy admin views. A field added to one of them belongs here too, or
// the fuzz stage's response_schema_conformance reports it.

// CheckRequest.descriptors is checked by the "descriptors" constraint (DescriptorListRule).
describeValidator('descriptors', { type: 'array', items: RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA });

// UsageQuery.descriptor is parsed by its handler, not by a validator: each value is
// "key:value" pairs joined by ",". (JSON, {"key":"value"}, is accepted too, for values that
// hold a ","; the document describes the pairs only.)
ApiProperty({
  type: 'array',
  minItems: 1,
  maxItems: MAX_DESCRIPTORS,
  description: 'Repeatable; each one descriptor, e.g. user:42 or user:42,route:POST /holds',
  items: {
    type: 'string',
    pattern: DESCRIPTOR_PARAM_PATTERN,
  },
})(UsageQuery.prototype, 'descriptor');

const SOURCES = ['redis', 'fallback', 'failure-policy'];

export class PolicyResultResponse {
  @ApiProperty({ type: 'integer', description: 'Index of the descriptor in the request' })
  descriptor!: number;
  @ApiProperty() policy!: string;
  @ApiProperty({ enum: RATE_LIMIT_ALGORITHMS }) algorithm!: string;
  @ApiProperty() allowed!: boolean;
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({ type: 'integer' }) windowMs!: number;
  @ApiProperty({ type: 'integer' }) remaining!: number;
  @ApiProperty({ type: 'integer' }) resetMs!: number;
  @ApiProperty({ type: 'integer' }) retryAfterMs!: number;
  @ApiProperty({ enum: SOURCES }) source!: string;
  @ApiProperty({ type: 'integer' }) nowMs!: number;
}

// The same body answers 200 (admitted) and 429 (denied).
export class CheckDecisionResponse {
  @ApiProperty() allowed!: boolean;
  @ApiProperty({ type: 'string', nullable: true }) policy!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) remaining!: number | null;
  @ApiProperty({ type: 'integer' }) resetMs!: number;
  @ApiProperty({ type: 'integer' }) retryAfterMs!: number;
  @ApiProperty({ type: 'string', enum: SOURCES, nullable: true }) source!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: 'integer', nullable: true }) nowMs!: number | null;
  @ApiProperty() policiesHash!: string;
  @ApiProperty({ type: [PolicyResultResponse] }) results!: PolicyResultResponse[];
  @ApiProperty({
    description: 'The RateLimit headers, also set on the response',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  headers!: Record<string, string>;
}

export class DescriptorUsageResponse {
  @ApiProperty(RATE_LIMIT_DESCRIPTOR_JSON_SCHEMA) descriptor!: Record<string, string>;
  @ApiProperty({ type: 'string', nullable: true, description: 'Null when no policy matched' })
  policy!: string | null;
  @ApiPropertyOptional({ enum: RATE_LIMIT_ALGORITHMS }) algorithm?: string;
  @ApiPropertyOptional({ type: 'integer' }) limit?: number;
  @ApiPropertyOptional({ type: 'integer' }) windowMs?: number;
  @ApiPropertyOptional({ type: 'integer' }) used?: number;
  @ApiPropertyOptional({ type: 'integer' }) remaining?: number;
  @ApiPropertyOptional({ type: 'integer' }) resetMs?: number;
  @ApiPropertyOptional({ type: 'integer' }) nowMs?: number;
}

export class UsageResponse {
  @ApiProperty() domain!: string;
  @ApiProperty() policiesHash!: string;
  @ApiProperty({ type: [DescriptorUsageResponse] }) usage!: DescriptorUsageResponse[];
}

export class LoadedVersionResponse {
  @ApiProperty({ type: 'string', nullable: true }) version!: string | null;
  @ApiProperty({ description: '16 hex digits of sha256, or "none"' }) hash!: string;
  @ApiProperty({ format: 'date-time' }) loadedAt!: string;
}

export class RejectedReloadResponse {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: 'string', nullable: true }) hash!: string | null;
  @ApiProperty({ type: [String] }) issues!: string[];
}

export class DomainPoliciesResponse {
  @ApiProperty() domain!: string;
  @ApiProperty({
    description: 'Each policy: its limiter name and its definition from the file',
    type: 'array',
    items: { type: 'object', required: ['limiterPolicy'] },
  })
  policies!: Array<Record<string, unknown>>;
}

export class PoliciesResponse {
  @ApiProperty({ type: 'string', nullable: true }) file!: string | null;
  @ApiProperty({ type: LoadedVersionResponse }) loaded!: LoadedVersionResponse;
  @ApiProperty({ type: RejectedReloadResponse, nullable: true })
  lastRejected!: RejectedReloadResponse | null;
  @ApiProperty({ type: [DomainPoliciesResponse] }) domains!: DomainPoliciesResponse[];
}

export class ReloadResponse {
  @ApiProperty({ enum: ['reloaded', 'unchanged'] }) status!: string;
  @ApiProperty({ type: LoadedVersionResponse }) loaded!: LoadedVersionResponse;
}

export class ReloadRejectedResponse {
  @ApiProperty({ enum: [422] }) statusCode!: number;
  @ApiProperty({ enum: ['invalid_policy_file'] }) error!: string;
  @ApiProperty({ type: [String] }) message!: string[];
  @ApiProperty({ type: LoadedVersionResponse }) loaded!: LoadedVersionResponse;
}
