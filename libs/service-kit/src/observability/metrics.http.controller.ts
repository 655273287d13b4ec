import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { HttpMetrics } from './http-metrics';
import { DebugAccessLog } from './debug-access-log.decorator';

// Prometheus scrape endpoint. Public like /health: scrapers carry no user token, and
// the series hold route patterns and counts, not user data.
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsHttpController {
  constructor(private readonly metrics: HttpMetrics) {}

  @Get()
  @DebugAccessLog()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('content-type', this.metrics.contentType).header('cache-control', 'no-store');
    return this.metrics.render();
  }
}
