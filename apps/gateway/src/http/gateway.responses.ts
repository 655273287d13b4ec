import { ApiProperty } from '@nestjs/swagger';

export class ErrorResponse {
  @ApiProperty({ type: 'integer', example: 429 })
  statusCode!: number;

  @ApiProperty({ example: 'Too Many Requests' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'rate limit "user" exceeded: 120 requests per 60 s; retry after 3 s',
  })
  message!: string | string[];
}

// POST /dev/tokens, when DEV_TOKENS=on.
export class DevTokenResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds until the token expires', example: 3600 })
  expiresIn!: number;
}
