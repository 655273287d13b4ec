import {
  DESCRIPTOR_KEY_PATTERN,
  MAX_DESCRIPTOR_ENTRIES,
  MAX_DESCRIPTOR_VALUE_LENGTH,
  RATE_LIMIT_DOMAIN_NAME,
  rateLimitDescriptorSchema,
  type RateLimitDescriptor,
} from '@suite/contracts';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { ValidShape } from '@suite/service-kit';

export const MAX_DESCRIPTORS = 16;

// The first broken rule of a descriptor list, naming its position and the rule but never
// the value sent.
export function descriptorIssue(descriptors: unknown[]): string | undefined {
  for (const [i, descriptor] of descriptors.entries()) {
    const parsed = rateLimitDescriptorSchema.safeParse(descriptor);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = [i, ...(issue?.path ?? [])].join('.');
      if (issue?.code === 'invalid_type') {
        return `descriptors.${where} must be ${issue.path.length ? 'a string' : 'an object of strings'}`;
      }
      return `descriptors.${where}: ${issue?.message ?? 'invalid'}`;
    }
  }
  return undefined;
}

@ValidatorConstraint({ name: 'descriptors' })
class DescriptorListRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && descriptorIssue(value) === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    const value: unknown = args.value;
    return (
      (Array.isArray(value) ? descriptorIssue(value) : undefined) ??
      `descriptors must be objects of 1-${MAX_DESCRIPTOR_ENTRIES} string entries`
    );
  }
}

const CHECK_REQUEST_FIELDS = new Set(['domain', 'descriptors', 'cost']);
const MAX_COST = 1_000_000;

// The common valid request, recognised without the decorators below (see ValidShape); a
// spec proves it accepts nothing they refuse. Anything unusual (a null cost, an extra field,
// a broken rule) goes through them, so every 400 is worded by them.
export function isValidCheckRequest(body: Record<string, unknown>): boolean {
  for (const name in body) if (!CHECK_REQUEST_FIELDS.has(name)) return false;
  const { domain, descriptors, cost } = body;
  return (
    typeof domain === 'string' &&
    RATE_LIMIT_DOMAIN_NAME.pattern.test(domain) &&
    Array.isArray(descriptors) &&
    descriptors.length >= 1 &&
    descriptors.length <= MAX_DESCRIPTORS &&
    descriptors.every(isPlainValidDescriptor) &&
    (cost === undefined ||
      (typeof cost === 'number' && Number.isInteger(cost) && cost >= 0 && cost <= MAX_COST))
  );
}

// rateLimitDescriptorSchema's rules for the descriptor a caller means to send, without a
// zod parse (a tenth of the request's validation): 1-8 entries, keys by the pattern, values
// 1-256 characters. The same spec holds it to what the schema accepts.
function isPlainValidDescriptor(descriptor: unknown): boolean {
  if (typeof descriptor !== 'object' || descriptor === null || Array.isArray(descriptor)) {
    return false;
  }
  let entries = 0;
  for (const key in descriptor) {
    const value: unknown = (descriptor as Record<string, unknown>)[key];
    if (
      ++entries > MAX_DESCRIPTOR_ENTRIES ||
      !DESCRIPTOR_KEY_PATTERN.test(key) ||
      typeof value !== 'string' ||
      value.length === 0 ||
      value.length > MAX_DESCRIPTOR_VALUE_LENGTH
    ) {
      return false;
    }
  }
  return entries >= 1;
}

@ValidShape(isValidCheckRequest)
export class CheckRequest {
  @IsString()
  @Matches(RATE_LIMIT_DOMAIN_NAME.pattern, { message: RATE_LIMIT_DOMAIN_NAME.message })
  domain!: string;

  // One entry per limit to apply, e.g. [{ "user": "42" }, { "route": "POST /holds" }].
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DESCRIPTORS)
  @Validate(DescriptorListRule)
  descriptors!: RateLimitDescriptor[];

  // Units this request takes; 0 reads the state (the scripts may still roll windows over).
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COST)
  cost?: number;
}
