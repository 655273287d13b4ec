import { IsInt, IsOptional, Max, Min } from 'class-validator';

// Every field optional: PUT /web keeps what it does not name and starts a new run (the
// counts start from zero). At most 100 hosts of 200 pages: a verdict walks the whole web,
// and at that size it takes a fraction of a second.
export class UpdateWebRequest {
  @IsOptional() @IsInt() @Min(0) @Max(0xffff_ffff) seed?: number;
  @IsOptional() @IsInt() @Min(1) @Max(100) hosts?: number;
  @IsOptional() @IsInt() @Min(2) @Max(200) pagesPerHost?: number;
  @IsOptional() @IsInt() @Min(0) @Max(60_000) minIntervalMs?: number;
  @IsOptional() @IsInt() @Min(0) @Max(60_000) slowMs?: number;
}
