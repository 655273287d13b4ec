import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// The request body of the crawler's crawl start, for the OpenAPI document. The crawler
// validates it (400 with the broken field; 422 for a seed it may not fetch).
export class StartCrawlRequest {
  @ApiProperty({
    type: 'array',
    minItems: 1,
    maxItems: 100,
    items: { type: 'string', maxLength: 2048 },
    description: 'Absolute http URLs on 127.0.0.1, localhost or a *.web.test host',
    example: ['http://site-0.web.test/'],
  })
  seeds!: string[];

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 60_000,
    description: 'Politeness: at most one request per host per this many ms, over every worker',
    example: 50,
  })
  minIntervalMs!: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 1_000,
    description: 'Links deeper than this from a seed are not followed',
  })
  maxDepth?: number;
}
