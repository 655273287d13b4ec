import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DevTokenSigner, Public } from '@suite/service-kit';
import { DEV_TOKEN_SIGNER, DEV_TOKEN_TTL_SECONDS } from '../gateway.tokens';
import { DevTokenResponse } from '../http/gateway.responses';
import { IssueDevTokenRequest } from './issue-dev-token.request';

// Mints a token for any user id: for the demo and local exploration only. The module
// registers this controller only when DEV_TOKENS=on, so otherwise the route is a 404.
@ApiTags('development')
@Public()
@Controller('dev/tokens')
export class IssueDevTokenHttpController {
  constructor(
    @Inject(DEV_TOKEN_SIGNER) private readonly signer: DevTokenSigner,
    @Inject(DEV_TOKEN_TTL_SECONDS) private readonly ttlSeconds: number,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'devTokens.issue', summary: 'Mint a token (development only)' })
  @ApiOkResponse({ type: DevTokenResponse })
  async issue(@Body() body: IssueDevTokenRequest): Promise<DevTokenResponse> {
    const accessToken = await this.signer.sign({ userId: body.userId, scopes: body.scopes ?? [] });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.ttlSeconds };
  }
}
