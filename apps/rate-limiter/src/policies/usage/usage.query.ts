import {
  RATE_LIMIT_DOMAIN_NAME,
  rateLimitDescriptorSchema,
  type RateLimitDescriptor,
} from '@suite/contracts';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches } from 'class-validator';
import { MAX_DESCRIPTORS } from '../check/check.request';

export class UsageQuery {
  @IsString()
  @Matches(RATE_LIMIT_DOMAIN_NAME.pattern, { message: RATE_LIMIT_DOMAIN_NAME.message })
  domain!: string;

  // Repeatable; each one descriptor: "user:42" or "user:42,route:POST /holds", or JSON
  // ({"user":"42"}) for values that contain ',' or start with '{'.
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value : [value]))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DESCRIPTORS)
  @IsString({ each: true })
  descriptor!: string[];
}

export type DescriptorParse =
  | { ok: true; descriptor: RateLimitDescriptor }
  | { ok: false; message: string };

export function parseDescriptorParam(raw: string, index: number): DescriptorParse {
  const fail = (why: string): DescriptorParse => ({
    ok: false,
    message: `descriptor.${index} ${why}`,
  });
  let candidate: unknown;
  if (raw.trimStart().startsWith('{')) {
    try {
      candidate = JSON.parse(raw);
    } catch {
      return fail('is not valid JSON');
    }
  } else {
    const entries: [string, string][] = [];
    for (const pair of raw.split(',')) {
      const at = pair.indexOf(':');
      if (at <= 0) return fail('must be key:value pairs separated by ","');
      entries.push([pair.slice(0, at).trim(), pair.slice(at + 1)]);
    }
    candidate = Object.fromEntries(entries);
  }
  const parsed = rateLimitDescriptorSchema.safeParse(candidate);
  if (!parsed.success) return fail(`: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { ok: true, descriptor: parsed.data };
}

// Every descriptor of the query string, or the first one that does not parse.
export type DescriptorParams =
  | { kind: 'parsed'; descriptors: RateLimitDescriptor[] }
  | { kind: 'invalid-descriptor'; message: string };

export type InvalidDescriptorParam = Extract<DescriptorParams, { kind: 'invalid-descriptor' }>;

export function parseDescriptorParams(raws: readonly string[]): DescriptorParams {
  const descriptors: RateLimitDescriptor[] = [];
  for (const [i, raw] of raws.entries()) {
    const parsed = parseDescriptorParam(raw, i);
    if (!parsed.ok) return { kind: 'invalid-descriptor', message: parsed.message };
    descriptors.push(parsed.descriptor);
  }
  return { kind: 'parsed', descriptors };
}
