import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class StartCrawlRequest {
  // Absolute http URLs on 127.0.0.1, localhost or a *.web.test host; anything else is 422.
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  seeds!: string[];

  // Politeness: at most one request per host per this many ms.
  @IsInt()
  @Min(1)
  @Max(60_000)
  minIntervalMs!: number;

  // Links deeper than this from a seed are not followed.
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000)
  maxDepth?: number;
}
