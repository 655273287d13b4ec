import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { SCOPES } from '@suite/contracts';
import { answerOf, ApiErrors, RequireScopes, send } from '@suite/service-kit';
import type { FastifyReply } from 'fastify';
import { HTTP_ANSWERS } from '../../http/crawler.answers';
import { CrawlResponse } from '../../http/crawler.responses';
import { StartCrawlRequest } from './start-crawl.request';
import { StartCrawlUseCase } from './start-crawl.use-case';

// Starting a crawl sends requests on the operator's behalf: an operator's token only.
@ApiTags('crawls')
@RequireScopes(SCOPES.opsAdmin)
@Controller('crawls')
export class StartCrawlHttpController {
  constructor(private readonly startCrawl: StartCrawlUseCase) {}

  @Post()
  @ApiCreatedResponse({ description: 'Started; the workers pick it up', type: CrawlResponse })
  @ApiErrors({ 422: 'A seed is not an http URL on 127.0.0.1, localhost or a *.web.test host' })
  async start(@Body() body: StartCrawlRequest, @Res() reply: FastifyReply): Promise<void> {
    await send(reply, answerOf(HTTP_ANSWERS.startCrawl, await this.startCrawl.execute(body)));
  }
}
