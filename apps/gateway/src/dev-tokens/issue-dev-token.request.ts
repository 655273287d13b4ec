import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches } from 'class-validator';

export class IssueDevTokenRequest {
  @ApiProperty({ example: 'buyer-42', pattern: '^[A-Za-z0-9._:@-]{1,128}$' })
  @IsString()
  @Matches(/^[A-Za-z0-9._:@-]{1,128}$/, {
    message: 'userId must be 1-128 of A-Z a-z 0-9 . _ : @ -',
  })
  userId!: string;

  @ApiPropertyOptional({
    type: 'array',
    maxItems: 20,
    items: { type: 'string', pattern: '^[A-Za-z0-9:._-]{1,64}$' },
    example: ['tickets:buy'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[A-Za-z0-9:._-]{1,64}$/, {
    each: true,
    message: 'each scope must be 1-64 of A-Z a-z 0-9 : . _ -',
  })
  scopes?: string[];
}
