import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { HEALTH_OPTIONS, type HealthOptions } from './health.options';
import { ReadinessRegistry } from './readiness.registry';

export interface LivenessBody {
  status: 'ok';
  service: string;
}

export interface ReadinessBody {
  status: 'ready' | 'not_ready';
  checks: Record<string, string>;
}

// Public: probes carry no user token.
@Public()
@Controller('health')
export class HealthHttpController {
  constructor(
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly readiness: ReadinessRegistry,
  ) {}

  // Liveness: the process is up and serving HTTP. It checks no dependency, so an
  // outage of Postgres or Redis does not get every instance restarted at once.
  @Get()
  live(): LivenessBody {
    return { status: 'ok', service: this.options.service };
  }

  // Readiness: every registered dependency answers, so traffic may be routed here.
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessBody> {
    const report = await this.readiness.run(this.options.checkTimeoutMs);
    void reply.header('cache-control', 'no-store');
    if (!report.ready) {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: report.ready ? 'ready' : 'not_ready', checks: report.checks };
  }
}
