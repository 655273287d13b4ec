import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { SCOPES } from '@suite/contracts';
import { answerOf, ApiErrors, RequireScopes, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/crawler.answers';
import { CrawlResponse } from '../../http/crawler.responses';
import { GetCrawlUseCase } from './get-crawl.use-case';

@ApiTags('crawls')
@RequireScopes(SCOPES.opsAdmin)
@Controller('crawls')
export class GetCrawlHttpController {
  constructor(private readonly getCrawl: GetCrawlUseCase) {}

  @Get(':id')
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiOkResponse({ type: CrawlResponse })
  @ApiErrors({ 404: 'No such crawl' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await send(reply, answerOf(HTTP_ANSWERS.getCrawl, await this.getCrawl.execute(id)));
  }
}
