import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@suite/service-kit';
import type { CrawlVerdict } from '@suite/contracts';
import { WebResponse, VerdictResponse } from '../../http/web-simulator.responses';
import { SimulatedWeb, type WebView } from '../infra/simulated-web';
import { UpdateWebRequest } from './update-web.request';
import { VerdictQuery } from './verdict.query';

// The admin API of the generated web, for test drivers and the crawl verifier: read it,
// replace it (a new run), and judge the crawl it has seen. Public like the web itself: the
// simulator is a test double that listens on loopback only.
@ApiTags('web')
@Public()
@Controller('web')
export class WebHttpController {
  constructor(private readonly simulated: SimulatedWeb) {}

  @Get()
  @ApiOkResponse({ type: WebResponse })
  get(): WebView {
    return this.simulated.view();
  }

  @Put()
  @ApiOkResponse({ type: WebResponse })
  @ApiBody({ type: UpdateWebRequest, required: false })
  update(@Body() body: UpdateWebRequest): WebView {
    // Only the fields the body names: a validated DTO carries the others as undefined (null is absent too).
    const named = Object.fromEntries(
      Object.entries(body).filter(([, v]) => v !== undefined && v !== null),
    );
    this.simulated.reset({ ...this.simulated.web.settings, ...named });
    return this.simulated.view();
  }

  // Every reachable page fetched exactly once, nothing else fetched, no host's interval
  // broken: each count is a violation unless it is 0.
  @Get('verdict')
  @ApiOkResponse({ type: VerdictResponse })
  verdict(@Query() query: VerdictQuery): CrawlVerdict {
    return this.simulated.verdict(query.seed);
  }
}
