import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsUrl } from 'class-validator';

// The seeds a crawl started from; default: the web's own seed URLs. Repeat the parameter
// for more than one.
export class VerdictQuery {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsArray()
  @ArrayMaxSize(100)
  @IsUrl({ require_tld: false, protocols: ['http'], require_protocol: true }, { each: true })
  seed?: string[];
}
