import { Controller, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { answerOf, send } from '@suite/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CrawlResponse } from '../../http/crawler.responses';
import { HTTP_ANSWERS } from '../../http/gateway.answers';
import { ErrorResponse } from '../../http/gateway.responses';
import { ROUTES } from '../domain/gateway-routes';
import { ProxyRelay } from '../proxy-relay';
import { ProxyRoute } from '../proxy-route.decorator';
import { StartCrawlRequest } from './crawler.request';

// A crawl sends requests on the operator's behalf: the crawler answers only tokens with the
// ops:admin scope, and its 403 reaches the client as it wrote it.
const NOT_AN_OPERATOR = { description: 'The token lacks the ops:admin scope', type: ErrorResponse };

// The crawler's routes, for operators. The web simulator it crawls (the generated web and
// its verdict) is a loopback test fixture, not public API: the gateway does not publish it.
@ApiTags('crawler')
@Controller()
export class CrawlerHttpController {
  constructor(private readonly relay: ProxyRelay) {}

  @ProxyRoute(ROUTES.startCrawl)
  @ApiBody({ type: StartCrawlRequest })
  @ApiCreatedResponse({
    description: 'Started; the workers pick it up',
    type: CrawlResponse,
    links: {
      theCrawl: {
        operationId: ROUTES.getCrawl.id,
        parameters: { crawlId: '$response.body#/id' },
      },
    },
  })
  @ApiBadRequestResponse({ description: 'A field is missing or malformed', type: ErrorResponse })
  @ApiForbiddenResponse(NOT_AN_OPERATOR)
  @ApiUnprocessableEntityResponse({
    description:
      'seed_not_allowed: a seed is not an http URL on 127.0.0.1, localhost or *.web.test',
    type: ErrorResponse,
  })
  async startCrawl(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.startCrawl, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }

  @ProxyRoute(ROUTES.getCrawl)
  @ApiOkResponse({ type: CrawlResponse })
  @ApiBadRequestResponse({ description: 'The id is not a UUID', type: ErrorResponse })
  @ApiForbiddenResponse(NOT_AN_OPERATOR)
  @ApiNotFoundResponse({ description: 'No such crawl', type: ErrorResponse })
  async getCrawl(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.relay.forward(ROUTES.getCrawl, request);
    await send(reply, answerOf(HTTP_ANSWERS.proxy, outcome));
  }
}
