import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, Matches, MaxLength } from 'class-validator';

// The seeds a crawl started from; default: the web's own seed URLs. Repeat the parameter
// for more than one (at most 20 of printable ASCII, so the query fits in a request line).
// Any http(s) URL is taken; one on no host of the web reaches nothing.
export class VerdictQuery {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsArray()
  @ArrayMaxSize(20)
  @MaxLength(200, { each: true })
  @Matches(/^https?:\/\/[!-~]+$/, { each: true })
  seed?: string[];
}
